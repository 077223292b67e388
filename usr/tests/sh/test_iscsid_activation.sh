#!/bin/sh
# systemd socket activation: iscsid serves the listening socket it is
# handed as fd 3 (LISTEN_PID/LISTEN_FDS) instead of binding its own. The
# name is bound by the launcher first, so an iscsid that tried to bind it
# itself would fail with EADDRINUSE and never answer. Also: a LISTEN_PID
# naming another process is ignored (iscsid binds its own socket).
set -u
top=$(pwd)
tmp=$(mktemp -d)
export ISCSI_ETC_DIR="$tmp/etc" ISCSI_SYSFS_ROOT="$tmp/sys" ISCSID_IPC_NAME="iscsid_act_test_$$"
mkdir -p "$ISCSI_ETC_DIR" "$ISCSI_SYSFS_ROOT/class/iscsi_session"
echo "InitiatorName=iqn.2026-01.test:act" > "$ISCSI_ETC_DIR/initiatorname.iscsi"
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
py="$PY $top/usr/tests/sh/iscsid_ipc.py"
fail=0
pid=

cleanup() { [ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# launcher: bind + listen on the abstract name, put it on fd 3, exec iscsid
$PY - "${ISCSID:-$top/usr/iscsid}" "$ISCSID_IPC_NAME" 2> "$tmp/log" <<'EOF' &
import os, socket, sys
exe, name = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + name)
s.listen(16)
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
env = dict(os.environ, LISTEN_PID=str(os.getpid()), LISTEN_FDS="1")
os.execve(exe, [exe, "-f", "-n", "-d", "1"], env)
EOF
pid=$!

i=0
until [ "$($py ping)" = "rc=0" ]; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		echo "FAIL: activated iscsid did not answer"; cat "$tmp/log"; exit 1
	fi
	sleep 0.1
done
grep -q "can not create IPC socket" "$tmp/log" && { echo "FAIL: bound its own"; fail=1; }
kill $pid; wait $pid 2>/dev/null; pid=

# LISTEN_PID of someone else: not ours, so iscsid binds the name itself
LISTEN_PID=1 LISTEN_FDS=1 "${ISCSID:-$top/usr/iscsid}" -f -n 2> "$tmp/log2" 3>/dev/null &
pid=$!
i=0
until [ "$($py ping)" = "rc=0" ]; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		echo "FAIL: iscsid with foreign LISTEN_PID did not serve"; cat "$tmp/log2"; exit 1
	fi
	sleep 0.1
done
exit $fail
