package target

import (
	"fmt"
	"strings"
)

// Hostile selects a way for the target to misbehave in full feature
// phase, for initiator robustness tests.
type Hostile int

const (
	HostileNone         Hostile = iota
	HostileBadLength            // every PDU header claims 64 KiB more data than sent
	HostileWrongOpcode          // every PDU carries an undefined target opcode
	HostileOversized            // Data-In ignores MaxRecvDataSegmentLength (one PDU per read)
	HostileBadSense             // CHECK CONDITION with a SenseLength beyond the segment
	HostileLoginGarbage         // login responses end with malformed text keys
)

var hostileNames = []string{"off", "bad-length", "wrong-opcode", "oversized", "bad-sense", "login-garbage"}

func (h Hostile) String() string {
	if int(h) < len(hostileNames) {
		return hostileNames[h]
	}
	return fmt.Sprintf("hostile(%d)", int(h))
}

// ParseHostile reads a mode name as String prints it.
func ParseHostile(s string) (Hostile, error) {
	for i, n := range hostileNames {
		if n == s {
			return Hostile(i), nil
		}
	}
	return 0, fmt.Errorf("unknown hostile mode %q (one of %s)", s, strings.Join(hostileNames, ", "))
}

// hostileBytes rewrites a serialised PDU for the modes that corrupt the
// header itself (digests, if any, then no longer match either).
func hostileBytes(h Hostile, b []byte, _ uint32) []byte {
	switch h {
	case HostileBadLength:
		n := (int(b[5])<<16 | int(b[6])<<8 | int(b[7])) + 64<<10
		b[5], b[6], b[7] = byte(n>>16), byte(n>>8), byte(n)
	case HostileWrongOpcode:
		b[0] = b[0]&0xc0 | 0x3c
	}
	return b
}

// garbageText is appended to login responses in HostileLoginGarbage: a
// pair without '=', an empty key, a non-ASCII key and an over-long value.
func garbageText() []byte {
	s := "NoEqualsSign\x00=empty\x00K\xff\xfe=1\x00X-Long=" + strings.Repeat("A", 9000) + "\x00"
	return []byte(s)
}
