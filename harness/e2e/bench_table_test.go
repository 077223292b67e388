//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"autoscan/harness/lab/labtarget"
)

// Goal of the project's autoscan_en = No (iscsid.conf(5), AUTOSCAN CONTROL): attach time and
// command count flat in N, and at the largest N at most a tenth of
// stock auto's attach time. "Flat" leaves room for TCG noise on shared
// cores: median commands within 10 %, median time within 50 % + 0.1 s
// (the guest clock ticks in 10 ms), over the N whose asked-for LUN is not
// LUN 0 (N = 1 asks for LUN 0, which the login itself brings).
const (
	goalCmdSpread  = 1.10
	goalTimeSpread = 1.50
	goalTimeSlack  = 0.10
	goalTimeRatio  = 0.10
)

const (
	benchBase    = "stock auto"
	benchProject = "project No"
)

// benchTable renders the cells and returns the goal misses (empty = met).
func benchTable(cells map[string]benchCell, took time.Duration) (string, []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nAttach time vs LUN count: Linux %s in qemu (%s, boot to ready %.1f s), emulated target, LUNs 0..N-1 (%d MB sparse, RAM)\n",
		image.Version, benchAccel(), guest.BootSeconds, lunSizeMB())
	fmt.Fprint(&b, "LUN asked for = N-1; attach s = start of iscsiadm --login until its block device exists (guest clock),\n")
	fmt.Fprintf(&b, "median of %d runs (range: fastest-slowest); commands = SCSI commands in the capture of the median run\n", max(*benchReps, 1))
	fmt.Fprint(&b, "(harness/audit, all LUNs, until the LUN list was quiet 3 s; other runs' range in brackets when they differ)\n")
	w := tabwriter.NewWriter(&b, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "N\tinitiator\tLUN\tattach s\trange\tvs auto\tcommands\tvs auto\tREPORT LUNS\tLUNs addressed\tdevices\t\n")
	for _, n := range benchSizes {
		base := cells[benchKey(n, benchBase)]
		for _, c := range benchCols {
			fmt.Fprintln(w, benchLine(n, c.name, cells[benchKey(n, c.name)], base))
		}
	}
	w.Flush()
	misses, notes := benchGoal(cells)
	fmt.Fprintf(&b, "\nGoal (project No): %s\n", strings.Join(notes, "\n                   "))
	verdict := "MET"
	if len(misses) > 0 {
		verdict = "MISSED: " + strings.Join(misses, "; ")
	}
	fmt.Fprintf(&b, "Goal check: %s\nbench took %.0f s\n", verdict, took.Seconds())
	return b.String(), misses
}

func benchLine(n int, col string, x, base benchCell) string {
	if x.err != "" {
		return fmt.Sprintf("%d\t%s\t%d\t%s\t\t\t\t\t\t\t\t", n, col, n-1, x.err)
	}
	cmds := fmt.Sprint(x.commands)
	if x.cmdLo != x.cmdHi {
		cmds += fmt.Sprintf(" (%d-%d)", x.cmdLo, x.cmdHi)
	}
	return fmt.Sprintf("%d\t%s\t%d\t%.2f\t%.2f-%.2f\t%s\t%s\t%s\t%d\t%s\t%d\t", n, col, n-1,
		x.seconds, x.lo, x.hi, ratio(x.seconds, base.seconds, base.err),
		cmds, ratio(float64(x.commands), float64(base.commands), base.err),
		x.reportLUNs, lunRanges(x.addressed), x.appeared)
}

func ratio(v, base float64, baseErr string) string {
	if baseErr != "" || base == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", v/base)
}

// benchGoal checks the goal on the measured cells; notes say what was
// compared with the figures, misses what failed.
func benchGoal(cells map[string]benchCell) (misses, notes []string) {
	var flat []benchCell
	var flatN []int
	for _, n := range benchSizes {
		x := cells[benchKey(n, benchProject)]
		if n == 1 {
			continue
		}
		if x.err != "" {
			misses = append(misses, fmt.Sprintf("no figure for N=%d (%s)", n, x.err))
			continue
		}
		flat, flatN = append(flat, x), append(flatN, n)
	}
	if len(flat) >= 2 {
		lo, hi := spread(flat, func(c benchCell) float64 { return float64(c.commands) })
		notes = append(notes, fmt.Sprintf("median-run commands over N=%v: %.0f..%.0f (max/min %.2f, goal <= %.2f)", flatN, lo, hi, hi/lo, goalCmdSpread))
		if hi > lo*goalCmdSpread {
			misses = append(misses, "command count grows with N")
		}
		lo, hi = spread(flat, func(c benchCell) float64 { return c.seconds })
		notes = append(notes, fmt.Sprintf("median attach s over N=%v: %.2f..%.2f (goal: max <= %.2f x min + %.2f s = %.2f)",
			flatN, lo, hi, goalTimeSpread, goalTimeSlack, lo*goalTimeSpread+goalTimeSlack))
		if hi > lo*goalTimeSpread+goalTimeSlack {
			misses = append(misses, "attach time grows with N")
		}
	}
	last := benchSizes[len(benchSizes)-1]
	p, a := cells[benchKey(last, benchProject)], cells[benchKey(last, benchBase)]
	if p.err != "" || a.err != "" {
		misses = append(misses, fmt.Sprintf("no figures at N=%d to compare", last))
		return misses, notes
	}
	notes = append(notes, fmt.Sprintf("at N=%d median attach %.2f s vs stock auto %.2f s (ratio %.3f, goal <= %.2f)",
		last, p.seconds, a.seconds, p.seconds/a.seconds, goalTimeRatio))
	if p.seconds > a.seconds*goalTimeRatio {
		misses = append(misses, fmt.Sprintf("at N=%d attach time above 1/10 of stock auto's", last))
	}
	return misses, notes
}

func spread(cs []benchCell, f func(benchCell) float64) (lo, hi float64) {
	lo, hi = f(cs[0]), f(cs[0])
	for _, c := range cs[1:] {
		v := f(c)
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// lunRanges writes 0,1,2,3,7 as "0-3,7".
func lunRanges(l []uint64) string {
	if len(l) == 0 {
		return "-"
	}
	var parts []string
	for i := 0; i < len(l); {
		j := i
		for j+1 < len(l) && l[j+1] == l[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", l[i], l[j]))
		} else {
			parts = append(parts, fmt.Sprint(l[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// benchAccel names the emulation the guest runs under (as lab.Boot decides).
func benchAccel() string {
	if os.Getenv("LAB_KVM") == "1" {
		return "KVM"
	}
	return "TCG, 1 vCPU"
}

func lunSizeMB() int { return labtarget.LUNSizeMB }
