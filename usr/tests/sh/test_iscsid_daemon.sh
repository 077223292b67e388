#!/bin/sh
# iscsid's process handling on the host: --version/--help/bad options as
# stock words them, daemonising (the parent exits 0 once the child serves),
# the locked pid file keeping a second iscsid out, SIGTERM removing it.
. usr/tests/sh/iscsid_common.sh
iscsid_env daemon
D="$top/usr/iscsid"
fail() { echo "FAIL: $*"; exit 1; }
cleanup() { [ -s "$tmp/pid" ] && kill "$(cat "$tmp/pid")" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

out=$("$D" --version) || fail "--version exit $?"
echo "$out" | grep -Eq '^iscsid version [0-9]+\.[0-9]+' || fail "--version: $out"
"$D" -h | grep -q -- "-f, --foreground" || fail "--help lacks -f"
"$D" -Z 2> "$tmp/err"; rc=$?
[ $rc -ne 0 ] || fail "bad option accepted"
grep -q "Try \`iscsid --help' for more information." "$tmp/err" || fail "bad option message"

# daemonise: returns at once with the child serving
"$D" -p "$tmp/pid" || fail "daemonising iscsid exit $?"
[ "$($py ping)" = "rc=0" ] || fail "daemonised iscsid does not answer right after start"
pid=$(cat "$tmp/pid")
kill -0 "$pid" || fail "pid file names no live process"

# a second one refuses the locked pid file
"$D" -f -p "$tmp/pid" 2> "$tmp/err2" &
p2=$!
i=0
while kill -0 $p2 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 50 ] && { kill $p2; fail "second iscsid kept running"; }
	sleep 0.1
done
wait $p2 && fail "second iscsid exited 0"
grep -q "pid file" "$tmp/err2" || fail "second iscsid gave no reason: $(cat "$tmp/err2")"
[ "$(cat "$tmp/pid")" = "$pid" ] || fail "pid file overwritten"

kill "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "iscsid ignored SIGTERM"
	sleep 0.1
done
[ ! -e "$tmp/pid" ] || fail "pid file left after SIGTERM"
[ "$($py ping)" = "refused" ] || fail "socket still served after stop"
echo "ok: version/help, daemonising, pid file lock, SIGTERM"
