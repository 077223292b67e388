package synth

import "autoscan/harness/iscsi"

// Session holds what PDU builders need to number PDUs plausibly.
type Session struct {
	Digests bool // header and data digests after login
	itt     uint32
	cmdSN   uint32
	statSN  uint32
}

func (s *Session) pdu(op iscsi.Opcode, flags uint8) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetOpcode(op)
	p.SetFlags(flags)
	return p
}

func mustMarshal(p *iscsi.PDU) []byte {
	b, err := p.Marshal()
	if err != nil {
		panic(err) // builders only make well-formed PDUs
	}
	return b
}

// LoginRequest is a one-PDU login straight to full feature phase.
func (s *Session) LoginRequest(initiator, target string) []byte {
	p := s.pdu(iscsi.OpLoginReq, 0)
	p.SetImmediate(true)
	p.SetLoginStages(true, false, iscsi.StageOperational, iscsi.StageFullFeature)
	p.SetISID([6]byte{0x00, 0x02, 0x3d, 0, 0, 1})
	p.SetITT(s.itt)
	dig := "None"
	if s.Digests {
		dig = "CRC32C,None"
	}
	p.Data = iscsi.EncodeText(
		iscsi.KeyValue{Key: "InitiatorName", Value: initiator},
		iscsi.KeyValue{Key: "TargetName", Value: target},
		iscsi.KeyValue{Key: "SessionType", Value: "Normal"},
		iscsi.KeyValue{Key: "HeaderDigest", Value: dig},
		iscsi.KeyValue{Key: "DataDigest", Value: dig})
	return mustMarshal(p)
}

// LoginResponse accepts the login and settles the digests.
func (s *Session) LoginResponse() []byte {
	p := s.pdu(iscsi.OpLoginResp, 0)
	p.SetLoginStages(true, false, iscsi.StageOperational, iscsi.StageFullFeature)
	p.SetISID([6]byte{0x00, 0x02, 0x3d, 0, 0, 1})
	p.SetTSIH(1)
	p.SetITT(s.itt)
	dig := "None"
	if s.Digests {
		dig = "CRC32C"
	}
	p.Data = iscsi.EncodeText(iscsi.KeyValue{Key: "HeaderDigest", Value: dig},
		iscsi.KeyValue{Key: "DataDigest", Value: dig})
	s.itt++
	return mustMarshal(p)
}

func (s *Session) ffp(p *iscsi.PDU) []byte {
	p.HeaderDigest, p.DataDigest = s.Digests, s.Digests
	return mustMarshal(p)
}

// Command is a SCSI Command to a Linux LUN number; dataIn of the response
// is expected.
func (s *Session) Command(lun uint64, cdb []byte, expected uint32) []byte {
	p := s.pdu(iscsi.OpSCSICommand, iscsi.FlagFinal|iscsi.FlagRead)
	p.SetLUN(lun)
	p.SetITT(s.itt)
	p.SetExpectedDataLength(expected)
	p.SetCmdSN(s.cmdSN)
	p.SetExpStatSN(s.statSN)
	p.SetCDB(cdb)
	s.cmdSN++
	return s.ffp(p)
}

// DataIn answers the last command with data and status in one PDU.
func (s *Session) DataIn(lun uint64, data []byte) []byte {
	p := s.pdu(iscsi.OpDataIn, iscsi.FlagFinal|iscsi.FlagStatus)
	p.SetLUN(lun)
	p.SetITT(s.itt)
	p.SetTTT(0xffffffff)
	p.SetStatSN(s.statSN)
	p.SetExpCmdSN(s.cmdSN)
	p.SetMaxCmdSN(s.cmdSN + 32)
	p.Data = data
	s.itt++
	s.statSN++
	return s.ffp(p)
}

// Async is an Asynchronous Message with a SCSI event and the given sense.
func (s *Session) Async(lun uint64, sense []byte) []byte {
	p := s.pdu(iscsi.OpAsyncMsg, iscsi.FlagFinal)
	p.SetLUN(lun)
	p.SetITT(0xffffffff)
	p.SetStatSN(s.statSN)
	p.SetExpCmdSN(s.cmdSN)
	p.SetMaxCmdSN(s.cmdSN + 32)
	p.SetAsyncEvent(iscsi.AsyncSCSIEvent)
	p.SetSense(sense)
	s.statSN++
	return s.ffp(p)
}

// TMF is a task management request.
func (s *Session) TMF(lun uint64, fn uint8) []byte {
	p := s.pdu(iscsi.OpTaskMgmtReq, iscsi.FlagFinal|fn)
	p.SetImmediate(true)
	p.SetLUN(lun)
	p.SetITT(s.itt)
	p.SetRefTaskTag(0xffffffff)
	p.SetCmdSN(s.cmdSN)
	s.itt++
	return s.ffp(p)
}

// Logout asks to close the session.
func (s *Session) Logout() []byte {
	p := s.pdu(iscsi.OpLogoutReq, iscsi.FlagFinal)
	p.SetImmediate(true)
	p.SetITT(s.itt)
	p.SetCmdSN(s.cmdSN)
	s.itt++
	return s.ffp(p)
}

// LogoutResponse answers a Logout: the session is closed (response 0).
func (s *Session) LogoutResponse() []byte {
	p := s.pdu(iscsi.OpLogoutResp, iscsi.FlagFinal)
	p.SetITT(s.itt - 1)
	p.SetStatSN(s.statSN)
	p.SetExpCmdSN(s.cmdSN)
	p.SetMaxCmdSN(s.cmdSN + 32)
	s.statSN++
	return s.ffp(p)
}

// Response ends the last command with a SCSI Response of the given status
// and, if sense is not nil, sense data.
func (s *Session) Response(status uint8, sense []byte) []byte {
	p := s.pdu(iscsi.OpSCSIResponse, iscsi.FlagFinal)
	p.SetStatus(status)
	p.SetITT(s.itt)
	p.SetStatSN(s.statSN)
	p.SetExpCmdSN(s.cmdSN)
	p.SetMaxCmdSN(s.cmdSN + 32)
	if sense != nil {
		p.SetSense(sense)
	}
	s.itt++
	s.statSN++
	return s.ffp(p)
}
