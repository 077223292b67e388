#!/bin/sh
# Bounded waits and peer checks on iscsid's request socket, both sides, in
# a private network namespace (abstract socket names are per namespace):
# - iscsiadm against a stand-in that never answers (33 after the bound),
#   answers garbage, answers in another protocol version or closes mid-
#   answer (18 each), and against a non-root process squatting the name:
#   20, and the squatter receives not one byte (no record, no secret);
# - iscsid against a client that sends nothing (refused with 16 after
#   DAEMON_REQ_TIMEOUT_MS, still serving meanwhile), a non-root flood
#   (each refused with 13 in the poll loop: no thread, log rate-limited),
#   and a root flood beyond its fd limit (no busy loop, serves afterwards).
set -u
if [ -z "${IPC_PEERS_NS:-}" ]; then
	IPC_PEERS_NS=1 exec unshare -n sh "$0" "$@"
fi
. usr/tests/sh/iscsid_common.sh
iscsid_env peers
peer="$PY $top/usr/tests/sh/ipc_peer.py"
ADM="$top/usr/iscsiadm"
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
fail=0 pid= fpid=
bad() { echo "FAIL: $*"; fail=1; }
cleanup() {
	[ -n "$fpid" ] && kill "$fpid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
mkdir -m 777 "$tmp/sq"

T=iqn.2026-01.test:peer P=127.0.0.1:3260
"$ADM" -m node -o new -T $T -p $P >/dev/null || bad "record"
"$ADM" -m node -T $T -p $P -o update -n node.session.auth.authmethod -v CHAP
"$ADM" -m node -T $T -p $P -o update -n node.session.auth.username -v alice
"$ADM" -m node -T $T -p $P -o update -n node.session.auth.password -v peersecret123

# fake MODE [RUNAS...]: stand-in on our name; then one login against it
fake_login() {
	mode=$1; shift
	rm -f "$tmp/sq/got" "$tmp/sq/got.ready"
	"$@" $peer serve "$mode" "$ISCSID_IPC_NAME" "$tmp/sq/got" &
	fpid=$!
	i=0; until [ -e "$tmp/sq/got.ready" ]; do i=$((i+1)); [ $i -gt 50 ] && break; sleep 0.1; done
	t0=$(date +%s)
	ISCSIADM_IPC_TIMEOUT_MS=1500 timeout 30 "$ADM" -m node -T $T -p $P --login \
		> "$tmp/out" 2> "$tmp/err"
	rc=$?
	took=$(($(date +%s) - t0))
	kill $fpid 2>/dev/null; wait $fpid 2>/dev/null; fpid=
}
expect_login() {  # mode expected-rc stderr-pattern
	[ "$rc" = "$2" ] || { bad "$1: exit $rc, expected $2"; cat "$tmp/err"; }
	[ "$took" -le 10 ] || bad "$1: took $took s"
	grep -q "$3" "$tmp/err" || { bad "$1: stderr lacks '$3'"; cat "$tmp/err"; }
	grep -q successful "$tmp/out" && bad "$1: reported success"
}
fake_login silent;   expect_login silent 33 "33 - iscsid request timed out"
fake_login garbage;  expect_login garbage 18 "not an answer to it"
fake_login version;  expect_login version 18 "daemon died?"
fake_login midclose; expect_login midclose 18 "daemon died?"
fake_login squat $nobody
expect_login squat 20 "(pid [0-9]*, uid 65534) is not a root iscsid"
[ "$(cat "$tmp/sq/got" 2>/dev/null)" = "0" ] || bad "squatter received $(cat "$tmp/sq/got" 2>/dev/null) bytes"

# --- our iscsid against bad clients ---
"$top/usr/iscsid" -f -n 2> "$tmp/log" &
pid=$!
wait_ping "$tmp/log" "iscsid did not come up"
$peer mute 15 > "$tmp/mute" &
mpid=$!
sleep 1
[ "$($py ping)" = "rc=0" ] || bad "no answer while a mute client is connected"
wait $mpid
grep -Eq "^rc=16 after [4-6] s$" "$tmp/mute" || bad "mute client: $(cat "$tmp/mute")"

threads() { awk '/^Threads:/ { print $2 }' /proc/$pid/status; }
$nobody $peer flood 400 2 > "$tmp/flood" &
fl=$!
sleep 1
th=$(threads)
wait $fl
[ "$th" -le 3 ] || bad "non-root flood: iscsid has $th threads"
grep -qx "answered=400 of 400" "$tmp/flood" || bad "non-root flood: $(cat "$tmp/flood")"
n=$(grep -c "refusing request from non-root peer" "$tmp/log")
[ "$n" -ge 1 ] && [ "$n" -le 10 ] || bad "non-root flood logged $n refusals (want 1-10)"
[ "$($py ping)" = "rc=0" ] || bad "no answer after the non-root flood"
kill $pid; wait $pid 2>/dev/null

# fd limit: 60 mute root clients against 24 fds; accept4 fails with EMFILE
sh -c 'ulimit -n 24; exec "$0" -f -n' "$top/usr/iscsid" 2> "$tmp/log2" &
pid=$!
wait_ping "$tmp/log2" "iscsid (24 fds) did not come up"
cpu() { awk '{ print $14 + $15 }' /proc/$pid/stat; }
c0=$(cpu)
$peer flood 60 3 > /dev/null
c1=$(cpu)
[ $((c1 - c0)) -le 60 ] || bad "fd limit: iscsid used $((c1 - c0)) ticks in 3 s (busy loop?)"
# the fds stay taken ~5 s (DAEMON_REQ_TIMEOUT_MS): two log windows at most
n=$(grep -c "cannot accept a request" "$tmp/log2")
[ "$n" -ge 1 ] && [ "$n" -le 20 ] || bad "fd limit logged $n accept failures (want 1-20)"
i=0; until [ "$($py ping)" = "rc=0" ]; do
	i=$((i+1)); [ $i -gt 100 ] && { bad "no answer after the fd flood"; break; }; sleep 0.1
done
kill -0 $pid || bad "iscsid died"
[ $fail -eq 0 ] || { echo "--- log"; cat "$tmp/log"; echo "--- log2"; cat "$tmp/log2"; }
exit $fail
