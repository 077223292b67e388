package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab/agentproto"
)

// call runs one request through serveConn over an in-memory pipe, the
// same path the guest uses over TCP.
func call(t *testing.T, req agentproto.Request) agentproto.Response {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	go serveConn(b, newProcTable())
	line, err := json.Marshal(req)
	require.NoError(t, err)
	_ = a.SetDeadline(time.Now().Add(20 * time.Second))
	_, err = a.Write(append(line, '\n'))
	require.NoError(t, err)
	out, err := bufio.NewReader(a).ReadBytes('\n')
	require.NoError(t, err)
	var resp agentproto.Response
	require.NoError(t, json.Unmarshal(out, &resp))
	return resp
}

func TestRunOutputAndExit(t *testing.T) {
	r := call(t, agentproto.Request{Op: agentproto.OpRun, Script: "echo out; echo err >&2; exit 3"})
	assert.Equal(t, "out\n", r.Out)
	assert.Equal(t, "err\n", r.ErrOut)
	assert.Equal(t, 3, r.Exit)
	assert.False(t, r.TimedOut)
}

func TestRunEnv(t *testing.T) {
	r := call(t, agentproto.Request{Op: agentproto.OpRun, Script: `printf %s "$LABX"`,
		Env: map[string]string{"LABX": "y"}})
	assert.Equal(t, "y", r.Out)
}

func TestRunTimeoutKillsGroup(t *testing.T) {
	start := time.Now()
	r := call(t, agentproto.Request{Op: agentproto.OpRun, Script: "sleep 30 & sleep 30", TimeoutMS: 300})
	assert.True(t, r.TimedOut)
	assert.Equal(t, 128+9, r.Exit)
	assert.Less(t, time.Since(start), 10*time.Second)
}

// A daemon keeping stdout open must not hold the call (iscsid does this).
func TestRunDaemonDoesNotBlock(t *testing.T) {
	start := time.Now()
	r := call(t, agentproto.Request{Op: agentproto.OpRun, Script: "sleep 5 & echo started"})
	assert.Equal(t, "started\n", r.Out)
	assert.Less(t, time.Since(start), 4*time.Second)
}

func TestReadWrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	r := call(t, agentproto.Request{Op: agentproto.OpWrite, Path: p, Data: "0 0 2"})
	require.Empty(t, r.Err)
	r = call(t, agentproto.Request{Op: agentproto.OpRead, Path: p})
	assert.Equal(t, "0 0 2", r.Out)
	r = call(t, agentproto.Request{Op: agentproto.OpRead, Path: p + "-missing"})
	assert.NotEmpty(t, r.Err)
}

func TestUnknownAndBadRequest(t *testing.T) {
	assert.Contains(t, call(t, agentproto.Request{Op: "nope"}).Err, "unknown op")
}

func TestListSCSIFakeTree(t *testing.T) {
	root := t.TempDir()
	mk := func(hctl, vendor, blk string) {
		d := filepath.Join(root, "class", "scsi_device", hctl, "device")
		require.NoError(t, os.MkdirAll(d, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(d, "vendor"), []byte(vendor+"  \n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(d, "type"), []byte("0\n"), 0o644))
		if blk != "" {
			require.NoError(t, os.MkdirAll(filepath.Join(d, "block", blk), 0o755))
		}
	}
	mk("2:0:0:1", "IET", "sdb")
	mk("0:0:0:0", "LIO-ORG", "")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "class", "scsi_device", "junk"), 0o755))
	devs, err := listSCSI(root)
	require.NoError(t, err)
	require.Len(t, devs, 2)
	assert.Equal(t, "0:0:0:0", devs[0].HCTL)
	assert.Equal(t, "LIO-ORG", devs[0].Vendor)
	assert.Equal(t, "", devs[0].Block)
	assert.Equal(t, 2, devs[1].Host)
	assert.Equal(t, uint64(1), devs[1].LUN)
	assert.Equal(t, "sdb", devs[1].Block)
	none, err := listSCSI(filepath.Join(root, "absent"))
	assert.NoError(t, err)
	assert.Empty(t, none)
}

func TestParseHCTL(t *testing.T) {
	d, ok := parseHCTL("3:0:1:16384")
	require.True(t, ok)
	assert.Equal(t, uint64(16384), d.LUN)
	assert.Equal(t, 1, d.Target)
	_, ok = parseHCTL("3:0:x:1")
	assert.False(t, ok)
	_, ok = parseHCTL("3:0:1")
	assert.False(t, ok)
}

func TestStartKill(t *testing.T) {
	procs := newProcTable()
	log := filepath.Join(t.TempDir(), "bg.log")
	r := procs.start(&agentproto.Request{Script: "echo hi; exec sleep 30", Path: log})
	require.Empty(t, r.Err)
	require.Positive(t, r.PID)
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(log)
		return string(b) == "hi\n"
	}, 5*time.Second, 20*time.Millisecond, "background output logged")
	require.Empty(t, procs.kill(&agentproto.Request{PID: r.PID}).Err)
	require.Eventually(t, func() bool {
		procs.mu.Lock()
		defer procs.mu.Unlock()
		return procs.procs[r.PID] == nil
	}, 5*time.Second, 50*time.Millisecond, "killed process reaped")
}
