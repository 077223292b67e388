//go:build e2e

package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"autoscan/harness/lab/labtarget"
	"autoscan/harness/target"
)

// The AEN storm: the target sends "REPORTED LUNS DATA HAS
// CHANGED" to every session at a steady rate; halfway through, LUN 1 is
// added to every target, the change the scans after the storm must not
// lose (autoscan Yes) or must not bring (autoscan No). Meanwhile the guest
// writes and reads back a pattern on every session's LUN 0.

var (
	benchAENSessions = flag.Int("bench-aen-sessions", 16, "sessions of the AEN storm")
	benchAENRate     = flag.Int("bench-aen-rate", 100, "AENs per second per session")
	benchAENFor      = flag.Duration("bench-aen-for", 30*time.Second, "length of the AEN storm")
	benchAENCols     = flag.String("bench-aen-cols", "", "only these columns of the AEN storm, comma-separated (\"\" = all)")
)

// aenCol is one initiator setting of the storm.
type aenCol struct {
	name, initiator string
	settings        [][2]string
	lun1            bool // LUN 1 must appear after the storm
}

var aenCols = []aenCol{
	{"stock", "stock", nil, true},
	{"project Yes", "project", [][2]string{{"node.session.autoscan_en", "Yes"}}, true},
	{"project No", "project", [][2]string{{"node.session.autoscan_en", "No"}}, false},
}

func TestBenchAEN(t *testing.T) {
	if !*benchFlag {
		t.Skip("the bench runs with -args -bench (make bench)")
	}
	start := time.Now()
	cells := map[string]scaleCell{}
	for _, c := range aenCols {
		if *benchAENCols != "" && !strings.Contains(","+*benchAENCols+",", ","+c.name+",") {
			cells[c.name] = scaleCell{err: "not run (-bench-aen-cols)"}
			continue
		}
		if c.initiator == "project" && !image.Project {
			cells[c.name] = scaleCell{err: "n/a: usr/iscsid not built"}
			continue
		}
		var runs []scaleRun
		for i := 1; i <= max(*benchReps, 1); i++ {
			var r scaleRun
			if !t.Run(fmt.Sprintf("%s/run%d", strings.ReplaceAll(c.name, " ", "-"), i), func(t *testing.T) { r = aenOne(t, c) }) {
				cells[c.name] = scaleCell{err: fmt.Sprintf("ERROR in run %d (see log)", i)}
				break
			}
			runs = append(runs, r)
		}
		if cells[c.name].err == "" {
			cells[c.name] = scaleMedian(runs)
		}
	}
	table, misses := aenTable(cells, time.Since(start))
	fmt.Print(table)
	require.NoError(t, os.WriteFile(filepath.Join(resultsDir, "bench-aen.txt"), []byte(table), 0o644))
	for _, m := range misses {
		t.Errorf("goal missed: %s", m)
	}
}

// aenIO writes a 64 KiB pattern to each session's LUN 0 and reads it back
// (direct I/O, so the data crosses the wire), round after round, until
// /tmp/aen.stop exists; then "io_ok=N io_bad=N" into /tmp/aen.io.
const aenIO = `rm -f /tmp/aen.stop /tmp/aen.io
head -c 65536 /dev/urandom > /tmp/aen.pat
(ok=0; bad=0; r=0
while [ ! -e /tmp/aen.stop ]; do
	for b in /sys/class/scsi_device/*:0:0:0/device/block/*; do
		d=/dev/${b##*/}; o=$((r %% 16))
		if dd if=/tmp/aen.pat of=$d bs=64k seek=$o count=1 oflag=direct conv=notrunc 2>/dev/null &&
			dd if=$d of=/tmp/aen.back bs=64k skip=$o count=1 iflag=direct 2>/dev/null &&
			cmp -s /tmp/aen.pat /tmp/aen.back; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
	done
	r=$((r + 1))
done
echo "io_ok=$ok io_bad=$bad" > /tmp/aen.io) >/dev/null 2>&1 &
`

// aenCPU prints the CPU ticks (1/100 s) of every iscsid process, reaped
// children included (stock forks a scan per AEN), then those of their main
// threads alone (the event loop: receiving and sorting the AENs, without
// the scans the project runs in threads of their own), user and system.
const aenCPU = `c=0; u=0; k=0; for p in $(pidof iscsid); do c=$((c + $(awk '{print $14+$15+$16+$17}' /proc/$p/stat))); u=$((u + $(awk '{print $14}' /proc/$p/task/$p/stat))); k=$((k + $(awk '{print $15}' /proc/$p/task/$p/stat))); done; echo $c $u $k`

func aenOne(t *testing.T, c aenCol) scaleRun {
	n := *benchAENSessions
	s := newScenario(t, c.initiator, kindEmu, 0)
	tgts := scaleTargets(s, n, 1)
	scaleRecords(s, n, c.settings)
	_, err := guest.MustRun(fmt.Sprintf(`iscsiadm -m node -L all >/dev/null
for i in $(seq 600); do set -- /sys/class/scsi_device/*; [ $# -ge %d ] && [ -e "$1" ] && exit 0; sleep 0.1; done; exit 1`, n), 5*time.Minute)
	require.NoError(t, err, "%d sessions with LUN 0 each", n)
	before := auditTarget(s, "")
	_, err = guest.MustRun(fmt.Sprintf(aenIO), time.Minute)
	require.NoError(t, err, "I/O loop")
	cpu0, user0, sys0 := aenTicks(t)

	sent := aenStorm(t, tgts, *benchAENRate, *benchAENFor)

	want := n
	if c.lun1 {
		want = 2 * n
	}
	r, err := guest.Run(fmt.Sprintf(`for i in $(seq 900); do set -- /sys/class/scsi_device/*; [ $# -ge %d ] && break; sleep 0.1; done
ls /sys/class/scsi_device | wc -l`, want), 5*time.Minute)
	require.NoError(t, err)
	s.host = -1
	devs := len(s.settleAll())
	cpu1, user1, sys1 := aenTicks(t)
	_, err = guest.MustRun(`touch /tmp/aen.stop; for i in $(seq 600); do [ -s /tmp/aen.io ] && exit 0; sleep 0.1; done; exit 1`, 2*time.Minute)
	require.NoError(t, err, "I/O loop ends")
	io, err := guest.ReadFile("/tmp/aen.io")
	require.NoError(t, err)
	after := auditTarget(s, "")
	run := scaleNumbers(t, io)
	run["sent"] = float64(sent)
	run["wire_aens"] = float64(after.AEN3F0E - before.AEN3F0E)
	run["wire_scans"] = float64(after.ReportLUNs - before.ReportLUNs)
	run["cpu_s"] = float64(cpu1-cpu0) / 100
	run["loop_cpu_s"] = float64(user1-user0+sys1-sys0) / 100
	run["loop_sys_s"] = float64(sys1-sys0) / 100
	run["devices"] = float64(devs)
	run["want"] = float64(want)
	if c.initiator == "project" {
		log, err := guest.ReadFile("/tmp/iscsid.log")
		require.NoError(t, err)
		keep := filepath.Join(resultsDir, unsafeName.ReplaceAllString(t.Name(), "_")+"-iscsid.log")
		require.NoError(t, os.WriteFile(keep, []byte(log), 0o644))
		for k, v := range aenLogTally(log) {
			run[k] = v
		}
	}
	t.Logf("%s: %v (devices after: %s)", c.name, run, strings.TrimSpace(r.Stdout))
	return run
}

// aenTicks returns aenCPU's figures: all, main threads' user, their system.
func aenTicks(t *testing.T) (int, int, int) {
	r, err := guest.MustRun(aenCPU, time.Minute)
	require.NoError(t, err)
	f := strings.Fields(r.Stdout)
	require.Len(t, f, 3, "cpu ticks %q", r.Stdout)
	var v [3]int
	for i := range v {
		v[i], err = strconv.Atoi(f[i])
		require.NoError(t, err, "cpu ticks %q", r.Stdout)
	}
	return v[0], v[1], v[2]
}

// aenStorm sends rate AENs a second to every target for d, adding LUN 1
// to each halfway; it returns how many the targets sent.
func aenStorm(t *testing.T, tgts []*target.Target, rate int, d time.Duration) int {
	tick := time.NewTicker(time.Second / time.Duration(max(rate, 1)))
	defer tick.Stop()
	sent, added := 0, false
	for start := time.Now(); time.Since(start) < d; <-tick.C {
		if !added && time.Since(start) >= d/2 {
			for _, tg := range tgts {
				_, err := tg.AddLUN(1, labtarget.LUNSizeMB<<20)
				require.NoError(t, err)
			}
			added = true
		}
		for _, tg := range tgts {
			sent += tg.SendAEN(target.AEN{})
		}
	}
	return sent
}

// settleAll is settle over every SCSI device of the guest (all hosts).
func (s *scenario) settleAll() []string {
	list := func() string {
		r, err := guest.MustRun("ls /sys/class/scsi_device", 30*time.Second)
		require.NoError(s.t, err)
		return r.Stdout
	}
	last, since := list(), time.Now()
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end) && time.Since(since) < 3*time.Second; {
		time.Sleep(500 * time.Millisecond)
		if cur := list(); cur != last {
			last, since = cur, time.Now()
		}
	}
	return strings.Fields(last)
}

var (
	aenScanLine  = regexp.MustCompile(`scan, row "aen, `)
	aenTallyLine = regexp.MustCompile(`session \d+: (\d+) AENs handled by (\d+) scans`)
)

// aenLogTally reads the project's log: AEN scans decided (log_scans),
// AENs read and scans per busy period (log_aens, log_tally_scans; AENs
// folded in the kernel are not read and not counted),
// and the periods that break the rule (one scan for one AEN, else two or
// more but never more than AENs: rule_broken).
func aenLogTally(log string) scaleRun {
	r := scaleRun{"log_scans": float64(len(aenScanLine.FindAllString(log, -1)))}
	for _, m := range aenTallyLine.FindAllStringSubmatch(log, -1) {
		e, _ := strconv.Atoi(m[1])
		k, _ := strconv.Atoi(m[2])
		r["log_aens"] += float64(e)
		r["log_tally_scans"] += float64(k)
		r["periods"]++
		if (e == 1) != (k == 1) || k > e || k < 1 {
			r["rule_broken"]++
		}
	}
	return r
}
