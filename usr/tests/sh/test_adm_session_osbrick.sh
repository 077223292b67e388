#!/bin/sh
# os-brick reads "iscsiadm -m session" through its own parser
# (ISCSIConnector._get_iscsi_sessions_full, Debian's python3-os-brick) and
# accepts exit codes 0 and 21. Our listing of the fake trees must come out
# of that parser as the sessions the trees hold.
set -u
top=$(pwd)
adm="$top/usr/iscsiadm"
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
[ -x "$adm" ] || { echo "no $adm (run make first)"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export ISCSI_ETC_DIR="$tmp" ISCSID_IPC_NAME="h3-osbrick-$$-nobody"
for tree in two-sessions recovery empty; do
	ISCSI_SYSFS_ROOT="$top/usr/tests/data/sysfs/$tree" "$adm" -m session > "$tmp/$tree.out" 2>/dev/null
	echo $? > "$tmp/$tree.rc"
done
$PY - "$tmp" <<'PYEOF' > "$tmp/parsed" || { cat "$tmp/parsed"; echo "FAIL: python"; exit 1; }
import sys
from os_brick.initiator.connectors.iscsi import ISCSIConnector
class Fake: pass
for tree in ('two-sessions', 'recovery', 'empty'):
    f = Fake()
    out = open('%s/%s.out' % (sys.argv[1], tree)).read()
    rc = int(open('%s/%s.rc' % (sys.argv[1], tree)).read())
    f._run_iscsi_session = lambda out=out: (out, '')
    print(tree, 'rc-accepted' if rc in (0, 21, 255) else 'rc-refused')
    for t in ISCSIConnector._get_iscsi_sessions_full(f):
        print(tree, ' '.join(t))
PYEOF
want='two-sessions rc-accepted
two-sessions tcp: 1 10.0.2.2:3260 1 iqn.2003-01.org.example:disk1
two-sessions tcp: 2 10.0.2.2:3261 1 iqn.2003-01.org.example:disk2
recovery rc-accepted
recovery tcp: 10 [fd00::2]:3263 1 iqn.2003-01.org.example:other
recovery tcp: 12 10.0.2.2:3260 1 iqn.2003-01.org.example:mpath
recovery tcp: 5 10.0.2.2:3260 1 iqn.2003-01.org.example:mpath
recovery tcp: 7 10.0.2.2:3262 1 iqn.2003-01.org.example:mpath
empty rc-accepted'
if [ "$(cat "$tmp/parsed")" != "$want" ]; then
	echo "FAIL: os-brick parsed:"; cat "$tmp/parsed"; echo "expected:"; echo "$want"; exit 1
fi
[ "$(cat "$tmp/empty.rc")" = 21 ] || { echo "FAIL: empty tree exit $(cat "$tmp/empty.rc"), want 21"; exit 1; }
echo "os-brick parses our session listings (2 + 4 sessions, none -> exit 21)"
