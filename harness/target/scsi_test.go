package target

import (
	"bytes"
	"encoding/binary"
	"testing"

	"autoscan/harness/iscsi"
)

// testDevice gives the view of LUN n of a target with LUNs 0, 1 and 300.
func testDevice(t *testing.T, n uint16, f SenseFormat) *device {
	t.Helper()
	s, err := NewServer(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tg, _ := s.AddTarget(testIQN, TargetOptions{SenseFormat: f})
	for _, l := range []uint16{0, 1, 300} {
		if _, err := tg.AddLUN(l, 8<<30); err != nil {
			t.Fatal(err)
		}
	}
	return tg.device(EncodeLUN(n))
}

func wantSense(t *testing.T, what string, r Result, want Sense) {
	t.Helper()
	s, ok := iscsi.ParseSense(r.Sense)
	if r.Status != StatusCheckCondition || !ok || s.Key != want.Key || s.ASC != want.ASC || s.ASCQ != want.ASCQ {
		t.Errorf("%s: status %d sense %x, want %02x/%02x/%02x", what, r.Status, r.Sense, want.Key, want.ASC, want.ASCQ)
	}
}

func TestInquiry(t *testing.T) {
	d := testDevice(t, 1, SenseFixed)
	r := d.exec([]byte{0x12, 0, 0, 0, 96, 0}, nil)
	if r.Status != 0 || r.Data[0] != 0 || r.Data[2] != 6 || int(r.Data[4])+5 != len(r.Data) || r.Data[7]&2 == 0 {
		t.Errorf("standard INQUIRY %x", r.Data)
	}
	if r = d.exec([]byte{0x12, 0, 0, 0, 36, 0}, nil); len(r.Data) != 36 {
		t.Errorf("allocation length 36 gave %d bytes", len(r.Data))
	}
	r = d.exec([]byte{0x12, 1, 0x00, 0, 255, 0}, nil)
	if !bytes.Equal(r.Data[4:], vpdPages) || r.Data[1] != 0 {
		t.Errorf("VPD 0x00 %x", r.Data)
	}
	r = d.exec([]byte{0x12, 1, 0x83, 0, 255, 0}, nil)
	if r.Data[1] != 0x83 || r.Data[4+1]&0x0f != 3 || r.Data[4+4]>>4 != 6 {
		t.Errorf("VPD 0x83 does not start with an NAA 6 designator: %x", r.Data)
	}
	r = d.exec([]byte{0x12, 1, 0x80, 0, 255, 0}, nil)
	if string(r.Data[4:]) != d.lu.Serial() {
		t.Errorf("VPD 0x80 %q", r.Data[4:])
	}
	for _, pg := range []byte{0xb0, 0xb1, 0xb2} {
		if r = d.exec([]byte{0x12, 1, pg, 0, 255, 0}, nil); r.Status != 0 || r.Data[1] != pg {
			t.Errorf("VPD %#x: status %d", pg, r.Status)
		}
	}
	wantSense(t, "VPD 0x89", d.exec([]byte{0x12, 1, 0x89, 0, 255, 0}, nil), SenseInvalidField)
	wantSense(t, "page without EVPD", d.exec([]byte{0x12, 0, 0x80, 0, 255, 0}, nil), SenseInvalidField)
}

func TestMissingLUN(t *testing.T) {
	d := testDevice(t, 2, SenseFixed)
	r := d.exec([]byte{0x12, 0, 0, 0, 36, 0}, nil)
	if r.Status != 0 || r.Data[0] != 0x7f {
		t.Errorf("INQUIRY to missing LUN: peripheral byte %#x", r.Data[0])
	}
	wantSense(t, "TUR to missing LUN", d.exec(make([]byte, 6), nil), SenseLUNNotSupported)
	// REPORT LUNS works at any address.
	if r = d.exec(reportLUNsCDB(64), nil); r.Status != 0 {
		t.Errorf("REPORT LUNS at a missing LUN: status %d", r.Status)
	}
}

func reportLUNsCDB(alloc uint32) []byte {
	cdb := make([]byte, 12)
	cdb[0] = 0xa0
	binary.BigEndian.PutUint32(cdb[6:], alloc)
	return cdb
}

func TestReportLUNsEncoding(t *testing.T) {
	d := testDevice(t, 0, SenseFixed)
	r := d.exec(reportLUNsCDB(4096), nil)
	want := []byte{0, 0, 0, 24, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 1, 0, 0, 0, 0, 0, 0,
		0x41, 0x2c, 0, 0, 0, 0, 0, 0} // 300 = 0x12c, flat addressing
	if !bytes.Equal(r.Data, want) {
		t.Errorf("REPORT LUNS\n got %x\nwant %x", r.Data, want)
	}
	// What Linux calls these LUNs, via the decoder Harness I uses.
	var l [8]byte
	copy(l[:], r.Data[24:32])
	if iscsi.LUNToInt(l) != LinuxLUN(300) || LinuxLUN(300) != 0x412c || LinuxLUN(5) != 5 {
		t.Errorf("Linux numbering: %d / %d", iscsi.LUNToInt(l), LinuxLUN(300))
	}
	lf := iscsi.IntToLUN(0x412c)
	if n, ok := DecodeLUN(lf[:]); !ok || n != 300 {
		t.Errorf("DecodeLUN of Linux LUN 16684: %d %v", n, ok)
	}
	if r = d.exec(reportLUNsCDB(16), nil); len(r.Data) != 16 || r.Data[3] != 24 {
		t.Errorf("truncated REPORT LUNS keeps the full list length: %x", r.Data)
	}
	wantSense(t, "REPORT LUNS alloc 8", d.exec(reportLUNsCDB(8), nil), SenseInvalidField)
}

func TestReadCapacity(t *testing.T) {
	d := testDevice(t, 0, SenseFixed)
	r := d.exec([]byte{0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, nil)
	if binary.BigEndian.Uint32(r.Data) != 8<<30/512-1 || binary.BigEndian.Uint32(r.Data[4:]) != 512 {
		t.Errorf("READ CAPACITY 10 %x", r.Data)
	}
	cdb := make([]byte, 16)
	cdb[0], cdb[1], cdb[13] = 0x9e, 0x10, 32
	r = d.exec(cdb, nil)
	if len(r.Data) != 32 || binary.BigEndian.Uint64(r.Data) != 8<<30/512-1 {
		t.Errorf("READ CAPACITY 16 %x", r.Data)
	}
}

func TestModeSense(t *testing.T) {
	d := testDevice(t, 0, SenseDescriptor)
	r := d.exec([]byte{0x1a, 0, 0x08, 0, 255, 0}, nil)
	if r.Status != 0 || int(r.Data[0])+1 != len(r.Data) || r.Data[4] != 0x08 || r.Data[6]&0x04 == 0 {
		t.Errorf("MODE SENSE 6 caching %x", r.Data)
	}
	r = d.exec([]byte{0x1a, 0, 0x3f, 0, 255, 0}, nil)
	if len(r.Data) != 4+20+12 || r.Data[24] != 0x0a || r.Data[26]&0x04 == 0 {
		t.Errorf("MODE SENSE 6 all pages (control page D_SENSE) %x", r.Data)
	}
	r = d.exec([]byte{0x5a, 0, 0x3f, 0xff, 0, 0, 0, 1, 0, 0}, nil)
	if binary.BigEndian.Uint16(r.Data)+2 != uint16(len(r.Data)) || len(r.Data) != 8+32 {
		t.Errorf("MODE SENSE 10 all pages/subpages %x", r.Data)
	}
	wantSense(t, "unknown page", d.exec([]byte{0x1a, 0, 0x1c, 0, 255, 0}, nil), SenseInvalidField)
	wantSense(t, "saved values", d.exec([]byte{0x1a, 0, 0xc8, 0, 255, 0}, nil), SenseSavingNotSupport)
}

func TestSenseFormatsAndRefusals(t *testing.T) {
	for _, f := range []SenseFormat{SenseFixed, SenseDescriptor} {
		d := testDevice(t, 0, f)
		r := d.exec([]byte{0xc1, 0, 0, 0, 0, 0}, nil)
		wantSense(t, "vendor opcode", r, SenseInvalidOpcode)
		if code := r.Sense[0]; (f == SenseFixed) != (code == 0x70) {
			t.Errorf("format %d gave response code %#x", f, code)
		}
		wantSense(t, "read beyond end", d.exec(rw10(0x28, 0xffffff00, 1), nil), SenseLBAOutOfRange)
		wantSense(t, "RDPROTECT", d.exec([]byte{0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0}, nil), SenseInvalidField)
	}
}

func TestReadWriteAndSparseness(t *testing.T) {
	d := testDevice(t, 1, SenseFixed)
	data := bytes.Repeat([]byte("0123456789abcdef"), 64) // 2 blocks
	if r := d.exec(rw10(0x2a, 1000, 2), data); r.Status != 0 {
		t.Fatalf("WRITE 10 status %d", r.Status)
	}
	if d.lu.UsedChunks() != 1 {
		t.Errorf("one 1 KiB write used %d chunks", d.lu.UsedChunks())
	}
	cdb := make([]byte, 16)
	cdb[0] = 0x88
	binary.BigEndian.PutUint64(cdb[2:], 999)
	binary.BigEndian.PutUint32(cdb[10:], 4)
	r := d.exec(cdb, nil)
	if !bytes.Equal(r.Data[512:1536], data) || !bytes.Equal(r.Data[:512], make([]byte, 512)) {
		t.Errorf("READ 16 did not return the written data between zeros")
	}
	d.exec(rw10(0x2a, 1000, 2), make([]byte, 1024))
	if d.lu.UsedChunks() != 0 {
		t.Errorf("zeroing left %d chunks", d.lu.UsedChunks())
	}
	for _, op := range []byte{0x00, 0x35, 0x1b} {
		cdb := make([]byte, 10)
		cdb[0] = op
		if r := d.exec(cdb, nil); r.Status != 0 {
			t.Errorf("opcode %#x: status %d", op, r.Status)
		}
	}
}

// TestDeviceIDsUniqueAcrossServers: the same LUN of two servers (or two
// targets) must not share an NAA designator, or multipath merges them.
func TestDeviceIDsUniqueAcrossServers(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		for _, n := range []uint16{0, 1} {
			r := testDevice(t, n, SenseFixed).exec([]byte{0x12, 1, 0x83, 0, 255, 0}, nil)
			id := string(r.Data[8:24])
			if seen[id] {
				t.Errorf("NAA %x reported twice", id)
			}
			seen[id] = true
		}
	}
}
