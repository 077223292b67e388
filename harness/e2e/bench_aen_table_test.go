//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// goalAENCPU is the benchmark's iscsid CPU budget for a 30 s storm, scaled to
// the storm's length.
const goalAENCPU = 1.0

func aenTable(cells map[string]scaleCell, took time.Duration) (string, []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nAEN storm: Linux %s in qemu (%s), emulated target, %d sessions, 3F/0E to every session %d/s for %.0f s,\n",
		image.Version, benchAccel(), *benchAENSessions, *benchAENRate, benchAENFor.Seconds())
	fmt.Fprint(&b, "LUN 1 added to every target halfway; median of the runs. wire = the capture (AENs, REPORT LUNS = full scans);\n")
	fmt.Fprint(&b, "log = the project's iscsid log (AEN scans decided, AENs read: the rest were folded in the kernel, busy periods);\n")
	fmt.Fprint(&b, "CPU = iscsid + reaped children, ")
	fmt.Fprint(&b, "of it loop = iscsid's main thread (receiving and sorting events; the project's scans run in other threads);\n")
	fmt.Fprint(&b, "I/O = 64 KiB write + direct read-back + compare per session, round after round during the storm\n")
	w := tabwriter.NewWriter(&b, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "initiator\tAENs sent\ton wire\tread (log)\tscans (wire)\tscans (log)\tbusy periods\trule broken\tCPU s\tloop s\tI/O ok\tI/O bad\tdevices/want\t\n")
	for _, c := range aenCols {
		x := cells[c.name]
		if x.err != "" {
			fmt.Fprintf(w, "%s\t%s\t\t\t\t\t\t\t\t\t\t\t\t\n", c.name, x.err)
			continue
		}
		m := x.med
		logged := func(k string) string {
			if c.initiator != "project" {
				return "-"
			}
			return fmt.Sprintf("%.0f", m[k])
		}
		fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%s\t%.0f\t%s\t%s\t%s\t%.2f\t%.2f\t%.0f\t%.0f\t%.0f/%.0f\t\n", c.name,
			m["sent"], m["wire_aens"], logged("log_aens"), m["wire_scans"], logged("log_scans"),
			logged("periods"), logged("rule_broken"), m["cpu_s"], m["loop_cpu_s"], m["io_ok"], m["io_bad"], m["devices"], m["want"])
	}
	w.Flush()
	misses, notes := aenGoals(cells)
	fmt.Fprintf(&b, "\nGoals (project):\n  %s\n", strings.Join(notes, "\n  "))
	verdict := "MET"
	if len(misses) > 0 {
		verdict = "MISSED: " + strings.Join(misses, "; ")
	}
	fmt.Fprintf(&b, "Goal check: %s\nAEN bench took %.0f s\n", verdict, took.Seconds())
	return b.String(), misses
}

func aenGoals(cells map[string]scaleCell) (misses, notes []string) {
	budget := goalAENCPU * benchAENFor.Seconds() / 30
	for _, c := range aenCols {
		x := cells[c.name]
		if c.initiator != "project" {
			continue
		}
		if x.err != "" {
			misses = append(misses, c.name+": no figures")
			continue
		}
		check := func(ok bool, note, miss string) {
			notes = append(notes, fmt.Sprintf("%s: %s  %s", c.name, note, map[bool]string{true: "ok", false: "MISSED"}[ok]))
			if !ok {
				misses = append(misses, c.name+": "+miss)
			}
		}
		// every run, not the median: the rule must hold each time
		check(x.hi["rule_broken"] == 0 && x.lo["log_tally_scans"] == x.lo["log_scans"] && x.hi["log_tally_scans"] == x.hi["log_scans"],
			fmt.Sprintf("coalescing: %.0f AENs -> %.0f scans in %.0f busy periods, each period 1 scan for 1 AEN else 2+ (broken: %.0f)",
				x.med["log_aens"], x.med["log_scans"], x.med["periods"], x.hi["rule_broken"]),
			"coalescing rule")
		check(x.lo["devices"] == x.med["want"] && x.hi["devices"] == x.med["want"],
			fmt.Sprintf("devices after the storm %.0f-%.0f, want %.0f (LUN 1 %s)", x.lo["devices"], x.hi["devices"], x.med["want"],
				map[bool]string{true: "found by the scan after the storm", false: "left alone: autoscan No"}[c.lun1]),
			"devices after the storm")
		check(x.hi["cpu_s"] <= budget,
			fmt.Sprintf("iscsid CPU %.2f s (worst run) <= %.2f s", x.hi["cpu_s"], budget), "CPU")
		check(x.hi["io_bad"] == 0 && x.lo["io_ok"] > 0,
			fmt.Sprintf("I/O kept going: %.0f rounds verified, %.0f bad", x.med["io_ok"], x.hi["io_bad"]), "I/O")
	}
	return misses, notes
}
