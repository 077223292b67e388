#!/bin/sh
# Golden outputs: every listing ours prints, for a fixed set of records,
# byte for byte against usr/tests/data/golden/*.out. The golden files were
# produced by stock open-iscsi 2.1.8 on the same records (GOLDEN_FROM_STOCK=1
# regenerates them that way), with our node.session.autoscan_en line added
# beside node.session.scan in record shows.
. usr/tests/sh/adm_common.sh
G=$TOP/usr/tests/data/golden
D=$(etc_dir golden none)
TA=iqn.2024-01.test:gold-a TB=iqn.2024-01.test:gold-b

# the records, made by whichever iscsiadm RUN names
make_records() {
	$1 "$D" -m node -o new -T $TA -p 127.0.0.1:3367,1
	$1 "$D" -m node -o new -T $TB -p 127.0.0.1:3368
	$1 "$D" -m node -T $TA -p 127.0.0.1:3367 -o update -n node.session.auth.authmethod -v CHAP \
		-n node.session.auth.username -v gu -n node.session.auth.password -v gp \
		-n node.session.scan -v manual
	$1 "$D" -m discoverydb -t st -p 127.0.0.1:3369 -o new
	$1 "$D" -m discoverydb -t st -p 127.0.0.1:3369 -o update \
		-n discovery.sendtargets.auth.password -v dp
}

CASES="node_list:-m node
node_tree:-m node -P 1 -T $TA
node_show:-m node -T $TA -p 127.0.0.1:3367
node_show_secrets:-m node -T $TA -p 127.0.0.1:3367 -S
node_show_flat:-m node -T $TB -p 127.0.0.1:3368 -o show
disc_list:-m discoverydb
disc_show:-m discoverydb -t st -p 127.0.0.1:3369 -o show
disc_show_secrets:-m discoverydb -t st -p 127.0.0.1:3369 -o show -S
iface_list:-m iface
iface_tree:-m iface -P 1
disc_tree:-m discoverydb -P 1
no_record:-m node -T iqn.none:x -p 127.0.0.1:3367"

# the show of a record gets our extra line after node.session.scan
add_autoscan() {
	sed '/^node.session.scan = /a node.session.autoscan_en = Yes' "$1"
}

if [ "${GOLDEN_FROM_STOCK:-}" = 1 ]; then
	stock_ok || { echo "stock needed to regenerate"; exit 1; }
	make_records stock
	echo "$CASES" | while IFS=: read -r name args; do
		# shellcheck disable=SC2086
		stock "$D" $args
		add_autoscan "$WORK/s.out" > "$G/$name.out"
		echo "$(cat "$WORK/s.rc")" > "$G/$name.rc"
	done
	echo "regenerated"; exit 0
fi

make_records ours
echo "$CASES" > "$WORK/cases"
while IFS=: read -r name args; do
	# shellcheck disable=SC2086
	ours "$D" $args
	if cmp -s "$WORK/o.out" "$G/$name.out" && cmp -s "$WORK/o.rc" "$G/$name.rc"; then
		pass "$name"
	else
		fail "$name: iscsiadm $args"
		diff "$G/$name.out" "$WORK/o.out" | head -10
	fi
done < "$WORK/cases"
finish
