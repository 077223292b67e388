package target

import (
	"bytes"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"autoscan/harness/iscsi"
)

// TestAENReportedLUNsChanged adds LUN 4, sends the AEN in both sense
// formats over a digest connection, and decodes it with Harness I's
// decoder (ReadPDU + ParseAsyncSense).
func TestAENReportedLUNsChanged(t *testing.T) {
	s, tg := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, pairs("HeaderDigest", "CRC32C", "DataDigest", "CRC32C"))
	if _, err := tg.AddLUN(4, 1<<30); err != nil {
		t.Fatal(err)
	}
	for _, f := range []SenseFormat{SenseFixed, SenseDescriptor} {
		before := c.expStatSN
		if n := tg.SendAEN(AEN{Format: f}); n != 1 {
			t.Fatalf("AEN reached %d connections", n)
		}
		p := c.recv()
		sense, ok := iscsi.ParseAsyncSense(p.Data)
		wantFmt := map[SenseFormat]string{SenseFixed: "fixed", SenseDescriptor: "descriptor"}[f]
		if p.Opcode() != iscsi.OpAsyncMsg || p.AsyncEvent() != iscsi.AsyncSCSIEvent || p.ITT() != 0xffffffff ||
			!ok || !sense.ReportedLUNsChanged() || sense.Key != 6 || sense.Format != wantFmt {
			t.Errorf("AEN: %v event %d sense %+v ok %v", p.Opcode(), p.AsyncEvent(), sense, ok)
		}
		if p.StatSN() != before {
			t.Errorf("AEN StatSN %d, want %d", p.StatSN(), before)
		}
	}
	// The next response carries the StatSN after the AENs', and REPORT
	// LUNS now lists LUN 4.
	res := c.scsi(0, reportLUNsCDB(256), 256, nil, 0, 0)
	if res.status != 0 || len(res.data) != 8+5*8 || res.data[8+4*8+1] != 4 {
		t.Errorf("REPORT LUNS after add: %x", res.data)
	}
}

// TestAENBytes pins the wire form of a fixed-format 3F/0E AEN for LUN 0.
func TestAENBytes(t *testing.T) {
	p := aenPDU(AEN{Sense: SenseReportedLUNsChg})
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 0x32 || b[1] != 0x80 || b[7] != 20 || b[36] != 0 ||
		!bytes.Equal(b[16:20], []byte{0xff, 0xff, 0xff, 0xff}) ||
		!bytes.Equal(b[48:50], []byte{0, 18}) || b[50] != 0x70 || b[52] != 6 || b[62] != 0x3f || b[63] != 0x0e {
		t.Errorf("AEN bytes %x", b)
	}
	q := &iscsi.PDU{}
	if err := q.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil || q.Len() != len(b) {
		t.Fatalf("decode: %v", err)
	}
}

func TestAsyncEventsAndDrops(t *testing.T) {
	s, tg := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	c.login(testIQN, nil)
	if n := tg.SendAsyncEvent(iscsi.AsyncRequestLogout, 3, 0); n != 1 {
		t.Fatalf("logout request reached %d", n)
	}
	p := c.recv()
	if p.AsyncEvent() != iscsi.AsyncRequestLogout || p.Parameter(2) != 3 {
		t.Errorf("logout request: event %d param3 %d", p.AsyncEvent(), p.Parameter(2))
	}
	lo := &iscsi.PDU{}
	lo.SetOpcode(iscsi.OpLogoutReq)
	lo.SetImmediate(true)
	lo.SetFlags(iscsi.FlagFinal)
	lo.SetITT(c.nextITT())
	lo.SetCmdSN(c.cmdSN)
	c.send(lo)
	if r := c.recv(); r.Opcode() != iscsi.OpLogoutResp || r.Response() != 0 {
		t.Errorf("logout response %v %d", r.Opcode(), r.Response())
	}
	wantClosed(t, c)

	for _, ev := range []uint8{iscsi.AsyncDropConnection, iscsi.AsyncDropAllConns} {
		c = dialInit(t, s.Addr())
		c.login(testIQN, nil)
		tg.SendAsyncEvent(ev, 2, 20)
		if p := c.recv(); p.AsyncEvent() != ev || p.Parameter(1) != 2 || p.Parameter(2) != 20 {
			t.Errorf("event %d: got %d params %d %d", ev, p.AsyncEvent(), p.Parameter(1), p.Parameter(2))
		}
		wantClosed(t, c)
	}
	c = dialInit(t, s.Addr())
	c.login(testIQN, nil)
	if n := tg.DropConnections(); n != 1 {
		t.Errorf("drop closed %d", n)
	}
	wantClosed(t, c)
}

func wantClosed(t *testing.T, c *testInit) {
	t.Helper()
	_, err := c.tryRecv()
	if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !strings.Contains(err.Error(), "reset") {
		t.Errorf("connection not closed: %v", err)
	}
}

// TestCloseLeavesNoGoroutines closes a server with idle, mid-login and
// logged-in connections and expects the goroutine count to return.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	s, err := NewServer(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := s.AddTarget(testIQN, TargetOptions{})
	tg.AddLUN(0, 1<<20)
	idle, _ := net.Dial("tcp", s.Addr())
	defer idle.Close()
	c := dialInit(t, s.Addr())
	c.login(testIQN, nil)
	half := dialInit(t, s.Addr())
	half.nc.Write(make([]byte, 20)) // a partial header
	time.Sleep(50 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	c.nc.Close()
	half.nc.Close()
	idle.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// TestSessionReinstatement: a second login with the same initiator name
// and ISID closes the first connection; another ISID is a second session.
func TestSessionReinstatement(t *testing.T) {
	s, tg := newTestServer(t, TargetOptions{})
	a := dialInit(t, s.Addr())
	a.login(testIQN, nil)
	b := dialInit(t, s.Addr())
	b.login(testIQN, nil)
	wantClosed(t, a)
	other := dialInit(t, s.Addr())
	other.isid[5] = 9
	other.login(testIQN, nil)
	if n := tg.Sessions(); n != 2 {
		t.Errorf("%d sessions, want 2", n)
	}
	if n := tg.SendAEN(AEN{}); n != 2 {
		t.Errorf("AEN reached %d connections, want 2", n)
	}
}
