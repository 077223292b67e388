//go:build e2e

package e2e

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"autoscan/harness/lab"
	"autoscan/harness/target"
)

// targetUnderTest is a target on the host's loopback that the guest
// reaches at 10.0.2.2:Port().
type targetUnderTest interface {
	IQN() string
	Port() int
	// AddLUN adds LUN n while sessions run.
	AddLUN(n int) error
	// SendAEN sends the 3F/0E "reported LUNs data has changed" Asynchronous
	// Message; errNoAEN when the target cannot.
	SendAEN() error
	Stop()
}

var errNoAEN = errors.New("target cannot send an Asynchronous Message")

const lunSizeMB = 64

// Kinds of targets a scenario can run against.
const (
	kindEmu  = "emu"  // harness/target, in process
	kindTgtd = "tgtd" // Debian's tgtd
)

var portMu sync.Mutex

// pickPort takes the first free port of this helper's range 3320-3339.
func pickPort() (int, error) {
	portMu.Lock()
	defer portMu.Unlock()
	for p := 3320; p <= 3339; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			l.Close()
			return p, nil
		}
	}
	return 0, errors.New("no free port in 3320-3339")
}

// startTarget serves iqn with LUNs 0..maxLUN (for tgtd, LUN 0 is tgt's own
// controller LUN and 1..maxLUN are disks).
func startTarget(kind, iqn string, maxLUN int) (targetUnderTest, error) {
	port, err := pickPort()
	if err != nil {
		return nil, err
	}
	switch kind {
	case kindTgtd:
		t, err := lab.StartTgtd(iqn, port, maxLUN, lunSizeMB)
		if err != nil {
			return nil, err
		}
		return tgtdTarget{t}, nil
	case kindEmu:
		return startEmu(iqn, port, maxLUN)
	}
	return nil, fmt.Errorf("unknown target kind %q", kind)
}

type tgtdTarget struct{ t *lab.Tgtd }

func (g tgtdTarget) IQN() string        { return g.t.IQN }
func (g tgtdTarget) Port() int          { return g.t.Port }
func (g tgtdTarget) AddLUN(n int) error { return g.t.AddLUN(n, lunSizeMB) }
func (g tgtdTarget) SendAEN() error     { return errNoAEN }
func (g tgtdTarget) Stop()              { g.t.Stop() }

type emuTarget struct {
	srv  *target.Server
	tgt  *target.Target
	port int
}

func startEmu(iqn string, port, maxLUN int) (*emuTarget, error) {
	srv, err := target.NewServer(target.Config{
		Listen: fmt.Sprintf("127.0.0.1:%d", port),
		Portal: fmt.Sprintf("%s:%d", lab.HostAddr, port),
	})
	if err != nil {
		return nil, err
	}
	e := &emuTarget{srv: srv, port: port}
	if e.tgt, err = srv.AddTarget(iqn, target.TargetOptions{}); err != nil {
		srv.Close()
		return nil, err
	}
	for n := 0; n <= maxLUN; n++ {
		if err := e.AddLUN(n); err != nil {
			srv.Close()
			return nil, err
		}
	}
	return e, nil
}

func (e *emuTarget) IQN() string { return e.tgt.Name() }
func (e *emuTarget) Port() int   { return e.port }
func (e *emuTarget) Stop()       { e.srv.Close() }

func (e *emuTarget) AddLUN(n int) error {
	_, err := e.tgt.AddLUN(uint16(n), lunSizeMB<<20)
	return err
}

func (e *emuTarget) SendAEN() error {
	if n := e.tgt.SendAEN(target.AEN{}); n == 0 {
		return errors.New("no logged-in connection got the AEN")
	}
	return nil
}
