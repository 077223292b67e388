package lab

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A bootable Debian guest: the cached root (debroot.go) followed by a small
// overlay archive made at each boot. The kernel unpacks concatenated newc
// archives in order, so the overlay's files replace the root's.

// DebianOptions selects what the overlay holds.
type DebianOptions struct {
	Root      DebRootOptions
	NoProject bool              // leave usr/iscsid + usr/iscsiadm out
	Extra     map[string]string // guest path -> host file, added as-is
	ExtraData map[string]string // guest path -> contents
}

// DebianInit is the lab's PID 1 (busybox init running /etc/lab/rc-debian
// and the agent); DebianSystemd boots the same image with systemd instead.
const (
	DebianInit    = "/init"
	DebianSystemd = "/lib/systemd/systemd"
)

//go:embed guest/osbrick.py
var osbrickDriver string

// BuildDebian returns an image of the Debian root with the agent, the
// project's binaries and the lab's configuration on top. Its initrd is a
// file of its own (root + overlay); Remove deletes it once no boot needs it.
func BuildDebian(o DebianOptions) (*Image, *DebRoot, error) {
	root, ro, t, project, err := debianBase(o)
	if err != nil {
		return nil, nil, err
	}
	f, err := newDebianInitrd(ro.CacheDir)
	if err != nil {
		return nil, nil, err
	}
	img := &Image{Kernel: root.Kernel, Initrd: f.Name(), Key: root.Key, Version: root.Version,
		Project: project, Cached: root.Cached, Init: DebianInit, MemoryMB: 2048}
	if err := writeDebianInitrd(f, root.Archive, t); err != nil {
		os.Remove(f.Name())
		return nil, nil, err
	}
	return img, root, nil
}

// debianBase is what both Debian guest kinds start from: the cached root,
// its filled-in options, and the overlay (agent, project, lab config).
func debianBase(o DebianOptions) (*DebRoot, DebRootOptions, fsTree, bool, error) {
	ro := o.Root
	root, err := BuildDebRoot(o.Root)
	if err != nil {
		return nil, ro, nil, false, err
	}
	if err := ro.fill(); err != nil {
		return nil, ro, nil, false, err
	}
	t, project, err := debianOverlay(o, BuildOptions{KernelVersion: ro.KernelVersion,
		RepoRoot: ro.RepoRoot, CacheDir: ro.CacheDir, NoProject: o.NoProject})
	return root, ro, t, project, err
}

// newDebianInitrd opens a per-boot initrd file in the cache, after removing
// those a killed run left behind.
func newDebianInitrd(cacheDir string) (*os.File, error) {
	pruneDebianInitrds(cacheDir)
	return os.CreateTemp(cacheDir, "debian-*.cpio")
}

func writeDebianInitrd(f *os.File, rootArchive string, t fsTree) error {
	defer f.Close()
	src, err := os.Open(rootArchive)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, src)
	src.Close()
	if err != nil {
		return err
	}
	if err := t.writeTo(t.sorted(), f); err != nil {
		return err
	}
	return f.Close()
}

// Remove deletes a per-boot initrd (BuildDebian's); the cached busybox
// initramfs is left alone.
func (img *Image) Remove() {
	if strings.HasPrefix(filepath.Base(img.Initrd), "debian-") {
		os.Remove(img.Initrd)
	}
}

// pruneDebianInitrds removes per-boot initrds a killed run left behind.
func pruneDebianInitrds(dir string) {
	old, _ := filepath.Glob(filepath.Join(dir, "debian-*.cpio"))
	for _, f := range old {
		if time.Since(mtime(f)) > 6*time.Hour {
			os.Remove(f)
		}
	}
}

func debianOverlay(o DebianOptions, b BuildOptions) (fsTree, bool, error) {
	t := fsTree{}
	for _, d := range []string{"stock/sbin", "project/sbin", "run/lock/iscsi", "etc/iscsi/nodes",
		"etc/iscsi/send_targets", "etc/iscsi/ifaces"} {
		t.addDir(d)
	}
	for _, n := range []string{"iscsid", "iscsiadm"} {
		t.addLink("stock/sbin/"+n, "/usr/sbin/"+n)
	}
	// The root has the same libc as the host: the binaries go in alone
	// (addProject's library entries would replace /lib's symlink by a
	// directory, the kernel unpacks a directory over a symlink).
	project := projectBuilt(b)
	if project {
		for _, n := range []string{"iscsid", "iscsiadm"} {
			t.addFile("project/sbin/"+n, 0o755, filepath.Join(b.RepoRoot, "usr", n))
		}
	}
	agent, err := buildAgent(b)
	if err != nil {
		return nil, false, err
	}
	t.addFile("lab/labagent", 0o755, agent)
	t.addFile("lab/busybox", 0o755, "/bin/busybox")
	t.addData("init", 0o755, "#!/bin/sh\nexec /lab/busybox init\n")
	t.addData("lab/osbrick.py", 0o755, osbrickDriver)
	addDebianConfig(t)
	for g, h := range o.Extra {
		t.addFile(g, 0o755, h)
	}
	for g, d := range o.ExtraData {
		t.addData(g, 0o644, d)
	}
	return t, project, nil
}

// debianRC brings the guest up under busybox init: file systems, modules,
// network, udev (multipathd needs it) and the multipath daemon.
const debianRC = `#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run; mkdir -p /run/lock/iscsi /run/lock/subsys
mount -t tmpfs tmpfs /tmp
/etc/lab/net
/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add >/dev/null 2>&1; udevadm settle -t 20
echo "lab: rc done at $(cut -d' ' -f1 /proc/uptime)s"
`

// debianNet is shared by both inits: modules and the fixed address.
const debianNet = `#!/bin/sh
for m in $(cat /etc/modules-load.d/lab.conf); do modprobe "$m" || echo "lab: modprobe $m failed"; done
hostname lab
ip link set lo up
# systemd's udev may have renamed eth0 (ens3) already: take the NIC there is
dev=$(ls /sys/class/net | grep -v '^lo$' | head -n 1)
ip link set "$dev" up
ip addr add 10.0.2.15/24 dev "$dev"
ip route add default via 10.0.2.2
`

const debianInittab = `::sysinit:/etc/lab/rc-debian
::respawn:/lab/labagent
::respawn:/sbin/multipathd -d -s
::shutdown:/bin/sync
`

// multipathConf makes a map for every path group without a wwids file, as
// a cloud host configured for os-brick does.
const multipathConf = `defaults {
	user_friendly_names no
	find_multipaths no
}
`

// Under systemd the agent and the network come from two units; everything
// else is Debian's own (udev, multipathd, iscsid.socket).
const labNetUnit = `[Unit]
Description=lab: modules and network
DefaultDependencies=no
# as Debian's networking.service: units that wait for the network (the
# boot-time iSCSI login) come after the address is up
Before=labagent.service network.target network-online.target
Wants=network.target
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/etc/lab/net
[Install]
WantedBy=multi-user.target
`

const labAgentUnit = `[Unit]
Description=lab agent
After=lab-net.service
Wants=lab-net.service
[Service]
ExecStart=/lab/labagent
Restart=always
[Install]
WantedBy=multi-user.target
`

func addDebianConfig(t fsTree) {
	t.addData("etc/lab/rc-debian", 0o755, debianRC)
	t.addData("etc/lab/net", 0o755, debianNet)
	t.addData("etc/inittab", 0o644, debianInittab)
	t.addData("etc/modules-load.d/lab.conf", 0o644, strings.Join(debRootModules, "\n")+"\n")
	t.addData("etc/multipath.conf", 0o644, multipathConf)
	t.addData("etc/hostname", 0o644, "lab\n")
	t.addData("etc/iscsi/iscsid.conf", 0o600, iscsidConf)
	t.addData("etc/iscsi/initiatorname.iscsi", 0o644, "InitiatorName="+GuestInitiatorName+"\n")
	t.addData("etc/systemd/system/lab-net.service", 0o644, labNetUnit)
	t.addData("etc/systemd/system/labagent.service", 0o644, labAgentUnit)
	for _, u := range []string{"lab-net.service", "labagent.service"} {
		t.addLink("etc/systemd/system/multi-user.target.wants/"+u, "/etc/systemd/system/"+u)
	}
}

// String is a one-line description for logs.
func (r *DebRoot) String() string {
	if r == nil {
		return "<nil>"
	}
	return fmt.Sprintf("Debian root %s (kernel %s, cached %v, built in %.0f s)",
		filepath.Base(r.Archive), r.Version, r.Cached, r.Seconds)
}

func projectBuilt(b BuildOptions) bool {
	if b.NoProject {
		return false
	}
	for _, n := range []string{"iscsid", "iscsiadm"} {
		if _, err := os.Stat(filepath.Join(b.RepoRoot, "usr", n)); err != nil {
			return false
		}
	}
	return true
}
