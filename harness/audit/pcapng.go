package audit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// ngReader reads pcapng (section header, interface description, enhanced
// and simple packet blocks; other blocks are skipped). gopacket's reader
// trusts a packet block's captured length and allocates it before reading,
// so a hostile file could make it allocate gigabytes; this one checks every
// length against the block and bounds blocks to maxBlock.
type ngReader struct {
	r      io.Reader
	order  binary.ByteOrder
	ifaces []ngIface
	buf    []byte
	link   uint32 // of the packet last returned
}

type ngIface struct {
	link  uint32
	tsres uint8 // if_tsresol: 10^-n seconds, or 2^-n with the high bit
}

// nanos converts a timestamp in the interface's units to nanoseconds with
// integer arithmetic (floating point would move microsecond stamps).
func (i ngIface) nanos(ts uint64) int64 {
	exp := uint(i.tsres & 0x7f)
	if i.tsres&0x80 != 0 { // binary fraction: ts * 1e9 / 2^exp
		hi, lo := bits.Mul64(ts, 1e9)
		if exp >= 64 {
			return int64(hi >> (exp - 64))
		}
		return int64(hi<<(64-exp) | lo>>exp)
	}
	if exp <= 9 {
		return int64(ts * pow10(9-exp))
	}
	return int64(ts / pow10(exp-9))
}

func pow10(n uint) uint64 {
	p := uint64(1)
	for ; n > 0 && p < math.MaxUint64/10; n-- {
		p *= 10
	}
	return p
}

const (
	ngMagic        = 0x0a0d0d0a
	ngByteOrder    = 0x1a2b3c4d
	ngInterface    = 1
	ngSimplePacket = 3
	ngEnhanced     = 6
	maxBlock       = 16 << 20
)

var errNgFormat = errors.New("malformed pcapng block")

func newNgReader(r io.Reader) (*ngReader, error) {
	n := &ngReader{r: r}
	typ, body, err := n.block()
	if err != nil {
		return nil, err
	}
	if typ != ngMagic {
		return nil, errors.New("pcapng does not start with a section header")
	}
	_ = body
	return n, nil
}

// block reads one whole block and returns its type and body.
func (n *ngReader) block() (uint32, []byte, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(n.r, hdr[:8]); err != nil {
		return 0, nil, err // io.EOF here is a clean end
	}
	if binary.LittleEndian.Uint32(hdr[:4]) == ngMagic { // byte order is in the body
		if _, err := io.ReadFull(n.r, hdr[8:12]); err != nil {
			return 0, nil, noEOF(err)
		}
		switch uint32(ngByteOrder) {
		case binary.LittleEndian.Uint32(hdr[8:12]):
			n.order = binary.LittleEndian
		case binary.BigEndian.Uint32(hdr[8:12]):
			n.order = binary.BigEndian
		default:
			return 0, nil, errNgFormat
		}
		n.ifaces = n.ifaces[:0] // a new section has its own interfaces
		return n.rest(ngMagic, n.order.Uint32(hdr[4:8]), 12)
	}
	if n.order == nil {
		return 0, nil, errNgFormat
	}
	return n.rest(n.order.Uint32(hdr[:4]), n.order.Uint32(hdr[4:8]), 8)
}

// rest reads the remainder of a block of total length total, of which
// read bytes were read already, and returns its body (without the trailing
// length).
func (n *ngReader) rest(typ, total uint32, read int) (uint32, []byte, error) {
	if total%4 != 0 || total < uint32(read)+4 || total > maxBlock {
		return 0, nil, errNgFormat
	}
	need := int(total) - read
	if cap(n.buf) < need {
		n.buf = make([]byte, need)
	}
	b := n.buf[:need]
	if _, err := io.ReadFull(n.r, b); err != nil {
		return 0, nil, noEOF(err)
	}
	return typ, b[:need-4], nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// RawLinkType is the link type of the packet last read (of the first
// interface before any).
func (n *ngReader) RawLinkType() uint32 {
	if n.link == 0 && len(n.ifaces) > 0 {
		return n.ifaces[0].link
	}
	return n.link
}

// LinkType is RawLinkType cut to gopacket's 8 bits (PacketSource).
func (n *ngReader) LinkType() layers.LinkType { return layers.LinkType(n.RawLinkType()) }

// ZeroCopyReadPacketData returns the next packet; data is valid until the
// next call.
func (n *ngReader) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	for {
		typ, body, err := n.block()
		if err != nil {
			return nil, gopacket.CaptureInfo{}, err
		}
		switch typ {
		case ngInterface:
			if err := n.addIface(body); err != nil {
				return nil, gopacket.CaptureInfo{}, err
			}
		case ngEnhanced:
			return n.enhanced(body)
		case ngSimplePacket:
			return n.simple(body)
		}
	}
}

func (n *ngReader) addIface(b []byte) error {
	if len(b) < 8 {
		return errNgFormat
	}
	ifc := ngIface{link: uint32(n.order.Uint16(b)), tsres: 6}
	for opts := b[8:]; len(opts) >= 4; {
		code, l := n.order.Uint16(opts), int(n.order.Uint16(opts[2:]))
		if 4+l > len(opts) {
			break
		}
		if code == 9 && l >= 1 { // if_tsresol
			ifc.tsres = opts[4]
		}
		opts = opts[4+(l+3)&^3:]
	}
	n.ifaces = append(n.ifaces, ifc)
	return nil
}

func (n *ngReader) enhanced(b []byte) ([]byte, gopacket.CaptureInfo, error) {
	if len(b) < 20 {
		return nil, gopacket.CaptureInfo{}, errNgFormat
	}
	id := int(n.order.Uint32(b))
	caplen, origlen := n.order.Uint32(b[12:]), n.order.Uint32(b[16:])
	if id >= len(n.ifaces) || uint64(caplen) > uint64(len(b)-20) {
		return nil, gopacket.CaptureInfo{}, fmt.Errorf("%w: packet of %d bytes in a block of %d", errNgFormat, caplen, len(b))
	}
	ifc := n.ifaces[id]
	ts := uint64(n.order.Uint32(b[4:]))<<32 | uint64(n.order.Uint32(b[8:]))
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(0, ifc.nanos(ts)).UTC(), CaptureLength: int(caplen),
		Length: int(origlen), InterfaceIndex: id}
	n.link = ifc.link
	return b[20 : 20+caplen], ci, nil
}

// simple packet blocks carry no timestamp; the snap length of interface 0
// is not needed since the data is bounded by the block.
func (n *ngReader) simple(b []byte) ([]byte, gopacket.CaptureInfo, error) {
	if len(b) < 4 || len(n.ifaces) == 0 {
		return nil, gopacket.CaptureInfo{}, errNgFormat
	}
	origlen := int(n.order.Uint32(b))
	data := b[4:]
	if origlen < len(data) {
		data = data[:origlen]
	}
	n.link = n.ifaces[0].link
	return data, gopacket.CaptureInfo{CaptureLength: len(data), Length: origlen}, nil
}
