package iscsi

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCRC32CVectors(t *testing.T) {
	// RFC 3720 appendix B.4: 32 bytes of zeros and of 0xff.
	var b [DigestLen]byte
	putDigest(b[:], CRC32C(make([]byte, 32)))
	assert.Equal(t, "aa36918a", hex.EncodeToString(b[:]))
	putDigest(b[:], CRC32C(bytes.Repeat([]byte{0xff}, 32)))
	assert.Equal(t, "43aba862", hex.EncodeToString(b[:]))
}

func TestLUNNumbering(t *testing.T) {
	cases := []struct {
		raw  [8]byte
		want uint64
		addr string
	}{
		{[8]byte{0, 5}, 5, AddrPeripheral},
		{FlatLUN(300), 0x4000 | 300, AddrFlat},
		{[8]byte{0x40, 0x01}, 0x4001, AddrFlat},
		{[8]byte{0, 1, 0, 2}, 1 | 2<<16, AddrPeripheral},
		{[8]byte{0xd2, 0x01, 0, 0, 0, 0, 0, 0}, 0xd201, AddrExtended},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, LUNToInt(c.raw))
		assert.Equal(t, c.raw, IntToLUN(c.want))
		assert.Equal(t, c.addr, LUNAddressing(c.raw))
	}
	assert.Equal(t, uint16(300), LUNShort(FlatLUN(300)))
}

func TestSerializeDecodeRoundTrip(t *testing.T) {
	for _, dig := range []bool{false, true} {
		p := &PDU{HeaderDigest: dig, DataDigest: dig}
		p.SetOpcode(OpSCSIResponse)
		p.SetFlags(FlagFinal)
		p.SetStatus(2)
		p.SetITT(0x1234)
		p.SetStatSN(7)
		p.SetSense([]byte{0x70, 0, 6, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3f, 0x0e})
		buf := gopacket.NewSerializeBuffer()
		require.NoError(t, p.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}))
		wire := buf.Bytes()
		want := 48 + 16
		if dig {
			want += 8
		}
		assert.Len(t, wire, want)
		assert.True(t, Plausible(wire, true))

		q := &PDU{HeaderDigest: dig, DataDigest: dig}
		require.NoError(t, q.DecodeFromBytes(wire, gopacket.NilDecodeFeedback))
		assert.True(t, q.HeaderCRCOK && q.DataCRCOK)
		assert.Equal(t, OpSCSIResponse, q.Opcode())
		assert.Equal(t, uint32(0x1234), q.ITT())
		assert.Equal(t, 16, q.DataSegmentLength())
		assert.Equal(t, []byte{0x3f, 0x0e}, q.Sense()[12:14])

		r, err := ReadPDU(bytes.NewReader(wire), dig, dig)
		require.NoError(t, err)
		assert.Equal(t, q.BHS, r.BHS)
		if dig {
			wire[len(wire)-1] ^= 1
			_, err = ReadPDU(bytes.NewReader(wire), dig, dig)
			assert.ErrorIs(t, err, ErrDataCRC)
		}
		_, err = ReadPDUMax(bytes.NewReader(wire), dig, dig, 15)
		assert.ErrorIs(t, err, ErrTooLong, "16 data bytes over a limit of 15")
		_, err = ReadPDUMax(bytes.NewReader(wire), dig, dig, 16)
		assert.NotErrorIs(t, err, ErrTooLong, "16 data bytes within a limit of 16")
	}
}

func TestDecodeTruncated(t *testing.T) {
	p := &PDU{}
	p.SetOpcode(OpDataIn)
	p.Data = make([]byte, 100)
	wire, err := p.Marshal()
	require.NoError(t, err)
	for _, n := range []int{0, 10, 47, 48, 100, len(wire) - 1} {
		q := &PDU{}
		assert.ErrorIs(t, q.DecodeFromBytes(wire[:n], gopacket.NilDecodeFeedback), ErrTruncated, "len %d", n)
	}
}

func TestGopacketLayerOnPort3260(t *testing.T) {
	p := &PDU{}
	p.SetOpcode(OpSCSICommand)
	p.SetFlags(FlagFinal | FlagRead)
	p.SetLUN(3)
	p.SetCDB([]byte{0x12, 0, 0, 0, 36, 0})
	tcp := &layers.TCP{SrcPort: 40000, DstPort: DefaultPort}
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, tcp, p))
	pkt := gopacket.NewPacket(buf.Bytes(), layers.LayerTypeTCP, gopacket.DecodeOptions{DecodeStreamsAsDatagrams: true})
	l, ok := pkt.Layer(LayerTypeISCSI).(*PDU)
	require.True(t, ok, "no iSCSI layer: %v", pkt)
	assert.Equal(t, uint64(3), l.LUN())
	assert.Equal(t, uint8(0x12), l.CDB()[0])
}

func TestResyncFindsNextHeader(t *testing.T) {
	var stream []byte
	for i := 0; i < 3; i++ {
		p := &PDU{}
		p.SetOpcode(OpSCSICommand)
		p.SetFlags(FlagFinal | FlagWrite)
		p.Data = bytes.Repeat([]byte{0x01}, 60) // garbage-looking payload
		b, err := p.Marshal()
		require.NoError(t, err)
		stream = append(stream, b...)
	}
	// Start mid-PDU: 30 bytes into the first one.
	off := Resync(stream[30:], false, false, false)
	assert.Equal(t, 108-30, off)
	assert.Equal(t, -1, Resync(bytes.Repeat([]byte{0xee}, 500), false, false, false))
}
