//go:build e2e && e2esystemd

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/audit"
	"autoscan/harness/lab"
)

// Not part of "make e2e" ("make deb" needs debhelper and lintian): "make
// e2e-systemd", which make test runs after make e2e, runs it (build tag
// e2esystemd).
//
// TestSystemdPackage: the Debian root (os-brick, stock open-iscsi) on a
// disk (lab.BuildDebianDisk), booted with systemd as PID 1, so it reboots
// for real and keeps its state. Stock writes a record; "make deb"'s
// packages are installed over open-iscsi with dpkg; the record is set to
// node.startup = automatic, autoscan_en = No with our iscsiadm; the LUN is
// logged in, gets a file system, a file, and stays mounted. Then
// "systemctl reboot": on the way down open-iscsi.service's stop unmounts
// and logs out (journal of that boot; the wire shows the Logout Request
// and its Response; the file system was unmounted clean). After
// the reboot open-iscsi.service has logged the automatic node in by itself,
// its iscsiadm call socket-activating iscsid; LUN 0 alone is scanned (the
// target has 0-3, the wire never addresses 1-3, no REPORT LUNS); the file
// reads back. iscsid is restarted during reads (the session stays, the
// reads finish, no new LUN). Last, stock open-iscsi is installed back (the
// package's removal stops open-iscsi.service, which logs out) and lists
// the record.
func TestSystemdPackage(t *testing.T) {
	repo, err := filepath.Abs("../..")
	require.NoError(t, err)
	mk := exec.Command("make", "-C", repo, "deb")
	out, err := mk.CombinedOutput()
	require.NoError(t, err, "make deb (needs debhelper, lintian):\n%s", tail(string(out), 30))
	debs := map[string]string{}
	for _, p := range []string{"autoscan-iscsi", "libopeniscsiusr-autoscan"} {
		debs["lab/debs/"+p+".deb"] = globOne(t, filepath.Join(repo, "build/deb", p+"_*.deb"))
	}
	cache := os.Getenv("LAB_CACHE_DIR")
	if cache == "" {
		cache = filepath.Join(repo, "harness/.labcache")
	}
	// the root's own open-iscsi packages, kept by its builder: the way back
	root, err := lab.BuildDebRoot(lab.DebRootOptions{})
	require.NoError(t, err, "Debian root")
	t.Logf("%s", root)
	for _, p := range []string{"open-iscsi", "libopeniscsiusr"} {
		debs["lab/stock/"+p+".deb"] = globOne(t, filepath.Join(cache, "debs", p+"_*.deb"))
	}
	// systemd's udev would rename eth0 (predictable names), which the lab's
	// network script configures: an empty rule file of that name turns it off
	img, _, err := lab.BuildDebianDisk(lab.DebianOptions{NoProject: true, Extra: debs,
		ExtraData: map[string]string{"etc/udev/rules.d/80-net-setup-link.rules": "",
			// the guest boots from the lab's initrd: dpkg's initramfs
			// triggers would only cost minutes under TCG
			"etc/initramfs-tools/update-initramfs.conf": "update_initramfs=no\n",
			// multipathd (there for os-brick) would take the LUN into a
			// one-path map and hold /dev/sdX: this scenario mounts the disk
			"etc/multipath.conf": "blacklist {\n\tdevnode \".*\"\n}\n"}})
	require.NoError(t, err, "Debian disk with the packages")
	defer img.Remove()

	iqn := fmt.Sprintf("iqn.2026-11.lab.autoscan:systemd-%d", time.Now().UnixNano()%100000)
	tgt, err := startTarget(kindEmu, iqn, maxLUN)
	require.NoError(t, err)
	defer tgt.Stop()
	pcap := filepath.Join(resultsDir, "systemd-capture.pcap")
	capt, err := lab.StartCapture(pcap, tgt.Port())
	require.NoError(t, err)
	defer capt.Stop()

	console := filepath.Join(resultsDir, "systemd-console.log")
	g, err := lab.Boot(lab.BootOptions{Image: img, ConsoleLog: console, Timeout: 8 * time.Minute})
	require.NoError(t, err, "systemd boot")
	defer g.Shutdown()
	t.Logf("systemd boot to agent %.1f s", g.BootSeconds)
	portal := fmt.Sprintf("%s:%d", lab.HostAddr, tgt.Port())
	node := fmt.Sprintf("/sbin/iscsiadm -m node -T %s -p %s", iqn, portal)
	run := func(what, script string, timeout time.Duration) string {
		t.Helper()
		res, err := g.MustRun("export DEBIAN_FRONTEND=noninteractive PAGER=cat SYSTEMD_PAGER=\n"+script, timeout)
		require.NoError(t, err, "%s:\n%s\n%s", what, res.Stdout, res.Stderr)
		t.Logf("%s:\n%s", what, res.Stdout)
		return res.Stdout
	}
	const systemdUp = `for i in $(seq 300); do [ "$(systemctl is-system-running)" != starting ] && break; sleep 1; done
`

	run("systemd up, stock writes the record", `set -e
`+systemdUp+`systemctl is-active iscsid.socket
dpkg-query -W -f '${Package} ${Version}\n' open-iscsi python3-os-brick
`+node+` -o new
`, 6*time.Minute)

	got := run("dpkg -i over open-iscsi", `set -e
dpkg -i /lab/debs/autoscan-iscsi.deb /lab/debs/libopeniscsiusr-autoscan.deb </dev/null
apt-get check -q
dpkg-query -W -f '${Package} ${Status}\n' autoscan-iscsi libopeniscsiusr-autoscan open-iscsi python3-os-brick
systemctl is-enabled iscsid.socket open-iscsi.service
echo "iscsid.service: $(systemctl is-enabled iscsid.service || true)"
dpkg -S /sbin/iscsiadm
`+node+` -o show | grep -E '^node.(startup|session.scan) '
`, 3*time.Minute)
	assert.Contains(t, got, "autoscan-iscsi install ok installed")
	assert.Contains(t, got, "python3-os-brick install ok installed")
	assert.Contains(t, got, "open-iscsi install ok config-files")
	assert.Contains(t, got, "enabled\nenabled\n")
	assert.NotContains(t, got, "iscsid.service: enabled", "iscsid starts by its socket only")
	assert.Contains(t, got, "autoscan-iscsi: /sbin/iscsiadm")

	// before the reboot: a file system with a file on the LUN, left mounted
	got = run("record automatic + autoscan_en = No; login, file system, file", `set -e
`+node+` -o update -n node.startup -v automatic
`+node+` -o update -n node.session.autoscan_en -v No
`+node+` -l
for i in $(seq 100); do dev=$(ls /sys/class/iscsi_session/session*/device/target*/*:0:0:0/block 2>/dev/null) && break; sleep 0.3; done
[ -n "$dev" ] && echo "lun0 /dev/$dev"
mkfs.ext4 -q -F /dev/$dev && mkdir -p /mnt/lun0 && mount /dev/$dev /mnt/lun0
head -c 3000000 /dev/urandom > /mnt/lun0/data
sha256sum /mnt/lun0/data | tee /root/lun0.sha256
sync
`, 3*time.Minute)
	require.Contains(t, got, "lun0 /dev/sd")
	host := onlyHost(t, g)
	assert.Equal(t, fmtLUNs([]uint64{0}), fmtLUNs(settleLUNs(t, g, host)), "LUN 0 only after the login")

	took, err := g.Reboot(10 * time.Minute)
	require.NoError(t, err, "systemctl reboot")
	t.Logf("reboot: %.1f s from systemctl reboot to the agent of the next boot", took.Seconds())

	got = run("previous boot's shutdown: unmount, logout", `
journalctl -b -1 -u open-iscsi.service -o cat
journalctl -b -1 -o cat | grep -E 'Unmount(ing|ed) .*/mnt/lun0|mnt-lun0' || true
`, time.Minute)
	assert.Contains(t, got, "Logout of [sid: ", "open-iscsi.service's stop logged out")
	assert.Contains(t, got, "] successful.")
	shutdownUmount := strings.Contains(got, "iscsi-shutdown: unmounted /mnt/lun0")
	t.Logf("/mnt/lun0 unmounted at shutdown by iscsi-shutdown: %v (otherwise by systemd's mount unit)", shutdownUmount)

	got = run("after the reboot: boot-time login, socket-activated iscsid", systemdUp+`
echo "units: $(systemctl is-active open-iscsi.service iscsid.service | tr '\n' ' ')"
systemctl status --no-pager -l -n 15 open-iscsi.service iscsid.service | grep -v '^ *$'
ls /sys/class/iscsi_session
journalctl -b -o short-monotonic _PID=1 | grep -E 'Log in to automatic iSCSI|iSCSI initiator daemon \('
journalctl -b -u iscsid.service -o cat | grep 'row "login' | tail -n 1
`, 6*time.Minute)
	assert.Contains(t, got, "units: active active ")
	assert.Contains(t, got, `lun0 scan, row "login, autoscan_en=No"`)
	assert.True(t, socketActivated(got), "open-iscsi.service started before iscsid: iscsid came from its socket")
	host = onlyHost(t, g)
	assert.Equal(t, fmtLUNs([]uint64{0}), fmtLUNs(settleLUNs(t, g, host)), "LUN 0 only after the boot-time login")

	dev := ""
	devs, err := g.SCSIDevices()
	require.NoError(t, err)
	for _, d := range devs {
		if d.Host == host && d.LUN == 0 {
			dev = "/dev/" + d.Block
		}
	}
	require.NotEmpty(t, dev, "block device of LUN 0")
	got = run("the file written before the reboot", fmt.Sprintf(`set -e
echo "needs_recovery: $(dumpe2fs -h %[1]s 2>/dev/null | grep -c needs_recovery || true)"
mkdir -p /mnt/lun0 && mount %[1]s /mnt/lun0
sha256sum -c /root/lun0.sha256
`, dev), 2*time.Minute)
	assert.Contains(t, got, "needs_recovery: 0", "unmounted clean before the logout")
	assert.Contains(t, got, "/mnt/lun0/data: OK")

	got = run("restart iscsid during reads, file system mounted", fmt.Sprintf(`set -e
sid=$(ls /sys/class/iscsi_session)
(dd if=%[1]s of=/dev/null bs=64k count=1000 iflag=direct 2>/tmp/dd.err; echo $? > /tmp/dd.rc) &
sleep 1
systemctl restart iscsid.service
echo "iscsid: $(systemctl is-active iscsid.service)"
wait
echo "dd rc $(cat /tmp/dd.rc)"
[ "$(ls /sys/class/iscsi_session)" = "$sid" ] && echo "same session $sid"
cat /sys/class/iscsi_session/$sid/state
`, dev), 3*time.Minute)
	assert.Contains(t, got, "iscsid: active")
	assert.Contains(t, got, "dd rc 0")
	assert.Contains(t, got, "same session")
	assert.Contains(t, got, "LOGGED_IN")
	assert.Equal(t, fmtLUNs([]uint64{0}), fmtLUNs(settleLUNs(t, g, host)), "nothing new after the restart")

	// the wire, both boots: LUN 0 only; the first boot's session ended by
	// a logout the target answered
	rep, err := audit.AnalyzeFiles(audit.Options{Ports: []uint16{uint16(tgt.Port())}, Target: iqn}, pcap)
	require.NoError(t, err)
	var normal []*audit.Session
	for _, s := range rep.Sessions {
		if s.SessionType == "Normal" {
			normal = append(normal, s)
		}
		for _, l := range s.LUNs {
			assert.Contains(t, []uint64{0}, l.LUN, "LUN %d addressed (%d commands)", l.LUN, l.Commands)
		}
		assert.Empty(t, s.ReportLUNs, "no REPORT LUNS")
	}
	require.Len(t, normal, 2, "one session per boot")
	first := normal[0]
	assert.Equal(t, 1, first.Logouts, "first boot's session: Logout Request")
	assert.Equal(t, 1, first.LogoutResponses, "first boot's session: Logout Response")
	// first.Closed is not asserted: on this capture the audit misses the
	// target's FIN after the logout (tshark shows it), see the report

	got = run("back to stock open-iscsi", `set -e
apt-get install -y -q /lab/stock/open-iscsi.deb /lab/stock/libopeniscsiusr.deb autoscan-iscsi- libopeniscsiusr-autoscan- </dev/null >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
apt-get check -q
dpkg-query -W -f '${Package} ${Status}\n' open-iscsi python3-os-brick
dpkg -S /sbin/iscsiadm
/sbin/iscsiadm -m node
`+node+` -o show | grep '^node.startup '
echo "mounted: $(grep -c ' /mnt/lun0 ' /proc/mounts || true)"
`, 3*time.Minute)
	assert.Contains(t, got, "open-iscsi install ok installed")
	assert.Contains(t, got, "python3-os-brick install ok installed")
	assert.Contains(t, got, "open-iscsi: /sbin/iscsiadm")
	assert.Contains(t, got, portal+",")
	assert.Contains(t, got, "node.startup = automatic")
	assert.Contains(t, got, "mounted: 0", "the package's removal stopped open-iscsi.service: unmounted")
}

// socketActivated reads systemd's own journal lines of one boot (in time
// order): the boot-login unit began starting before iscsid did, so what
// started iscsid was the unit's iscsiadm call on the socket.
func socketActivated(journal string) bool {
	login, daemon := -1, -1
	for i, l := range strings.Split(journal, "\n") {
		switch {
		case login < 0 && strings.Contains(l, "Starting ") && strings.Contains(l, "Log in to automatic iSCSI"):
			login = i
		case daemon < 0 && strings.Contains(l, "Starting ") && strings.Contains(l, "iSCSI initiator daemon ("):
			daemon = i
		}
	}
	return login >= 0 && daemon > login
}

func globOne(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	require.Len(t, m, 1, "exactly one %s", pattern)
	return m[0]
}

func onlyHost(t *testing.T, g *lab.Guest) int {
	t.Helper()
	res, err := g.MustRun("ls /sys/class/iscsi_host", 30*time.Second)
	require.NoError(t, err)
	f := strings.Fields(res.Stdout)
	require.Len(t, f, 1, "one iSCSI host")
	var n int
	_, err = fmt.Sscanf(f[0], "host%d", &n)
	require.NoError(t, err)
	return n
}

// settleLUNs: the host's LUN list once it has held still for 3 s.
func settleLUNs(t *testing.T, g *lab.Guest, host int) []uint64 {
	t.Helper()
	last, since := []uint64(nil), time.Now()
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		cur, err := g.LUNs(host)
		require.NoError(t, err)
		if fmtLUNs(cur) != fmtLUNs(last) {
			last, since = cur, time.Now()
			continue
		}
		if time.Since(since) >= 3*time.Second {
			break
		}
	}
	return last
}
