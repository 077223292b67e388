package iscsi

import "fmt"

// Sense is the meaning of a sense data buffer.
type Sense struct {
	Format  string // "fixed" or "descriptor"
	Current bool   // current (0x70/0x72) rather than deferred error
	Key     uint8
	ASC     uint8
	ASCQ    uint8
}

// Sense keys used by the AEN path.
const (
	SenseNoSense        = 0x0
	SenseNotReady       = 0x2
	SenseIllegalRequest = 0x5
	SenseUnitAttention  = 0x6
)

// ParseSense decodes fixed (response code 0x70/0x71) and descriptor
// (0x72/0x73) sense data. ok is false when b is neither or too short.
func ParseSense(b []byte) (s Sense, ok bool) {
	if len(b) < 1 {
		return s, false
	}
	switch b[0] & 0x7f {
	case 0x70, 0x71:
		if len(b) < 3 {
			return s, false
		}
		s = Sense{Format: "fixed", Current: b[0]&0x7f == 0x70, Key: b[2] & 0x0f}
		// ASC/ASCQ sit at 12/13 and are present only if the additional
		// length (byte 7) reaches them.
		if len(b) >= 14 && int(b[7])+8 >= 14 {
			s.ASC, s.ASCQ = b[12], b[13]
		}
		return s, true
	case 0x72, 0x73:
		if len(b) < 4 {
			return s, false
		}
		return Sense{Format: "descriptor", Current: b[0]&0x7f == 0x72, Key: b[1] & 0x0f, ASC: b[2], ASCQ: b[3]}, true
	}
	return s, false
}

// FixedSense builds 18 bytes of current fixed-format sense data.
func FixedSense(key, asc, ascq uint8) []byte {
	b := make([]byte, 18)
	b[0], b[2], b[7], b[12], b[13] = 0x70, key&0x0f, 10, asc, ascq
	return b
}

// DescriptorSense builds 8 bytes of current descriptor-format sense data
// with no descriptors.
func DescriptorSense(key, asc, ascq uint8) []byte {
	return []byte{0x72, key & 0x0f, asc, ascq, 0, 0, 0, 0}
}

var senseKeyNames = []string{"NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR",
	"HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT", "BLANK CHECK",
	"VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND", "RESERVED", "VOLUME OVERFLOW",
	"MISCOMPARE", "COMPLETED"}

// KeyName names the sense key.
func (s Sense) KeyName() string { return senseKeyNames[s.Key&0x0f] }

var ascNames = map[uint16]string{
	0x0000: "NO ADDITIONAL SENSE INFORMATION", 0x0400: "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE",
	0x2000: "INVALID COMMAND OPERATION CODE", 0x2400: "INVALID FIELD IN CDB",
	0x2500: "LOGICAL UNIT NOT SUPPORTED", 0x2800: "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED",
	0x2900: "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED", 0x2a01: "MODE PARAMETERS CHANGED",
	0x2a09: "CAPACITY DATA HAS CHANGED", 0x3a00: "MEDIUM NOT PRESENT",
	0x3f03: "INQUIRY DATA HAS CHANGED", 0x3f0e: "REPORTED LUNS DATA HAS CHANGED",
	0x3807: "THIN PROVISIONING SOFT THRESHOLD REACHED",
}

// ASCName names the additional sense code and qualifier, when known.
func (s Sense) ASCName() string {
	if n, ok := ascNames[uint16(s.ASC)<<8|uint16(s.ASCQ)]; ok {
		return n
	}
	return fmt.Sprintf("ASC 0x%02x ASCQ 0x%02x", s.ASC, s.ASCQ)
}

// ReportedLUNsChanged reports the 3F/0E condition that asks for a rescan.
func (s Sense) ReportedLUNsChanged() bool { return s.ASC == 0x3f && s.ASCQ == 0x0e }

func (s Sense) String() string {
	return fmt.Sprintf("%s %02X/%02X (%s)", s.KeyName(), s.ASC, s.ASCQ, s.ASCName())
}
