//go:build e2e

package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// -bench runs TestBench (make bench); the matrix run does not need it.
var benchFlag = flag.Bool("bench", false, "run the attach time vs LUN count bench")

// -bench-reps: runs per cell; the table shows the median and the range,
// since sub-second times under TCG on shared cores jitter.
var benchReps = flag.Int("bench-reps", 3, "runs per (N, initiator) cell of the bench")

// benchSizes are the LUN counts the emulated target exports (LUNs 0..N-1).
var benchSizes = []int{1, 16, 64, 256}

// benchAttachTimeout bounds one attach (a 256-LUN full scan under TCG).
const benchAttachTimeout = 8 * time.Minute

// benchCol is one initiator setting and the way it attaches the LUN asked for.
type benchCol struct {
	name      string
	initiator string
	settings  [][2]string
	attach    string // guest shell run right after login; $L is the LUN
}

var benchCols = []benchCol{
	// login scans every LUN; nothing else to do.
	{"stock auto", "stock", [][2]string{{"node.session.scan", "auto"}}, ":"},
	// as os-brick does: nothing at login, then "0 0 L" to the host's scan file.
	{"stock manual", "stock", [][2]string{{"node.session.scan", "manual"}},
		`h=$(ls /sys/class/iscsi_host); echo "0 0 $L" > /sys/class/scsi_host/$h/scan || exit 11`},
	// login scans LUN 0 only, then the one LUN through iscsiadm.
	{"project No", "project", [][2]string{{"node.session.autoscan_en", "No"}},
		`s=$(ls /sys/class/iscsi_session); iscsiadm -m session -r ${s#session} --rescan --lun $L >/dev/null || exit 12`},
}

// benchCell is what one (N, setting) run measured.
type benchCell struct {
	seconds    float64 // login start to the block device of the LUN asked for
	lo, hi     float64 // fastest and slowest run (seconds is the median)
	cmdLo      int     // fewest and most commands over the runs
	cmdHi      int
	hostSecs   float64  // the same run timed on the host, agent round trip included
	commands   int      // SCSI commands on the wire, all LUNs
	reportLUNs int      // REPORT LUNS among them
	addressed  []uint64 // LUNs that saw any command
	appeared   int      // SCSI devices present after the run settled
	err        string   // why there is no figure
}

// TestBench measures, in one guest boot, the attach time of the highest
// LUN and the SCSI commands on the wire for each LUN count and setting,
// prints the table (also results/bench.txt) and checks the goal.
func TestBench(t *testing.T) {
	if !*benchFlag {
		t.Skip("the bench runs with -args -bench (make bench)")
	}
	start := time.Now()
	cells := map[string]benchCell{}
	for _, n := range benchSizes {
		for _, c := range benchCols {
			n, c := n, c
			key := benchKey(n, c.name)
			if c.initiator == "project" && !image.Project {
				cells[key] = benchCell{err: "n/a: usr/iscsid not built"}
				continue
			}
			cells[key] = benchCellRuns(t, n, c)
		}
	}
	table, misses := benchTable(cells, time.Since(start))
	fmt.Print(table)
	require.NoError(t, os.WriteFile(filepath.Join(resultsDir, "bench.txt"), []byte(table), 0o644))
	for _, m := range misses {
		t.Errorf("goal missed: %s", m)
	}
}

func benchKey(n int, col string) string { return fmt.Sprintf("%d|%s", n, col) }

// benchCellRuns measures one cell -bench-reps times (a fresh target,
// iscsid and capture each) and keeps the median run; any failed run
// makes the cell an error rather than a figure from fewer runs.
func benchCellRuns(t *testing.T, n int, c benchCol) benchCell {
	var runs []benchCell
	for i := 1; i <= max(*benchReps, 1); i++ {
		var r benchCell
		ok := t.Run(fmt.Sprintf("N=%d/%s/run%d", n, c.name, i), func(t *testing.T) { r = benchRun(t, n, c) })
		if !ok {
			return benchCell{err: fmt.Sprintf("ERROR in run %d (see log)", i)}
		}
		runs = append(runs, r)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].seconds < runs[j].seconds })
	cell := runs[len(runs)/2]
	cell.lo, cell.hi = runs[0].seconds, runs[len(runs)-1].seconds
	cell.cmdLo, cell.cmdHi = cell.commands, cell.commands
	for _, r := range runs {
		cell.cmdLo, cell.cmdHi = min(cell.cmdLo, r.commands), max(cell.cmdHi, r.commands)
	}
	return cell
}

// benchRun is one cell: fresh target with LUNs 0..n-1, record set up
// (untimed), then login + attach + wait for the block device (timed in
// the guest), then the audit of the whole capture once the LUN list is
// quiet. The scenario's cleanup logs out and resets the guest.
func benchRun(t *testing.T, n int, c benchCol) benchCell {
	s := newScenario(t, c.initiator, kindEmu, n-1)
	lun := n - 1
	benchNode(s, c.settings)
	began := time.Now()
	secs, host := benchAttach(s, c, lun)
	hostSecs := time.Since(began).Seconds()
	s.host = host
	present := s.settle()
	a := s.audit()
	cell := benchCell{seconds: secs, hostSecs: hostSecs, reportLUNs: a.ReportLUNs, addressed: a.luns(), appeared: len(present)}
	for _, k := range a.Commands {
		cell.commands += k
	}
	require.Positive(t, a.Commands[uint64(lun)], "LUN %d was addressed", lun)
	t.Logf("N=%d %s: LUN %d attached in %.2f s (host clock, agent round trip included: %.2f s), %d commands, %d REPORT LUNS, %d LUNs addressed, %d devices",
		n, c.name, lun, secs, hostSecs, cell.commands, cell.reportLUNs, len(cell.addressed), cell.appeared)
	return cell
}

// benchNode creates the node record and applies the settings, untimed.
func benchNode(s *scenario, settings [][2]string) {
	node := fmt.Sprintf("iscsiadm -m node -T %s -p %s", s.tgt.IQN(), s.portal())
	script := "set -e\n" + node + " -o new >/dev/null\n"
	for _, kv := range settings {
		script += fmt.Sprintf("%s -o update -n %s -v %s\n", node, kv[0], kv[1])
	}
	_, err := guest.MustRun(script, time.Minute)
	require.NoError(s.t, err, "node record")
}

// benchScript times, with the guest's own clock (/proc/uptime, 10 ms),
// login + attach step until LUN $L has a block device; it prints
// "t0 t1 hostH". Polling uses shell builtins so it costs no fork per try.
const benchScript = `L=%d
read t0 x < /proc/uptime
%s -l >/dev/null || exit 10
%s
while :; do
	set -- /sys/class/scsi_device/*:0:0:$L/device/block/*
	[ -e "$1" ] && break
	read t x < /proc/uptime
	[ ${t%%.*} -gt $(( ${t0%%.*} + %d )) ] && exit 13
	sleep 0.02
done
read t1 x < /proc/uptime
echo "$t0 $t1 $(ls /sys/class/iscsi_host)"`

// benchAttach runs benchScript and returns the seconds and the SCSI host.
func benchAttach(s *scenario, c benchCol, lun int) (float64, int) {
	node := fmt.Sprintf("iscsiadm -m node -T %s -p %s", s.tgt.IQN(), s.portal())
	limit := int(benchAttachTimeout / time.Second)
	script := fmt.Sprintf(benchScript, lun, node, c.attach, limit)
	r, err := guest.MustRun(script, benchAttachTimeout+time.Minute)
	require.NoError(s.t, err, "login and attach of LUN %d (exit 10 login, 11 scan file, 12 rescan, 13 timed out)", lun)
	f := strings.Fields(r.Stdout)
	require.Len(s.t, f, 3, "timing output %q", r.Stdout)
	t0, err0 := strconv.ParseFloat(f[0], 64)
	t1, err1 := strconv.ParseFloat(f[1], 64)
	host, err2 := strconv.Atoi(strings.TrimPrefix(f[2], "host"))
	require.NoError(s.t, err0)
	require.NoError(s.t, err1)
	require.NoError(s.t, err2, "one iSCSI host: %q", f[2])
	return t1 - t0, host
}
