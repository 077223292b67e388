package iscsi

import (
	"encoding/binary"
	"fmt"
)

// Sense is the meaning of a sense data buffer.
type Sense struct {
	Format  string // "fixed" or "descriptor"
	Current bool   // current (0x70/0x72) rather than deferred error
	Key     uint8
	ASC     uint8
	ASCQ    uint8
	Info    uint64 // information field, when HasInfo
	HasInfo bool
}

// Sense keys used by the AEN path.
const (
	SenseNoSense        = 0x0
	SenseNotReady       = 0x2
	SenseIllegalRequest = 0x5
	SenseUnitAttention  = 0x6
)

// ParseSense decodes fixed (response code 0x70/0x71) and descriptor
// (0x72/0x73) sense data (SPC-4 4.5). ok is false for anything else, and
// when the additional sense length or a descriptor runs past the buffer or
// stops before ASC/ASCQ: a report must not show values that were not sent.
func ParseSense(b []byte) (s Sense, ok bool) {
	if len(b) < 8 {
		return s, false
	}
	end := 8 + int(b[7])
	if end > len(b) {
		return s, false
	}
	switch b[0] & 0x7f {
	case 0x70, 0x71:
		return parseFixed(b, end)
	case 0x72, 0x73:
		return parseDescriptor(b, end)
	}
	return s, false
}

func parseFixed(b []byte, end int) (Sense, bool) {
	if end < 14 {
		return Sense{}, false
	}
	s := Sense{Format: "fixed", Current: b[0]&0x7f == 0x70, Key: b[2] & 0x0f, ASC: b[12], ASCQ: b[13]}
	if b[0]&0x80 != 0 { // VALID: the information field means something
		s.Info, s.HasInfo = uint64(binary.BigEndian.Uint32(b[3:7])), true
	}
	return s, true
}

func parseDescriptor(b []byte, end int) (Sense, bool) {
	s := Sense{Format: "descriptor", Current: b[0]&0x7f == 0x72, Key: b[1] & 0x0f, ASC: b[2], ASCQ: b[3]}
	for i := 8; i < end; {
		if i+2 > end || i+2+int(b[i+1]) > end {
			return Sense{}, false
		}
		if b[i] == 0 && b[i+1] >= 0x0a { // information descriptor
			s.Info, s.HasInfo = binary.BigEndian.Uint64(b[i+4:i+12]), true
		}
		i += 2 + int(b[i+1])
	}
	return s, true
}

// ParseAsyncSense decodes the data segment of an Asynchronous Message (or
// a SCSI Response): a 2-byte SenseLength, the sense data, and event data
// after it. A zero or overrunning SenseLength is an error.
func ParseAsyncSense(data []byte) (Sense, bool) {
	if len(data) < 2 {
		return Sense{}, false
	}
	n := int(binary.BigEndian.Uint16(data))
	if n == 0 || 2+n > len(data) {
		return Sense{}, false
	}
	return ParseSense(data[2 : 2+n])
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
