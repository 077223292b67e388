package target

import (
	"errors"
	"fmt"
	"net"
)

// PortalConfig is one more address the server's targets are reachable at,
// as tgt's "tgtadm --op new --mode portal" adds one.
type PortalConfig struct {
	Listen string // "127.0.0.1:0" when empty
	// Advertise is what SendTargets names ("10.0.2.2:3311" for a qemu
	// guest); empty means the listener's own address.
	Advertise string
	// TPGT is the portal's group tag, sent in the login and in
	// SendTargets; 1 when zero. Portals in one group share the tag.
	TPGT uint16
}

// portal is one listener with what SendTargets says of it.
type portal struct {
	ln        net.Listener
	advertise string
	tpgt      uint16
}

// address is the TargetAddress value of the portal ("ip:port,tpgt").
func (p *portal) address() string { return fmt.Sprintf("%s,%d", p.advertise, p.tpgt) }

// AddPortal starts listening on one more portal; it returns the listening
// address. Every target is served on every portal.
func (s *Server) AddPortal(pc PortalConfig) (string, error) {
	if pc.Listen == "" {
		pc.Listen = "127.0.0.1:0"
	}
	if pc.TPGT == 0 {
		pc.TPGT = 1
	}
	ln, err := net.Listen("tcp", pc.Listen)
	if err != nil {
		return "", err
	}
	if pc.Advertise == "" {
		pc.Advertise = ln.Addr().String()
	}
	p := &portal{ln: ln, advertise: pc.Advertise, tpgt: pc.TPGT}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return "", errors.New("target: server closed")
	}
	s.portals = append(s.portals, p)
	s.wg.Add(1)
	s.mu.Unlock()
	go s.accept(p)
	return ln.Addr().String(), nil
}

// Addr is the first portal's listening address ("127.0.0.1:port").
func (s *Server) Addr() string { return s.firstPortal().ln.Addr().String() }

// Portal is the first portal's advertised address.
func (s *Server) Portal() string { return s.firstPortal().advertise }

func (s *Server) firstPortal() *portal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.portals[0]
}

// portalList snapshots the portals in the order they were added.
func (s *Server) portalList() []*portal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*portal(nil), s.portals...)
}

func (s *Server) accept(p *portal) {
	defer s.wg.Done()
	for {
		nc, err := p.ln.Accept()
		if err != nil {
			return
		}
		c := newConn(s, nc, p)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}
