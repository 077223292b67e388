package audit

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/reassembly"
)

// Auditor consumes packets (from files or a live capture) and produces a
// Report. It is not safe for concurrent use.
type Auditor struct {
	opts     Options
	isTarget [65536]bool
	asm      *reassembly.Assembler
	conns    []*conn
	packets  int64
	start    time.Time
	last     time.Time
	inputs   []string
	dec      decoder
	// compactAt is the number of connections at which empty ended ones
	// are dropped.
	compactAt int
}

// Bounds on data the assembler holds for out-of-order segments; beyond
// them it gives up on the hole, which the framer sees as lost bytes.
const (
	maxPagesPerConn = 4096 // ~7.5 MiB
	maxPagesTotal   = 65536
	flushEvery      = 8192 // packets between flushes of stale holes
	holeTimeout     = 30 * time.Second
)

// New returns an Auditor with the given options.
func New(opts Options) *Auditor {
	a := &Auditor{opts: opts, compactAt: 1024}
	for _, p := range opts.ports() {
		a.isTarget[p] = true
	}
	pool := reassembly.NewStreamPool(&streamFactory{a: a})
	a.asm = reassembly.NewAssembler(pool)
	a.asm.MaxBufferedPagesPerConnection = maxPagesPerConn
	a.asm.MaxBufferedPagesTotal = maxPagesTotal
	a.dec.init()
	return a
}

func (a *Auditor) isTargetPort(p uint16) bool { return a.isTarget[p] }

// newConn registers a connection and the session entry it fills.
func (a *Auditor) newConn(client, server string) *conn {
	if len(a.conns) >= a.compactAt {
		a.compact()
	}
	c := newConn(&Session{Client: client, Server: server}, false)
	a.conns = append(a.conns, c)
	return c
}

// compact forgets ended connections that carried no PDU (port scans, SYN
// floods, garbage), so memory follows the iSCSI sessions, not the packets.
func (a *Auditor) compact() {
	kept := a.conns[:0]
	for _, c := range a.conns {
		if !c.closed || c.pdus > 0 {
			kept = append(kept, c)
		}
	}
	clear(a.conns[len(kept):])
	a.conns = kept
	a.compactAt = max(1024, 2*len(kept))
}

type captureContext struct{ ci gopacket.CaptureInfo }

func (c *captureContext) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

// Packet feeds one captured frame of the given link type.
func (a *Auditor) Packet(data []byte, ci gopacket.CaptureInfo, link layers.LinkType) {
	a.packet(data, ci, uint32(link))
}

// packet takes the link type as the capture file's 32-bit number.
func (a *Auditor) packet(data []byte, ci gopacket.CaptureInfo, link uint32) {
	a.packets++
	a.noteTime(ci.Timestamp)
	netFlow, tcp, ok := a.dec.decode(data, link)
	if !ok || !(a.isTarget[tcp.SrcPort] || a.isTarget[tcp.DstPort]) {
		return
	}
	a.asm.AssembleWithContext(netFlow, tcp, &captureContext{ci})
	if a.packets%flushEvery == 0 {
		a.asm.FlushWithOptions(reassembly.FlushOptions{T: a.last.Add(-holeTimeout)})
	}
}

func (a *Auditor) noteTime(t time.Time) {
	if a.start.IsZero() || t.Before(a.start) {
		a.start = t
	}
	if t.After(a.last) {
		a.last = t
	}
}

// PacketSource is what pcapgo readers and live handles provide.
type PacketSource interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

// ErrTruncatedInput marks a capture file that ends inside a record; the
// packets before it were still audited.
var ErrTruncatedInput = errors.New("capture file is truncated")

// AddInput names an input in the report (ReadSource does it itself).
func (a *Auditor) AddInput(name string) { a.inputs = append(a.inputs, name) }

// ReadSource audits every packet of src until it ends.
func (a *Auditor) ReadSource(name string, src PacketSource) error {
	a.AddInput(name)
	for {
		data, ci, err := src.ZeroCopyReadPacketData()
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fmt.Errorf("%s: %w", name, ErrTruncatedInput)
		case err != nil:
			return fmt.Errorf("%s: %w", name, err)
		}
		a.packet(data, ci, linkOf(src)) // pcapng interfaces may differ
	}
}

// rawLinker is a source that knows the full 32-bit link type.
type rawLinker interface{ RawLinkType() uint32 }

func linkOf(src PacketSource) uint32 {
	if r, ok := src.(rawLinker); ok {
		return r.RawLinkType()
	}
	return uint32(src.LinkType())
}
