package lab

// GuestInitiatorName is the IQN the guest's /etc/iscsi/initiatorname.iscsi
// holds; targets with ACLs must admit it.
const GuestInitiatorName = "iqn.2026-11.lab.autoscan:guest"

// GuestAddr and HostAddr are qemu user-mode networking's fixed addresses:
// a target on the host's loopback is reached by the guest at HostAddr.
const (
	GuestAddr = "10.0.2.15"
	HostAddr  = "10.0.2.2"
)

// busybox init runs rc once, then keeps the agent alive; being PID 1 it also
// reaps daemons that double-forked (iscsid), so pidof never sees zombies.
const inittab = `::sysinit:/etc/lab/rc
::respawn:/sbin/labagent
::shutdown:/bin/sync
`

const rcScript = `#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
# some crypto helpers have no CPU support under TCG; their generic twins load
while read m; do insmod "$m" 2>/dev/null || echo "lab: insmod $m failed"; done < /etc/lab/modules
hostname lab
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
echo "lab: rc done at $(cut -d' ' -f1 /proc/uptime)s"
`

// iscsidConf is a short configuration for the guest; node.startup manual
// so nothing logs in behind a test's back, short timeouts so a dead target
// fails a scenario quickly. node.session.scan stays at the stock default.
const iscsidConf = `iscsid.startup = /bin/true
node.startup = manual
node.leading_login = No
node.session.timeo.replacement_timeout = 10
node.conn[0].timeo.login_timeout = 10
node.conn[0].timeo.logout_timeout = 10
node.conn[0].timeo.noop_out_interval = 5
node.conn[0].timeo.noop_out_timeout = 5
node.session.err_timeo.abort_timeout = 15
node.session.err_timeo.lu_reset_timeout = 30
node.session.err_timeo.tgt_reset_timeout = 30
node.session.err_timeo.host_reset_timeout = 60
node.session.initial_login_retry_max = 2
node.session.cmds_max = 128
node.session.queue_depth = 32
node.session.iscsi.InitialR2T = No
node.session.iscsi.ImmediateData = Yes
node.session.iscsi.FirstBurstLength = 262144
node.session.iscsi.MaxBurstLength = 16776192
node.conn[0].iscsi.MaxRecvDataSegmentLength = 262144
node.conn[0].iscsi.MaxXmitDataSegmentLength = 0
discovery.sendtargets.iscsi.MaxRecvDataSegmentLength = 32768
node.session.nr_sessions = 1
node.session.scan = auto
`

func addConfig(t fsTree) {
	t.addData("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\n")
	t.addData("etc/group", 0o644, "root:x:0:\n")
	t.addData("etc/hosts", 0o644, "127.0.0.1 localhost lab\n")
	t.addData("etc/inittab", 0o644, inittab)
	t.addData("etc/lab/rc", 0o755, rcScript)
	t.addData("etc/iscsi/iscsid.conf", 0o600, iscsidConf)
	t.addData("etc/iscsi/initiatorname.iscsi", 0o644, "InitiatorName="+GuestInitiatorName+"\n")
}
