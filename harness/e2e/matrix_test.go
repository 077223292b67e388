//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// row is one scenario of the matrix; it runs once per target kind listed,
// for whichever initiator column calls runMatrix (stock here; the project
// column calls runMatrix(t, "project", rows) from its own file).
type row struct {
	name  string
	kinds []string // target kinds the row needs (AEN rows: emu only)
	run   func(s *scenario)
}

// maxLUN is the highest LUN every scenario target starts with: 0-3.
const maxLUN = 3

var allLUNs = []uint64{0, 1, 2, 3}

func runMatrix(t *testing.T, initiator string, rows []row) {
	for _, r := range rows {
		for _, kind := range r.kinds {
			r, kind := r, kind
			t.Run(kind+"/"+r.name, func(t *testing.T) {
				start := time.Now()
				r.run(newScenario(t, initiator, kind, maxLUN))
				t.Logf("scenario took %.1f s", time.Since(start).Seconds())
			})
		}
	}
}

var bothKinds = []string{kindEmu, kindTgtd}

// baseRows are the autoscan scenarios every initiator must pass; for an
// unpatched stock initiator "auto" is the problem the project fixes, and
// the audit must catch it.
var baseRows = []row{
	{"auto-scans-every-lun", bothKinds, rowAutoAll},
	{"manual-then-scan-lun2", bothKinds, rowManualThenLUN2},
	{"auto-aen-adds-lun4", []string{kindEmu}, rowAutoAEN},
	{"manual-aen-nothing", []string{kindEmu}, rowManualAEN},
}

func TestStock(t *testing.T) { runMatrix(t, "stock", baseRows) }

// auto: the initiator scans the whole target; allow-list {0} must flag 1-3.
func rowAutoAll(s *scenario) {
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	a := s.audit()
	clean, bad := s.verdict(a, 0)
	assert.False(s.t, clean, "audit with allow-list {0} is not clean")
	assert.Equal(s.t, fmtLUNs([]uint64{1, 2, 3}), fmtLUNs(bad), "audit with allow-list {0} names LUNs 1-3")
	assert.GreaterOrEqual(s.t, a.ReportLUNs, 1, "REPORT LUNS sent by the full scan")
}

// manual: nothing at login; a scan of 0 0 2 brings LUN 2 alone.
func rowManualThenLUN2(s *scenario) {
	s.login("manual")
	require.Empty(s.t, s.settle(), "no SCSI device after a manual-scan login")
	a := s.audit()
	require.Empty(s.t, a.luns(), "no command to any LUN after a manual login")
	require.Zero(s.t, a.ReportLUNs, "no REPORT LUNS after a manual login")
	s.scan("0 0 2")
	s.waitLUNs([]uint64{2}, 60*time.Second)
	a = s.audit()
	clean, bad := s.verdict(a, 2)
	assert.True(s.t, clean, "audit with allow-list {2} is clean")
	assert.Empty(s.t, bad)
	assert.Positive(s.t, a.Commands[2], "LUN 2 was probed")
	assert.Zero(s.t, a.ReportLUNs, "a fixed-LUN scan sends no REPORT LUNS")
}

// auto + AEN 3F/0E after adding LUN 4: the initiator rescans and attaches it.
func rowAutoAEN(s *scenario) {
	s.login("auto")
	s.waitLUNs(allLUNs, 90*time.Second)
	before := s.audit()
	require.NoError(s.t, s.tgt.AddLUN(4))
	require.NoError(s.t, s.tgt.SendAEN())
	s.waitLUNs([]uint64{0, 1, 2, 3, 4}, 90*time.Second)
	a := s.audit()
	assert.GreaterOrEqual(s.t, a.AEN3F0E, 1, "the 3F/0E AEN is on the wire")
	assert.Greater(s.t, a.ReportLUNs, before.ReportLUNs, "REPORT LUNS after the AEN")
	assert.Positive(s.t, a.Commands[4], "LUN 4 was probed")
	_, bad := s.verdict(a, 0, 1, 2, 3)
	assert.Equal(s.t, fmtLUNs([]uint64{4}), fmtLUNs(bad), "allow-list {0-3}: the new LUN 4 is the violation")
}

// manual + AEN: nothing is scanned, nothing appears.
func rowManualAEN(s *scenario) {
	s.login("manual")
	require.Empty(s.t, s.settle(), "no SCSI device after a manual-scan login")
	require.NoError(s.t, s.tgt.AddLUN(4))
	require.NoError(s.t, s.tgt.SendAEN())
	time.Sleep(2 * time.Second) // time for a rescan that must not come
	assert.Empty(s.t, s.settle(), "no SCSI device after the AEN")
	a := s.audit()
	assert.GreaterOrEqual(s.t, a.AEN3F0E, 1, "the 3F/0E AEN is on the wire")
	assert.Empty(s.t, a.luns(), "no command to any LUN")
	assert.Zero(s.t, a.ReportLUNs, "no REPORT LUNS")
	clean, _ := s.verdict(a)
	assert.True(s.t, clean, "audit with an empty allow-list is clean")
}
