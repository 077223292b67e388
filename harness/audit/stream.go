package audit

import (
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/reassembly"
)

// streamFactory makes one tcpStream per TCP connection for the assembler.
type streamFactory struct{ a *Auditor }

// tcpStream adapts a conn to gopacket's reassembly: it learns which side
// is the target from the ports, starts mid-connection when no SYN was
// captured, and turns gaps into Framer.Lost.
type tcpStream struct {
	c              *conn
	clientIsTarget bool
	started        [2]bool
}

func (f *streamFactory) New(netFlow, tcpFlow gopacket.Flow, tcp *layers.TCP, ac reassembly.AssemblerContext) reassembly.Stream {
	src, dst := netFlow.Src().String(), netFlow.Dst().String()
	sport, dport := tcpFlow.Src().String(), tcpFlow.Dst().String()
	// The first packet may come from either side; the target is the side
	// on a configured port (the destination wins a tie).
	clientIsTarget := !f.a.isTargetPort(uint16(tcp.DstPort)) && f.a.isTargetPort(uint16(tcp.SrcPort))
	client, server := joinHostPort(src, sport), joinHostPort(dst, dport)
	if clientIsTarget {
		client, server = server, client
	}
	return &tcpStream{c: f.a.newConn(client, server), clientIsTarget: clientIsTarget}
}

func joinHostPort(h, p string) string {
	if len(h) > 0 && containsColon(h) {
		return "[" + h + "]:" + p
	}
	return h + ":" + p
}

func containsColon(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return true
		}
	}
	return false
}

func (s *tcpStream) fromTarget(dir reassembly.TCPFlowDirection) bool {
	return (dir == reassembly.TCPDirClientToServer) == s.clientIsTarget
}

// Accept takes every segment; the first one of a direction without SYN
// forces the start, so captures that begin mid-connection are read.
func (s *tcpStream) Accept(tcp *layers.TCP, ci gopacket.CaptureInfo, dir reassembly.TCPFlowDirection,
	nextSeq reassembly.Sequence, start *bool, ac reassembly.AssemblerContext) bool {
	d := dirIndex(s.fromTarget(dir))
	if !s.started[d] {
		s.started[d] = true
		if tcp.SYN {
			s.c.framers[d].Synced = true
		}
		*start = true
	}
	return true
}

func (s *tcpStream) ReassembledSG(sg reassembly.ScatterGather, ac reassembly.AssemblerContext) {
	dir, _, end, skip := sg.Info()
	length, _ := sg.Lengths()
	fromTarget := s.fromTarget(dir)
	if skip > 0 {
		s.c.lost(fromTarget)
	}
	if end { // FIN or RST: nothing more will come this way
		defer s.c.endDirection(fromTarget)
	}
	if length == 0 {
		return
	}
	var ts time.Time
	if ac != nil {
		ts = ac.GetCaptureInfo().Timestamp
	}
	s.c.feed(fromTarget, sg.Fetch(length), ts)
}

// ReassemblyComplete lets the assembler forget the connection; the
// session it fed stays in the report, its buffers are released.
func (s *tcpStream) ReassemblyComplete(ac reassembly.AssemblerContext) bool {
	s.c.close()
	return true
}
