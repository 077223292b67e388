package lab

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"

	"autoscan/harness/lab/agentproto"
)

// Client talks to a guest agent. Calls are serialised; the connection
// carries one request at a time.
type Client struct {
	mu   sync.Mutex
	conn net.Conn
	rd   *bufio.Reader
	path string // PATH for commands, selects the initiator
}

// Result is what a guest command produced.
type Result struct {
	Stdout, Stderr string
	Exit           int
	TimedOut       bool
}

// Dial connects to an agent at addr (host:port).
func Dial(addr string) (*Client, error) {
	c, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return nil, err
	}
	return &Client{conn: c, rd: bufio.NewReaderSize(c, 1<<16)}, nil
}

func (c *Client) Close() error { return c.conn.Close() }

// do sends one request and waits up to wait for its answer.
func (c *Client) do(req agentproto.Request, wait time.Duration) (*agentproto.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := json.Marshal(&req)
	if err != nil {
		return nil, err
	}
	_ = c.conn.SetDeadline(time.Now().Add(wait))
	if _, err := c.conn.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	line, err := c.rd.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("lab: agent %s: %w", req.Op, err)
	}
	var resp agentproto.Response
	if err := json.Unmarshal(line, &resp); err != nil {
		return nil, err
	}
	if resp.Err != "" {
		return &resp, fmt.Errorf("lab: agent %s: %s", req.Op, resp.Err)
	}
	return &resp, nil
}

// Run runs a shell script in the guest with the selected initiator first
// on PATH; a non-zero exit is a Result, not an error.
func (c *Client) Run(script string, timeout time.Duration) (Result, error) {
	req := agentproto.Request{Op: agentproto.OpRun, Script: script,
		TimeoutMS: int(timeout / time.Millisecond), Env: c.env()}
	resp, err := c.do(req, timeout+10*time.Second)
	if err != nil {
		return Result{}, err
	}
	return Result{Stdout: resp.Out, Stderr: resp.ErrOut, Exit: resp.Exit, TimedOut: resp.TimedOut}, nil
}

// MustRun is Run that also fails on a non-zero exit.
func (c *Client) MustRun(script string, timeout time.Duration) (Result, error) {
	r, err := c.Run(script, timeout)
	if err == nil && (r.Exit != 0 || r.TimedOut) {
		err = fmt.Errorf("lab: %q exit %d (timed out %v): %s%s", script, r.Exit, r.TimedOut, r.Stdout, r.Stderr)
	}
	return r, err
}

// SetInitiator selects whose iscsid/iscsiadm later commands find first on
// PATH: "stock" (/stock/sbin) or "project" (/project/sbin).
func (c *Client) SetInitiator(which string) {
	c.mu.Lock()
	c.path = initiatorPath(which)
	c.mu.Unlock()
}

func (c *Client) env() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" {
		return nil
	}
	return map[string]string{"PATH": c.path}
}

// Start runs script in the background, output appended to logPath in the
// guest ("" = /tmp/lab-bg.log); returns its pid.
func (c *Client) Start(script, logPath string) (int, error) {
	resp, err := c.do(agentproto.Request{Op: agentproto.OpStart, Script: script,
		Path: logPath, Env: c.env()}, 10*time.Second)
	if err != nil {
		return 0, err
	}
	return resp.PID, nil
}

// Kill signals pid (its process group when Start made it).
func (c *Client) Kill(pid int, sig syscall.Signal) error {
	_, err := c.do(agentproto.Request{Op: agentproto.OpKill, PID: pid, Signal: int(sig)}, 10*time.Second)
	return err
}

func (c *Client) ReadFile(path string) (string, error) {
	resp, err := c.do(agentproto.Request{Op: agentproto.OpRead, Path: path}, 10*time.Second)
	if err != nil {
		return "", err
	}
	return resp.Out, nil
}

func (c *Client) WriteFile(path, data string) error {
	_, err := c.do(agentproto.Request{Op: agentproto.OpWrite, Path: path, Data: data}, 60*time.Second)
	return err
}

// SCSIDevices lists /sys/class/scsi_device, sorted by H:C:T:L.
func (c *Client) SCSIDevices() ([]agentproto.Device, error) {
	resp, err := c.do(agentproto.Request{Op: agentproto.OpSCSI}, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return resp.Devices, nil
}

// Blocks lists /sys/block.
func (c *Client) Blocks() ([]agentproto.Block, error) {
	resp, err := c.do(agentproto.Request{Op: agentproto.OpBlock}, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return resp.Blocks, nil
}

// Scan writes spec ("C T L", "-" for any) to scsi_host/host<host>/scan.
// The kernel scans synchronously, so the write returns when it is done.
func (c *Client) Scan(host int, spec string) error {
	_, err := c.do(agentproto.Request{Op: agentproto.OpScan, Host: host, Data: spec}, 60*time.Second)
	return err
}

// LUNs returns the LUN numbers present on SCSI host h.
func (c *Client) LUNs(h int) ([]uint64, error) {
	devs, err := c.SCSIDevices()
	if err != nil {
		return nil, err
	}
	var out []uint64
	for _, d := range devs {
		if d.Host == h {
			out = append(out, d.LUN)
		}
	}
	return out, nil
}
