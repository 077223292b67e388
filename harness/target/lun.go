package target

import (
	"fmt"
	"sync"
)

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
