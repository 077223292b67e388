package iscsi

import "encoding/binary"

// BHSLen is the size of the basic header segment every PDU starts with.
const BHSLen = 48

// DigestLen is the size of a CRC32C header or data digest on the wire.
const DigestLen = 4

// PDU is one iSCSI protocol data unit. BHS holds the 48 header bytes as they
// are on the wire; the accessors below read and write its fields, so a PDU
// decoded from a capture can be re-serialized bit for bit.
//
// When decoded by DecodeFromBytes, AHS and Data alias the input buffer.
type PDU struct {
	BHS  [BHSLen]byte
	AHS  []byte // additional header segments, a multiple of 4 bytes
	Data []byte // data segment without its padding

	// HeaderDigest and DataDigest say whether the connection carries CRC32C
	// digests. Set them before decoding (they change the PDU size) and
	// before serializing (the digests are then computed and appended).
	HeaderDigest bool
	DataDigest   bool

	// Results of the last decode: the digests read, and whether they matched.
	HeaderCRC, DataCRC     uint32
	HeaderCRCOK, DataCRCOK bool

	wireLen  int
	contents []byte
}

func pad4(n int) int { return (n + 3) &^ 3 }

// WireLen returns the size on the wire of the PDU whose header starts at bhs
// (at least BHSLen bytes), given the connection's digest settings.
func WireLen(bhs []byte, headerDigest, dataDigest bool) int {
	n := BHSLen + int(bhs[4])*4
	if headerDigest {
		n += DigestLen
	}
	dsl := int(bhs[5])<<16 | int(bhs[6])<<8 | int(bhs[7])
	n += pad4(dsl)
	if dataDigest && dsl > 0 {
		n += DigestLen
	}
	return n
}

// Len returns the PDU's size on the wire as decoded (0 before a decode).
func (p *PDU) Len() int { return p.wireLen }

func (p *PDU) u16(off int) uint16       { return binary.BigEndian.Uint16(p.BHS[off:]) }
func (p *PDU) u32(off int) uint32       { return binary.BigEndian.Uint32(p.BHS[off:]) }
func (p *PDU) setU16(off int, v uint16) { binary.BigEndian.PutUint16(p.BHS[off:], v) }
func (p *PDU) setU32(off int, v uint32) { binary.BigEndian.PutUint32(p.BHS[off:], v) }

// Opcode returns the operation code.
func (p *PDU) Opcode() Opcode { return Opcode(p.BHS[0] & 0x3f) }

// SetOpcode sets the operation code, keeping the immediate bit.
func (p *PDU) SetOpcode(op Opcode) { p.BHS[0] = p.BHS[0]&FlagImmed | uint8(op)&0x3f }

// Immediate reports the I bit (immediate delivery).
func (p *PDU) Immediate() bool { return p.BHS[0]&FlagImmed != 0 }

// SetImmediate sets or clears the I bit.
func (p *PDU) SetImmediate(on bool) { p.BHS[0] = setBit(p.BHS[0], FlagImmed, on) }

// Flags returns byte 1 (F bit and opcode-specific flags).
func (p *PDU) Flags() uint8 { return p.BHS[1] }

// SetFlags sets byte 1.
func (p *PDU) SetFlags(f uint8) { p.BHS[1] = f }

// Final reports the F bit.
func (p *PDU) Final() bool { return p.BHS[1]&FlagFinal != 0 }

func setBit(b, mask uint8, on bool) uint8 {
	if on {
		return b | mask
	}
	return b &^ mask
}

// TotalAHSLength is the AHS size in 4-byte words, as the header declares it.
func (p *PDU) TotalAHSLength() int { return int(p.BHS[4]) }

// DataSegmentLength is the data size (without padding) the header declares.
func (p *PDU) DataSegmentLength() int {
	return int(p.BHS[5])<<16 | int(p.BHS[6])<<8 | int(p.BHS[7])
}

func (p *PDU) setLengths() {
	p.BHS[4] = uint8(pad4(len(p.AHS)) / 4)
	n := len(p.Data)
	p.BHS[5], p.BHS[6], p.BHS[7] = uint8(n>>16), uint8(n>>8), uint8(n)
}

// LUNField returns the raw 8-byte LUN (bytes 8-15).
func (p *PDU) LUNField() [8]byte {
	var l [8]byte
	copy(l[:], p.BHS[8:16])
	return l
}

// HasLUN reports whether bytes 8-15 carry a LUN for this opcode.
func (p *PDU) HasLUN() bool {
	switch p.Opcode() {
	case OpSCSICommand, OpTaskMgmtReq, OpDataOut, OpDataIn, OpR2T, OpAsyncMsg,
		OpNOPOut, OpNOPIn, OpTextReq, OpTextResp, OpSNACKReq:
		return true
	}
	return false
}

// LUN returns the LUN as Linux numbers it (scsilun_to_int).
func (p *PDU) LUN() uint64 { return LUNToInt(p.LUNField()) }

// SetLUN stores a Linux LUN number (int_to_scsilun).
func (p *PDU) SetLUN(lun uint64) { l := IntToLUN(lun); copy(p.BHS[8:16], l[:]) }

// ITT is the initiator task tag.
func (p *PDU) ITT() uint32     { return p.u32(16) }
func (p *PDU) SetITT(v uint32) { p.setU32(16, v) }

// TTT is the target transfer tag (NOP, R2T, Data, Text); for a SCSI Command
// the same bytes hold the expected data transfer length, for a TMF request
// the referenced task tag.
func (p *PDU) TTT() uint32     { return p.u32(20) }
func (p *PDU) SetTTT(v uint32) { p.setU32(20, v) }

func (p *PDU) ExpectedDataLength() uint32     { return p.u32(20) }
func (p *PDU) SetExpectedDataLength(v uint32) { p.setU32(20, v) }
func (p *PDU) RefTaskTag() uint32             { return p.u32(20) }
func (p *PDU) SetRefTaskTag(v uint32)         { p.setU32(20, v) }

// Sequence numbers. Initiator PDUs carry CmdSN/ExpStatSN at 24/28, target
// PDUs StatSN/ExpCmdSN/MaxCmdSN at 24/28/32.
func (p *PDU) CmdSN() uint32         { return p.u32(24) }
func (p *PDU) SetCmdSN(v uint32)     { p.setU32(24, v) }
func (p *PDU) ExpStatSN() uint32     { return p.u32(28) }
func (p *PDU) SetExpStatSN(v uint32) { p.setU32(28, v) }
func (p *PDU) StatSN() uint32        { return p.u32(24) }
func (p *PDU) SetStatSN(v uint32)    { p.setU32(24, v) }
func (p *PDU) ExpCmdSN() uint32      { return p.u32(28) }
func (p *PDU) SetExpCmdSN(v uint32)  { p.setU32(28, v) }
func (p *PDU) MaxCmdSN() uint32      { return p.u32(32) }
func (p *PDU) SetMaxCmdSN(v uint32)  { p.setU32(32, v) }

// Data-In/Data-Out/R2T fields.
func (p *PDU) DataSN() uint32                { return p.u32(36) }
func (p *PDU) SetDataSN(v uint32)            { p.setU32(36, v) }
func (p *PDU) BufferOffset() uint32          { return p.u32(40) }
func (p *PDU) SetBufferOffset(v uint32)      { p.setU32(40, v) }
func (p *PDU) ResidualCount() uint32         { return p.u32(44) }
func (p *PDU) SetResidualCount(v uint32)     { p.setU32(44, v) }
func (p *PDU) DesiredDataLength() uint32     { return p.u32(44) }
func (p *PDU) SetDesiredDataLength(v uint32) { p.setU32(44, v) }

// CDB returns the 16-byte command descriptor block of a SCSI Command.
func (p *PDU) CDB() []byte { return p.BHS[32:48] }

// SetCDB copies up to 16 bytes of CDB (the rest is zeroed).
func (p *PDU) SetCDB(cdb []byte) {
	clear(p.BHS[32:48])
	copy(p.BHS[32:48], cdb)
}

// Response (byte 2) of SCSI, TMF and Logout responses; reason of a Reject.
func (p *PDU) Response() uint8     { return p.BHS[2] }
func (p *PDU) SetResponse(v uint8) { p.BHS[2] = v }

// Status (byte 3) of a SCSI Response or a Data-In with the S bit.
func (p *PDU) Status() uint8     { return p.BHS[3] }
func (p *PDU) SetStatus(v uint8) { p.BHS[3] = v }

// Function is the task management function of a TMF request.
func (p *PDU) Function() uint8 { return p.BHS[1] & 0x7f }

// ReasonCode is the reason of a Logout request.
func (p *PDU) ReasonCode() uint8 { return p.BHS[1] & 0x7f }

// Asynchronous Message fields.
func (p *PDU) AsyncEvent() uint8            { return p.BHS[36] }
func (p *PDU) SetAsyncEvent(v uint8)        { p.BHS[36] = v }
func (p *PDU) AsyncVCode() uint8            { return p.BHS[37] }
func (p *PDU) SetAsyncVCode(v uint8)        { p.BHS[37] = v }
func (p *PDU) Parameter(i int) uint16       { return p.u16(38 + 2*i) }
func (p *PDU) SetParameter(i int, v uint16) { p.setU16(38+2*i, v) }

// Login fields.
func (p *PDU) Transit() bool       { return p.BHS[1]&FlagTransit != 0 }
func (p *PDU) Continue() bool      { return p.BHS[1]&FlagContinue != 0 }
func (p *PDU) CSG() uint8          { return p.BHS[1] >> 2 & 3 }
func (p *PDU) NSG() uint8          { return p.BHS[1] & 3 }
func (p *PDU) VersionMax() uint8   { return p.BHS[2] }
func (p *PDU) VersionMin() uint8   { return p.BHS[3] }
func (p *PDU) ISID() [6]byte       { var v [6]byte; copy(v[:], p.BHS[8:14]); return v }
func (p *PDU) SetISID(v [6]byte)   { copy(p.BHS[8:14], v[:]) }
func (p *PDU) TSIH() uint16        { return p.u16(14) }
func (p *PDU) SetTSIH(v uint16)    { p.setU16(14, v) }
func (p *PDU) CID() uint16         { return p.u16(20) }
func (p *PDU) SetCID(v uint16)     { p.setU16(20, v) }
func (p *PDU) StatusClass() uint8  { return p.BHS[36] }
func (p *PDU) StatusDetail() uint8 { return p.BHS[37] }

// SetLoginStages sets the T and C bits and the current/next stage.
func (p *PDU) SetLoginStages(transit, cont bool, csg, nsg uint8) {
	f := csg&3<<2 | nsg&3
	f = setBit(f, FlagTransit, transit)
	p.BHS[1] = setBit(f, FlagContinue, cont)
}

// SetLoginStatus sets the status class and detail of a Login Response.
func (p *PDU) SetLoginStatus(class, detail uint8) { p.BHS[36], p.BHS[37] = class, detail }

// Login stages (CSG/NSG values).
const (
	StageSecurity    = 0
	StageOperational = 1
	StageFullFeature = 3
)

// Sense returns the sense data carried in the data segment of a SCSI
// Response or an Asynchronous Message (after its 2-byte SenseLength), or
// nil when there is none or it is truncated.
func (p *PDU) Sense() []byte {
	if len(p.Data) < 2 {
		return nil
	}
	n := int(binary.BigEndian.Uint16(p.Data))
	if n == 0 || 2+n > len(p.Data) {
		return nil
	}
	return p.Data[2 : 2+n]
}

// SetSense makes the data segment SenseLength + sense (+ extra bytes, such
// as the iSCSI event data of an Asynchronous Message).
func (p *PDU) SetSense(sense []byte, extra ...byte) {
	d := make([]byte, 2, 2+len(sense)+len(extra))
	binary.BigEndian.PutUint16(d, uint16(len(sense)))
	d = append(append(d, sense...), extra...)
	p.Data = d
}
