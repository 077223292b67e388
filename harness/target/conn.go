package target

import (
	"bufio"
	"net"
	"sync"
	"sync/atomic"

	"autoscan/harness/iscsi"
)

// cmdWindow is how far MaxCmdSN runs ahead of ExpCmdSN.
const cmdWindow = 64

// conn is one TCP connection: a single reader goroutine (serve) handles
// every PDU in order; writes from it and from control calls (AENs) are
// serialised by wmu, which also hands out StatSN so numbers go out in
// order.
type conn struct {
	srv    *Server
	portal *portal // the one it came in on
	nc     net.Conn
	br     *bufio.Reader

	wmu    sync.Mutex
	statSN uint32
	hd, dd bool // digests in force for both directions
	params Params

	expCmdSN atomic.Uint32
	ff       atomic.Pointer[Target] // set once in full feature phase

	// reader-goroutine state
	login     *loginState
	discovery bool
	cid       uint16
	writes    map[uint32]*writeTask
	nextTTT   uint32
	textTTT   uint32 // tag of a Text Response still to be continued
	textRest  []byte
	closeOnce sync.Once
}

func newConn(s *Server, nc net.Conn, p *portal) *conn {
	return &conn{srv: s, portal: p, nc: nc, br: bufio.NewReaderSize(nc, 64<<10),
		params: defaultParams(s.cfg.Policy.RecvDSL), writes: map[uint32]*writeTask{}}
}

func (c *conn) logf(format string, args ...any) {
	c.srv.cfg.Logf("target %s: "+format, append([]any{c.nc.RemoteAddr()}, args...)...)
}

func (c *conn) close() { c.closeOnce.Do(func() { c.nc.Close() }) }

func (c *conn) fullFeatureFor(t *Target) bool { return c.ff.Load() == t }

// serve is the reader goroutine.
func (c *conn) serve() {
	defer c.srv.forget(c)
	defer c.close()
	for {
		hd, dd := c.digests()
		p, err := iscsi.ReadPDUMax(c.br, hd, dd, maxSegment)
		if err != nil {
			c.logf("read: %v", err)
			return
		}
		if !c.handle(p) {
			return
		}
	}
}

func (c *conn) digests() (bool, bool) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.hd, c.dd
}

// handle dispatches one PDU; false ends the connection.
func (c *conn) handle(p *iscsi.PDU) bool {
	if p.Opcode() == iscsi.OpLoginReq {
		return c.handleLogin(p)
	}
	if c.login == nil || !c.login.done {
		c.logf("%v before login completed", p.Opcode())
		return false
	}
	if !c.inWindow(p) {
		c.logf("%v with CmdSN %d outside the window: dropped", p.Opcode(), p.CmdSN())
		return true
	}
	c.noteCmdSN(p)
	switch p.Opcode() {
	case iscsi.OpSCSICommand:
		return c.handleSCSI(p)
	case iscsi.OpDataOut:
		return c.handleDataOut(p)
	case iscsi.OpNOPOut:
		return c.handleNOPOut(p)
	case iscsi.OpTextReq:
		return c.handleText(p)
	case iscsi.OpTaskMgmtReq:
		return c.handleTMF(p)
	case iscsi.OpLogoutReq:
		return c.handleLogout(p)
	}
	return c.reject(p, rejectCmdNotSupported)
}

// inWindow says whether a non-immediate command's CmdSN lies in
// [ExpCmdSN, MaxCmdSN]; RFC 7143 has the target silently ignore others.
func (c *conn) inWindow(p *iscsi.PDU) bool {
	if p.Immediate() || p.Opcode() == iscsi.OpDataOut || p.Opcode() == iscsi.OpSNACKReq {
		return true
	}
	d := p.CmdSN() - c.expCmdSN.Load()
	return d < cmdWindow
}

// noteCmdSN advances ExpCmdSN for non-immediate commands.
func (c *conn) noteCmdSN(p *iscsi.PDU) {
	switch p.Opcode() {
	case iscsi.OpDataOut, iscsi.OpSNACKReq:
		return
	}
	if p.Immediate() {
		return
	}
	if sn := p.CmdSN(); int32(sn-c.expCmdSN.Load()) >= 0 {
		c.expCmdSN.Store(sn + 1)
	}
}

// send writes one PDU. withStat assigns the next StatSN (responses that
// advance it); every target PDU carries ExpCmdSN/MaxCmdSN at 28/32 except
// the ones that use those bytes otherwise (callers of sendRaw).
func (c *conn) send(p *iscsi.PDU, withStat bool) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.sendLocked(p, withStat)
}

func (c *conn) sendLocked(p *iscsi.PDU, withStat bool) error {
	p.SetStatSN(c.statSN)
	if withStat {
		c.statSN++
	}
	exp := c.expCmdSN.Load()
	p.SetExpCmdSN(exp)
	p.SetMaxCmdSN(exp + cmdWindow - 1)
	return c.writeLocked(p)
}

func (c *conn) writeLocked(p *iscsi.PDU) error {
	p.HeaderDigest, p.DataDigest = c.hd, c.dd
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	h := c.srv.hostileMode()
	if h != HostileNone && c.login != nil && c.login.done {
		b = hostileBytes(h, b)
	}
	if h > HostileLoginGarbage {
		return c.hostileWrite(h, b) // hostile.go
	}
	_, err = c.nc.Write(b)
	return err
}

// sendAsync is used by control calls from other goroutines; it refuses
// connections not (or no longer) in full feature phase.
func (c *conn) sendAsync(p *iscsi.PDU) error {
	if c.ff.Load() == nil {
		return net.ErrClosed
	}
	return c.send(p, true)
}

// Reject reasons (RFC 7143 section 11.17.1).
const (
	rejectProtocolError   = 0x04
	rejectCmdNotSupported = 0x05
	rejectInvalidPDUField = 0x09
)

// reject answers a PDU the target does not accept with a Reject carrying
// the offending header.
func (c *conn) reject(p *iscsi.PDU, reason uint8) bool {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpReject)
	r.SetFlags(iscsi.FlagFinal)
	r.SetResponse(reason)
	r.SetITT(0xffffffff)
	r.Data = append([]byte(nil), p.BHS[:]...)
	return c.send(r, true) == nil
}

func (c *conn) handleNOPOut(p *iscsi.PDU) bool {
	if p.ITT() == 0xffffffff {
		if p.TTT() != 0xffffffff {
			c.logf("ping answered (ttt %#x)", p.TTT())
		}
		return true // answer to our ping, or a one-way ping: no reply
	}
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpNOPIn)
	r.SetFlags(iscsi.FlagFinal)
	copy(r.BHS[8:16], p.BHS[8:16])
	r.SetITT(p.ITT())
	r.SetTTT(0xffffffff)
	r.Data = append([]byte(nil), p.Data...)
	return c.send(r, true) == nil
}

// ping sends a NOP-In the initiator must answer (TTT set, ITT reserved);
// StatSN is not advanced.
func (c *conn) ping(ttt uint32) error {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpNOPIn)
	r.SetFlags(iscsi.FlagFinal)
	r.SetITT(0xffffffff)
	r.SetTTT(ttt)
	return c.send(r, false)
}

func (c *conn) handleLogout(p *iscsi.PDU) bool {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpLogoutResp)
	r.SetFlags(iscsi.FlagFinal)
	r.SetITT(p.ITT())
	c.ff.Store(nil)
	_ = c.send(r, true)
	c.logf("logout (reason %d)", p.ReasonCode())
	return false
}

// TMF responses (RFC 7143 section 11.6.1).
const (
	tmfComplete     = 0
	tmfNoTask       = 1
	tmfNotSupported = 5
)

// handleTMF drops pending writes as the function says and reports done.
func (c *conn) handleTMF(p *iscsi.PDU) bool {
	resp := uint8(tmfComplete)
	switch p.Function() {
	case iscsi.TMFAbortTask:
		// Commands run to completion as they arrive: a task not pending
		// here has finished, which is "task does not exist".
		if _, ok := c.writes[p.RefTaskTag()]; !ok {
			resp = tmfNoTask
		}
		delete(c.writes, p.RefTaskTag())
	case iscsi.TMFAbortTaskSet, iscsi.TMFClearTaskSet, iscsi.TMFLogicalUnitRst:
		for itt, w := range c.writes {
			if w.lun == p.LUNField() {
				delete(c.writes, itt)
			}
		}
	case iscsi.TMFTargetWarmReset, iscsi.TMFTargetColdReset:
		clear(c.writes)
	default:
		resp = tmfNotSupported
	}
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpTaskMgmtResp)
	r.SetFlags(iscsi.FlagFinal)
	r.SetResponse(resp)
	r.SetITT(p.ITT())
	ok := c.send(r, true) == nil
	return ok && p.Function() != iscsi.TMFTargetColdReset
}

// maxSegment bounds the data segment the target accepts, whatever the
// header claims, so a hostile peer cannot make it allocate 16 MiB per PDU.
const maxSegment = 1 << 20
