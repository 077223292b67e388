package target

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"autoscan/harness/iscsi"
)

func TestControlLines(t *testing.T) {
	s, tg := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, nil)
	script := strings.Join([]string{
		"# comment", "add-lun " + testIQN + " 4 1G", "remove-lun " + testIQN + " 1",
		"aen " + testIQN + " descriptor", "aen " + testIQN, "add-target iqn.2026-11.test:other",
		"refuse-logins on", "refuse-logins off", "hostile bad-sense", "hostile off",
		"bogus", "add-lun nosuch 1 1M", "add-lun " + testIQN + " 4 1G", "list",
	}, "\n")
	var out bytes.Buffer
	if err := s.ServeControl(strings.NewReader(script), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"ok added 4", "ok removed 1", "ok sent 1", "ok sent 1", "ok added iqn.2026-11.test:other",
		"ok refuse-logins on", "ok refuse-logins off", "ok hostile bad-sense", "ok hostile off",
		"error unknown", "error no target", "error target: LUN 4 exists", "ok portal"}
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: %q, want prefix %q", i, lines[min(i, len(lines)-1)], w)
		}
	}
	if got := tg.LUNs(); len(got) != 4 || got[3] != 4 || got[1] != 2 {
		t.Errorf("LUNs after control: %v", got)
	}
	for _, code := range []byte{0x72, 0x70} { // explicit descriptor, then the target's default
		if p := c.recv(); p.Opcode() != iscsi.OpAsyncMsg || p.Data[2] != code {
			t.Errorf("AEN from control line: %v %x, want sense %#x", p.Opcode(), p.Data, code)
		}
	}
	for in, want := range map[string]uint64{"4096": 4096, "64M": 64 << 20, "200MB": 200 << 20, "1gb": 1 << 30} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("size %q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"1T0", "0", "x", "MB", "5B"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("size %q accepted", bad)
		}
	}
	if l, err := ParseLUNList("0-2,300"); err != nil || len(l) != 4 || l[3] != 300 {
		t.Errorf("LUN list: %v %v", l, err)
	}
}

func TestHostileModes(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, pairs("MaxRecvDataSegmentLength", "8192"))

	s.SetHostile(HostileBadSense)
	res := c.scsi(0, []byte{0xc1, 0, 0, 0, 0, 0}, 0, nil, 0, 0)
	if res.status != StatusCheckCondition || res.sense != nil {
		t.Errorf("bad-sense: status %d sense %x (SenseLength must overrun)", res.status, res.sense)
	}
	s.SetHostile(HostileOversized)
	res = c.scsi(0, rw10(0x28, 0, 64), 64*512, nil, 0, 0)
	if len(c.dataIns) != 1 || len(c.dataIns[0].Data) <= 8192 {
		t.Errorf("oversized: %d Data-In PDUs", len(c.dataIns))
	}
	s.SetHostile(HostileWrongOpcode)
	c.send(tur(c))
	if p := c.recv(); p.Opcode() != 0x3c {
		t.Errorf("wrong-opcode: got %v", p.Opcode())
	}
	s.SetHostile(HostileBadLength)
	c.send(tur(c))
	hdr := make([]byte, 48)
	c.nc.Read(hdr)
	if n := int(hdr[5])<<16 | int(hdr[6])<<8 | int(hdr[7]); n != 64<<10 {
		t.Errorf("bad-length: DataSegmentLength %d", n)
	}
	s.SetHostile(HostileLoginGarbage)
	g := dialInit(t, s.Addr())
	r := g.loginPDU(0, 1, true, pairs("InitiatorName", "iqn.x", "TargetName", testIQN))
	if !bytes.Contains(r.Data, []byte("NoEqualsSign\x00")) {
		t.Errorf("login-garbage: %q", r.Data[:min(len(r.Data), 80)])
	}
}

func tur(c *testInit) *iscsi.PDU {
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpSCSICommand)
	p.SetFlags(iscsi.FlagFinal)
	p.SetITT(c.nextITT())
	p.SetCmdSN(c.cmdSN)
	c.cmdSN++
	binary.BigEndian.PutUint32(p.BHS[20:], 0)
	return p
}
