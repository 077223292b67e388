// Package labtarget starts the targets the lab's scenarios run against:
// Debian's tgtd or the emulated target of harness/target. It is apart from
// package lab so that building and booting guests never depends on the
// emulated target's package.
package labtarget

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"autoscan/harness/lab"
	"autoscan/harness/target"
)

// Target is an iSCSI target on the host's loopback that the guest reaches
// at lab.HostAddr:Port(): Debian's tgtd or the emulated one (harness/target).
type Target interface {
	IQN() string
	Port() int
	// AddLUN adds LUN n while sessions run.
	AddLUN(n int) error
	// SendAEN sends the 3F/0E "reported LUNs data has changed"
	// Asynchronous Message; ErrNoAEN when the target cannot.
	SendAEN() error
	Stop()
}

// ErrNoAEN: tgtd has no way to send an Asynchronous Message.
var ErrNoAEN = errors.New("target cannot send an Asynchronous Message")

// Target kinds.
const (
	KindEmu  = "emu"  // harness/target, in this process
	KindTgtd = "tgtd" // Debian's tgtd
)

// LUNSizeMB is the size of every LUN StartTarget creates (sparse).
const LUNSizeMB = 64

var portMu sync.Mutex

// PickPort takes the first free port of the lab's range 3320-3339.
func PickPort() (int, error) {
	portMu.Lock()
	defer portMu.Unlock()
	for p := 3320; p <= 3339; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			l.Close()
			return p, nil
		}
	}
	return 0, errors.New("lab: no free port in 3320-3339")
}

// StartTarget serves iqn with LUNs 0..maxLUN. For tgtd LUN 0 is tgt's own
// controller LUN and 1..maxLUN are disks; the emulated target advertises
// lab.HostAddr:port in SendTargets.
func StartTarget(kind, iqn string, maxLUN int) (Target, error) {
	port, err := PickPort()
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindTgtd:
		t, err := lab.StartTgtd(iqn, port, maxLUN, LUNSizeMB)
		if err != nil {
			return nil, err
		}
		return tgtdTarget{t}, nil
	case KindEmu:
		return StartEmu(iqn, port, maxLUN)
	}
	return nil, fmt.Errorf("lab: unknown target kind %q", kind)
}

type tgtdTarget struct{ t *lab.Tgtd }

func (g tgtdTarget) IQN() string        { return g.t.IQN }
func (g tgtdTarget) Port() int          { return g.t.Port }
func (g tgtdTarget) AddLUN(n int) error { return g.t.AddLUN(n, LUNSizeMB) }
func (g tgtdTarget) SendAEN() error     { return ErrNoAEN }
func (g tgtdTarget) Stop()              { g.t.Stop() }

// EmuTarget is the emulated target; Server and Target give the whole
// control API (remove LUNs, drop connections, hostile modes...).
type EmuTarget struct {
	Server *target.Server
	Target *target.Target
	port   int
}

// StartEmu serves iqn with LUNs 0..maxLUN on port (a target stopped and
// started again at the same address).
func StartEmu(iqn string, port, maxLUN int) (*EmuTarget, error) {
	srv, err := target.NewServer(target.Config{
		Listen: fmt.Sprintf("127.0.0.1:%d", port),
		Portal: fmt.Sprintf("%s:%d", lab.HostAddr, port),
	})
	if err != nil {
		return nil, err
	}
	e := &EmuTarget{Server: srv, port: port}
	if e.Target, err = srv.AddTarget(iqn, target.TargetOptions{}); err != nil {
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

// AddPortal serves the target on one more free lab port, advertised in
// SendTargets as lab.HostAddr:port with group tag tpgt; it returns the port.
func (e *EmuTarget) AddPortal(tpgt uint16) (int, error) {
	port, err := PickPort()
	if err != nil {
		return 0, err
	}
	_, err = e.Server.AddPortal(target.PortalConfig{Listen: fmt.Sprintf("127.0.0.1:%d", port),
		Advertise: fmt.Sprintf("%s:%d", lab.HostAddr, port), TPGT: tpgt})
	return port, err
}

func (e *EmuTarget) IQN() string { return e.Target.Name() }
func (e *EmuTarget) Port() int   { return e.port }
func (e *EmuTarget) Stop()       { e.Server.Close() }

func (e *EmuTarget) AddLUN(n int) error {
	_, err := e.Target.AddLUN(uint16(n), LUNSizeMB<<20)
	return err
}

func (e *EmuTarget) SendAEN() error {
	if n := e.Target.SendAEN(target.AEN{}); n == 0 {
		return errors.New("lab: no logged-in connection got the AEN")
	}
	return nil
}
