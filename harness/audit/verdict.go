package audit

import (
	"sort"

	"autoscan/harness/iscsi"
)

// Report flushes what the assembler still holds, closes every connection
// and returns the audit. Call it once, after the last packet: packets fed
// afterwards would start new sessions.
func (a *Auditor) Report() *Report {
	a.asm.FlushAll()
	r := &Report{Version: ReportVersion, Inputs: append([]string{}, a.inputs...), Packets: a.packets}
	if !a.start.IsZero() {
		start, end := a.start.UTC(), a.last.UTC()
		r.Start, r.End = &start, &end
	}
	r.Sessions = []*Session{}
	for _, c := range a.conns {
		c.finish()
		r.PDUs += c.pdus
		if c.pdus == 0 || (a.opts.Target != "" && c.s.Target != a.opts.Target) {
			continue
		}
		r.Sessions = append(r.Sessions, c.s)
	}
	sortSessions(r.Sessions)
	r.Verdict = judge(r.Sessions, &a.opts)
	return r
}

func sortSessions(ss []*Session) {
	sort.SliceStable(ss, func(i, j int) bool {
		if !ss[i].FirstSeen.Equal(ss[j].FirstSeen) {
			return ss[i].FirstSeen.Before(ss[j].FirstSeen)
		}
		return ss[i].Client+ss[i].Server < ss[j].Client+ss[j].Server
	})
	for i, s := range ss {
		s.ID = i + 1
		utcSession(s)
	}
}

// utcSession keeps times in UTC so the JSON does not depend on the zone.
func utcSession(s *Session) {
	s.FirstSeen, s.LastSeen = s.FirstSeen.UTC(), s.LastSeen.UTC()
	for _, l := range s.LUNs {
		l.FirstSeen, l.LastSeen = l.FirstSeen.UTC(), l.LastSeen.UTC()
	}
	for i := range s.ReportLUNs {
		s.ReportLUNs[i].Time = s.ReportLUNs[i].Time.UTC()
	}
	for i := range s.AENs {
		s.AENs[i].Time = s.AENs[i].Time.UTC()
	}
	for i := range s.TMFs {
		s.TMFs[i].Time = s.TMFs[i].Time.UTC()
	}
	if s.ReportLUNs == nil {
		s.ReportLUNs = []Event{}
	}
	if s.AENs == nil {
		s.AENs = []AEN{}
	}
	if s.TMFs == nil {
		s.TMFs = []TMF{}
	}
	for i := range s.CheckConditions {
		s.CheckConditions[i].Time = s.CheckConditions[i].Time.UTC()
	}
	if s.CheckConditions == nil {
		s.CheckConditions = []CheckCondition{}
	}
}

func sortLUNs(ls []*LUN) {
	sort.Slice(ls, func(i, j int) bool { return ls[i].LUN < ls[j].LUN })
}

// judge lists, per session, LUN and opcode, the commands the options
// forbid: any command to a LUN outside the allow-list, and REPORT LUNS
// when forbidden.
func judge(ss []*Session, o *Options) Verdict {
	v := Verdict{ForbidReportLUNs: o.ForbidReportLUNs, Violations: []Violation{}}
	if o.AllowLUNs != nil {
		s := o.AllowLUNs.String()
		v.AllowLUNs = &s
	}
	for _, s := range ss {
		for _, l := range s.LUNs {
			v.Violations = append(v.Violations, lunViolations(s, l, o)...)
		}
	}
	v.Clean = len(v.Violations) == 0
	return v
}

func lunViolations(s *Session, l *LUN, o *Options) []Violation {
	var out []Violation
	allowed := o.AllowLUNs == nil || o.AllowLUNs.Contains(l.LUN)
	reportName := iscsi.OpcodeName(iscsi.ScsiReportLUNs)
	for _, name := range sortedKeys(l.Opcodes) {
		reason := ""
		switch {
		case !allowed:
			reason = "lun-not-allowed"
		case o.ForbidReportLUNs && name == reportName:
			reason = "report-luns"
		default:
			continue
		}
		out = append(out, Violation{Session: s.ID, Target: s.Target, LUN: l.LUN, Opcode: name,
			Reason: reason, Count: l.Opcodes[name], FirstSeen: l.firstByOp[name].UTC()})
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
