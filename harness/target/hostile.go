package target

import (
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"time"

	"autoscan/harness/iscsi"
)

// More hostile modes, for the lab's hostile-target suite (harness/e2e,
// TestHostile). Byte rewrites act on every PDU the target sends in full
// feature phase; storms add PDUs after each one; connection modes cut or
// stall the stream; login modes act before full feature phase; the
// SendTargets modes inflate the discovery answer.
const (
	HostileAHSOverflow      Hostile = iota + HostileLoginGarbage + 1 // TotalAHSLength 255, no AHS sent
	HostileUnknownITT                                                // responses carry ITTs never issued
	HostileStatSNJump                                                // StatSN jumps by 2^20
	HostileStatSNWrap                                                // StatSN runs across 2^32
	HostileExpCmdSNJump                                              // ExpCmdSN/MaxCmdSN jump by 2^20
	HostileExpCmdSNBack                                              // ExpCmdSN/MaxCmdSN go back by 1000
	HostileWindowClosed                                              // MaxCmdSN = ExpCmdSN - 1 for good
	HostileWindowHuge                                                // MaxCmdSN = ExpCmdSN + 2^31 - 1
	HostileDataInBeyond                                              // Data-In BufferOffset past the buffer
	HostileDataInHugeLen                                             // Data-In claims 16 MiB - 1 of data
	HostileR2TBeyondBurst                                            // R2T asks for 16 MiB, past MaxBurstLength
	HostileR2TUnknownITT                                             // R2T for a task never issued
	HostileResidualBogus                                             // SCSI Response: overflow and underflow, huge residual
	HostileStatusBogus                                               // SCSI Response: status 0xff, response 0x7f
	HostileRejectStorm                                               // 32 Rejects after every PDU
	HostileNOPInFlood                                                // 32 pings (NOP-In with a TTT) after every PDU
	HostileNOPInUnsolicited                                          // 32 NOP-Ins with unknown ITTs after every PDU
	HostileAsyncFlood                                                // 32 vendor-specific async messages after every PDU
	HostileAsyncLUNsChanged                                          // 32 "REPORTED LUNS DATA HAS CHANGED" events after every PDU
	HostileAsyncLogoutReq                                            // an async logout request after every PDU
	HostileAsyncDropAll                                              // an async "dropping all connections" after every PDU
	HostileAsyncRenegotiate                                          // an async renegotiation request after every PDU
	HostileResetMidPDU                                               // half a PDU, then a TCP reset
	HostileCloseMidPDU                                               // half a PDU, then FIN
	HostileSilent                                                    // answers nothing in full feature phase
	HostileLoginTrickle                                              // login responses at one byte per second
	HostileLoginSilent                                               // never answers a login request
	HostileLoginReset                                                // resets the connection on the first login response
	HostileLoginBadVersion                                           // login responses with VersionMax 0x7f, VersionActive 0x7f
	HostileSTFlood                                                   // SendTargets answer of about 4 MiB
	HostileSTManyPortals                                             // SendTargets answer naming 5000 portals
	hostileEnd
)

func init() {
	hostileNames = append(hostileNames, "ahs-overflow", "unknown-itt", "statsn-jump", "statsn-wrap",
		"expcmdsn-jump", "expcmdsn-back", "window-closed", "window-huge", "datain-beyond-buffer",
		"datain-huge-length", "r2t-beyond-burst", "r2t-unknown-itt", "residual-bogus", "status-bogus",
		"reject-storm", "nopin-flood", "nopin-unsolicited", "async-flood", "async-luns-changed",
		"async-logout-request", "async-drop-all", "async-renegotiate", "reset-mid-pdu", "close-mid-pdu",
		"silent", "login-trickle", "login-silent", "login-reset", "login-bad-version",
		"st-flood", "st-many-portals")
	if len(hostileNames) != int(hostileEnd) {
		panic(fmt.Sprintf("target: %d hostile names for %d modes", len(hostileNames), hostileEnd))
	}
}

// HostileModes lists every mode but "off", in order.
func HostileModes() []Hostile {
	var v []Hostile
	for h := HostileNone + 1; h < hostileEnd; h++ {
		v = append(v, h)
	}
	return v
}

// LoginPhase says whether a mode acts during login (before full feature).
func (h Hostile) LoginPhase() bool {
	return h == HostileLoginGarbage || (h >= HostileLoginTrickle && h <= HostileLoginBadVersion)
}

// Discovery says whether a mode acts on SendTargets answers.
func (h Hostile) Discovery() bool { return h == HostileSTFlood || h == HostileSTManyPortals }

func be32(b []byte, off int) uint32       { return binary.BigEndian.Uint32(b[off:]) }
func putBE32(b []byte, off int, v uint32) { binary.BigEndian.PutUint32(b[off:], v) }
func addBE32(b []byte, off int, d uint32) { putBE32(b, off, be32(b, off)+d) }
func opOf(b []byte) iscsi.Opcode          { return iscsi.Opcode(b[0] & 0x3f) }
func itted(b []byte) bool                 { return be32(b, 16) != 0xffffffff }

// rewriteFFP changes the header bytes of one full-feature PDU in place.
func rewriteFFP(h Hostile, b []byte) {
	op := opOf(b)
	switch h {
	case HostileAHSOverflow:
		b[4] = 255
	case HostileUnknownITT:
		if itted(b) {
			putBE32(b, 16, be32(b, 16)^0x5a5a0000)
		}
	case HostileStatSNJump:
		addBE32(b, 24, 1<<20)
	case HostileStatSNWrap:
		addBE32(b, 24, 0xfffffff0)
	case HostileExpCmdSNJump:
		addBE32(b, 28, 1<<20)
		addBE32(b, 32, 1<<20)
	case HostileExpCmdSNBack:
		addBE32(b, 28, ^uint32(999))
		addBE32(b, 32, ^uint32(999))
	case HostileWindowClosed:
		putBE32(b, 32, be32(b, 28)-1)
	case HostileWindowHuge:
		putBE32(b, 32, be32(b, 28)+0x7fffffff)
	case HostileDataInBeyond:
		if op == iscsi.OpDataIn {
			addBE32(b, 40, 1<<20)
		}
	case HostileDataInHugeLen:
		if op == iscsi.OpDataIn {
			b[5], b[6], b[7] = 0xff, 0xff, 0xff
		}
	case HostileR2TBeyondBurst:
		if op == iscsi.OpR2T {
			putBE32(b, 44, 16<<20)
		}
	case HostileR2TUnknownITT:
		if op == iscsi.OpR2T {
			putBE32(b, 16, be32(b, 16)^0x00a50000)
		}
	case HostileResidualBogus:
		if op == iscsi.OpSCSIResponse {
			b[1] |= 0x06 // overflow and underflow together
			putBE32(b, 44, 0xfffffff0)
		}
	case HostileStatusBogus:
		if op == iscsi.OpSCSIResponse {
			b[2], b[3] = 0x7f, 0xff
		}
	}
}

// stormPDU is the extra PDU a storm mode sends after each real one.
func (c *conn) stormPDU(h Hostile, i int) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetFlags(iscsi.FlagFinal)
	p.SetITT(0xffffffff)
	switch h {
	case HostileRejectStorm:
		p.SetOpcode(iscsi.OpReject)
		p.SetResponse(rejectProtocolError)
		bhs := make([]byte, iscsi.BHSLen)
		bhs[0] = byte(iscsi.OpNOPOut)
		putBE32(bhs, 16, uint32(0x7000+i))
		p.Data = bhs
	case HostileNOPInFlood:
		p.SetOpcode(iscsi.OpNOPIn)
		p.SetTTT(uint32(0x600000 + i))
	case HostileNOPInUnsolicited:
		p.SetOpcode(iscsi.OpNOPIn)
		p.SetITT(uint32(0x5000000 + i))
		p.SetTTT(0xffffffff)
	case HostileAsyncFlood:
		p = asyncPDU(iscsi.AsyncVendor, 0, 0, 0)
	case HostileAsyncLUNsChanged:
		p = aenPDU(AEN{Sense: SenseReportedLUNsChg})
	case HostileAsyncLogoutReq:
		p = asyncPDU(iscsi.AsyncRequestLogout, 0, 1, 0)
	case HostileAsyncDropAll:
		p = asyncPDU(iscsi.AsyncDropAllConns, 0, 1, 5)
	case HostileAsyncRenegotiate:
		p = asyncPDU(iscsi.AsyncRequestNegotiation, 0, 0, 0)
	}
	return p
}

func stormCount(h Hostile) int {
	switch h {
	case HostileRejectStorm, HostileNOPInFlood, HostileNOPInUnsolicited, HostileAsyncFlood, HostileAsyncLUNsChanged:
		return 32
	case HostileAsyncLogoutReq, HostileAsyncDropAll, HostileAsyncRenegotiate:
		return 1
	}
	return 0
}

// hostileWrite replaces the plain write of b for the extra modes (wmu held).
func (c *conn) hostileWrite(h Hostile, b []byte) error {
	ffp := c.login != nil && c.login.done
	if h.LoginPhase() && !ffp {
		return c.hostileLoginWrite(h, b)
	}
	if !ffp || h.LoginPhase() || h.Discovery() {
		_, err := c.nc.Write(b)
		return err
	}
	switch h {
	case HostileSilent:
		return nil
	case HostileResetMidPDU, HostileCloseMidPDU:
		_, _ = c.nc.Write(b[:len(b)/2])
		if tc, ok := c.nc.(*net.TCPConn); ok && h == HostileResetMidPDU {
			_ = tc.SetLinger(0) // close sends RST
		}
		c.close()
		return net.ErrClosed
	}
	rewriteFFP(h, b)
	if _, err := c.nc.Write(b); err != nil {
		return err
	}
	for i := 0; i < stormCount(h); i++ {
		p := c.stormPDU(h, i)
		p.SetStatSN(c.statSN)
		exp := c.expCmdSN.Load()
		p.SetExpCmdSN(exp)
		p.SetMaxCmdSN(exp + cmdWindow - 1)
		p.HeaderDigest, p.DataDigest = c.hd, c.dd
		sb, err := p.Marshal()
		if err != nil {
			return err
		}
		if _, err := c.nc.Write(sb); err != nil {
			return err
		}
	}
	return nil
}

func (c *conn) hostileLoginWrite(h Hostile, b []byte) error {
	switch h {
	case HostileLoginTrickle:
		for i := range b {
			if _, err := c.nc.Write(b[i : i+1]); err != nil {
				return err
			}
			time.Sleep(time.Second)
		}
		return nil
	case HostileLoginSilent:
		return nil
	case HostileLoginReset:
		if tc, ok := c.nc.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		c.close()
		return net.ErrClosed
	case HostileLoginBadVersion:
		b[2], b[3] = 0x7f, 0x7f
	}
	_, err := c.nc.Write(b)
	return err
}

// hostileTargets inflates a SendTargets answer: st-flood with about 4 MiB
// of long names, st-many-portals with 5000 portals of one target each.
func hostileTargets(h Hostile, addr string) []iscsi.KeyValue {
	var out []iscsi.KeyValue
	switch h {
	case HostileSTFlood:
		pad := strings.Repeat("x", 200)
		for i := 0; i < 16000; i++ {
			out = append(out, pairs("TargetName", fmt.Sprintf("iqn.2026-01.flood.%s:%d", pad, i),
				"TargetAddress", addr)...)
		}
	case HostileSTManyPortals:
		for i := 0; i < 5000; i++ {
			out = append(out, pairs("TargetName", fmt.Sprintf("iqn.2026-01.many:%d", i), "TargetAddress", addr)...)
		}
	}
	return out
}
