#!/bin/sh
# iscsid's request socket on the host (no kernel needed), in stock 2.1.8's
# request layout: well-formed requests get stock's answers (2 for an
# unknown session, 1 for conn-add, 0 for a notification, the initiator
# name and iscsid.conf path for the config queries), every kind of
# malformed request is refused with RC_INVALID_MGMT_REQ (16) and logged,
# the daemon keeps serving afterwards, and a non-root peer is refused with
# RC_ACCESS (13) without its request being read.
. usr/tests/sh/iscsid_common.sh
iscsid_env ipc
fail=0

"${ISCSID:-$top/usr/iscsid}" -f -n -c "$ISCSI_ETC_DIR/iscsid.conf" -d 2 2> "$tmp/log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT

wait_ping "$tmp/log" "iscsid did not come up"

expect() {  # case expected-output
	got=$($py "$1")
	if [ "$got" != "$2" ]; then
		echo "FAIL $1: got '$got', expected '$2'"
		fail=1
	fi
}

expect iname "rc=0 iqn.2026-01.test:ipc"
expect config-file "rc=0 $ISCSI_ETC_DIR/iscsid.conf"
expect info-unknown "rc=2"
expect logout-unknown "rc=2"
expect stats-unknown "rc=2"
expect rescan-unknown "rc=2"
expect conn-add "rc=1"
expect notify "rc=0"
for c in bad-cmd cmd-3 huge-payload login-missing-fields login-no-nul \
	 login-bad-port truncated garbage; do
	expect "$c" "rc=16"
done
# still serving after all that
expect ping "rc=0"

n=$(grep -c "refusing" "$tmp/log")
[ "$n" -ge 8 ] || { echo "FAIL: expected >= 8 refusals logged, got $n"; fail=1; }

# non-root peer: answered with 13 and logged, without its request being read
if command -v setpriv >/dev/null 2>&1; then
	got=$(setpriv --reuid=65534 --regid=65534 --clear-groups $py ping)
	[ "$got" = "rc=13" ] || { echo "FAIL non-root: got '$got'"; fail=1; }
	grep -q "refusing request from non-root peer (uid 65534" "$tmp/log" ||
		{ echo "FAIL: non-root refusal not logged"; fail=1; }
fi
kill -0 $pid || { echo "FAIL: iscsid died"; fail=1; }
[ $fail -eq 0 ] || cat "$tmp/log"
exit $fail
