//go:build e2e

package e2e

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The project initiator's sessions beyond scanning (issue 5, "What must be
// shown"): CHAP against tgtd, a filesystem on the device, the os-brick way
// of attaching one LUN of many.
var projectSessionRows = []row{
	{"chap-oneway-and-mutual", []string{kindTgtd}, rowCHAP},
	{"chap-wrong-secret-24-nothing-left", []string{kindTgtd}, rowCHAPWrong},
	{"filesystem-write-read-logout", []string{kindTgtd, kindEmu}, rowFilesystem},
	{"osbrick-64-luns-one-attached", []string{kindTgtd}, rowOSBrick},
}

func TestProjectSessions(t *testing.T) { runMatrix(t, "project", projectSessionRows) }

// tgtdAccount adds a CHAP account to the scenario's tgtd target (tid 1);
// outgoing makes it the target's own name/secret for mutual CHAP.
func tgtdAccount(port int, user, pass string, outgoing bool) error {
	p := strconv.Itoa(port)
	base := []string{"-C", p, "--lld", "iscsi"}
	if out, err := exec.Command("tgtadm", append(base, "--op", "new", "--mode", "account",
		"--user", user, "--password", pass)...).CombinedOutput(); err != nil {
		return fmt.Errorf("tgtadm new account: %v %s", err, out)
	}
	bind := append(base, "--op", "bind", "--mode", "account", "--tid", "1", "--user", user)
	if outgoing {
		bind = append(bind, "--outgoing")
	}
	if out, err := exec.Command("tgtadm", bind...).CombinedOutput(); err != nil {
		return fmt.Errorf("tgtadm bind account: %v %s", err, out)
	}
	return nil
}

// tryLogin runs a login with record settings (the record is created first
// unless it exists) and returns output and exit code.
func tryLogin(s *scenario, settings [][2]string) (string, int) {
	node := fmt.Sprintf("iscsiadm -m node -T %s -p %s", s.tgt.IQN(), s.portal())
	script := node + " >/dev/null 2>&1 || " + node + " -o new >/dev/null\n"
	for _, kv := range settings {
		script += fmt.Sprintf("%s -o update -n %s -v %s\n", node, kv[0], kv[1])
	}
	script += node + " -l 2>&1"
	r, err := guest.Run(script, 90*time.Second)
	require.NoError(s.t, err)
	return r.Stdout + r.Stderr, r.Exit
}

func rowCHAP(s *scenario) {
	require.NoError(s.t, tgtdAccount(s.tgt.Port(), "alice", "alicesecret12", false))
	out, rc := tryLogin(s, [][2]string{{"node.session.auth.authmethod", "CHAP"},
		{"node.session.auth.username", "alice"}, {"node.session.auth.password", "alicesecret12"}})
	require.Equal(s.t, 0, rc, "one-way CHAP login: %s", out)
	assert.Contains(s.t, out, "successful.")
	s.logout()
	require.NoError(s.t, tgtdAccount(s.tgt.Port(), "tgtuser", "tgtsecret123", true))
	out, rc = tryLogin(s, [][2]string{{"node.session.auth.username_in", "tgtuser"},
		{"node.session.auth.password_in", "tgtsecret123"}})
	require.Equal(s.t, 0, rc, "mutual CHAP login: %s", out)
	s.logout()
}

// A wrong secret: exit 24 with stock's words, no session, no SCSI host.
func rowCHAPWrong(s *scenario) {
	require.NoError(s.t, tgtdAccount(s.tgt.Port(), "alice", "alicesecret12", false))
	out, rc := tryLogin(s, [][2]string{{"node.session.auth.authmethod", "CHAP"},
		{"node.session.auth.username", "alice"}, {"node.session.auth.password", "wrongsecret12"}})
	assert.Equal(s.t, 24, rc, "exit code: %s", out)
	assert.Contains(s.t, out, "iscsiadm: initiator reported error (24 - iSCSI login failed due to authorization failure)")
	assert.Contains(s.t, out, "iscsiadm: Could not log into all portals")
	r, err := guest.Run("ls /sys/class/iscsi_session/ /sys/class/iscsi_host/ /sys/class/scsi_device/ | grep -v ':$'", 10*time.Second)
	require.NoError(s.t, err)
	assert.Empty(s.t, strings.Fields(r.Stdout), "nothing lingers in sysfs")
}

// mkfs, write, drop caches, read back, logout: the device is gone after.
func rowFilesystem(s *scenario) {
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	lun := uint64(1) // tgt's LUN 0 is its controller; the emulated one's 1 is a disk too
	dev := s.blockDev(lun)
	script := fmt.Sprintf(`set -e
mke2fs -q %[1]s >/dev/null
mkdir -p /mnt/p; mount -t ext2 %[1]s /mnt/p
dd if=/dev/urandom of=/tmp/payload bs=1024 count=2048 2>/dev/null
cp /tmp/payload /mnt/p/payload
sha256sum /tmp/payload | cut -d' ' -f1
umount /mnt/p; blockdev --flushbufs %[1]s; echo 3 > /proc/sys/vm/drop_caches
mount -t ext2 -o ro %[1]s /mnt/p
sha256sum /mnt/p/payload | cut -d' ' -f1
umount /mnt/p; rm -f /tmp/payload`, dev)
	r, err := guest.MustRun(script, 2*time.Minute)
	require.NoError(s.t, err)
	sums := strings.Fields(r.Stdout)
	require.Len(s.t, sums, 2)
	assert.Equal(s.t, sums[0], sums[1], "file read back equals what was written")
	s.logout()
	r, err = guest.Run("ls /sys/class/scsi_device/ /sys/class/iscsi_session/ | grep -v ':$'; ls "+dev+" 2>/dev/null", 10*time.Second)
	require.NoError(s.t, err)
	assert.Empty(s.t, strings.Fields(r.Stdout), "devices and session gone after logout")
}

// os-brick style: 64 LUNs exported, autoscan_en=No, attach LUN 42 with
// --rescan --lun, use it, log out: only LUNs 0 and 42 ever addressed.
func rowOSBrick(s *scenario) {
	for l := maxLUN + 1; l < 64; l++ {
		require.NoError(s.t, s.tgt.AddLUN(l))
	}
	s.loginWith([][2]string{{"node.session.autoscan_en", "No"}})
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()))
	_, err := guest.MustRun(fmt.Sprintf("iscsiadm -m session -r %d --rescan --lun 42", s.sid()), 60*time.Second)
	require.NoError(s.t, err)
	dev := s.blockDev(42)
	_, err = guest.MustRun(fmt.Sprintf("dd if=/dev/zero of=%[1]s bs=4k count=16 oflag=direct 2>/dev/null && dd if=%[1]s of=/dev/null bs=4k count=16 2>/dev/null", dev), time.Minute)
	require.NoError(s.t, err, "I/O on LUN 42")
	s.logout()
	a := s.audit()
	assert.Zero(s.t, a.ReportLUNs, "no REPORT LUNS")
	assert.Equal(s.t, fmtLUNs([]uint64{0, 42}), fmtLUNs(a.luns()), "only LUNs 0 and 42 addressed")
	clean, bad := s.verdict(a, 0, 42)
	assert.True(s.t, clean)
	assert.Empty(s.t, bad)
}
