#!/bin/sh
# Kernel-lab check (not part of make check: needs qemu, root, tgt and a
# built tree): in a real guest, stock iscsid logs in to tgtd on the host;
# our iscsiadm -m session -P 0..3 and -r SID must print what stock prints,
# leaving out the two lines that come from iscsid (ours cannot ask stock's
# iscsid), both with the session healthy and while its connection is down
# (route blackholed until the kernel marks the session FAILED). Then our
# own iscsid logs in and our -P 1 must read "LOGGED IN" / "NO CHANGE".
# Usage: sh usr/tests/lab/session_vs_stock.sh [PORT]   (from the top dir)
set -u
port=${1:-3399}
top=$(pwd)
tmp=$(mktemp -d) || exit 1
pid=""
cleanup() {
	# tgtd ignores SIGTERM while it serves targets
	[ -n "$pid" ] && { kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -x usr/iscsiadm ] && [ -x usr/iscsid ] || { echo "build first (make)"; exit 1; }
if ss -ltn | grep -q "127.0.0.1:$port "; then echo "port $port busy"; exit 1; fi
truncate -s 16M "$tmp/l1" "$tmp/l2"
tgtd -f -C "$port" --iscsi portal=127.0.0.1:"$port" > "$tmp/tgtd.log" 2>&1 &
pid=$!
sleep 1
T="tgtadm -C $port --lld iscsi"
$T --op new --mode target --tid 1 -T iqn.2026-11.lab.h3:disk &&
$T --op new --mode logicalunit --tid 1 --lun 1 -b "$tmp/l1" &&
$T --op new --mode logicalunit --tid 1 --lun 2 -b "$tmp/l2" &&
$T --op bind --mode target --tid 1 -I ALL || { echo "tgtd setup failed"; exit 1; }
script=$(cat <<'GUEST'
iscsid; sleep 1
iscsiadm -m node -o new -T iqn.2026-11.lab.h3:disk -p 10.0.2.2:PORT >/dev/null
iscsiadm -m node -T iqn.2026-11.lab.h3:disk -p 10.0.2.2:PORT -l >/dev/null
sleep 2
cmp_all() {
  for P in 0 1 2 3; do
    /stock/sbin/iscsiadm -m session -P $P 2>/dev/null | grep -v "iSCSI Connection State\|Internal iscsid Session State" > /tmp/s$P; echo "rc=$?" >> /tmp/s$P
    ISCSID_IPC_NAME=nobody /project/sbin/iscsiadm -m session -P $P 2>/dev/null | grep -v "iSCSI Connection State\|Internal iscsid Session State" > /tmp/p$P; echo "rc=$?" >> /tmp/p$P
    if diff /tmp/s$P /tmp/p$P; then echo "$1 P$P SAME"; else echo "$1 P$P DIFFERENT"; fi
  done
  /stock/sbin/iscsiadm -m session -r 1 > /tmp/sr 2>&1; ISCSID_IPC_NAME=nobody /project/sbin/iscsiadm -m session -r 1 | grep -v autoscan_en > /tmp/pr 2>&1
  if diff /tmp/sr /tmp/pr >/dev/null; then echo "$1 -r 1 record SAME"; else echo "$1 -r 1 record DIFFERENT"; diff /tmp/sr /tmp/pr | head -5; fi
}
cmp_all healthy
ip route add blackhole 10.0.2.2/32
i=0; while [ $i -lt 40 ] && [ "$(cat /sys/class/iscsi_session/session1/state)" != FAILED ]; do sleep 1; i=$((i+1)); done
echo "kernel: $(cat /sys/class/iscsi_session/session1/state)"
cmp_all recovery
ip route del blackhole 10.0.2.2/32
i=0; while [ $i -lt 40 ] && [ "$(cat /sys/class/iscsi_session/session1/state)" != LOGGED_IN ]; do sleep 1; i=$((i+1)); done
iscsiadm -m node -u >/dev/null 2>&1
killall iscsid; sleep 1
echo "=== project iscsid"
/project/sbin/iscsid -f > /tmp/iscsid.log 2>&1 &
sleep 1
/project/sbin/iscsiadm -m node -T iqn.2026-11.lab.h3:disk -p 10.0.2.2:PORT -l; echo "login rc=$?"
sleep 2
/project/sbin/iscsiadm -m session; /project/sbin/iscsiadm -m session -P 1 | tail -4
/project/sbin/iscsiadm -m node -u; echo "logout rc=$?"
tail -5 /tmp/iscsid.log
GUEST
)
script=$(printf '%s\n' "$script" | sed "s/PORT/$port/g")
(cd harness && go run ./cmd/labrun -timeout 5m -- "$script") > "$tmp/out" 2> "$tmp/err"
cat "$tmp/out"
fail=0
for s in healthy recovery; do
	for c in P0 P1 P2 P3 "-r 1 record"; do
		grep -q "^$s $c SAME$" "$tmp/out" || { echo "FAIL: $s $c"; fail=1; }
	done
done
grep -q "Internal iscsid Session State: NO CHANGE" "$tmp/out" || { echo "FAIL: our iscsid state lines"; fail=1; }
[ "$fail" -eq 0 ] && echo "our -m session matches stock in a real guest"
exit "$fail"
