#!/bin/sh
# Kernel-lab comparison (not part of make check: it boots the qemu guest
# four times, ~15 s each): SendTargets discovery by stock open-iscsi 2.1.8
# and by ours, both inside the guest, against (1) tgtd, comparing stdout,
# the -P 1 tree, the files written and the whole node record and st_config,
# and (2) the misbehaving portals of discovery_peer.py, comparing exit codes.
# Run from the top directory after `make`:  sh usr/tests/sh/lab_discovery_vs_stock.sh
set -u
. usr/tests/sh/discovery_lib.sh
LABRUN="go run ./cmd/labrun"

cat > "$TMP/ok.sh" <<'G'
iscsid 2>/dev/null; sleep 1
iscsiadm -m discovery -t st -p $TARGET_PORTAL; echo rc=$?
iscsiadm -m discovery -t st -p $TARGET_PORTAL -P 1; echo rc=$?
cd /etc/iscsi && find nodes send_targets | sort
echo "== node record"; cat nodes/*/*/default
echo "== st_config"; cat send_targets/*/st_config
G
norm() { grep -v '^labrun:' "$1" | sed 's/:[0-9][0-9]*,/:PORT,/g; s/,[0-9][0-9]*,1/,PORT,1/g; s/,[0-9][0-9]*$/,PORT/; s/port = [0-9]*$/port = PORT/'; }
for ini in stock project; do
	(cd harness && $LABRUN -initiator $ini -target tgtd -timeout 3m -- "$(cat "$TMP/ok.sh")") \
		>"$TMP/ok.$ini" 2>&1 || fail "labrun $ini"
	norm "$TMP/ok.$ini" >"$TMP/ok.$ini.n"
done
diff -u "$TMP/ok.stock.n" "$TMP/ok.project.n" || fail "discovery against tgtd differs from stock"
ok "against tgtd: output, tree, files and records as stock ($(wc -l < "$TMP/ok.project.n") lines)"

# misbehaving portals on the host, seen by the guest at 10.0.2.2
for m in empty:3304 garbage:3305 nopin:3306 silent:3307 close:3308; do
	python3 usr/tests/sh/discovery_peer.py "${m%%:*}" "${m##*:}" "$TMP/ready.${m%%:*}" &
done
sleep 2
EXTRA_PIDS=$(cat "$TMP"/ready.* | tr '\n' ' ')
cat > "$TMP/bad.sh" <<'G'
iscsid 2>/dev/null; sleep 1
printf 'discovery.sendtargets.reopen_max = 1\ndiscovery.sendtargets.timeo.login_timeout = 2\n' > /etc/iscsi/iscsid.conf
for p in 3304 3305 3306 3307 3308; do
	iscsiadm -m discovery -t st -p 10.0.2.2:$p >/dev/null 2>&1; echo "port $p rc=$?"
done
G
for ini in stock project; do
	(cd harness && $LABRUN -initiator $ini -timeout 4m -- "$(cat "$TMP/bad.sh")") \
		>"$TMP/bad.$ini" 2>&1 || fail "labrun $ini"
	grep '^port ' "$TMP/bad.$ini" >"$TMP/bad.$ini.n"
done
diff -u "$TMP/bad.stock.n" "$TMP/bad.project.n" || fail "exit codes differ from stock"
ok "misbehaving portals: same exit codes as stock: $(tr '\n' ' ' < "$TMP/bad.project.n")"
