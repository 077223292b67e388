package target

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"autoscan/harness/iscsi"
)

// testInit is a minimal initiator for the target's own tests: it speaks
// through the harness codec and fails the test on anything unexpected.
type testInit struct {
	t         *testing.T
	nc        net.Conn
	cmdSN     uint32
	expStatSN uint32
	itt       uint32
	hd, dd    bool
	isid      [6]byte
	r2ts      int // R2Ts seen by the last write
	dataIns   []*iscsi.PDU
}

func dialInit(t *testing.T, addr string) *testInit {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &testInit{t: t, nc: nc, cmdSN: 1, isid: [6]byte{0x80, 1, 2, 3, 4, 5}}
}

func (c *testInit) send(p *iscsi.PDU) {
	c.t.Helper()
	p.HeaderDigest, p.DataDigest = c.hd, c.dd
	if err := iscsi.WritePDU(c.nc, p); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// recv reads one PDU, checks its digests, and tracks StatSN.
func (c *testInit) recv() *iscsi.PDU {
	c.t.Helper()
	p, err := c.tryRecv()
	if err != nil {
		c.t.Fatalf("recv: %v", err)
	}
	return p
}

func (c *testInit) tryRecv() (*iscsi.PDU, error) {
	c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	p, err := iscsi.ReadPDU(c.nc, c.hd, c.dd)
	if err != nil {
		return nil, err
	}
	if p.Opcode() != iscsi.OpR2T && p.Opcode() != iscsi.OpDataIn || p.Flags()&iscsi.FlagStatus != 0 {
		c.expStatSN = p.StatSN() + 1
	}
	return p, nil
}

func (c *testInit) nextITT() uint32 { c.itt++; return c.itt }

// loginPDU sends one Login Request and returns the response.
func (c *testInit) loginPDU(csg, nsg uint8, transit bool, keys []iscsi.KeyValue) *iscsi.PDU {
	c.t.Helper()
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpLoginReq)
	p.SetImmediate(true)
	p.SetLoginStages(transit, false, csg, nsg)
	p.SetISID(c.isid)
	p.SetITT(c.nextITT())
	p.SetCmdSN(c.cmdSN)
	p.SetExpStatSN(c.expStatSN)
	p.Data = iscsi.EncodeText(keys...)
	c.send(p)
	r := c.recv()
	if r.Opcode() != iscsi.OpLoginResp {
		c.t.Fatalf("got %v, want Login Response", r.Opcode())
	}
	return r
}

// immediate is an immediate, final request of op with the next ITT and
// no target transfer tag.
func (c *testInit) immediate(op iscsi.Opcode) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetOpcode(op)
	p.SetImmediate(true)
	p.SetFlags(iscsi.FlagFinal)
	p.SetITT(c.nextITT())
	p.SetTTT(0xffffffff)
	p.SetCmdSN(c.cmdSN)
	return p
}

// sendTargetsAll asks SendTargets=All in one Text Request and returns the
// answer's pairs.
func (c *testInit) sendTargetsAll() []iscsi.KeyValue {
	c.t.Helper()
	p := c.immediate(iscsi.OpTextReq)
	p.Data = iscsi.EncodeText(pairs("SendTargets", "All")...)
	c.send(p)
	r := c.recv()
	if r.Opcode() != iscsi.OpTextResp || !r.Final() {
		c.t.Fatalf("SendTargets: %v final %v %q", r.Opcode(), r.Final(), r.Data)
	}
	return iscsi.ParseText(r.Data)
}

// keyMapOf is the answer's keys by name.
func keyMapOf(r *iscsi.PDU) map[string]string { return keyMap(iscsi.ParseText(r.Data)) }

func loginStatus(r *iscsi.PDU) uint16 { return uint16(r.StatusClass())<<8 | uint16(r.StatusDetail()) }

// login does a no-auth normal-session login with the given operational
// keys and switches digests on as negotiated; it returns the answers.
func (c *testInit) login(iqn string, op []iscsi.KeyValue) map[string]string {
	c.t.Helper()
	sec := pairs("InitiatorName", "iqn.2026-11.test:init", "SessionType", "Normal", "TargetName", iqn, "AuthMethod", "None")
	r := c.loginPDU(0, 1, true, sec)
	if s := loginStatus(r); s != 0 || !r.Transit() || r.NSG() != 1 {
		c.t.Fatalf("security stage: status %04x transit %v nsg %d", s, r.Transit(), r.NSG())
	}
	got := keyMapOf(r)
	return c.finishLogin(op, got)
}

// finishLogin runs the operational stage into full feature phase.
func (c *testInit) finishLogin(op []iscsi.KeyValue, got map[string]string) map[string]string {
	c.t.Helper()
	r := c.loginPDU(1, 3, true, op)
	if s := loginStatus(r); s != 0 || !r.Transit() || r.NSG() != 3 || r.TSIH() == 0 {
		c.t.Fatalf("operational stage: status %04x transit %v nsg %d tsih %d", s, r.Transit(), r.NSG(), r.TSIH())
	}
	for k, v := range keyMapOf(r) {
		got[k] = v
	}
	c.hd, c.dd = got["HeaderDigest"] == "CRC32C", got["DataDigest"] == "CRC32C"
	return got
}

// cmdResult is what a SCSI command returned.
type cmdResult struct {
	status uint8
	data   []byte
	sense  []byte
	resid  uint32
	flags  uint8
}

// scsi runs one command: read expects up to rlen bytes; write data is sent
// as immediate data up to imm bytes, as unsolicited Data-Out up to unsol
// bytes in total, and the rest on R2Ts.
func (c *testInit) scsi(lun uint16, cdb []byte, rlen uint32, wdata []byte, imm, unsol int) cmdResult {
	c.t.Helper()
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpSCSICommand)
	flags := uint8(iscsi.FlagFinal)
	if rlen > 0 {
		flags |= iscsi.FlagRead
	}
	itt := c.nextITT()
	if wdata != nil {
		flags |= iscsi.FlagWrite
		p.SetExpectedDataLength(uint32(len(wdata)))
		p.Data = wdata[:min(imm, len(wdata))]
		if unsol > len(p.Data) {
			flags &^= iscsi.FlagFinal
		}
	} else {
		p.SetExpectedDataLength(rlen)
	}
	p.SetFlags(flags | 0x01) // simple task attribute
	copy(p.BHS[8:16], EncodeLUN(lun))
	p.SetITT(itt)
	p.SetCmdSN(c.cmdSN)
	c.cmdSN++
	p.SetExpStatSN(c.expStatSN)
	p.SetCDB(cdb)
	c.send(p)
	if wdata != nil && unsol > len(p.Data) {
		c.dataOut(itt, lun, wdata, len(p.Data), min(unsol, len(wdata)), 0xffffffff)
	}
	return c.collect(itt, lun, wdata)
}

// dataOut sends wdata[from:to] in 4 KiB Data-Out PDUs, F on the last.
func (c *testInit) dataOut(itt uint32, lun uint16, wdata []byte, from, to int, ttt uint32) {
	c.t.Helper()
	for off, sn := from, uint32(0); off < to; sn++ {
		n := min(4096, to-off)
		p := &iscsi.PDU{}
		p.SetOpcode(iscsi.OpDataOut)
		if off+n == to {
			p.SetFlags(iscsi.FlagFinal)
		}
		copy(p.BHS[8:16], EncodeLUN(lun))
		p.SetITT(itt)
		p.SetTTT(ttt)
		p.SetExpStatSN(c.expStatSN)
		p.SetDataSN(sn)
		p.SetBufferOffset(uint32(off))
		p.Data = wdata[off : off+n]
		c.send(p)
		off += n
	}
}

// collect answers R2Ts and gathers Data-In until the status arrives.
func (c *testInit) collect(itt uint32, lun uint16, wdata []byte) cmdResult {
	c.t.Helper()
	var res cmdResult
	c.r2ts, c.dataIns = 0, nil
	for {
		p := c.recv()
		if p.ITT() != itt {
			c.t.Fatalf("%v for ITT %#x, want %#x", p.Opcode(), p.ITT(), itt)
		}
		switch p.Opcode() {
		case iscsi.OpR2T:
			c.r2ts++
			off, n := p.BufferOffset(), p.DesiredDataLength()
			c.dataOut(itt, lun, wdata, int(off), int(off+n), p.TTT())
		case iscsi.OpDataIn:
			c.dataIns = append(c.dataIns, p)
			res.data = append(res.data, p.Data...)
			if p.Flags()&iscsi.FlagStatus != 0 {
				res.status, res.flags, res.resid = p.Status(), p.Flags(), p.ResidualCount()
				return res
			}
		case iscsi.OpSCSIResponse:
			res.status, res.flags, res.resid = p.Status(), p.Flags(), p.ResidualCount()
			res.sense = p.Sense()
			return res
		default:
			c.t.Fatalf("unexpected %v", p.Opcode())
		}
	}
}

// rw10 builds a READ(10) or WRITE(10) CDB.
func rw10(op byte, lba uint32, blocks uint16) []byte {
	cdb := make([]byte, 10)
	cdb[0] = op
	binary.BigEndian.PutUint32(cdb[2:], lba)
	binary.BigEndian.PutUint16(cdb[7:], blocks)
	return cdb
}
