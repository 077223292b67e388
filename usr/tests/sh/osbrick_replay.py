"""Drives os-brick's own ISCSIConnector code paths that need no iscsid
(record probe and creation, manual scan, CHAP, startup bookkeeping, node
listing, disconnect) against the iscsiadm given on the command line, and
prints what os-brick concluded plus every call's exit code. Used by
test_adm_osbrick.sh to compare ours with stock open-iscsi."""
import subprocess
import sys

from oslo_concurrency import processutils as putils
from os_brick.initiator.connectors import iscsi

ADM = sys.argv[1]
CALLS = []


def execute(*cmd, **kw):
    cmd = [str(c) for c in cmd]
    if cmd[0] == 'iscsiadm':
        cmd[0] = ADM
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    # lines about starting or reaching iscsid depend on whether one runs
    noise = ('iscsid', 'iSCSI daemon', 'systemd', 'connect to bus')
    err = [ln for ln in p.stderr.splitlines() if not any(n in ln for n in noise)]
    CALLS.append((' '.join(cmd[1:]), p.returncode, bool(err)))
    ok = kw.get('check_exit_code', 0)
    if ok is True:
        ok = [0]
    elif isinstance(ok, int) and ok is not False:
        ok = [ok]
    if ok is not False and p.returncode not in ok:
        raise putils.ProcessExecutionError(exit_code=p.returncode, stdout=p.stdout,
                                           stderr=p.stderr, cmd=' '.join(cmd))
    return p.stdout, p.stderr


def main():
    c = iscsi.ISCSIConnector(root_helper=None, execute=execute)
    props = {'target_portal': '127.0.0.1:3366',
             'target_iqn': 'iqn.2010-10.org.openstack:volume-0002',
             'target_lun': 1, 'auth_method': 'CHAP',
             'auth_username': 'u', 'auth_password': 'p'}
    out, err = c._run_iscsiadm(props, (), check_exit_code=(0, 21, 255))
    print('probe: stderr', bool(err))
    c._run_iscsiadm(props, ('--interface', 'default', '--op', 'new'),
                    check_exit_code=(0, 6))
    res = c._iscsiadm_update(props, 'node.session.scan', 'manual',
                             check_exit_code=False)
    print('manual scan supported:', not res[1])
    for key in ('authmethod', 'username', 'password'):
        c._iscsiadm_update(props, 'node.session.auth.' + key,
                           props['auth_' + ('method' if key == 'authmethod' else key)])
    c._iscsiadm_update(props, 'node.startup', 'automatic')
    print('nodes:', c._get_iscsi_nodes())
    print('startups:', c._get_node_startup_values(props))
    print('transport ok:', c._validate_iface_transport('default'))
    c._disconnect_from_iscsi_portal(props)
    print('nodes after disconnect:', c._get_iscsi_nodes())
    print('startups after:', c._get_node_startup_values(props))
    for call in CALLS:
        print('call:', *call)


main()
