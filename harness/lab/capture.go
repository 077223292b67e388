package lab

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Capture records the host's loopback traffic of one TCP port into a pcap
// file with tcpdump (lunwatch's own live capture lives in a command
// package; the file format is pcap either way).
type Capture struct {
	File string
	// truncated is set when the file reached the size limit and the
	// capture stopped early (a runaway scenario must not fill the disk).
	truncated bool
	limit     int64
	cmd       *exec.Cmd
	done      chan error
	stop      chan struct{}
	mu        sync.Mutex
}

// CaptureLimit is the largest capture file kept; a scenario of the matrix
// needs a few MB at most.
const CaptureLimit = 256 << 20

// StartCapture returns once tcpdump reports it is listening, so no packet
// of the scenario that follows is missed.
func StartCapture(file string, port int) (*Capture, error) {
	return StartCapturePorts(file, port)
}

// StartCapturePorts is StartCapture for a target with several portals.
func StartCapturePorts(file string, ports ...int) (*Capture, error) {
	filter := []string{"tcp", "and", "("}
	for i, p := range ports {
		if i > 0 {
			filter = append(filter, "or")
		}
		filter = append(filter, "port", fmt.Sprint(p))
	}
	filter = append(filter, ")")
	// --immediate-mode: without it packets still in the kernel's capture
	// buffer when tcpdump is stopped are lost, and the last commands of a
	// scenario (possibly the violations) would never be audited.
	args := append([]string{"-i", "lo", "--immediate-mode", "-U", "-n", "-s", "0", "-w", file}, filter...)
	cmd := exec.Command("tcpdump", args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("lab: tcpdump: %w", err)
	}
	c := &Capture{File: file, cmd: cmd, done: make(chan error, 1),
		stop: make(chan struct{}), limit: CaptureLimit}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var seen []string
		for sc.Scan() {
			seen = append(seen, sc.Text())
			if strings.Contains(sc.Text(), "listening on") {
				ready <- ""
			}
		}
		select { // only if tcpdump died before it was listening
		case ready <- "tcpdump exited: " + strings.Join(seen, "\n"):
		default:
		}
		c.done <- cmd.Wait()
	}()
	select {
	case msg := <-ready:
		if msg != "" {
			return nil, fmt.Errorf("lab: tcpdump did not start: %s", msg)
		}
		go c.watchSize()
		return c, nil
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("lab: tcpdump not listening after 10 s")
	}
}

// watchSize stops tcpdump once the file passes the limit.
func (c *Capture) watchSize() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		if st, err := os.Stat(c.File); err == nil && st.Size() > c.limit {
			c.mu.Lock()
			c.truncated = true
			c.mu.Unlock()
			_ = c.cmd.Process.Signal(syscall.SIGINT)
			return
		}
	}
}

// IsTruncated says whether the size limit cut the capture short.
func (c *Capture) IsTruncated() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.truncated
}

// Stop ends the capture; the file is complete when Stop returns. Calling
// it twice is harmless.
func (c *Capture) Stop() error {
	select {
	case <-c.stop:
		return nil
	default:
		close(c.stop)
	}
	// A moment for the last packets of the scenario to reach the file.
	time.Sleep(200 * time.Millisecond)
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-c.done:
		c.done <- err
		return nil
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		return fmt.Errorf("lab: tcpdump did not stop")
	}
}
