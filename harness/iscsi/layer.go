package iscsi

import (
	"errors"
	"fmt"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// LayerTypeISCSI is the gopacket layer type of one iSCSI PDU.
var LayerTypeISCSI = gopacket.RegisterLayerType(1720, gopacket.LayerTypeMetadata{
	Name:    "iSCSI",
	Decoder: gopacket.DecodeFunc(decodeISCSI),
})

// DefaultPort is the IANA port of iSCSI.
const DefaultPort = 3260

func init() {
	// A TCP segment to or from 3260 that starts with a whole PDU decodes as
	// iSCSI in gopacket packets decoded with DecodeStreamsAsDatagrams. Framing
	// across segments needs the
	// per-flow stream of package audit.
	layers.RegisterTCPPortLayerType(DefaultPort, LayerTypeISCSI)
}

// Decode errors.
var (
	ErrTruncated   = errors.New("iscsi: truncated PDU")
	ErrAHSLength   = errors.New("iscsi: AHS length not a multiple of 4")
	ErrHeaderCRC   = errors.New("iscsi: header digest mismatch")
	ErrDataCRC     = errors.New("iscsi: data digest mismatch")
	ErrImplausible = errors.New("iscsi: not a plausible PDU header")
	ErrTooLong     = errors.New("iscsi: data segment over the reader's limit")
)

func decodeISCSI(data []byte, pb gopacket.PacketBuilder) error {
	p := &PDU{}
	if err := p.DecodeFromBytes(data, pb); err != nil {
		return err
	}
	pb.AddLayer(p)
	pb.SetApplicationLayer(p)
	return nil
}

// LayerType implements gopacket.Layer.
func (p *PDU) LayerType() gopacket.LayerType { return LayerTypeISCSI }

// CanDecode implements gopacket.DecodingLayer.
func (p *PDU) CanDecode() gopacket.LayerClass { return LayerTypeISCSI }

// NextLayerType implements gopacket.DecodingLayer: nothing is decoded below
// a PDU (several PDUs in one segment are the stream's business).
func (p *PDU) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// LayerContents returns the PDU's bytes as decoded.
func (p *PDU) LayerContents() []byte { return p.contents }

// LayerPayload returns the data segment.
func (p *PDU) LayerPayload() []byte { return p.Data }

// Payload implements gopacket.ApplicationLayer.
func (p *PDU) Payload() []byte { return p.Data }

// DecodeFromBytes decodes exactly one PDU from the start of data, using the
// HeaderDigest/DataDigest settings already in p. Digest mismatches do not
// fail the decode; they are reported in HeaderCRCOK/DataCRCOK.
func (p *PDU) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if len(data) < BHSLen {
		df.SetTruncated()
		return ErrTruncated
	}
	n := WireLen(data, p.HeaderDigest, p.DataDigest)
	if len(data) < n {
		df.SetTruncated()
		return fmt.Errorf("%w: need %d bytes, have %d", ErrTruncated, n, len(data))
	}
	copy(p.BHS[:], data)
	off := BHSLen + int(data[4])*4
	p.AHS = data[BHSLen:off]
	p.HeaderCRC, p.HeaderCRCOK = 0, true
	if p.HeaderDigest {
		p.HeaderCRC = getDigest(data[off:])
		p.HeaderCRCOK = p.HeaderCRC == CRC32C(data[:off])
		off += DigestLen
	}
	dsl := p.DataSegmentLength()
	p.Data = data[off : off+dsl]
	p.DataCRC, p.DataCRCOK = 0, true
	if p.DataDigest && dsl > 0 {
		end := off + pad4(dsl)
		p.DataCRC = getDigest(data[end:])
		p.DataCRCOK = p.DataCRC == CRC32C(data[off:end])
	}
	p.contents = data[:n]
	p.wireLen = n
	return nil
}

// SerializeTo writes the PDU: lengths are always taken from AHS and Data
// (a PDU whose header disagrees with its segments is never useful), the
// padding is zero, and digests are appended when HeaderDigest/DataDigest
// are set.
func (p *PDU) SerializeTo(b gopacket.SerializeBuffer, opts gopacket.SerializeOptions) error {
	if len(p.AHS)%4 != 0 {
		return ErrAHSLength
	}
	if len(p.Data) > 1<<24-1 {
		return fmt.Errorf("iscsi: data segment of %d bytes too long", len(p.Data))
	}
	p.setLengths()
	out, err := b.PrependBytes(p.serializedLen())
	if err != nil {
		return err
	}
	p.fill(out)
	return nil
}

func (p *PDU) serializedLen() int {
	p.setLengths()
	return WireLen(p.BHS[:], p.HeaderDigest, p.DataDigest)
}

func (p *PDU) fill(out []byte) {
	off := copy(out, p.BHS[:])
	off += copy(out[off:], p.AHS)
	if p.HeaderDigest {
		putDigest(out[off:], CRC32C(out[:off]))
		off += DigestLen
	}
	start := off
	off += copy(out[off:], p.Data)
	end := start + pad4(len(p.Data))
	clear(out[off:end])
	if p.DataDigest && len(p.Data) > 0 {
		putDigest(out[end:], CRC32C(out[start:end]))
	}
}

// Marshal returns the PDU's wire bytes (see SerializeTo).
func (p *PDU) Marshal() ([]byte, error) {
	if len(p.AHS)%4 != 0 {
		return nil, ErrAHSLength
	}
	out := make([]byte, p.serializedLen())
	p.fill(out)
	return out, nil
}
