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

	"autoscan/harness/lab"
)

// Not part of "make e2e" (about 4 minutes under TCG, and "make deb" needs
// debhelper and lintian): "make e2e-systemd", which make test runs after
// make e2e, runs it (build tag e2esystemd).
//
// TestSystemdPackage: the Debian root (os-brick, stock open-iscsi) booted
// with systemd as PID 1. Stock writes a record; "make deb"'s packages are
// installed over open-iscsi with dpkg; the record is set to
// node.startup = automatic, autoscan_en = No with our iscsiadm. Then, with
// iscsid stopped, open-iscsi.service is started as at boot: its iscsiadm
// call socket-activates iscsid, which logs in and scans LUN 0 only (the
// target has 0-3). A file system is mounted on the LUN; iscsid is
// restarted during reads (the session stays, the reads finish, no new LUN);
// stopping open-iscsi.service (as at shutdown) unmounts it and logs out.
// Last, stock open-iscsi is installed back and lists the record. The
// guest's root lives in RAM, so this is one boot: the boot-time and
// shutdown-time units are started and stopped by systemctl, not by a
// reboot.
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
	img, _, err := lab.BuildDebian(lab.DebianOptions{NoProject: true, Extra: debs,
		ExtraData: map[string]string{"etc/udev/rules.d/80-net-setup-link.rules": "",
			// the guest boots from the lab's initrd: dpkg's initramfs
			// triggers would only cost minutes under TCG
			"etc/initramfs-tools/update-initramfs.conf": "update_initramfs=no\n"}})
	require.NoError(t, err, "Debian root with the packages")
	defer img.Remove()

	iqn := fmt.Sprintf("iqn.2026-11.lab.autoscan:systemd-%d", time.Now().UnixNano()%100000)
	tgt, err := startTarget(kindEmu, iqn, maxLUN)
	require.NoError(t, err)
	defer tgt.Stop()
	pcap := filepath.Join(t.TempDir(), "capture.pcap")
	capt, err := lab.StartCapture(pcap, tgt.Port())
	require.NoError(t, err)
	defer capt.Stop()

	console := filepath.Join(resultsDir, "systemd-console.log")
	g, err := lab.Boot(lab.BootOptions{Image: img, Init: lab.DebianSystemd, ConsoleLog: console,
		Timeout: 8 * time.Minute})
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

	run("systemd up, stock writes the record", `set -e
for i in $(seq 180); do [ "$(systemctl is-system-running)" != starting ] && break; sleep 1; done
systemctl is-active iscsid.socket
dpkg-query -W -f '${Package} ${Version}\n' open-iscsi python3-os-brick
`+node+` -o new
`, 5*time.Minute)

	got := run("dpkg -i over open-iscsi", `set -e
dpkg -i /lab/debs/autoscan-iscsi.deb /lab/debs/libopeniscsiusr-autoscan.deb </dev/null
apt-get check -q
dpkg-query -W -f '${Package} ${Status}\n' autoscan-iscsi libopeniscsiusr-autoscan open-iscsi python3-os-brick
systemctl is-enabled iscsid.socket open-iscsi.service
dpkg -S /sbin/iscsiadm
`+node+` -o show | grep -E '^node.(startup|session.scan) '
`, 3*time.Minute)
	assert.Contains(t, got, "autoscan-iscsi install ok installed")
	assert.Contains(t, got, "python3-os-brick install ok installed")
	assert.Contains(t, got, "open-iscsi install ok config-files")
	assert.Contains(t, got, "enabled\nenabled\n")
	assert.Contains(t, got, "autoscan-iscsi: /sbin/iscsiadm")

	run("record: automatic, autoscan_en = No (our iscsiadm)", `set -e
`+node+` -o update -n node.startup -v automatic
`+node+` -o update -n node.session.autoscan_en -v No
`, time.Minute)

	got = run("boot-time login: iscsid socket-activated", `set -e
systemctl stop open-iscsi.service iscsid.service
echo "iscsid before: $(systemctl is-active iscsid.service || true)"
systemctl start open-iscsi.service
echo "iscsid after: $(systemctl is-active iscsid.service)"
ls /sys/class/iscsi_session
journalctl -b -u iscsid.service -o cat | grep 'row "login' | tail -n 1
`, 3*time.Minute)
	assert.Contains(t, got, "iscsid before: inactive")
	assert.Contains(t, got, "iscsid after: active")
	assert.Contains(t, got, `lun0 scan, row "login, autoscan_en=No"`)
	host := onlyHost(t, g)
	luns := settleLUNs(t, g, host)
	assert.Equal(t, fmtLUNs([]uint64{0}), fmtLUNs(luns), "LUN 0 only after the boot-time login")

	dev := ""
	devs, err := g.SCSIDevices()
	require.NoError(t, err)
	for _, d := range devs {
		if d.Host == host && d.LUN == 0 {
			dev = "/dev/" + d.Block
		}
	}
	require.NotEmpty(t, dev, "block device of LUN 0")
	got = run("restart iscsid during reads, file system mounted", fmt.Sprintf(`set -e
mkfs.ext4 -q -F %[1]s && mkdir -p /mnt/lun0 && mount %[1]s /mnt/lun0
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

	got = run("shutdown-time stop: unmount, log out", `set -e
systemctl stop open-iscsi.service
echo "mounted: $(grep -c ' /mnt/lun0 ' /proc/mounts || true)"
echo "sessions: $(ls /sys/class/iscsi_session | wc -l)"
`, 3*time.Minute)
	assert.Contains(t, got, "mounted: 0")
	assert.Contains(t, got, "sessions: 0")

	a, err := auditPcap(pcap, tgt.Port(), iqn)
	require.NoError(t, err)
	for _, l := range []uint64{1, 2, 3} {
		assert.Zero(t, a.Commands[l], "LUN %d never addressed", l)
	}
	assert.Zero(t, a.ReportLUNs, "no REPORT LUNS")

	got = run("back to stock open-iscsi", `set -e
apt-get install -y -q /lab/stock/open-iscsi.deb /lab/stock/libopeniscsiusr.deb autoscan-iscsi- libopeniscsiusr-autoscan- </dev/null >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
apt-get check -q
dpkg-query -W -f '${Package} ${Status}\n' open-iscsi python3-os-brick
dpkg -S /sbin/iscsiadm
/sbin/iscsiadm -m node
`+node+` -o show | grep '^node.startup '
`, 3*time.Minute)
	assert.Contains(t, got, "open-iscsi install ok installed")
	assert.Contains(t, got, "python3-os-brick install ok installed")
	assert.Contains(t, got, "open-iscsi: /sbin/iscsiadm")
	assert.Contains(t, got, portal+",")
	assert.Contains(t, got, "node.startup = automatic")
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

