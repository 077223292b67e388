package iscsi

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandStream builds n SCSI Commands to LUN i%4 with 100 bytes of
// immediate data each, so the data could hide a header if mis-framed.
func commandStream(t *testing.T, n int, digests bool) []byte {
	var s []byte
	for i := 0; i < n; i++ {
		p := &PDU{HeaderDigest: digests, DataDigest: digests}
		p.SetOpcode(OpSCSICommand)
		p.SetFlags(FlagFinal | FlagWrite)
		p.SetLUN(uint64(i % 4))
		p.SetITT(uint32(i))
		p.SetCDB([]byte{ScsiWrite10})
		p.Data = bytes.Repeat([]byte{byte(i)}, 101)
		b, err := p.Marshal()
		require.NoError(t, err)
		s = append(s, b...)
	}
	return s
}

func collect(f *Framer, chunks [][]byte) []uint32 {
	var itts []uint32
	for _, c := range chunks {
		f.Feed(c, func(p *PDU) { itts = append(itts, p.ITT()) })
	}
	return itts
}

func seq(n int) []uint32 {
	s := make([]uint32, n)
	for i := range s {
		s[i] = uint32(i)
	}
	return s
}

func TestFramerChunkings(t *testing.T) {
	for _, dig := range []bool{false, true} {
		s := commandStream(t, 20, dig)
		for _, size := range []int{1, 3, 47, 48, 49, 500, len(s)} {
			var chunks [][]byte
			for i := 0; i < len(s); i += size {
				chunks = append(chunks, s[i:min(i+size, len(s))])
			}
			f := &Framer{Synced: true, HeaderDigest: dig, DataDigest: dig, DigestsKnown: true}
			f.startPDU()
			assert.Equal(t, seq(20), collect(f, chunks), "digests %v chunk %d", dig, size)
			assert.Zero(t, f.BadCRC)
		}
	}
}

func TestFramerMidStreamGuessesDigests(t *testing.T) {
	for _, dig := range []bool{false, true} {
		s := commandStream(t, 10, dig)
		per := len(s) / 10
		f := &Framer{}
		got := collect(f, [][]byte{s[per+17:]}) // start inside PDU 1
		assert.Equal(t, seq(10)[2:], got, "digests %v", dig)
		assert.Equal(t, dig, f.HeaderDigest)
	}
}

func TestFramerLostBytes(t *testing.T) {
	s := commandStream(t, 10, false)
	per := len(s) / 10
	f := &Framer{Synced: true}
	f.startPDU()
	var got []uint32
	emit := func(p *PDU) { got = append(got, p.ITT()) }
	f.Feed(s[:3*per+10], emit)
	f.Lost()
	f.Feed(s[5*per+30:], emit)
	assert.Equal(t, []uint32{0, 1, 2, 6, 7, 8, 9}, got)
}

func TestFramerGarbageNeverEmitsAndStaysBounded(t *testing.T) {
	f := &Framer{}
	n := 0
	junk := bytes.Repeat([]byte{0x01, 0x80, 0, 0, 0, 0, 0, 0}, 1<<15)
	for i := 0; i < 8; i++ {
		f.Feed(junk, func(*PDU) { n++ })
	}
	assert.LessOrEqual(t, len(f.buf), resyncWindow)
	_ = n // 8-byte periodic junk may look like headers; the point is no panic and bounded memory
}

func TestFramerSkipsBigData(t *testing.T) {
	p := &PDU{}
	p.SetOpcode(OpDataIn)
	p.SetFlags(FlagFinal)
	p.Data = make([]byte, 300000)
	b, err := p.Marshal()
	require.NoError(t, err)
	f := &Framer{Synced: true, FromTarget: true}
	f.startPDU()
	var lens []int
	for i := 0; i < len(b); i += 1448 {
		f.Feed(b[i:min(i+1448, len(b))], func(p *PDU) { lens = append(lens, p.DataSegmentLength()) })
	}
	assert.Equal(t, []int{300000}, lens)
	assert.Less(t, cap(f.buf), 4096)
}
