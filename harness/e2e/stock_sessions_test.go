//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Stock open-iscsi 2.1.8 in the same suite as the project's session rows
// (iscsid(8) SESSIONS and AUTOSCAN CONTROL): CHAP one-way/mutual/wrong
// secret against both targets, and the os-brick attach of one LUN of 64,
// where the contrast is the point: stock's automatic scan brings every
// LUN, and only a manual scan record plus a write to the host's scan file
// attaches one LUN alone.
// The 16-session row is the project's, word for word: stock sets the
// exit codes and messages it checks. (The stock filesystem row is
// TestFilesystem.)
var stockSessionRows = []row{
	{"chap-oneway-and-mutual", bothKinds, rowCHAP},
	{"chap-wrong-secret-24-nothing-left", bothKinds, rowCHAPWrong},
	{"osbrick-64-luns-auto-scans-all", []string{kindTgtd}, rowStockOSBrickAuto},
	{"osbrick-64-luns-manual-scan-one", []string{kindTgtd}, rowStockOSBrickManual},
	{"sixteen-sessions-two-concurrent-L-all", []string{kindEmu}, rowSixteen},
}

func TestStockSessions(t *testing.T) { runMatrix(t, "stock", stockSessionRows) }

func lunRange(n int) []uint64 {
	l := make([]uint64, n)
	for i := range l {
		l[i] = uint64(i)
	}
	return l
}

// stock, scan=auto: the login scans the whole target, all 64 LUNs appear
// and are addressed; the volume wanted is LUN 42 and 62 others came too.
func rowStockOSBrickAuto(s *scenario) {
	osbrickExport64(s)
	s.login("auto")
	s.waitLUNs(lunRange(64), 3*time.Minute)
	osbrickUse(s, 42)
	s.logout()
	a := s.audit()
	assert.GreaterOrEqual(s.t, a.ReportLUNs, 1, "REPORT LUNS sent by the full scan")
	assert.Equal(s.t, fmtLUNs(lunRange(64)), fmtLUNs(a.luns()), "every LUN addressed")
	clean, bad := s.verdict(a, 0, 42)
	assert.False(s.t, clean, "allow-list {0,42} is violated")
	assert.Len(s.t, bad, 62, "62 LUNs addressed beyond 0 and 42")
}

// stock, scan=manual, then "0 0 42" into the host's scan file: only LUN 42
// appears and is addressed (the kernel probes that LUN alone).
func rowStockOSBrickManual(s *scenario) {
	osbrickExport64(s)
	s.login("manual")
	require.Empty(s.t, s.settle(), "no SCSI device after a manual-scan login")
	s.scan("0 0 42")
	s.waitLUNs([]uint64{42}, time.Minute)
	osbrickUse(s, 42)
	s.logout()
	a := s.audit()
	assert.Zero(s.t, a.ReportLUNs, "a fixed-LUN scan sends no REPORT LUNS")
	assert.Equal(s.t, fmtLUNs([]uint64{42}), fmtLUNs(a.luns()), "only LUN 42 addressed")
	clean, bad := s.verdict(a, 42)
	assert.True(s.t, clean, "allow-list {42} is clean")
	assert.Empty(s.t, bad)
}
