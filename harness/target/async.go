package target

import (
	"fmt"
	"strings"

	"autoscan/harness/iscsi"
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
func hostileBytes(h Hostile, b []byte) []byte {
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

// aenPDU builds an Asynchronous Message carrying a SCSI event: the sense
// data goes in the data segment after its 2-byte length, as for a SCSI
// Response.
func aenPDU(a AEN) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpAsyncMsg)
	p.SetFlags(iscsi.FlagFinal)
	copy(p.BHS[8:16], EncodeLUN(a.LUN))
	p.SetITT(0xffffffff)
	p.SetAsyncEvent(iscsi.AsyncSCSIEvent)
	p.SetSense(a.Sense.Bytes(a.Format))
	return p
}

// asyncPDU builds the other events. Parameter meanings (RFC 7143 section
// 11.9.1): logout request: Parameter3 = Time2Wait; drop connection:
// Parameter1 = CID, 2 = Time2Wait, 3 = Time2Retain; drop all: 2 and 3.
func asyncPDU(event uint8, cid, time2wait, time2retain uint16) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpAsyncMsg)
	p.SetFlags(iscsi.FlagFinal)
	p.SetITT(0xffffffff)
	p.SetAsyncEvent(event)
	switch event {
	case iscsi.AsyncRequestLogout:
		p.SetParameter(2, time2wait)
	case iscsi.AsyncDropConnection:
		p.SetParameter(0, cid)
		p.SetParameter(1, time2wait)
		p.SetParameter(2, time2retain)
	default:
		p.SetParameter(1, time2wait)
		p.SetParameter(2, time2retain)
	}
	return p
}
