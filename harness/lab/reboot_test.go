package lab

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab/agentproto"
)

// fakeAgent answers ping, read (of the boot id) and start like the guest
// agent. On "systemctl reboot" it does what the mode says: "reboot" drops
// the connection and comes back with a new boot id, "restart" drops it and
// keeps the boot id (the agent restarted, the guest did not), "ignore"
// keeps the connection open.
type fakeAgent struct {
	mu     sync.Mutex
	ln     net.Listener
	bootID string
	mode   string
	script string // the last started script
}

func startFakeAgent(t *testing.T, mode string) *fakeAgent {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	a := &fakeAgent{ln: ln, bootID: "boot-1\n", mode: mode}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go a.serve(c)
		}
	}()
	return a
}

func (a *fakeAgent) serve(c net.Conn) {
	defer c.Close()
	rd := bufio.NewReader(c)
	for {
		line, err := rd.ReadBytes('\n')
		if err != nil {
			return
		}
		var req agentproto.Request
		if json.Unmarshal(line, &req) != nil {
			return
		}
		a.mu.Lock()
		resp := agentproto.Response{}
		switch req.Op {
		case agentproto.OpRead:
			resp.Out = a.bootID
		case agentproto.OpStart:
			resp.PID = 42
			a.script = req.Script
		}
		down := req.Op == agentproto.OpStart && a.mode != "ignore"
		if down && a.mode == "reboot" {
			a.bootID = "boot-2\n"
		}
		a.mu.Unlock()
		b, _ := json.Marshal(&resp)
		if _, err := c.Write(append(b, '\n')); err != nil || down {
			return
		}
	}
}

func (a *fakeAgent) guest(t *testing.T) *Guest {
	port := a.ln.Addr().(*net.TCPAddr).Port
	c, err := Dial(fmt.Sprintf("127.0.0.1:%d", port))
	require.NoError(t, err)
	c.SetInitiator("project")
	return &Guest{Client: c, AgentPort: port, exited: make(chan error, 1)}
}

func TestRebootReconnects(t *testing.T) {
	a := startFakeAgent(t, "reboot")
	g := a.guest(t)
	took, err := g.Reboot(10 * time.Second)
	require.NoError(t, err)
	assert.Greater(t, took, time.Duration(0))
	assert.Equal(t, "systemctl reboot", a.script)
	id, err := g.ReadFile(bootIDPath)
	require.NoError(t, err, "the new connection serves requests")
	assert.Equal(t, "boot-2", strings.TrimSpace(id))
	assert.Equal(t, initiatorPath("project"), g.Client.path, "the initiator choice survives")
}

func TestRebootFailsWhenTheGuestDoesNotGoDown(t *testing.T) {
	g := startFakeAgent(t, "ignore").guest(t)
	_, err := g.Reboot(time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "did not drop")
}

func TestRebootFailsWhenTheBootIDStays(t *testing.T) {
	g := startFakeAgent(t, "restart").guest(t)
	_, err := g.Reboot(10 * time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "did not reboot")
}
