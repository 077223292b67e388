// Package target is an emulated iSCSI target for tests: RAM-backed sparse
// LUNs, login with optional CHAP (session and discovery), one or more
// portals that SendTargets advertises with their group tags, the SCSI
// commands Linux sends, and a control API to change LUNs, send Asynchronous
// Messages, drop connections and misbehave on purpose.
package target

import (
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
)

// Config says where the server's first portal listens and what it
// advertises; AddPortal adds more.
type Config struct {
	Listen string // "127.0.0.1:0" when empty
	// Portal is the address SendTargets advertises ("10.0.2.2:3310" for a
	// qemu guest); empty means the listener's own address.
	Portal string
	TPGT   uint16 // target portal group tag, 1 when zero
	Policy Policy // negotiation policy; zero value means DefaultPolicy()
	Logf   func(format string, args ...any)
}

// Server serves any number of targets on every one of its portals.
type Server struct {
	cfg Config
	wg  sync.WaitGroup

	mu        sync.Mutex
	portals   []*portal // the first is cfg's
	targets   map[string]*Target
	conns     map[*conn]struct{}
	closed    bool
	refuse    bool
	hostile   Hostile
	tsih      uint16
	uid       uint32 // random, so two servers never report the same LU names
	discStats DiscoveryStats

	discAuth atomic.Pointer[CHAPConfig] // discovery CHAP; nil: none
}

// NewServer starts listening; call Close to stop everything.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.TPGT == 0 {
		cfg.TPGT = 1
	}
	if cfg.Policy.RecvDSL == 0 {
		cfg.Policy = DefaultPolicy()
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := &Server{cfg: cfg, targets: map[string]*Target{}, conns: map[*conn]struct{}{}, uid: rand.Uint32()}
	if _, err := s.AddPortal(PortalConfig{Listen: cfg.Listen, Advertise: cfg.Portal, TPGT: cfg.TPGT}); err != nil {
		return nil, err
	}
	return s, nil
}

// StdLogf logs through the standard logger; a convenience for Config.Logf.
func StdLogf(format string, args ...any) { log.Printf(format, args...) }

// forget is called by a connection when its reader ends.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// Close stops listening, closes every connection and waits for all
// goroutines to end.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	conns := s.connList(nil)
	portals := s.portals
	s.mu.Unlock()
	var err error
	for _, p := range portals {
		if e := p.ln.Close(); err == nil {
			err = e
		}
	}
	for _, c := range conns {
		c.close()
	}
	s.wg.Wait()
	return err
}

// connList snapshots connections (s.mu held); filter nil means all.
func (s *Server) connList(filter func(*conn) bool) []*conn {
	var out []*conn
	for c := range s.conns {
		if filter == nil || filter(c) {
			out = append(out, c)
		}
	}
	return out
}

// TargetOptions configure one target.
type TargetOptions struct {
	CHAP        *CHAPConfig // nil: no authentication
	SenseFormat SenseFormat // for CHECK CONDITION and the D_SENSE mode bit
	Vendor      string      // INQUIRY vendor, "AUTOSCAN" when empty
	Product     string      // INQUIRY product, "EMULATED DISK" when empty
	BlockSize   uint32      // 512 when zero
}

// AddTarget creates a target with no LUNs.
func (s *Server) AddTarget(name string, opt TargetOptions) (*Target, error) {
	if name == "" {
		return nil, errors.New("target: empty target name")
	}
	if opt.Vendor == "" {
		opt.Vendor = "AUTOSCAN"
	}
	if opt.Product == "" {
		opt.Product = "EMULATED DISK"
	}
	if opt.BlockSize == 0 {
		opt.BlockSize = 512
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.targets[name] != nil {
		return nil, fmt.Errorf("target: %s exists", name)
	}
	t := &Target{name: name, srv: s, opt: opt, luns: map[uint16]*LUN{},
		id: uint64(s.uid)<<16 | uint64(len(s.targets)+1)}
	s.targets[name] = t
	return t, nil
}

// Target looks a target up by name (nil when unknown).
func (s *Server) Target(name string) *Target {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.targets[name]
}

// TargetNames lists the targets, sorted.
func (s *Server) TargetNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n []string
	for k := range s.targets {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// SetRefuseLogins makes new logins fail with "service unavailable".
func (s *Server) SetRefuseLogins(on bool) {
	s.mu.Lock()
	s.refuse = on
	s.mu.Unlock()
}

func (s *Server) refusing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refuse
}

// SetHostile switches misbehaviour on (HostileNone switches it off).
func (s *Server) SetHostile(h Hostile) {
	s.mu.Lock()
	s.hostile = h
	s.mu.Unlock()
}

func (s *Server) hostileMode() Hostile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hostile
}

func (s *Server) nextTSIH() uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tsih++
	if s.tsih == 0 {
		s.tsih = 1
	}
	return s.tsih
}
