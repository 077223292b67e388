package iscsi

import (
	"fmt"
	"io"
)

// MaxDataSegment bounds the data segment a plausible header may declare.
// RFC 7143 allows up to 2^24-1 bytes; anything the Linux initiator or tgt
// negotiates is far below 16 MiB, so the full range is accepted.
const MaxDataSegment = 1<<24 - 1

// ReadPDU reads one whole PDU from a byte stream (a TCP connection) with the
// given digest settings. Digest mismatches are returned as ErrHeaderCRC or
// ErrDataCRC together with the decoded PDU. io.EOF is returned only when the
// stream ends cleanly between PDUs.
func ReadPDU(r io.Reader, headerDigest, dataDigest bool) (*PDU, error) {
	return ReadPDUMax(r, headerDigest, dataDigest, MaxDataSegment)
}

// ReadPDUMax is ReadPDU refusing, before allocating it, a data segment
// longer than maxData: a server facing a hostile peer bounds its memory so.
func ReadPDUMax(r io.Reader, headerDigest, dataDigest bool, maxData int) (*PDU, error) {
	var bhs [BHSLen]byte
	if _, err := io.ReadFull(r, bhs[:]); err != nil {
		return nil, err
	}
	if n := dsl(bhs[:]); n > maxData {
		return nil, fmt.Errorf("%w: data segment of %d bytes, at most %d taken", ErrTooLong, n, maxData)
	}
	buf := make([]byte, WireLen(bhs[:], headerDigest, dataDigest))
	copy(buf, bhs[:])
	if _, err := io.ReadFull(r, buf[BHSLen:]); err != nil {
		return nil, fmt.Errorf("iscsi: reading PDU body: %w", noEOF(err))
	}
	p := &PDU{HeaderDigest: headerDigest, DataDigest: dataDigest}
	if err := p.DecodeFromBytes(buf, nilFeedback{}); err != nil {
		return nil, err
	}
	switch {
	case !p.HeaderCRCOK:
		return p, ErrHeaderCRC
	case !p.DataCRCOK:
		return p, ErrDataCRC
	}
	return p, nil
}

// WritePDU serializes p (computing lengths, padding and digests as set in
// p) and writes it with one Write call.
func WritePDU(w io.Writer, p *PDU) error {
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

type nilFeedback struct{}

func (nilFeedback) SetTruncated() {}

// Plausible reports whether b (at least BHSLen bytes) looks like a basic
// header of a PDU sent by the initiator (fromTarget false) or the target.
// It checks the opcode, direction, and the fields RFC 7143 fixes for that
// opcode; it is how a capture that starts mid-stream finds its footing.
func Plausible(b []byte, fromTarget bool) bool {
	if len(b) < BHSLen {
		return false
	}
	op := Opcode(b[0] & 0x3f)
	if !op.Known() || op.FromTarget() != fromTarget || b[0]&0x80 != 0 {
		return false
	}
	if fromTarget && b[0]&FlagImmed != 0 {
		return false
	}
	if b[4] != 0 && op != OpSCSICommand { // only commands carry AHS
		return false
	}
	return plausibleFields(op, b)
}

func zero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func dsl(b []byte) int { return int(b[5])<<16 | int(b[6])<<8 | int(b[7]) }

func plausibleFields(op Opcode, b []byte) bool {
	final := b[1]&FlagFinal != 0
	switch op {
	case OpSCSICommand:
		// Reserved bits 3-4 and task attributes 5-7 are unused; without
		// F the command must be a write followed by unsolicited data.
		f := b[1]
		return zero(b[2:4]) && f&0x18 == 0 && f&7 <= 4 && (final || f&FlagWrite != 0)
	case OpDataOut:
		return zero(b[2:4]) && zero(b[24:28]) && zero(b[44:48])
	case OpNOPOut:
		return b[1] == FlagFinal && zero(b[2:4]) && zero(b[32:48])
	case OpNOPIn:
		return b[1] == FlagFinal && zero(b[2:4]) && zero(b[36:48])
	case OpTaskMgmtReq:
		return final && zero(b[2:4]) && zero(b[40:48]) && dsl(b) == 0
	case OpTaskMgmtResp:
		return b[1] == FlagFinal && zero(b[3:16]) && zero(b[36:48]) && dsl(b) == 0
	case OpLoginReq:
		return b[0]&FlagImmed != 0 && b[1]&0x30 == 0 && zero(b[32:48])
	case OpLoginResp:
		return b[1]&0x30 == 0 && zero(b[38:48])
	case OpLogoutReq, OpLogoutResp:
		return final && dsl(b) == 0 && zero(b[44:48])
	case OpTextReq, OpTextResp:
		return zero(b[2:4]) && zero(b[36:48])
	case OpSCSIResponse:
		return final && zero(b[8:16])
	case OpDataIn:
		return b[2] == 0
	case OpR2T:
		return b[1] == FlagFinal && dsl(b) == 0 && zero(b[2:4])
	case OpAsyncMsg:
		return b[1] == FlagFinal && zero(b[2:4]) && zero(b[44:48]) && b[16] == 0xff && b[19] == 0xff
	case OpReject:
		return b[1] == FlagFinal && b[3] == 0 && zero(b[8:16])
	case OpSNACKReq:
		return final
	}
	return false
}

// Resync returns the offset of the first plausible header in buf whose
// successor is plausible too, with known digest settings, or -1.
func Resync(buf []byte, fromTarget, headerDigest, dataDigest bool) int {
	f := Framer{FromTarget: fromTarget, HeaderDigest: headerDigest, DataDigest: dataDigest, DigestsKnown: true, buf: buf}
	off, _, _, found := f.find()
	if !found {
		return -1
	}
	return off
}
