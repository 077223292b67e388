#!/bin/sh
# systemd socket activation: iscsid serves the listening socket it is
# handed as fd 3 (LISTEN_PID/LISTEN_FDS) instead of binding its own. The
# name is bound by the launcher first, so an iscsid that tried to bind it
# itself would fail with EADDRINUSE and never answer. Also: a LISTEN_PID
# naming another process is ignored (iscsid binds its own socket).
. usr/tests/sh/iscsid_common.sh
iscsid_env act
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
wait_ping "$tmp/log" "activated iscsid did not answer"
grep -q "can not create IPC socket" "$tmp/log" && { echo "FAIL: bound its own"; fail=1; }
kill $pid; wait $pid 2>/dev/null; pid=

# LISTEN_PID of someone else: not ours, so iscsid binds the name itself
LISTEN_PID=1 LISTEN_FDS=1 "${ISCSID:-$top/usr/iscsid}" -f -n 2> "$tmp/log2" 3>/dev/null &
pid=$!
wait_ping "$tmp/log2" "iscsid with foreign LISTEN_PID did not serve"
exit $fail
