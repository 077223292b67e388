package target

import (
	"fmt"
	"sort"
	"sync"

	"autoscan/harness/iscsi"
)

// Target is one iSCSI target (an IQN) with its LUNs.
type Target struct {
	name string
	srv  *Server
	opt  TargetOptions
	id   uint64

	mu   sync.RWMutex
	luns map[uint16]*LUN
}

// Name is the target's IQN.
func (t *Target) Name() string { return t.name }

// AddLUN creates LUN n (0..16383) of size bytes, RAM-backed and sparse.
func (t *Target) AddLUN(n uint16, size uint64) (*LUN, error) {
	if n > 0x3fff {
		return nil, fmt.Errorf("target: LUN %d beyond flat addressing", n)
	}
	// Serial and NAA carry the server's random id, the target's index
	// and the LUN: unique across servers, as multipath expects.
	serial := fmt.Sprintf("AS%012x%04x", t.id, n)
	lu, err := NewLUN(size, t.opt.BlockSize, serial, t.id)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.luns[n] != nil {
		return nil, fmt.Errorf("target: LUN %d exists", n)
	}
	t.luns[n] = lu
	return lu, nil
}

// RemoveLUN deletes LUN n; later commands to it get LUN NOT SUPPORTED.
func (t *Target) RemoveLUN(n uint16) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.luns[n] == nil {
		return fmt.Errorf("target: no LUN %d", n)
	}
	delete(t.luns, n)
	return nil
}

// LUN returns LUN n or nil.
func (t *Target) LUN(n uint16) *LUN {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.luns[n]
}

// LUNs lists the LUN numbers in ascending order.
func (t *Target) LUNs() []uint16 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]uint16, 0, len(t.luns))
	for n := range t.luns {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// device builds the view a command addressed to the LUN field sees.
func (t *Target) device(lunField []byte) *device {
	d := &device{format: t.opt.SenseFormat, luns: t.LUNs(), vendor: t.opt.Vendor, prod: t.opt.Product}
	if n, ok := DecodeLUN(lunField); ok {
		d.num, d.lu = n, t.LUN(n)
	}
	return d
}

// conns lists the target's full-feature connections.
func (t *Target) conns() []*conn {
	t.srv.mu.Lock()
	defer t.srv.mu.Unlock()
	return t.srv.connList(func(c *conn) bool { return c.fullFeatureFor(t) })
}

// Sessions counts the logged-in connections of this target.
func (t *Target) Sessions() int { return len(t.conns()) }

// AEN describes a SCSI event Asynchronous Message.
type AEN struct {
	LUN    uint16      // LUN field of the message
	Sense  Sense       // zero value means 3F/0E REPORTED LUNS DATA HAS CHANGED
	Format SenseFormat // fixed (default) or descriptor sense
}

// SendAEN sends an Asynchronous Message (AsyncEvent 0, SCSI event) to
// every logged-in connection of the target; it returns how many got it.
func (t *Target) SendAEN(a AEN) int {
	if a.Sense == (Sense{}) {
		a.Sense = SenseReportedLUNsChg
	}
	n := 0
	for _, c := range t.conns() {
		if c.sendAsync(aenPDU(a)) == nil {
			n++
		}
	}
	return n
}

// SendAsyncEvent sends an Asynchronous Message with another event code
// (iscsi.AsyncRequestLogout, AsyncDropConnection, AsyncDropAllConns) and
// its parameters; for the drop events the target closes the connections
// after Time2Wait's worth of nothing (here: right after sending).
func (t *Target) SendAsyncEvent(event uint8, time2wait, time2retain uint16) int {
	n := 0
	for _, c := range t.conns() {
		if c.sendAsync(asyncPDU(event, c.cid, time2wait, time2retain)) != nil {
			continue
		}
		n++
		if event == iscsi.AsyncDropConnection || event == iscsi.AsyncDropAllConns {
			c.close()
		}
	}
	return n
}

// DropConnections closes the TCP connections of the target without a
// word, as a crashed or rebooted array would.
func (t *Target) DropConnections() int {
	cs := t.conns()
	for _, c := range cs {
		c.close()
	}
	return len(cs)
}

// Ping sends a NOP-In the initiator must answer with a NOP-Out (RFC 7143
// section 11.19) to every logged-in connection; answers are only logged.
func (t *Target) Ping() int {
	n := 0
	for _, c := range t.conns() {
		if c.ping(uint32(n+1)) == nil {
			n++
		}
	}
	return n
}

// chunkSize is the unit of the sparse store. Linux writes in multiples of
// 4 KiB almost always, so a 4 KiB chunk keeps the map small without
// wasting memory on partial writes.
const chunkSize = 4096

// LUN is a RAM-backed, sparse logical unit: only chunks that were written
// with non-zero data cost memory, so a 1 GiB LUN is free until used.
type LUN struct {
	mu        sync.RWMutex
	chunks    map[uint64]*[chunkSize]byte
	blocks    uint64 // number of logical blocks
	blockSize uint32
	serial    string
	naa       uint64 // low bits of the NAA designator, unique per LUN
}

// NewLUN makes a LUN of size bytes (rounded down to whole blocks).
func NewLUN(size uint64, blockSize uint32, serial string, naa uint64) (*LUN, error) {
	if blockSize == 0 || blockSize%512 != 0 || blockSize > chunkSize {
		return nil, fmt.Errorf("target: block size %d not supported", blockSize)
	}
	if size < uint64(blockSize) {
		return nil, fmt.Errorf("target: LUN size %d below one block", size)
	}
	return &LUN{
		chunks:    make(map[uint64]*[chunkSize]byte),
		blocks:    size / uint64(blockSize),
		blockSize: blockSize,
		serial:    serial,
		naa:       naa,
	}, nil
}

// Blocks is the number of logical blocks.
func (l *LUN) Blocks() uint64 { return l.blocks }

// BlockSize is the logical block length in bytes.
func (l *LUN) BlockSize() uint32 { return l.blockSize }

// Size is the capacity in bytes.
func (l *LUN) Size() uint64 { return l.blocks * uint64(l.blockSize) }

// Serial is the unit serial number reported in VPD page 0x80.
func (l *LUN) Serial() string { return l.serial }

// UsedChunks says how many chunks hold data (for sparseness tests).
func (l *LUN) UsedChunks() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.chunks)
}

// inRange reports whether blocks [lba, lba+n) lie on the medium.
func (l *LUN) inRange(lba, n uint64) bool {
	return lba <= l.blocks && n <= l.blocks-lba
}

// ReadAt copies len(p) bytes from byte offset off; unwritten areas read
// as zeros.
func (l *LUN) ReadAt(p []byte, off uint64) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for len(p) > 0 {
		idx, in := off/chunkSize, off%chunkSize
		n := copy(p, zeroChunk[in:])
		if c := l.chunks[idx]; c != nil {
			copy(p[:n], c[in:])
		}
		p, off = p[n:], off+uint64(n)
	}
}

var zeroChunk [chunkSize]byte

// WriteAt stores p at byte offset off. Chunks that end up all zero are
// dropped so that zeroing (mkfs does a lot of it) keeps the LUN sparse.
func (l *LUN) WriteAt(p []byte, off uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(p) > 0 {
		idx, in := off/chunkSize, off%chunkSize
		c := l.chunks[idx]
		if c == nil {
			c = new([chunkSize]byte)
		}
		n := copy(c[in:], p)
		if *c == zeroChunk {
			delete(l.chunks, idx)
		} else {
			l.chunks[idx] = c
		}
		p, off = p[n:], off+uint64(n)
	}
}
