package target

import (
	"encoding/binary"

	"autoscan/harness/iscsi"
)

// writeTask collects the Data-Out of one write command.
type writeTask struct {
	cmd      *iscsi.PDU
	lun      [8]byte
	buf      []byte // EDTL bytes
	received uint32 // bytes stored so far (in order: DataPDUInOrder=Yes)
	unsol    uint32 // unsolicited bytes allowed (immediate + Data-Out)
	ttt      uint32 // tag of the outstanding R2T, 0xffffffff in the unsolicited phase
	r2tEnd   uint32 // end offset of the outstanding R2T
	r2tSN    uint32
	dataSN   uint32 // next DataSN expected in the current sequence
}

// SCSI Response flag bits (byte 1).
const (
	rspOverflow  = 0x04
	rspUnderflow = 0x02
)

func (c *conn) handleSCSI(p *iscsi.PDU) bool {
	t := c.ff.Load()
	if t == nil {
		return c.reject(p, rejectProtocolError) // SCSI in a discovery session
	}
	edtl := p.ExpectedDataLength()
	if p.Flags()&iscsi.FlagWrite == 0 || edtl == 0 {
		return c.runCommand(t, p, nil)
	}
	w := &writeTask{cmd: p, lun: p.LUNField(), buf: make([]byte, edtl), ttt: 0xffffffff}
	w.received = uint32(copy(w.buf, p.Data))
	w.unsol = w.received
	if !c.params.InitialR2T {
		w.unsol = min(c.params.FirstBurst, edtl)
	}
	c.writes[p.ITT()] = w
	return c.advanceWrite(p.ITT(), w, p.Final())
}

// advanceWrite runs the command once all data is in, or asks for more
// with an R2T when the unsolicited part is over (final is the F bit of
// the last PDU received for the task).
func (c *conn) advanceWrite(itt uint32, w *writeTask, final bool) bool {
	edtl := uint32(len(w.buf))
	if w.received >= edtl {
		delete(c.writes, itt)
		return c.runCommand(c.ff.Load(), w.cmd, w.buf)
	}
	if w.ttt == 0xffffffff && w.received < w.unsol && !final {
		return true // more unsolicited Data-Out is on its way
	}
	if w.ttt != 0xffffffff && w.received < w.r2tEnd {
		return true // the current R2T is not satisfied yet
	}
	return c.sendR2T(itt, w)
}

// sendR2T asks for the next burst (one outstanding R2T at a time).
func (c *conn) sendR2T(itt uint32, w *writeTask) bool {
	c.nextTTT++
	if c.nextTTT == 0xffffffff {
		c.nextTTT = 1
	}
	n := min(uint32(len(w.buf))-w.received, c.params.MaxBurst)
	w.ttt, w.r2tEnd, w.dataSN = c.nextTTT, w.received+n, 0
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpR2T)
	r.SetFlags(iscsi.FlagFinal)
	copy(r.BHS[8:16], w.lun[:])
	r.SetITT(itt)
	r.SetTTT(w.ttt)
	r.SetDataSN(w.r2tSN) // R2TSN sits where DataSN does
	r.SetBufferOffset(w.received)
	r.SetDesiredDataLength(n)
	w.r2tSN++
	return c.send(r, false) == nil
}

func (c *conn) handleDataOut(p *iscsi.PDU) bool {
	w := c.writes[p.ITT()]
	if w == nil {
		c.logf("Data-Out for unknown ITT %#x", p.ITT())
		return true // aborted task: drop the data
	}
	off := p.BufferOffset()
	if p.TTT() != w.ttt || off != w.received || p.DataSN() != w.dataSN || int(off)+len(p.Data) > len(w.buf) {
		// Without error recovery the task cannot be repaired: it ends
		// with a CHECK CONDITION and later Data-Out for it is dropped;
		// the connection and other tasks live on.
		c.logf("Data-Out out of order (ttt %#x off %d datasn %d)", p.TTT(), off, p.DataSN())
		delete(c.writes, p.ITT())
		res := Result{Status: StatusCheckCondition, Sense: SenseDataPhaseError.Bytes(c.ff.Load().opt.SenseFormat)}
		return c.sendResponse(w.cmd, res, 0, 0) == nil
	}
	w.received += uint32(copy(w.buf[off:], p.Data))
	w.dataSN++
	return c.advanceWrite(p.ITT(), w, p.Final())
}

// runCommand executes the CDB and sends Data-In and status. Residuals
// compare what the command moves (Data-In produced, or the Data-Out its
// CDB implies) with the Expected Data Transfer Length.
func (c *conn) runCommand(t *Target, p *iscsi.PDU, out []byte) bool {
	cdb := append([]byte(nil), p.CDB()...)
	if len(p.AHS) > 4 && p.AHS[2] == 1 { // extended CDB AHS
		cdb = append(cdb, p.AHS[4:]...)
	}
	d := t.device(p.BHS[8:16])
	res := d.exec(cdb, out)
	edtl := p.ExpectedDataLength()
	isRead := p.Flags()&iscsi.FlagRead != 0
	// A Data-Out sent with a command that takes none is ignored: the
	// command runs as its CDB says (what libiscsi's conformance suite
	// expects of a target).
	if res.Status != StatusGood {
		return c.sendResponse(p, res, 0, 0) == nil
	}
	if isRead && edtl > 0 && len(res.Data) > 0 {
		return c.sendDataIn(p, res.Data, edtl)
	}
	moved := uint64(len(res.Data))
	if p.Flags()&iscsi.FlagWrite != 0 && d.lu != nil {
		moved = WriteLen(cdb, d.lu.BlockSize())
	}
	flags, resid := residual(uint32(min(moved, 1<<32-1)), edtl)
	return c.sendResponse(p, Result{Status: StatusGood}, flags, resid) == nil
}

// residual compares what was transferred with the expected length.
func residual(n, edtl uint32) (uint8, uint32) {
	switch {
	case n > edtl:
		return rspOverflow, n - edtl
	case n < edtl:
		return rspUnderflow, edtl - n
	}
	return 0, 0
}

// sendResponse sends a SCSI Response (with sense for CHECK CONDITION).
func (c *conn) sendResponse(p *iscsi.PDU, res Result, flags uint8, resid uint32) error {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpSCSIResponse)
	r.SetFlags(iscsi.FlagFinal | flags)
	r.SetStatus(res.Status)
	r.SetITT(p.ITT())
	r.SetResidualCount(resid)
	if len(res.Sense) > 0 {
		r.SetSense(res.Sense)
		if c.srv.hostileMode() == HostileBadSense {
			binary.BigEndian.PutUint16(r.Data, 0xffff)
		}
	}
	return c.send(r, true)
}

// sendDataIn splits data into Data-In PDUs no longer than the
// initiator's MaxRecvDataSegmentLength, F at the end of every MaxBurst
// sequence, and the status in the last one (phase collapse).
func (c *conn) sendDataIn(p *iscsi.PDU, data []byte, edtl uint32) bool {
	flags, resid := residual(uint32(len(data)), edtl)
	if uint32(len(data)) > edtl {
		data = data[:edtl]
	}
	seg := int(c.params.MaxRecvDSL)
	if c.srv.hostileMode() == HostileOversized {
		seg = len(data) + int(c.params.MaxRecvDSL)
	}
	burst := int(c.params.MaxBurst)
	for off, sn := 0, uint32(0); off < len(data); sn++ {
		n := min(seg, len(data)-off, burst-off%burst)
		last := off+n == len(data)
		if err := c.sendDataPDU(p, data[off:off+n], off, sn, last, (off+n)%burst == 0, flags, resid); err != nil {
			return false
		}
		off += n
	}
	return true
}

func (c *conn) sendDataPDU(p *iscsi.PDU, d []byte, off int, sn uint32, last, endBurst bool, flags uint8, resid uint32) error {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpDataIn)
	var f uint8
	if last || endBurst {
		f = iscsi.FlagFinal
	}
	if last {
		f |= iscsi.FlagStatus | flags
		r.SetResidualCount(resid)
	}
	r.SetFlags(f)
	r.SetStatus(StatusGood)
	r.SetITT(p.ITT())
	r.SetTTT(0xffffffff)
	r.SetDataSN(sn)
	r.SetBufferOffset(uint32(off))
	copy(r.BHS[8:16], p.BHS[8:16])
	r.Data = d
	return c.send(r, last)
}
