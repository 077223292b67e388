package target

import (
	"bytes"
	"math/rand"
	"testing"

	"autoscan/harness/iscsi"
)

func pattern(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// TestR2TFlow writes 300 KiB three ways and reads each back: all data on
// R2Ts (InitialR2T=Yes, no immediate data, 64 KiB bursts), immediate data
// then R2Ts, and immediate + unsolicited Data-Out up to FirstBurst.
func TestR2TFlow(t *testing.T) {
	const size = 300 << 10
	cases := []struct {
		name       string
		op         []iscsi.KeyValue
		imm, unsol int
		wantR2Ts   int
	}{
		{"r2t only", pairs("InitialR2T", "Yes", "ImmediateData", "No", "MaxBurstLength", "65536"), 0, 0, 5},
		{"immediate then r2t", pairs("InitialR2T", "Yes", "ImmediateData", "Yes", "MaxBurstLength", "65536", "MaxRecvDataSegmentLength", "8192"), 8192, 8192, 5},
		{"unsolicited", pairs("InitialR2T", "No", "ImmediateData", "Yes", "FirstBurstLength", "65536", "MaxBurstLength", "131072"), 8192, 65536, 2},
	}
	s, _ := newTestServer(t, TargetOptions{})
	for i, tc := range cases {
		c := dialInit(t, s.Addr())
		c.login(testIQN, tc.op)
		data := pattern(size, int64(i))
		res := c.scsi(2, rw10(0x2a, 64, size/512), 0, data, tc.imm, tc.unsol)
		if res.status != StatusGood || c.r2ts != tc.wantR2Ts {
			t.Errorf("%s: status %d, %d R2Ts, want %d", tc.name, res.status, c.r2ts, tc.wantR2Ts)
		}
		res = c.scsi(2, rw10(0x28, 64, size/512), size, nil, 0, 0)
		if res.status != StatusGood || !bytes.Equal(res.data, data) {
			t.Errorf("%s: read back differs (status %d, %d bytes)", tc.name, res.status, len(res.data))
		}
	}
}

// TestDataInSegmentation checks that Data-In respects the initiator's
// MaxRecvDataSegmentLength, numbers DataSN from 0, and carries status
// and residual in the last PDU.
func TestDataInSegmentation(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, pairs("MaxRecvDataSegmentLength", "8192", "MaxBurstLength", "32768"))
	res := c.scsi(1, rw10(0x28, 0, 200), 200*512+512, nil, 0, 0)
	if res.status != 0 || len(res.data) != 200*512 {
		t.Fatalf("status %d, %d bytes", res.status, len(res.data))
	}
	if res.flags&rspUnderflow == 0 || res.resid != 512 {
		t.Errorf("underflow not reported: flags %#x resid %d", res.flags, res.resid)
	}
	for i, p := range c.dataIns {
		if len(p.Data) > 8192 || p.DataSN() != uint32(i) {
			t.Errorf("Data-In %d: %d bytes, DataSN %d", i, len(p.Data), p.DataSN())
		}
		endBurst := (int(p.BufferOffset())+len(p.Data))%32768 == 0
		last := i == len(c.dataIns)-1
		if p.Final() != (last || endBurst) {
			t.Errorf("Data-In %d: F=%v at offset %d", i, p.Final(), p.BufferOffset())
		}
	}
	if len(c.dataIns) != 13 {
		t.Errorf("%d Data-In PDUs, want 13", len(c.dataIns))
	}
}

// TestTaskManagementAndNOP: NOP-Out echo, ABORT TASK of a pending write,
// LUN RESET, and commands still work afterwards.
func TestTaskManagementAndNOP(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, pairs("InitialR2T", "Yes", "ImmediateData", "No"))
	nop := c.immediate(iscsi.OpNOPOut)
	nop.Data = []byte("ping")
	c.send(nop)
	if r := c.recv(); r.Opcode() != iscsi.OpNOPIn || r.ITT() != nop.ITT() || string(r.Data) != "ping" {
		t.Fatalf("NOP-In: %v %q", r.Opcode(), r.Data)
	}
	// A write waiting for its R2T, then aborted.
	w := &iscsi.PDU{}
	w.SetOpcode(iscsi.OpSCSICommand)
	w.SetFlags(iscsi.FlagFinal | iscsi.FlagWrite)
	w.SetITT(c.nextITT())
	w.SetCmdSN(c.cmdSN)
	c.cmdSN++
	w.SetExpectedDataLength(4096)
	w.SetCDB(rw10(0x2a, 0, 8))
	c.send(w)
	if r := c.recv(); r.Opcode() != iscsi.OpR2T {
		t.Fatalf("want R2T, got %v", r.Opcode())
	}
	steps := []struct {
		fn   uint8
		ref  uint32
		want uint8
	}{
		{iscsi.TMFAbortTask, w.ITT(), tmfComplete}, // pending: aborted
		{iscsi.TMFAbortTask, w.ITT(), tmfNoTask},   // gone now
		{iscsi.TMFLogicalUnitRst, 0, tmfComplete},
		{iscsi.TMFTargetWarmReset, 0, tmfComplete},
		{0x0f, 0, tmfNotSupported},
	}
	for _, st := range steps {
		r := c.tmf(st.fn, st.ref)
		if r.Opcode() != iscsi.OpTaskMgmtResp || r.Response() != st.want {
			t.Errorf("TMF %d: %v response %d, want %d", st.fn, r.Opcode(), r.Response(), st.want)
		}
	}
	if res := c.scsi(0, make([]byte, 6), 0, nil, 0, 0); res.status != 0 {
		t.Errorf("TEST UNIT READY after TMFs: status %d", res.status)
	}
}

func (c *testInit) tmf(fn uint8, ref uint32) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpTaskMgmtReq)
	p.SetImmediate(true)
	p.SetFlags(iscsi.FlagFinal | fn)
	p.SetITT(c.nextITT())
	p.SetRefTaskTag(ref)
	p.SetCmdSN(c.cmdSN)
	c.send(p)
	return c.recv()
}

// TestTargetPing: the NOP-In carries a TTT, the reserved ITT, and does
// not advance StatSN; the initiator's answer gets no reply.
func TestTargetPing(t *testing.T) {
	s, tg := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, nil)
	if n := tg.Ping(); n != 1 {
		t.Fatalf("ping reached %d", n)
	}
	p := c.recv()
	if p.Opcode() != iscsi.OpNOPIn || p.ITT() != 0xffffffff || p.TTT() == 0xffffffff {
		t.Fatalf("ping: %v itt %#x ttt %#x", p.Opcode(), p.ITT(), p.TTT())
	}
	statSN := p.StatSN()
	a := &iscsi.PDU{}
	a.SetOpcode(iscsi.OpNOPOut)
	a.SetImmediate(true)
	a.SetFlags(iscsi.FlagFinal)
	a.SetITT(0xffffffff)
	a.SetTTT(p.TTT())
	a.SetCmdSN(c.cmdSN)
	c.send(a)
	p = c.send2recvTUR()
	if p.Opcode() != iscsi.OpSCSIResponse || p.StatSN() != statSN {
		t.Errorf("after ping: %v StatSN %d, want %d", p.Opcode(), p.StatSN(), statSN)
	}
}

// send2recvTUR sends TEST UNIT READY and returns the next PDU received.
func (c *testInit) send2recvTUR() *iscsi.PDU {
	c.send(tur(c))
	return c.recv()
}

// TestDataOutSequenceError: a Data-Out with the wrong DataSN ends its task
// with ABORTED COMMAND 4B/00; its later Data-Out is dropped and the
// connection keeps working.
func TestDataOutSequenceError(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, pairs("InitialR2T", "No", "ImmediateData", "No"))
	w := &iscsi.PDU{}
	w.SetOpcode(iscsi.OpSCSICommand)
	w.SetFlags(iscsi.FlagWrite)
	w.SetITT(c.nextITT())
	w.SetCmdSN(c.cmdSN)
	c.cmdSN++
	w.SetExpectedDataLength(1024)
	w.SetCDB(rw10(0x2a, 0, 2))
	c.send(w)
	data := make([]byte, 1024)
	for _, sn := range []uint32{1, 0} { // reversed DataSN
		d := &iscsi.PDU{}
		d.SetOpcode(iscsi.OpDataOut)
		d.SetITT(w.ITT())
		d.SetTTT(0xffffffff)
		d.SetDataSN(sn)
		d.SetBufferOffset(512 * (1 - sn))
		if sn == 0 {
			d.SetFlags(iscsi.FlagFinal)
		}
		d.Data = data[:512]
		c.send(d)
	}
	r := c.recv()
	sense, ok := iscsi.ParseSense(r.Sense())
	if r.Opcode() != iscsi.OpSCSIResponse || r.Status() != StatusCheckCondition || !ok ||
		sense.Key != SenseAbortedCommand || sense.ASC != 0x4b {
		t.Fatalf("sequence error: %v status %d sense %+v", r.Opcode(), r.Status(), sense)
	}
	if p := c.send2recvTUR(); p.Opcode() != iscsi.OpSCSIResponse || p.Status() != 0 {
		t.Errorf("connection unusable after the error: %v %d", p.Opcode(), p.Status())
	}
}
