package target

import "autoscan/harness/iscsi"

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
