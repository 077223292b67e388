package target

// SCSI status bytes (SAM).
const (
	StatusGood           = 0x00
	StatusCheckCondition = 0x02
	StatusBusy           = 0x08
)

// Sense keys used by the target.
const (
	SenseNoSense        = 0x00
	SenseNotReady       = 0x02
	SenseIllegalRequest = 0x05
	SenseUnitAttention  = 0x06
	SenseAbortedCommand = 0x0b
)

// Sense is a sense key with its additional sense code and qualifier.
type Sense struct {
	Key, ASC, ASCQ byte
}

// Sense triples the target reports (SPC-4 annex).
var (
	SenseInvalidOpcode    = Sense{SenseIllegalRequest, 0x20, 0x00}
	SenseLBAOutOfRange    = Sense{SenseIllegalRequest, 0x21, 0x00}
	SenseInvalidField     = Sense{SenseIllegalRequest, 0x24, 0x00}
	SenseLUNNotSupported  = Sense{SenseIllegalRequest, 0x25, 0x00}
	SenseSavingNotSupport = Sense{SenseIllegalRequest, 0x39, 0x00}
	SenseReportedLUNsChg  = Sense{SenseUnitAttention, 0x3f, 0x0e}
	SenseParamListLength  = Sense{SenseIllegalRequest, 0x1a, 0x00}
)

// SenseFormat selects fixed (0x70) or descriptor (0x72) sense data.
type SenseFormat int

const (
	SenseFixed SenseFormat = iota
	SenseDescriptor
)

// Bytes encodes the sense data in the given format: 18 bytes fixed
// (response code 0x70, current error), 8 bytes descriptor (0x72, no
// descriptors).
func (s Sense) Bytes(f SenseFormat) []byte {
	if f == SenseDescriptor {
		return []byte{0x72, s.Key & 0x0f, s.ASC, s.ASCQ, 0, 0, 0, 0}
	}
	b := make([]byte, 18)
	b[0] = 0x70
	b[2] = s.Key & 0x0f
	b[7] = 10 // additional sense length: bytes 8..17
	b[12] = s.ASC
	b[13] = s.ASCQ
	return b
}

// ParseSense reads key/ASC/ASCQ back from fixed or descriptor sense; ok is
// false when the bytes are too short or the response code is unknown.
func ParseSense(b []byte) (s Sense, f SenseFormat, ok bool) {
	if len(b) < 1 {
		return s, f, false
	}
	switch b[0] & 0x7f {
	case 0x70, 0x71:
		if len(b) < 14 {
			return s, f, false
		}
		return Sense{b[2] & 0x0f, b[12], b[13]}, SenseFixed, true
	case 0x72, 0x73:
		if len(b) < 4 {
			return s, f, false
		}
		return Sense{b[1] & 0x0f, b[2], b[3]}, SenseDescriptor, true
	}
	return s, f, false
}
