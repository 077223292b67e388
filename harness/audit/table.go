package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON prints the report as indented JSON (the stable format).
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable prints the report for people: per session a LUN table, the
// REPORT LUNS, AENs and TMFs seen, then the verdict. Times are seconds
// from the start of the capture.
func WriteTable(w io.Writer, r *Report) error {
	var base time.Time
	if r.Start != nil {
		base = *r.Start
	}
	fmt.Fprintf(w, "%d packets, %d iSCSI PDUs, %d session(s)\n", r.Packets, r.PDUs, len(r.Sessions))
	for _, s := range r.Sessions {
		writeSession(w, s, base)
	}
	writeVerdict(w, &r.Verdict, base)
	return nil
}

func rel(t, base time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return fmt.Sprintf("+%.6fs", t.Sub(base).Seconds())
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func writeSession(w io.Writer, s *Session, base time.Time) {
	fmt.Fprintf(w, "\nsession %d: %s -> %s\n", s.ID, s.Client, s.Server)
	fmt.Fprintf(w, "  initiator %s\n  target    %s\n", orUnknown(s.Initiator), orUnknown(s.Target))
	fmt.Fprintf(w, "  type %s, isid %s, tsih %d, logins %d (failed %d), logouts %d, digests header=%v data=%v\n",
		orUnknown(s.SessionType), orUnknown(s.ISID), s.TSIH, s.Logins, s.LoginFailures, s.Logouts, s.HeaderDigest, s.DataDigest)
	if !s.LoginSeen {
		fmt.Fprintf(w, "  (no login in the capture: names unknown, digests guessed)\n")
	}
	if s.Resyncs > 0 || s.SkippedBytes > 0 || s.DigestErrors > 0 {
		fmt.Fprintf(w, "  resyncs %d, skipped bytes %d, digest errors %d\n", s.Resyncs, s.SkippedBytes, s.DigestErrors)
	}
	writeLUNs(w, s, base)
	writeEvents(w, s, base)
}

func writeLUNs(w io.Writer, s *Session, base time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  LUN\tCOMMANDS\tFIRST SEEN\tOPCODES\n")
	for _, l := range s.LUNs {
		fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\n", l.LUN, l.Commands, rel(l.FirstSeen, base), opcodeList(l.Opcodes))
	}
	tw.Flush()
}

// writeEvents lists REPORT LUNS, AENs, CHECK CONDITIONs and TMFs.
func writeEvents(w io.Writer, s *Session, base time.Time) {
	for _, e := range s.ReportLUNs {
		fmt.Fprintf(w, "  REPORT LUNS to LUN %d at %s\n", e.LUN, rel(e.Time, base))
	}
	for _, a := range s.AENs {
		sense := ""
		if a.Sense != nil {
			sense = fmt.Sprintf(", %s sense %s", a.Sense.Format, a.Sense.Text)
		}
		fmt.Fprintf(w, "  AEN %s (%d) on LUN %d at %s%s; then %d REPORT LUNS, %d commands\n",
			a.EventName, a.Event, a.LUN, rel(a.Time, base), sense, a.ReportLUNsAfter, a.CommandsAfter)
	}
	for _, cc := range s.CheckConditions {
		sense := "no sense data"
		if cc.Sense != nil {
			sense = cc.Sense.Format + " sense " + cc.Sense.Text
		}
		fmt.Fprintf(w, "  CHECK CONDITION for %s on LUN %d at %s: %s\n", orUnknown(cc.Opcode), cc.LUN, rel(cc.Time, base), sense)
	}
	for _, t := range s.TMFs {
		fmt.Fprintf(w, "  TMF %s on LUN %d at %s\n", t.Name, t.LUN, rel(t.Time, base))
	}
}

func opcodeList(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s x%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func writeVerdict(w io.Writer, v *Verdict, base time.Time) {
	allow := "all LUNs allowed"
	if v.AllowLUNs != nil {
		allow = "allowed LUNs " + *v.AllowLUNs
	}
	if v.ForbidReportLUNs {
		allow += ", REPORT LUNS forbidden"
	}
	if v.Clean {
		fmt.Fprintf(w, "\nverdict: CLEAN (%s)\n", allow)
		return
	}
	fmt.Fprintf(w, "\nverdict: VIOLATION (%s)\n", allow)
	for _, x := range v.Violations {
		fmt.Fprintf(w, "  session %d LUN %d: %s x%d, first at %s (%s)\n",
			x.Session, x.LUN, x.Opcode, x.Count, rel(x.FirstSeen, base), x.Reason)
	}
}
