//go:build e2e

package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/stretchr/testify/require"
)

// -demo runs TestDemo (make demo); the matrix run does not need it.
var demoFlag = flag.Bool("demo", false, "run the stock-vs-project demo table")

// demoCol is one initiator setting of the demo table.
type demoCol struct {
	name      string
	initiator string
	settings  [][2]string
}

var demoCols = []demoCol{
	{"stock auto", "stock", [][2]string{{"node.session.scan", "auto"}}},
	{"stock manual", "stock", [][2]string{{"node.session.scan", "manual"}}},
	{"project Yes", "project", [][2]string{{"node.session.scan", "auto"}, {"node.session.autoscan_en", "Yes"}}},
	{"project No", "project", [][2]string{{"node.session.scan", "auto"}, {"node.session.autoscan_en", "No"}}},
}

// demoRow drives one scenario and returns the LUNs the test asked for
// (LUN 0 and those present before an event are always allowed).
type demoRow struct {
	name string
	run  func(s *scenario) (allow []uint64)
}

var demoRows = []demoRow{
	{"login, target has LUNs 0-3", func(s *scenario) []uint64 {
		return []uint64{0}
	}},
	{"login, then LUN 2 requested (scan 0 0 2)", func(s *scenario) []uint64 {
		s.scan("0 0 2")
		s.settleFor(5 * time.Second)
		return []uint64{0, 2}
	}},
	{"LUN 4 added + AEN 3F/0E", func(s *scenario) []uint64 {
		allow := append([]uint64{0}, s.luns()...)
		require.NoError(s.t, s.tgt.AddLUN(4))
		require.NoError(s.t, s.tgt.SendAEN())
		time.Sleep(2 * time.Second)
		s.settleFor(5 * time.Second)
		return allow
	}},
}

// demoCell is what one scenario under one setting did.
type demoCell struct {
	appeared, unrequested string
	reportLUNs            int
	verdict               string
}

// TestDemo prints scenario x initiator: LUNs that appeared, unrequested
// LUNs addressed on the wire, REPORT LUNS sent, and the audit verdict.
func TestDemo(t *testing.T) {
	if !*demoFlag {
		t.Skip("the demo table runs with -args -demo (make demo)")
	}
	cells := map[string]demoCell{}
	for _, r := range demoRows {
		for _, c := range demoCols {
			r, c := r, c
			key := r.name + "|" + c.name
			if c.initiator == "project" && !image.Project {
				cells[key] = demoCell{verdict: "n/a: usr/iscsid not built"}
				continue
			}
			ok := t.Run(c.name+"/"+r.name, func(t *testing.T) { cells[key] = demoRun(t, r, c) })
			if !ok {
				cells[key] = demoCell{verdict: "ERROR (see log)"}
			}
		}
	}
	table := demoTable(cells) + demoRace(t)
	fmt.Print(table)
	_ = os.WriteFile(filepath.Join(resultsDir, "demo.txt"), []byte(table), 0o644)
}

func demoRun(t *testing.T, r demoRow, c demoCol) demoCell {
	s := newScenario(t, c.initiator, kindEmu, maxLUN)
	s.loginWith(c.settings)
	s.settleFor(5 * time.Second)
	allow := r.run(s)
	a := s.audit()
	clean, bad := s.verdict(a, allow...)
	cell := demoCell{appeared: joinLUNs(s.luns()), unrequested: joinLUNs(bad),
		reportLUNs: a.ReportLUNs, verdict: "clean"}
	if !clean {
		cell.verdict = "VIOLATION"
	}
	return cell
}

func demoTable(cells map[string]demoCell) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nAutoscan demo: Linux %s in qemu, emulated target with LUNs 0-3 (boot to ready %.1f s)\n",
		image.Version, guest.BootSeconds)
	w := tabwriter.NewWriter(&b, 2, 8, 2, ' ', 0)
	fmt.Fprint(w, "scenario\tinitiator\tLUNs appeared\tunrequested LUNs addressed\tREPORT LUNS\tverdict\n")
	for _, r := range demoRows {
		for _, c := range demoCols {
			x := cells[r.name+"|"+c.name]
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", r.name, c.name, x.appeared, x.unrequested, x.reportLUNs, x.verdict)
		}
	}
	w.Flush()
	return b.String()
}

func joinLUNs(l []uint64) string {
	if len(l) == 0 {
		return "-"
	}
	var p []string
	for _, n := range l {
		p = append(p, fmt.Sprint(n))
	}
	return strings.Join(p, ",")
}
