//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab"
)

// The project initiator's column of the matrix (iscsid.conf(5) AUTOSCAN
// CONTROL, "What each event does"): the autoscan table row by row, each proven by the guest's device
// list and the audit of the wire.
var projectRows = []row{
	{"yes-login-scans-all", bothKinds, projYes(rowAutoAll)},
	{"no-login-lun0-then-rescan-lun2", bothKinds, rowNoThenRescanLUN2},
	{"record-no-overrides-global-yes", bothKinds, rowRecordNo},
	{"manual-nothing-at-login", bothKinds, projYes(rowManualThenLUN2)},
	{"yes-aen-adds-lun4", []string{kindEmu}, projYes(rowAutoAEN)},
	{"no-aen-nothing-new", []string{kindEmu}, rowNoAEN},
	{"no-restart-takeover-nothing-new", bothKinds, rowNoRestart},
	{"no-recovery-nothing-new", []string{kindTgtd}, rowNoRecovery},
	{"yes-restart-during-io-nothing-new", bothKinds, rowYesRestartIO},
	{"recovery-during-write-data-intact", []string{kindTgtd}, rowRecoveryWrite},
}

func TestProject(t *testing.T) { runMatrix(t, "project", projectRows) }

// setGlobalAutoscan writes node.session.autoscan_en into the guest's
// iscsid.conf (iscsid reads it at each event); cleanup takes it out again.
func setGlobalAutoscan(s *scenario, v string) {
	script := fmt.Sprintf(`f=/etc/iscsi/iscsid.conf
grep -v '^node.session.autoscan_en' $f > $f.new 2>/dev/null; mv $f.new $f
echo 'node.session.autoscan_en = %s' >> $f`, v)
	_, err := guest.MustRun(script, 10*time.Second)
	require.NoError(s.t, err, "set global autoscan_en = %s", v)
	s.t.Cleanup(func() {
		_, _ = guest.Run(`f=/etc/iscsi/iscsid.conf
grep -v '^node.session.autoscan_en' $f > $f.new; mv $f.new $f`, 10*time.Second)
	})
}

func projYes(fn func(*scenario)) func(*scenario) {
	return func(s *scenario) {
		setGlobalAutoscan(s, "Yes")
		fn(s)
	}
}

// sid is the session id of the scenario's only session.
func (s *scenario) sid() int {
	out, err := guest.MustRun("ls /sys/class/iscsi_session", 10*time.Second)
	require.NoError(s.t, err)
	f := strings.Fields(out.Stdout)
	require.Len(s.t, f, 1, "one session")
	n, err := strconv.Atoi(strings.TrimPrefix(f[0], "session"))
	require.NoError(s.t, err)
	return n
}

// assertLUN0Only: only LUN 0 was addressed and no REPORT LUNS went out.
func assertLUN0Only(s *scenario, a auditReport, what string) {
	assert.Zero(s.t, a.ReportLUNs, "%s: no REPORT LUNS", what)
	for _, l := range a.luns() {
		assert.Equal(s.t, uint64(0), l, "%s: only LUN 0 addressed", what)
	}
	clean, bad := s.verdict(a, 0)
	assert.True(s.t, clean, "%s: audit with allow-list {0} is clean", what)
	assert.Empty(s.t, bad)
}

// global No: login brings LUN 0 alone; --rescan --lun 2 adds LUN 2 and
// returns once it exists; LUNs 1 and 3 are never addressed.
func rowNoThenRescanLUN2(s *scenario) {
	setGlobalAutoscan(s, "No")
	s.login("auto")
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "LUN 0 only after login")
	assertLUN0Only(s, s.audit(), "login with autoscan_en=No")
	out, err := guest.MustRun(fmt.Sprintf("iscsiadm -m session -r %d --rescan --lun 2; ls /sys/class/scsi_device", s.sid()), 60*time.Second)
	require.NoError(s.t, err, "rescan --lun 2")
	assert.Contains(s.t, out.Stdout, fmt.Sprintf("%d:0:0:2", s.host), "LUN 2 exists when --rescan --lun 2 returns")
	s.waitLUNs([]uint64{0, 2}, 30*time.Second)
	a := s.audit()
	assert.Zero(s.t, a.ReportLUNs, "no REPORT LUNS")
	assert.Zero(s.t, a.Commands[1], "LUN 1 never addressed")
	assert.Zero(s.t, a.Commands[3], "LUN 3 never addressed")
	assert.Positive(s.t, a.Commands[2], "LUN 2 probed")
	clean, bad := s.verdict(a, 0, 2)
	assert.True(s.t, clean, "audit with allow-list {0,2} is clean")
	assert.Empty(s.t, bad)
}

// global Yes, one record set to No with iscsiadm, a second target's record
// left alone, both logged in in the same run: LUN 0 only on the first
// session, every LUN on the second, per SCSI host in sysfs and per target
// in the audit; iscsid says at its default level which row ran for which
// session.
func rowRecordNo(s *scenario) {
	setGlobalAutoscan(s, "Yes")
	no, yes := s.tgt.IQN(), s.tgt.IQN()+"-alone"
	addSecondTarget(s, yes)
	_, err := guest.MustRun(fmt.Sprintf(`set -e
n="iscsiadm -m node -p %[3]s -T"
$n %[1]s -o new >/dev/null; $n %[2]s -o new >/dev/null
$n %[1]s -o update -n node.session.autoscan_en -v No
$n %[1]s -l; $n %[2]s -l`, no, yes, s.portal()), 2*time.Minute)
	require.NoError(s.t, err, "two logins")
	hosts := sessionHosts(s)
	require.Len(s.t, hosts, 2, "two sessions: %v", hosts)
	s.host = hosts[yes]
	s.waitLUNs(allLUNs, 90*time.Second)
	s.host = hosts[no]
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "LUN 0 only on the session of the record set to No")
	aNo, aYes := auditTarget(s, no), auditTarget(s, yes)
	assertLUN0Only(s, aNo, "record autoscan_en=No")
	assert.Equal(s.t, fmtLUNs(allLUNs), fmtLUNs(aYes.luns()), "every LUN addressed on the record left alone")
	assert.GreaterOrEqual(s.t, aYes.ReportLUNs, 1, "REPORT LUNS on the record left alone")
	ts, err := tsharkLUNs(s.pcap, s.tgt.Port())
	require.NoError(s.t, err)
	assert.Equal(s.t, fmtLUNs(allLUNs), fmtLUNs(ts), "tshark: LUNs addressed on the port")
	assertPolicyLogged(s, no, "lun0", "login, autoscan_en=No")
	assertPolicyLogged(s, yes, "all", "login, autoscan_en=Yes")
}

// assertPolicyLogged: iscsid, run without -d, logged the policy row that
// ran for the session to iqn, with the reason.
func assertPolicyLogged(s *scenario, iqn, action, row string) {
	log, err := guest.ReadFile("/tmp/iscsid.log")
	require.NoError(s.t, err)
	re := regexp.MustCompile(`session \d+ \[` + regexp.QuoteMeta(iqn) + ` [^\]]+\]: ` +
		action + ` scan, row "` + regexp.QuoteMeta(row) + `": \S.*`)
	assert.Regexp(s.t, re, log, "iscsid (default log level) names the policy row for %s", iqn)
}

// global No + AEN 3F/0E after the target adds LUN 4: LUN 0 only, no
// REPORT LUNS, LUN 4 never addressed.
func rowNoAEN(s *scenario) {
	setGlobalAutoscan(s, "No")
	s.login("auto")
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()))
	require.NoError(s.t, s.tgt.AddLUN(4))
	require.NoError(s.t, s.tgt.SendAEN())
	time.Sleep(2 * time.Second) // time for a scan that must stay LUN 0
	assert.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "nothing new after the AEN")
	a := s.audit()
	assert.GreaterOrEqual(s.t, a.AEN3F0E, 1, "the 3F/0E AEN is on the wire")
	assert.Zero(s.t, a.Commands[4], "LUN 4 never addressed")
	assertLUN0Only(s, a, "AEN with autoscan_en=No")
}

// global No: iscsid killed, the target adds LUN 4, iscsid restarted: the
// session is taken over, nothing new appears.
func rowNoRestart(s *scenario) {
	setGlobalAutoscan(s, "No")
	s.login("auto")
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()))
	_, err := guest.MustRun("kill -9 $(pidof iscsid); sleep 0.5; ! pidof iscsid", 10*time.Second)
	require.NoError(s.t, err, "kill -9 iscsid")
	require.NoError(s.t, s.tgt.AddLUN(4))
	s.startIscsid()
	out, err := guest.MustRun("sleep 2; iscsiadm -m session", 30*time.Second)
	require.NoError(s.t, err)
	assert.Contains(s.t, out.Stdout, s.tgt.IQN(), "session listed after the restart")
	assert.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "nothing new after the takeover")
	a := s.audit()
	assert.Zero(s.t, a.Commands[4], "LUN 4 never addressed")
	assertLUN0Only(s, a, "takeover with autoscan_en=No")
	s.logout()
}

// global No, tgtd drops the connection after adding LUN 4: the session
// recovers (re-login), nothing new appears.
func rowNoRecovery(s *scenario) {
	setGlobalAutoscan(s, "No")
	s.login("auto")
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()))
	require.NoError(s.t, s.tgt.AddLUN(4))
	require.NoError(s.t, tgtdDropConn(s.tgt.Port()), "drop the connection")
	_, err := guest.MustRun(`for i in $(seq 300); do
		grep -q 'recovered after' /tmp/iscsid.log && exit 0; sleep 0.1; done; exit 1`, 60*time.Second)
	require.NoError(s.t, err, "iscsid logs the recovery")
	out, err := guest.MustRun("cat /sys/class/iscsi_session/session*/state", 10*time.Second)
	require.NoError(s.t, err)
	assert.Equal(s.t, "LOGGED_IN", strings.TrimSpace(out.Stdout), "session state after recovery")
	assert.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "nothing new after the recovery")
	a := s.audit()
	assert.Zero(s.t, a.Commands[4], "LUN 4 never addressed")
	assertLUN0Only(s, a, "recovery with autoscan_en=No")
}

// tgtdDropConn deletes the connection of tgtd's one I_T nexus (tgtd's
// control port is its iSCSI port in the lab).
func tgtdDropConn(port int) error {
	out, err := lab.TgtAdm(port, "--op", "show", "--mode", "target")
	if err != nil {
		return err
	}
	sid := ""
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "I_T" && f[1] == "nexus:" {
			sid = f[2]
			break
		}
	}
	if sid == "" {
		return fmt.Errorf("no I_T nexus on tgtd %d", port)
	}
	_, err = lab.TgtAdm(port, "--op", "delete", "--mode", "conn",
		"--tid", "1", "--sid", sid, "--cid", "0")
	return err
}

// writeLoop starts 300 small direct writes of a random pattern to dev in
// the guest's background; waitWrites collects "fails=N" and the compare.
func writeLoop(s *scenario, dev string) {
	_, err := guest.MustRun(fmt.Sprintf(`rm -f /tmp/wdone; dd if=/dev/urandom of=/tmp/pat bs=4k count=300 2>/dev/null
(f=0; for i in $(seq 0 299); do dd if=/tmp/pat of=%[1]s bs=4k seek=$i skip=$i count=1 oflag=direct conv=notrunc 2>/dev/null || f=$((f+1)); sleep 0.02; done
 cmp -n 1228800 /tmp/pat %[1]s && c=same || c=differs; echo "fails=$f data=$c" > /tmp/wdone) >/dev/null 2>&1 &`, dev), 30*time.Second)
	require.NoError(s.t, err)
}

func waitWrites(s *scenario) string {
	r, err := guest.MustRun(`for i in $(seq 900); do [ -s /tmp/wdone ] && cat /tmp/wdone && exit 0; sleep 0.1; done; exit 1`, 2*time.Minute)
	require.NoError(s.t, err, "writes finish")
	return strings.TrimSpace(r.Stdout)
}

// global Yes: kill -9 iscsid during writes, the target adds LUN 4,
// restart: no I/O error, data intact, LUN 4 does not appear (refresh only).
func rowYesRestartIO(s *scenario) {
	setGlobalAutoscan(s, "Yes")
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	writeLoop(s, s.blockDev(1))
	time.Sleep(time.Second)
	_, err := guest.MustRun("kill -9 $(pidof iscsid)", 10*time.Second)
	require.NoError(s.t, err)
	require.NoError(s.t, s.tgt.AddLUN(4))
	s.startIscsid()
	assert.Equal(s.t, "fails=0 data=same", waitWrites(s), "writes across the restart")
	assert.Equal(s.t, fmtLUNs(allLUNs), fmtLUNs(s.settle()), "nothing new after the takeover")
	assert.Zero(s.t, s.audit().Commands[4], "LUN 4 never addressed")
	s.logout()
}

// tgtd drops the connection in the middle of the writes: the session
// recovers and every write lands.
func rowRecoveryWrite(s *scenario) {
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	writeLoop(s, s.blockDev(1))
	time.Sleep(1500 * time.Millisecond)
	require.NoError(s.t, tgtdDropConn(s.tgt.Port()))
	assert.Equal(s.t, "fails=0 data=same", waitWrites(s), "writes across the recovery")
	r, err := guest.MustRun("grep -c 'recovered after' /tmp/iscsid.log", 10*time.Second)
	require.NoError(s.t, err)
	assert.Equal(s.t, "1", strings.TrimSpace(r.Stdout), "one recovery logged")
	s.logout()
}
