package target

import "autoscan/harness/iscsi"

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

// Bytes encodes the sense data in the given format with the harness's
// builders: 18 bytes fixed (0x70), 8 bytes descriptor (0x72).
func (s Sense) Bytes(f SenseFormat) []byte {
	if f == SenseDescriptor {
		return iscsi.DescriptorSense(s.Key, s.ASC, s.ASCQ)
	}
	return iscsi.FixedSense(s.Key, s.ASC, s.ASCQ)
}
