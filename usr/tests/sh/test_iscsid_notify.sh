#!/bin/sh
# Type=notify readiness: iscsid -f under $NOTIFY_SOCKET sends READY=1 once
# its request socket answers, and STOPPING=1 when told to stop, each as
# one datagram (sd_notify(3)'s protocol, no libsystemd).
. usr/tests/sh/iscsid_common.sh
iscsid_env notify
pid= rpid=
cleanup() { [ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$rpid" ] && kill $rpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
sock="@iscsid_notify_test_$$"

# receiver: prints each datagram, then whether iscsid answered a ping when
# READY=1 came (systemd starts dependent units at that moment)
$PY - "$sock" "$tmp/got" "$top/usr/tests/sh/iscsid_ipc.py" <<'EOF' &
import socket, subprocess, sys
name, out, ipc = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + name[1:])
s.settimeout(20)
with open(out + ".tmp", "w") as f:
    for _ in range(2):
        d = s.recv(4096).decode()
        f.write(repr(d) + "\n")
        if d.startswith("READY=1"):
            r = subprocess.run([sys.executable, ipc, "ping"], capture_output=True, text=True)
            f.write("ping at READY: " + r.stdout.strip() + "\n")
            f.flush()
            open(out + ".ready", "w").close()
import os
os.rename(out + ".tmp", out)
EOF
rpid=$!
sleep 0.3
NOTIFY_SOCKET="$sock" "${ISCSID:-$top/usr/iscsid}" -f -n 2> "$tmp/log" &
pid=$!
i=0
until [ -e "$tmp/got.ready" ]; do
	i=$((i + 1)); [ $i -ge 100 ] && { echo "FAIL: no READY=1 from iscsid"; cat "$tmp/log"; exit 1; }
	sleep 0.1
done
kill $pid; wait $pid; rc=$?; pid=
wait $rpid; rpid=
want="'READY=1\\nSTATUS=serving requests'
ping at READY: rc=0
'STOPPING=1'"
if [ "$(cat "$tmp/got")" != "$want" ]; then
	echo "FAIL: datagrams:"; cat "$tmp/got"; echo "expected:"; echo "$want"; cat "$tmp/log"; exit 1
fi
[ "$rc" -eq 0 ] || { echo "FAIL: iscsid exit $rc after SIGTERM"; exit 1; }
echo "iscsid: READY=1 once serving, STOPPING=1 on SIGTERM"
