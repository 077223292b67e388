//go:build e2e

package e2e

import (
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"autoscan/harness/audit"
)

// auditReport is what a capture says the initiator did, summed over the
// sessions to the scenario's target (the decoder in harness/audit).
type auditReport struct {
	Commands   map[uint64]int // SCSI commands per LUN
	ReportLUNs int            // REPORT LUNS commands
	AENs       int            // Asynchronous Messages from the target
	AEN3F0E    int            // ... of them SCSI events with sense 3F/0E
	file       string
	port       int
	iqn        string
}

// auditPcap decodes a capture of the target's port.
func auditPcap(file string, port int, iqn string) (auditReport, error) {
	rep, err := audit.AnalyzeFiles(audit.Options{Ports: []uint16{uint16(port)}, Target: iqn}, file)
	if err != nil {
		return auditReport{}, err
	}
	r := sumSessions(rep)
	r.file, r.port, r.iqn = file, port, iqn
	return r, nil
}

// sumSessions adds up what every session of a report did.
func sumSessions(rep *audit.Report) auditReport {
	r := auditReport{Commands: map[uint64]int{}}
	for _, s := range rep.Sessions {
		for _, l := range s.LUNs {
			r.Commands[l.LUN] += l.Commands
		}
		r.ReportLUNs += len(s.ReportLUNs)
		for _, a := range s.AENs {
			r.AENs++
			if a.Sense != nil && a.Sense.ASC == 0x3f && a.Sense.ASCQ == 0x0e {
				r.AEN3F0E++
			}
		}
	}
	return r
}

// allowList is audit's allow-list of exactly these LUNs (none: nothing
// allowed).
func allowList(luns []uint64) (*audit.LUNSet, error) {
	if len(luns) == 0 {
		return &audit.LUNSet{}, nil
	}
	parts := make([]string, len(luns))
	for i, l := range luns {
		parts[i] = strconv.FormatUint(l, 10)
	}
	return audit.ParseLUNList(strings.Join(parts, ","))
}

// notAllowed lists the LUNs a verdict names as not allowed, once each, in
// numeric order.
func notAllowed(v audit.Verdict) []uint64 {
	seen := map[uint64]bool{}
	var bad []uint64
	for _, x := range v.Violations {
		if x.Reason == "lun-not-allowed" && !seen[x.LUN] {
			seen[x.LUN] = true
			bad = append(bad, x.LUN)
		}
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i] < bad[j] })
	return bad
}

// verdict is the audit's own judgement with allow as the allow-list:
// the LUNs it names as violations (nil allow = nothing allowed).
func (r auditReport) verdict(allow ...uint64) (clean bool, bad []uint64, err error) {
	set, err := allowList(allow)
	if err != nil {
		return false, nil, err
	}
	rep, err := audit.AnalyzeFiles(audit.Options{Ports: []uint16{uint16(r.port)},
		Target: r.iqn, AllowLUNs: set}, r.file)
	if err != nil {
		return false, nil, err
	}
	return rep.Verdict.Clean, notAllowed(rep.Verdict), nil
}

// luns lists the LUNs that saw any command.
func (r auditReport) luns() []uint64 { return keys(r.Commands) }

func (r auditReport) String() string {
	return fmt.Sprintf("harness/audit: commands per LUN %v, REPORT LUNS %d, AENs %d (3F/0E %d)",
		r.Commands, r.ReportLUNs, r.AENs, r.AEN3F0E)
}

func keys(m map[uint64]int) []uint64 {
	var out []uint64
	for l, n := range m {
		if n > 0 {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

var lunRe = regexp.MustCompile(`LUN: 0x([0-9a-fA-F]+)`)

// tsharkLUNs is the cross-check by a decoder no one here wrote: the LUNs
// tshark's per-PDU summaries ("SCSI: Inquiry LUN: 0x01") show commands to.
func tsharkLUNs(file string, port int) ([]uint64, error) {
	out, err := exec.Command("tshark", "-r", file, "-d", fmt.Sprintf("tcp.port==%d,iscsi", port),
		"-Y", "scsi", "-T", "fields", "-e", "_ws.col.Info").Output()
	if err != nil {
		return nil, fmt.Errorf("tshark %s: %w", file, err)
	}
	count := map[uint64]int{}
	for _, chunk := range strings.Split(string(out), "SCSI: ")[1:] {
		if strings.HasPrefix(chunk, "Data In") || strings.HasPrefix(chunk, "Data Out") ||
			strings.HasPrefix(chunk, "Response") {
			continue
		}
		if m := lunRe.FindStringSubmatch(chunk); m != nil {
			l, _ := strconv.ParseUint(m[1], 16, 64)
			count[l]++
		}
	}
	return keys(count), nil
}
