//go:build e2e

package e2e

import (
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// auditReport is what a capture says the initiator did.
type auditReport struct {
	Backend    string
	Commands   map[uint64]int // SCSI commands per LUN
	ReportLUNs int            // REPORT LUNS commands
	AENs       int            // Asynchronous Messages from the target
}

// violations lists LUNs that saw commands but are not in allow.
func (r auditReport) violations(allow ...uint64) []uint64 {
	ok := map[uint64]bool{}
	for _, l := range allow {
		ok[l] = true
	}
	var out []uint64
	for l, n := range r.Commands {
		if n > 0 && !ok[l] {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (r auditReport) luns() []uint64 { return r.violations() }

func (r auditReport) String() string {
	return fmt.Sprintf("%s: commands per LUN %v, REPORT LUNS %d, AENs %d",
		r.Backend, r.Commands, r.ReportLUNs, r.AENs)
}

// auditPcap decodes a capture of target port.
func auditPcap(file string, port int) (auditReport, error) {
	return auditTshark(file, port)
}

var lunRe = regexp.MustCompile(`LUN: 0x([0-9a-fA-F]+)`)

// auditTshark reads tshark's per-PDU summaries ("SCSI: Inquiry LUN: 0x01")
// and counts requests per LUN; data and response PDUs are not commands.
func auditTshark(file string, port int) (auditReport, error) {
	decode := fmt.Sprintf("tcp.port==%d,iscsi", port)
	out, err := exec.Command("tshark", "-r", file, "-d", decode, "-Y", "scsi",
		"-T", "fields", "-e", "_ws.col.Info").Output()
	if err != nil {
		return auditReport{}, fmt.Errorf("tshark %s: %v", file, err)
	}
	r := auditReport{Backend: "tshark", Commands: map[uint64]int{}}
	for _, chunk := range strings.Split(string(out), "SCSI: ")[1:] {
		if strings.HasPrefix(chunk, "Data In") || strings.HasPrefix(chunk, "Data Out") ||
			strings.HasPrefix(chunk, "Response") {
			continue
		}
		m := lunRe.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		l, _ := strconv.ParseUint(m[1], 16, 64)
		r.Commands[l]++
		if strings.HasPrefix(chunk, "Report LUNs") {
			r.ReportLUNs++
		}
	}
	aen, err := exec.Command("tshark", "-r", file, "-d", decode, "-Y", "iscsi.opcode == 0x32",
		"-T", "fields", "-e", "iscsi.opcode").Output()
	if err != nil {
		return r, fmt.Errorf("tshark %s: %v", file, err)
	}
	for _, l := range strings.Fields(string(aen)) {
		r.AENs += strings.Count(l, ",") + 1
	}
	return r, nil
}
