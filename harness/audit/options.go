// Package audit turns captured iSCSI traffic into a per-session, per-LUN
// account of what the initiator asked for, and a verdict against the LUNs
// it was allowed to touch.
package audit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"autoscan/harness/iscsi"
)

// Options select the traffic and the rules of the verdict.
type Options struct {
	Ports            []uint16 // target TCP ports; empty means 3260
	AllowLUNs        *LUNSet  // nil: every LUN is allowed
	ForbidReportLUNs bool     // a REPORT LUNS is a violation
	Target           string   // only sessions to this target name ("" = all)
}

func (o *Options) ports() []uint16 {
	if len(o.Ports) == 0 {
		return []uint16{iscsi.DefaultPort}
	}
	return o.Ports
}

// LUNSet is a set of Linux LUN numbers given as ranges.
type LUNSet struct{ ranges [][2]uint64 }

// ParseLUNList parses a list like "0,2,5-7".
func ParseLUNList(s string) (*LUNSet, error) {
	set := &LUNSet{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("empty element in LUN list %q", s)
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(strings.TrimSpace(lo), 0, 64)
		if err != nil {
			return nil, fmt.Errorf("bad LUN %q in list %q", lo, s)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(strings.TrimSpace(hi), 0, 64); err != nil || b < a {
				return nil, fmt.Errorf("bad LUN range %q in list %q", part, s)
			}
		}
		set.ranges = append(set.ranges, [2]uint64{a, b})
	}
	sort.Slice(set.ranges, func(i, j int) bool { return set.ranges[i][0] < set.ranges[j][0] })
	return set, nil
}

// Contains reports whether lun is in the set.
func (s *LUNSet) Contains(lun uint64) bool {
	for _, r := range s.ranges {
		if lun >= r[0] && lun <= r[1] {
			return true
		}
	}
	return false
}

// String renders the set in the list syntax, normalised.
func (s *LUNSet) String() string {
	parts := make([]string, 0, len(s.ranges))
	for _, r := range s.ranges {
		if r[0] == r[1] {
			parts = append(parts, strconv.FormatUint(r[0], 10))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", r[0], r[1]))
		}
	}
	return strings.Join(parts, ",")
}
