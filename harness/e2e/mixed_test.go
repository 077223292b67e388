//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Mixed installs (iscsiadm(8) MIXED INSTALLATIONS): the distribution's iscsiadm with the
// project's iscsid, and the project's iscsiadm with the distribution's
// iscsid, in one guest over the one socket name. Both speak open-iscsi
// 2.1.8's management protocol; which binary runs is a path per command.
const (
	stockAdm   = "/stock/sbin/iscsiadm"
	projectAdm = "/project/sbin/iscsiadm"
)

// The iscsid under test is the scenario's initiator; the iscsiadm is named
// in each row.
var stockAdmRows = []row{
	{"stock-adm-discovery-login-info-stats-rescan-newsession-logout", []string{kindEmu}, rowStockAdmFull},
	{"stock-adm-global-no-lun0-only", []string{kindEmu}, rowStockAdmGlobalNo},
}

var projectAdmRows = []row{
	{"project-adm-login-list-stats-logout", []string{kindEmu}, rowProjectAdmStockD},
}

func TestMixed(t *testing.T) {
	t.Run("project-iscsid", func(t *testing.T) { runMatrix(t, "project", stockAdmRows) })
	t.Run("stock-iscsid", func(t *testing.T) { runMatrix(t, "stock", projectAdmRows) })
}

// adm runs iscsiadm binary adm with args in the guest; a non-zero exit
// fails the row.
func (s *scenario) adm(adm, args string, timeout time.Duration) string {
	r, err := guest.MustRun(adm+" "+args, timeout)
	require.NoError(s.t, err, "%s %s", adm, args)
	return r.Stdout
}

func (s *scenario) node(adm, args string, timeout time.Duration) string {
	return s.adm(adm, fmt.Sprintf("-m node -T %s -p %s %s", s.tgt.IQN(), s.portal(), args), timeout)
}

// loginBy creates the record and logs in with the given iscsiadm, then
// finds the session's SCSI host.
func (s *scenario) loginBy(adm string) {
	s.node(adm, "-o new", 30*time.Second)
	out := s.node(adm, "-l", 90*time.Second)
	require.Contains(s.t, out, fmt.Sprintf("Login to [iface: default, target: %s, portal: %s,%d] successful.",
		s.tgt.IQN(), hostAddrOf(s), s.tgt.Port()))
	r, err := guest.MustRun("ls /sys/class/iscsi_host", 10*time.Second)
	require.NoError(s.t, err)
	hosts := strings.Fields(r.Stdout)
	require.Len(s.t, hosts, 1, "one iSCSI host after login")
	_, err = fmt.Sscanf(hosts[0], "host%d", &s.host)
	require.NoError(s.t, err)
}

func hostAddrOf(s *scenario) string { return strings.Split(s.portal(), ":")[0] }

func (s *scenario) sessionCount() int {
	r, err := guest.MustRun("ls /sys/class/iscsi_session", 10*time.Second)
	require.NoError(s.t, err)
	return len(strings.Fields(r.Stdout))
}

// stock -P 3 / -s for one session, as stock prints them: the iscsid state
// lines come from SESSION_INFO, the counters from SESSION_STATS.
func (s *scenario) assertInfoAndStats(adm string, sid int) {
	p3 := s.adm(adm, "-m session -P 3", 30*time.Second)
	assert.Contains(s.t, p3, "iSCSI Connection State: LOGGED IN", "%s -P 3", adm)
	assert.Contains(s.t, p3, "Internal iscsid Session State: NO CHANGE", "%s -P 3", adm)
	assert.Contains(s.t, p3, "Attached scsi disk", "%s -P 3", adm)
	st := s.adm(adm, fmt.Sprintf("-m session -r %d -s", sid), 30*time.Second)
	assert.Contains(s.t, st, fmt.Sprintf("Stats for session [sid: %d, target: %s, portal: %s,%d]",
		sid, s.tgt.IQN(), hostAddrOf(s), s.tgt.Port()), "%s -s", adm)
	assert.Contains(s.t, st, "iSCSI SNMP:\n\ttxdata_octets: ", "%s -s", adm)
	// the scan after login sent SCSI commands and got answers
	assert.Regexp(s.t, regexp.MustCompile(`\tscsicmd_pdus: [1-9]\d*\n`), st, "%s -s", adm)
	assert.Regexp(s.t, regexp.MustCompile(`\tscsirsp_pdus: [1-9]\d*\n`), st, "%s -s", adm)
}

// Stock iscsiadm, our iscsid, global autoscan_en = Yes: discovery asks our
// iscsid for the initiator name; the login is ours and scans every LUN;
// -P 3 and -s show our iscsid's answers; stock's rescan (done by stock
// iscsiadm through sysfs) works; our iscsiadm adds a second session to the
// same target (-o new on a session); stock's logout ends both.
func rowStockAdmFull(s *scenario) {
	setGlobalAutoscan(s, "Yes")
	disc := s.adm(stockAdm, "-m discovery -t st -p "+s.portal(), 60*time.Second)
	assert.Contains(s.t, disc, s.tgt.IQN(), "stock discovery lists the target")
	// the record(s) it made name the portal the target advertises; the
	// rest of the row uses one record made by hand
	s.adm(stockAdm, "-m node -T "+s.tgt.IQN()+" -o delete", 30*time.Second)
	s.loginBy(stockAdm)
	s.waitLUNs(allLUNs, 90*time.Second)
	sid := s.sid()
	s.assertInfoAndStats(stockAdm, sid)
	s.assertInfoAndStats(projectAdm, sid)
	// the same block, line for line (counters move between the two calls)
	digits := regexp.MustCompile(`\d+`)
	st := fmt.Sprintf("-m session -r %d -s", sid)
	assert.Equal(s.t, digits.ReplaceAllString(s.adm(stockAdm, st, 30*time.Second), "N"),
		digits.ReplaceAllString(s.adm(projectAdm, st, 30*time.Second), "N"),
		"-s: stock's and our iscsiadm print the same lines")
	out := s.adm(stockAdm, fmt.Sprintf("-m session -r %d --rescan", sid), 60*time.Second)
	assert.Contains(s.t, out, fmt.Sprintf("Rescanning session [sid: %d, target: %s", sid, s.tgt.IQN()))
	out = s.adm(projectAdm, fmt.Sprintf("-m session -r %d -o new", sid), 90*time.Second)
	assert.Contains(s.t, out, "successful.", "one more session to the same target")
	assert.Equal(s.t, 2, s.sessionCount(), "two sessions to the same target")
	out = s.node(stockAdm, "-u", 60*time.Second)
	assert.Equal(s.t, 2, strings.Count(out, "successful."), "stock logs out both: %s", out)
	assert.Zero(s.t, s.sessionCount(), "no session left")
}

// Stock iscsiadm, our iscsid, autoscan_en = No in iscsid.conf: the login
// stock asked for brings LUN 0 alone, audited on the wire.
func rowStockAdmGlobalNo(s *scenario) {
	setGlobalAutoscan(s, "No")
	s.loginBy(stockAdm)
	require.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "LUN 0 only after stock's login")
	assertLUN0Only(s, s.audit(), "stock iscsiadm login, global autoscan_en=No")
	assertPolicyLogged(s, s.tgt.IQN(), "lun0", "login, autoscan_en=No")
	s.node(stockAdm, "-u", 60*time.Second)
	assert.Zero(s.t, s.sessionCount(), "no session left")
}

// Our iscsiadm, stock's iscsid: login (stock scans every LUN), listing,
// -P 3 state lines and -s from stock's iscsid, logout.
func rowProjectAdmStockD(s *scenario) {
	s.loginBy(projectAdm)
	s.waitLUNs(allLUNs, 90*time.Second)
	sid := s.sid()
	list := s.adm(projectAdm, "-m session", 30*time.Second)
	assert.Contains(s.t, list, fmt.Sprintf("tcp: [%d] %s,1 %s (non-flash)", sid, s.portal(), s.tgt.IQN()))
	s.assertInfoAndStats(projectAdm, sid)
	out := s.node(projectAdm, "-u", 60*time.Second)
	assert.Contains(s.t, out, fmt.Sprintf("Logout of [sid: %d, target: %s", sid, s.tgt.IQN()))
	assert.Zero(s.t, s.sessionCount(), "no session left")
}
