#!/bin/sh
# Records made by our SendTargets discovery (against Debian's tgtd) are
# read by stock 2.1.8 exactly as ours prints them, including the
# discoverydb tree os-brick parses, and stock's -o delete of the discovery
# record removes our node records and links. (Stock cannot run discovery
# itself on a host without the iscsi_tcp module, so only this direction.)
. usr/tests/sh/adm_common.sh
if ! stock_ok || ! command -v tgtd >/dev/null; then
	echo "FAIL: stock iscsiadm, tgtd, root or unshare missing: cannot be tested (make test installs them: .ci/deps.sh)" >&2
	exit 1
fi
PORT=3365
ss -Htln "sport = :$PORT" | grep -q . && { echo "port $PORT busy"; exit 1; }
tgtd -f -C $PORT --iscsi portal=127.0.0.1:$PORT > "$WORK/tgtd.log" 2>&1 &
TGTD=$!
trap 'kill -9 $TGTD 2>/dev/null; wait $TGTD 2>/dev/null; rm -rf "$WORK"' EXIT
i=0
until tgtadm -C $PORT --lld iscsi --op show --mode target >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 50 ] && { echo "tgtd did not start"; exit 1; }
	sleep 0.1
done
for t in 1 2; do
	tgtadm -C $PORT --lld iscsi --op new --mode target --tid $t -T iqn.2024-01.test:found$t
	tgtadm -C $PORT --lld iscsi --op bind --mode target --tid $t -I ALL
done

D=$(etc_dir found none)
ours "$D" -m discovery -t st -p 127.0.0.1:$PORT
[ "$(cat "$WORK/o.rc")" = 0 ] || fail "our discovery failed: $(cat "$WORK/o.err")"
# listings in directory order (stock) vs sorted (ours): same lines
for args in "-m node" "-m discoverydb -P 1"; do
	# shellcheck disable=SC2086
	stock "$D" $args; ours "$D" $args
	same_sorted "discovered by ours, stock prints: iscsiadm $args"
done
for args in "-m discoverydb" "-m node -P 1 -T iqn.2024-01.test:found2" \
	"-m node -T iqn.2024-01.test:found1 -p 127.0.0.1:$PORT"; do
	# shellcheck disable=SC2086
	stock "$D" $args; ours "$D" $args
	same_out "discovered by ours, stock prints: iscsiadm $args"
done
stock "$D" -m discoverydb -t st -p 127.0.0.1:$PORT -o delete
[ "$(cat "$WORK/s.rc")" = 0 ] || fail "stock could not delete our discovery record"
ours "$D" -m node
[ "$(cat "$WORK/o.rc")" = 21 ] && pass "stock's delete took our discovered nodes" ||
	fail "nodes left after stock's delete: $(cat "$WORK/o.out")"
[ -z "$(find "$D/send_targets" "$D/nodes" -mindepth 1 2>/dev/null)" ] && pass "no links left" ||
	fail "left behind: $(find "$D/send_targets" "$D/nodes" -mindepth 1)"
finish
