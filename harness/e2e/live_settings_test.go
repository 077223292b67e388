//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Live settings: a record change reaches a session already logged in at
// its next scan event. The target starts with LUN 0 alone, so "LUN 0 only"
// and "every LUN" are told apart by the device list itself.
var liveRows = []row{
	{"record-yes-to-no-live-aen", []string{kindEmu}, rowLiveYesToNo},
}

func TestProjectLive(t *testing.T) {
	t.Run("project", func(t *testing.T) {
		for _, r := range liveRows {
			for _, kind := range r.kinds {
				r := r
				t.Run(kind+"/"+r.name, func(t *testing.T) {
					start := time.Now()
					r.run(newScenario(t, "project", kind, 0))
					t.Logf("scenario took %.1f s", time.Since(start).Seconds())
				})
			}
		}
	})
}

// Record autoscan_en = Yes at login (iscsid.conf Yes too). Then, on the
// logged-in session: the record is updated to No, the target adds LUN 1 and
// sends AEN 3F/0E: LUN 0 only is scanned, LUN 1 never addressed, no REPORT
// LUNS. Back to Yes and another AEN: LUN 1 appears (the AEN path works, so
// the first half proves the setting, not a lost event).
func rowLiveYesToNo(s *scenario) {
	setGlobalAutoscan(s, "Yes")
	s.loginWith([][2]string{{"node.session.scan", "auto"}, {"node.session.autoscan_en", "Yes"}})
	s.waitLUNs([]uint64{0}, 60*time.Second)
	node := s.nodeOf(s.tgt.IQN())
	_, err := guest.MustRun(node+" -o update -n node.session.autoscan_en -v No", 30*time.Second)
	require.NoError(s.t, err, "record autoscan_en -> No on the logged-in session")

	before := s.audit()
	require.NoError(s.t, s.tgt.AddLUN(1))
	require.NoError(s.t, s.tgt.SendAEN())
	waitAENHandled(s)
	assertPolicyLogged(s, s.tgt.IQN(), "lun0", "aen, autoscan_en=No")
	time.Sleep(2 * time.Second) // time for a scan that must stay LUN 0
	assert.Equal(s.t, fmtLUNs([]uint64{0}), fmtLUNs(s.settle()), "LUN 0 only after the AEN")
	a := s.audit()
	assert.Greater(s.t, a.AEN3F0E, before.AEN3F0E, "the 3F/0E AEN is on the wire")
	assert.Equal(s.t, before.ReportLUNs, a.ReportLUNs, "no REPORT LUNS after the AEN")
	assert.Zero(s.t, a.Commands[1], "LUN 1 never addressed")
	// "0 0 0" finds LUN 0 already present: the kernel sends nothing, so the
	// LUN 0 scan shows in iscsid's log (waited for above), not on the wire.

	_, err = guest.MustRun(node+" -o update -n node.session.autoscan_en -v Yes", 30*time.Second)
	require.NoError(s.t, err, "record autoscan_en -> Yes again")
	require.NoError(s.t, s.tgt.SendAEN())
	s.waitLUNs([]uint64{0, 1}, 90*time.Second)
	a = s.audit()
	assert.Positive(s.t, a.Commands[1], "LUN 1 probed once autoscan_en is Yes again")
	assert.Greater(s.t, a.ReportLUNs, before.ReportLUNs, "REPORT LUNS after the second AEN")
	assertPolicyLogged(s, s.tgt.IQN(), "all", "aen, autoscan_en=Yes")
}

// waitAENHandled waits (30 s at most) until iscsid has logged the policy
// row of an AEN, whichever row it was.
func waitAENHandled(s *scenario) {
	_, err := guest.MustRun(`for i in $(seq 300); do
		grep -q 'scan, row "aen, ' /tmp/iscsid.log && exit 0; sleep 0.1; done; exit 1`, 60*time.Second)
	require.NoError(s.t, err, "iscsid logs the policy row of the AEN")
}
