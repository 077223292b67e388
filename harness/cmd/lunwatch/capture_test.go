package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/iscsi"
)

// syncBuffer is a bytes.Buffer safe for the capture goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLiveCaptureOnLoopback captures two SCSI Commands (LUN 0 and LUN 5)
// sent over a real TCP connection on lo, then checks the verdict, the
// written pcap (read back by analyze and by tshark) and that loopback's
// doubled packets were filtered.
func TestLiveCaptureOnLoopback(t *testing.T) {
	pcap := filepath.Join(t.TempDir(), "live.pcap")
	c := startLiveCapture(t, "--duration", "3s", "-w", pcap, "--allow-luns", "0")
	sendCommands(t, c.ln, c.port, 0, 5)
	code := <-c.done
	assert.Equal(t, exitViolation, code, c.out.String()+c.errOut.String())
	assert.Contains(t, c.out.String(), "session 1 LUN 5: INQUIRY x1")

	code, again, stderr := lunwatch("analyze", "--port", c.port, "--allow-luns", "0", pcap)
	assert.Equal(t, exitViolation, code, stderr)
	assert.Contains(t, again, "session 1 LUN 5: INQUIRY x1")
	ts, err := exec.Command("tshark", "-r", pcap, "-d", "tcp.port=="+c.port+",iscsi", "-Y", "iscsi.opcode == 0x01").Output()
	require.NoError(t, err, "tshark must read the written pcap")
	assert.Equal(t, 2, strings.Count(string(ts), "Inquiry"), string(ts))
}

// TestLiveCaptureStopsOnInterrupt: Ctrl-C ends a capture that has no
// duration, and the report still comes.
func TestLiveCaptureStopsOnInterrupt(t *testing.T) {
	c := startLiveCapture(t, "--format", "json")
	sendCommands(t, c.ln, c.port, 3)
	time.Sleep(300 * time.Millisecond) // let the frames reach the socket
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	select {
	case code := <-c.done:
		assert.Equal(t, exitClean, code, c.errOut.String())
	case <-time.After(5 * time.Second):
		t.Fatal("capture did not stop on SIGINT")
	}
	assert.Contains(t, c.out.String(), `"lun": 3,`)
	assert.Contains(t, c.out.String(), `"interface lo"`)
}

// liveCapture is a `lunwatch capture -i lo` running in a goroutine on the
// port of a listener the test sends to; done gets its exit code.
type liveCapture struct {
	ln          net.Listener
	port        string
	out, errOut syncBuffer
	done        chan int
}

// startLiveCapture starts the capture with the extra flags and returns
// once it says it is listening.
func startLiveCapture(t *testing.T, flags ...string) *liveCapture {
	if os.Geteuid() != 0 {
		t.Fatal("live capture needs root (AF_PACKET socket); the test suite runs as root")
	}
	// A free port: other suites (or a second copy of this one) may run at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	c := &liveCapture{ln: ln, port: strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), done: make(chan int, 1)}
	args := append([]string{"capture", "-i", "lo", "--port", c.port}, flags...)
	go func() { c.done <- dispatch(args, &c.out, &c.errOut) }()
	require.Eventually(t, func() bool { return strings.Contains(c.errOut.String(), "listening") },
		5*time.Second, 20*time.Millisecond, c.errOut.String())
	return c
}

func sendCommands(t *testing.T, ln net.Listener, port string, luns ...uint64) {
	c, err := net.Dial("tcp", "127.0.0.1:"+port)
	require.NoError(t, err)
	s, err := ln.Accept()
	require.NoError(t, err)
	defer s.Close()
	for i, lun := range luns {
		p := &iscsi.PDU{}
		p.SetOpcode(iscsi.OpSCSICommand)
		p.SetFlags(iscsi.FlagFinal | iscsi.FlagRead)
		p.SetLUN(lun)
		p.SetITT(uint32(i))
		p.SetCDB([]byte{iscsi.ScsiInquiry, 0, 0, 0, 36, 0})
		require.NoError(t, iscsi.WritePDU(c, p))
		buf := make([]byte, iscsi.BHSLen)
		_, err := s.Read(buf)
		require.NoError(t, err)
	}
	require.NoError(t, c.Close())
}
