//go:build e2e

package e2e

import (
	"fmt"

	"autoscan/harness/iscsi"
	"autoscan/harness/lab"
	"autoscan/harness/lab/labtarget"
	"autoscan/harness/target"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The project initiator's sessions beyond scanning (iscsid(8) SESSIONS):
// CHAP against tgtd and the emulated target, a filesystem on the device, the os-brick way
// of attaching one LUN of many.
var projectSessionRows = []row{
	{"chap-oneway-and-mutual", bothKinds, rowCHAP},
	{"chap-wrong-secret-24-nothing-left", bothKinds, rowCHAPWrong},
	{"filesystem-write-read-logout", []string{kindTgtd, kindEmu}, rowFilesystem},
	{"osbrick-64-luns-one-attached", []string{kindTgtd}, rowOSBrick},
	{"sixteen-sessions-two-concurrent-L-all", []string{kindEmu}, rowSixteen},
	{"target-requests-logout", []string{kindEmu}, rowTargetLogout},
	{"target-gone-past-replacement-timeout", []string{kindEmu}, rowTargetGone},
	{"hostile-login-garbage-iscsid-survives", []string{kindEmu}, rowHostileLogin},
	{"hostile-full-feature-other-session-untouched", []string{kindTgtd}, rowHostileFFP},
}

func TestProjectSessions(t *testing.T) { runMatrix(t, "project", projectSessionRows) }

// tgtdAccount adds a CHAP account to the scenario's tgtd target (tid 1);
// outgoing makes it the target's own name/secret for mutual CHAP.
func tgtdAccount(port int, user, pass string, outgoing bool) error {
	if _, err := lab.TgtAdm(port, "--op", "new", "--mode", "account",
		"--user", user, "--password", pass); err != nil {
		return err
	}
	bind := []string{"--op", "bind", "--mode", "account", "--tid", "1", "--user", user}
	if outgoing {
		bind = append(bind, "--outgoing")
	}
	_, err := lab.TgtAdm(port, bind...)
	return err
}

// tryLogin runs a login with record settings (the record is created first
// unless it exists) and returns output and exit code.
func tryLogin(s *scenario, settings [][2]string) (string, int) {
	return tryLoginTo(s, s.tgt.IQN(), settings)
}

func tryLoginTo(s *scenario, iqn string, settings [][2]string) (string, int) {
	node := s.nodeOf(iqn)
	script := node + " >/dev/null 2>&1 || " + node + " -o new >/dev/null\n" +
		recordUpdates(node, settings) + node + " -l 2>&1"
	r, err := guest.Run(script, 90*time.Second)
	require.NoError(s.t, err)
	return r.Stdout + r.Stderr, r.Exit
}

func chapSettings(user, pass string) [][2]string {
	return [][2]string{{"node.session.auth.authmethod", "CHAP"},
		{"node.session.auth.username", user}, {"node.session.auth.password", pass}}
}

// rowCHAP: one-way, then mutual CHAP logins succeed (tgtd: accounts on
// its target; emulated: one target per CHAP hash, mutual on SHA-256).
func rowCHAP(s *scenario) {
	if s.kind == kindEmu {
		rowCHAPEmu(s)
		return
	}
	require.NoError(s.t, tgtdAccount(s.tgt.Port(), "alice", "alicesecret12", false))
	out, rc := tryLogin(s, chapSettings("alice", "alicesecret12"))
	require.Equal(s.t, 0, rc, "one-way CHAP login: %s", out)
	assert.Contains(s.t, out, "successful.")
	s.logout()
	require.NoError(s.t, tgtdAccount(s.tgt.Port(), "tgtuser", "tgtsecret123", true))
	out, rc = tryLogin(s, [][2]string{{"node.session.auth.username_in", "tgtuser"},
		{"node.session.auth.password_in", "tgtsecret123"}})
	require.Equal(s.t, 0, rc, "mutual CHAP login: %s", out)
	s.logout()
}

// The emulated target accepts one CHAP_A per target here, so each login
// proves that hash (the initiator offers SHA256,SHA1,MD5 and must use the
// one the target picks); mutual is proven by the target's answer the
// initiator checks (a wrong password_in must fail the login).
func rowCHAPEmu(s *scenario) {
	cases := []struct {
		name   string
		alg    int
		mutual bool
	}{{"md5", target.CHAPMD5, false}, {"sha1", target.CHAPSHA1, false},
		{"sha256", target.CHAPSHA256, false}, {"mutual-sha256", target.CHAPSHA256, true}}
	for _, c := range cases {
		cfg := target.CHAPConfig{User: "alice", Secret: "alicesecret12", Algorithms: []int{c.alg}}
		settings := chapSettings("alice", "alicesecret12")
		if c.alg != target.CHAPMD5 { // the initiator offers MD5 alone by default
			settings = append(settings, [2]string{"node.session.auth.chap_algs", "SHA256,SHA1,MD5"})
		}
		if c.mutual {
			cfg.MutualUser, cfg.MutualSecret = "tgtuser", "tgtsecret123"
			settings = append(settings, [2]string{"node.session.auth.username_in", "tgtuser"},
				[2]string{"node.session.auth.password_in", "tgtsecret123"})
		}
		iqn := emuCHAPTarget(s, s.tgt.IQN()+"-"+c.name, cfg)
		out, rc := tryLoginTo(s, iqn, settings)
		require.Equal(s.t, 0, rc, "CHAP %s login: %s", c.name, out)
		assert.Contains(s.t, out, "successful.")
		assert.Equal(s.t, []string{iqn}, targetsInSysfs(s), "the one session is to %s", iqn)
		logoutOf(s, iqn)
	}
	iqn := s.tgt.IQN() + "-mutual-sha256"
	out, rc := tryLoginTo(s, iqn, [][2]string{{"node.session.auth.password_in", "notthetarget1"}})
	assert.NotEqual(s.t, 0, rc, "mutual CHAP with a wrong target secret fails: %s", out)
	assert.Empty(s.t, targetsInSysfs(s), "no session after a failed mutual check")
}

// A wrong secret: exit 24 with stock's words, no session, no SCSI host.
func rowCHAPWrong(s *scenario) {
	iqn := s.tgt.IQN()
	if s.kind == kindEmu {
		iqn = emuCHAPTarget(s, iqn+"-chap", target.CHAPConfig{User: "alice", Secret: "alicesecret12"})
	} else {
		require.NoError(s.t, tgtdAccount(s.tgt.Port(), "alice", "alicesecret12", false))
	}
	out, rc := tryLoginTo(s, iqn, chapSettings("alice", "wrongsecret12"))
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
	osbrickExport64(s)
	s.loginWith([][2]string{{"node.session.autoscan_en", "No"}})
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()))
	_, err := guest.MustRun(fmt.Sprintf("iscsiadm -m session -r %d --rescan --lun 42", s.sid()), 60*time.Second)
	require.NoError(s.t, err)
	osbrickUse(s, 42)
	s.logout()
	a := s.audit()
	assert.Zero(s.t, a.ReportLUNs, "no REPORT LUNS")
	assert.Equal(s.t, fmtLUNs([]uint64{0, 42}), fmtLUNs(a.luns()), "only LUNs 0 and 42 addressed")
	clean, bad := s.verdict(a, 0, 42)
	assert.True(s.t, clean)
	assert.Empty(s.t, bad)
}

// osbrickExport64 grows the scenario's target to LUNs 0-63.
func osbrickExport64(s *scenario) {
	for l := maxLUN + 1; l < 64; l++ {
		require.NoError(s.t, s.tgt.AddLUN(l))
	}
}

// osbrickUse writes and reads 64 KiB of LUN lun, as a volume attach would.
func osbrickUse(s *scenario, lun uint64) {
	dev := s.blockDev(lun)
	_, err := guest.MustRun(fmt.Sprintf("dd if=/dev/zero of=%[1]s bs=4k count=16 oflag=direct 2>/dev/null && dd if=%[1]s of=/dev/null bs=4k count=16 2>/dev/null", dev), time.Minute)
	require.NoError(s.t, err, "I/O on LUN %d", lun)
}

func emu(s *scenario) *labtarget.EmuTarget {
	e, ok := s.tgt.(*labtarget.EmuTarget)
	require.True(s.t, ok, "emulated target")
	return e
}

func sysfsCount(s *scenario, class string) int {
	r, err := guest.Run("ls /sys/class/"+class+"/ 2>/dev/null | wc -l", 10*time.Second)
	require.NoError(s.t, err)
	n, err := strconv.Atoi(strings.TrimSpace(r.Stdout))
	require.NoError(s.t, err)
	return n
}

// 16 targets, two "-L all" at once: 16 sessions, none twice, all listed
// in stock's format; "-U all" ends them all.
func rowSixteen(s *scenario) {
	e := emu(s)
	names := []string{s.tgt.IQN()}
	for i := 2; i <= 16; i++ {
		t, err := e.Server.AddTarget(fmt.Sprintf("%s-%d", s.tgt.IQN(), i), target.TargetOptions{})
		require.NoError(s.t, err)
		_, err = t.AddLUN(0, labtarget.LUNSizeMB<<20)
		require.NoError(s.t, err)
		names = append(names, t.Name())
	}
	script := ""
	for _, n := range names {
		script += fmt.Sprintf("iscsiadm -m node -o new -T %s -p %s >/dev/null\n", n, s.portal())
	}
	script += `iscsiadm -m node -L all > /tmp/la 2>&1 & a=$!
iscsiadm -m node -L all > /tmp/lb 2>&1 & b=$!
wait $a; ra=$?; wait $b; rb=$?
echo "rc $ra $rb"; cat /tmp/la /tmp/lb | grep -c successful`
	start := time.Now()
	r, err := guest.MustRun(script, 3*time.Minute)
	require.NoError(s.t, err)
	s.t.Logf("16 logins from two concurrent -L all in %.1f s", time.Since(start).Seconds())
	lines := strings.Fields(r.Stdout)
	require.Len(s.t, lines, 4, "output %q", r.Stdout)
	// an -L all that finds sessions the other one made answers 15 as stock
	for _, rc := range lines[1:3] {
		assert.Contains(s.t, []string{"0", "15"}, rc, "-L all exit")
	}
	assert.Equal(s.t, "16", lines[3], "16 logins reported successful in all")
	assert.Equal(s.t, 16, sysfsCount(s, "iscsi_session"), "16 sessions, none twice")
	out, err := guest.MustRun("iscsiadm -m session", 30*time.Second)
	require.NoError(s.t, err)
	again, err := guest.Run("iscsiadm -m node -L all", time.Minute)
	require.NoError(s.t, err)
	assert.Equal(s.t, 15, again.Exit, "-L all with every session present")
	assert.Contains(s.t, again.Stderr, "iscsiadm: default: 1 session requested, but 1 already present.")
	assert.Contains(s.t, again.Stderr, "iscsiadm: Could not log into all portals")
	rows := strings.Split(strings.TrimSpace(out.Stdout), "\n")
	assert.Len(s.t, rows, 16, "iscsiadm -m session lists 16")
	for _, row := range rows {
		assert.Regexp(s.t, `^tcp: \[\d+\] 10\.0\.2\.2:\d+,1 iqn\S+ \(non-flash\)$`, row)
	}
	_, err = guest.MustRun("iscsiadm -m node -U all >/dev/null", 2*time.Minute)
	require.NoError(s.t, err, "-U all")
	assert.Equal(s.t, 0, sysfsCount(s, "iscsi_session"), "no session after -U all")
}

// The target asks for logout (async event 1): iscsid logs the session out.
func rowTargetLogout(s *scenario) {
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	require.Equal(s.t, 1, emu(s).Target.SendAsyncEvent(iscsi.AsyncRequestLogout, 0, 0))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && sysfsCount(s, "iscsi_session") > 0 {
		time.Sleep(500 * time.Millisecond)
	}
	assert.Equal(s.t, 0, sysfsCount(s, "iscsi_session"), "session gone after the target's request")
	assert.Equal(s.t, 0, sysfsCount(s, "scsi_device"), "devices gone")
}

// The target goes away for good: after replacement_timeout I/O fails
// cleanly, iscsid still answers, and the session can be logged out.
func rowTargetGone(s *scenario) {
	s.loginWith([][2]string{{"node.session.timeo.replacement_timeout", "5"}})
	s.waitLUNs(allLUNs, 90*time.Second)
	dev := s.blockDev(1)
	s.tgt.Stop()
	start := time.Now()
	r, err := guest.Run(fmt.Sprintf("dd if=/dev/zero of=%s bs=4k count=1 oflag=direct", dev), 2*time.Minute)
	require.NoError(s.t, err)
	assert.NotEqual(s.t, 0, r.Exit, "write fails once the target is gone")
	assert.Less(s.t, time.Since(start).Seconds(), 60.0, "the write fails within replacement_timeout plus slack")
	out, err := guest.Run("iscsiadm -m session; echo rc=$?", 30*time.Second)
	require.NoError(s.t, err)
	assert.Contains(s.t, out.Stdout, s.tgt.IQN(), "iscsid still answers and lists the session")
	r, err = guest.Run("iscsiadm -m session -r "+strconv.Itoa(s.sid())+" -u", 90*time.Second)
	require.NoError(s.t, err)
	assert.Equal(s.t, 0, r.Exit, "logout of a session whose target is gone: %s %s", r.Stdout, r.Stderr)
	assert.Equal(s.t, 0, sysfsCount(s, "iscsi_session"), "session gone")
}

// Login responses with garbage text keys: the login fails with a message,
// iscsid survives and serves the next request.
func rowHostileLogin(s *scenario) {
	emu(s).Server.SetHostile(target.HostileLoginGarbage)
	out, rc := tryLogin(s, nil)
	assert.NotEqual(s.t, 0, rc, "login to a target sending garbage fails: %s", out)
	assert.Contains(s.t, out, "iscsiadm: Could not login to")
	r, err := guest.Run("pidof iscsid && iscsiadm -m session; echo rc=$?", 30*time.Second)
	require.NoError(s.t, err)
	assert.Contains(s.t, r.Stdout, "rc=21", "iscsid alive, no session: %s", r.Stdout)
	assert.Equal(s.t, 0, sysfsCount(s, "iscsi_session"), "nothing left in sysfs")
	emu(s).Server.SetHostile(target.HostileNone)
	out, rc = tryLogin(s, nil)
	assert.Equal(s.t, 0, rc, "the same target behaving again: %s", out)
	s.logout()
}

// A second, emulated target turns hostile in full feature phase (bad
// lengths, wrong opcodes, oversized data): its session fails over and
// over, while I/O on the scenario's own tgtd session goes on unharmed and
// iscsid keeps answering; afterwards both log out.
func rowHostileFFP(s *scenario) {
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	good := s.blockDev(1)
	bad, err := labtarget.StartTarget(kindEmu, s.tgt.IQN()+"-hostile", 1)
	require.NoError(s.t, err)
	defer bad.Stop()
	badNode := fmt.Sprintf("iscsiadm -m node -T %s -p %s:%d", bad.IQN(), strings.Split(s.portal(), ":")[0], bad.Port())
	_, err = guest.MustRun(badNode+" -o new >/dev/null && "+badNode+" -o update -n node.session.scan -v manual && "+badNode+" -l", time.Minute)
	require.NoError(s.t, err, "login to the soon hostile target")
	for _, h := range []target.Hostile{target.HostileBadLength, target.HostileWrongOpcode, target.HostileOversized} {
		bad.(*labtarget.EmuTarget).Server.SetHostile(h)
		writeLoop(s, good)
		_, _ = guest.Run(fmt.Sprintf("iscsiadm -m session -R >/dev/null 2>&1; sleep 2"), 30*time.Second)
		assert.Equal(s.t, "fails=0 data=same", waitWrites(s), "I/O on the good session while the other is %v", h)
		r, err := guest.Run("pidof iscsid >/dev/null && iscsiadm -m session | wc -l", 30*time.Second)
		require.NoError(s.t, err)
		assert.Equal(s.t, "2", strings.TrimSpace(r.Stdout), "iscsid alive, both sessions listed (%v)", h)
	}
	r, err := guest.Run("grep -c 'error' /tmp/iscsid.log", 10*time.Second)
	require.NoError(s.t, err)
	n, _ := strconv.Atoi(strings.TrimSpace(r.Stdout))
	s.t.Logf("iscsid logged %d connection errors of the hostile session", n)
	assert.Positive(s.t, n, "the hostile session was actually hit")
	bad.(*labtarget.EmuTarget).Server.SetHostile(target.HostileNone)
	r, err = guest.Run("iscsiadm -m node -U all; echo rc=$?", 3*time.Minute)
	require.NoError(s.t, err)
	assert.Contains(s.t, r.Stdout, "rc=0", "both log out: %s %s", r.Stdout, r.Stderr)
	assert.Equal(s.t, 0, sysfsCount(s, "iscsi_session"))
}
