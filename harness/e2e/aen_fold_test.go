//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab/labtarget"
	"autoscan/harness/target"
)

// TestAENFold: during an AEN storm iscsid folds a session's AENs in the
// kernel once a scan is pending (usr/daemon/aen_sink.h). The storm must
// still lose no change (LUN 1, added halfway, appears with autoscan Yes),
// fail no connection, read only a fraction of the AENs, and leave nothing
// behind: the sinks are closed, and a lone AEN after the storm is read
// and scanned at once (LUN 2 appears), so the event socket's filter let
// the sessions go.
func TestAENFold(t *testing.T) {
	require.True(t, image.Project, "the lab image needs usr/iscsid (make all)")
	const n = 4
	s := newScenario(t, "project", kindEmu, 0)
	tgts := scaleTargets(s, n, 1)
	scaleRecords(s, n, [][2]string{{"node.session.autoscan_en", "Yes"}})
	_, err := guest.MustRun(fmt.Sprintf(`iscsiadm -m node -L all >/dev/null
for i in $(seq 600); do set -- /sys/class/scsi_device/*; [ $# -ge %d ] && [ -e "$1" ] && exit 0; sleep 0.1; done; exit 1`, n), 5*time.Minute)
	require.NoError(t, err, "%d sessions with LUN 0 each", n)
	fds := func() string {
		r, err := guest.MustRun(`ls /proc/$(pidof iscsid)/fd | wc -l`, time.Minute)
		require.NoError(t, err)
		return strings.TrimSpace(r.Stdout)
	}
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := guest.ReadFile("/tmp/iscsid.log")
			_ = os.WriteFile(filepath.Join(resultsDir, "TestAENFold-iscsid.log"), []byte(log), 0o644)
		}
	})
	fds0 := fds()
	before := auditTarget(s, "")

	sent := aenStorm(t, tgts, 200, 8*time.Second)
	devs := waitDevices(t, 2*n)
	assert.Len(t, devs, 2*n, "LUN 1 of every target found by the scans after the storm")

	// the storm's busy periods end (2 s hold-off after the last scan)
	time.Sleep(5 * time.Second)
	log, err := guest.ReadFile("/tmp/iscsid.log")
	require.NoError(t, err)
	tally := aenLogTally(log)
	t.Logf("storm: %d AENs sent, %.0f read by iscsid, %.0f scans in %.0f busy periods",
		sent, tally["log_aens"], tally["log_tally_scans"], tally["periods"])
	assert.Contains(t, log, "more folded in the kernel", "AENs were folded in the kernel")
	assert.NotContains(t, log, "AEN sink overflowed")
	assert.NotContains(t, log, "read one by one", "folding stayed on")
	assert.NotRegexp(t, `connection \d+ error`, log, "no connection failed")
	assert.Less(t, tally["log_aens"], float64(sent)/4, "iscsid read few of the %d AENs", sent)
	assert.Zero(t, tally["rule_broken"], "coalescing rule")
	a := auditTarget(s, "")
	assert.GreaterOrEqual(t, a.AEN3F0E-before.AEN3F0E, sent*9/10, "the AENs were on the wire")
	assert.Equal(t, fds0, fds(), "the sinks are closed after the storm")

	// a lone AEN after the storm is read and scanned
	lines := strings.Count(log, " AENs handled by ")
	for _, tg := range tgts {
		_, err := tg.AddLUN(2, labtarget.LUNSizeMB<<20)
		require.NoError(t, err)
		require.Equal(t, 1, tg.SendAEN(target.AEN{}))
	}
	devs = waitDevices(t, 3*n)
	assert.Len(t, devs, 3*n, "LUN 2 of every target found after one AEN each")
	time.Sleep(3 * time.Second)
	log, err = guest.ReadFile("/tmp/iscsid.log")
	require.NoError(t, err)
	after := strings.Split(log, "\n")
	fresh := 0
	for _, l := range after {
		if strings.Contains(l, " 1 AENs handled by 1 scans") && !strings.Contains(l, "folded") {
			fresh++
		}
	}
	assert.Equal(t, lines+n, strings.Count(log, " AENs handled by "), "one busy period per session for the lone AEN")
	assert.GreaterOrEqual(t, fresh, n, "each lone AEN read and scanned once")
}

// waitDevices waits (up to 90 s) for at least want SCSI devices and
// returns them.
func waitDevices(t *testing.T, want int) []string {
	r, err := guest.Run(fmt.Sprintf(`for i in $(seq 900); do set -- /sys/class/scsi_device/*; [ $# -ge %d ] && break; sleep 0.1; done
ls /sys/class/scsi_device`, want), 3*time.Minute)
	require.NoError(t, err)
	return strings.Fields(r.Stdout)
}
