// Package synth writes synthetic iSCSI captures: TCP conversations over
// Ethernet/IPv4 in pcap format, with PDUs built by package iscsi. Tests use
// it for the hard cases (split, merged, reordered and repeated segments)
// and the benchmark for captures of any size.
package synth

import (
	"encoding/binary"
	"io"
	"net"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// Writer writes frames to a pcap stream with increasing timestamps.
type Writer struct {
	w    *pcapgo.Writer
	ts   time.Time
	Step time.Duration // time between frames
	buf  gopacket.SerializeBuffer
	link layers.LinkType
}

// NewWriter starts a pcap file on w (Ethernet link type).
func NewWriter(w io.Writer) (*Writer, error) { return NewWriterLink(w, layers.LinkTypeEthernet) }

// NewWriterLink starts a pcap file with link type Ethernet or Linux
// cooked capture (what `tcpdump -i any` writes).
func NewWriterLink(w io.Writer, link layers.LinkType) (*Writer, error) {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(262144, link); err != nil {
		return nil, err
	}
	return &Writer{w: pw, link: link, ts: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Step: time.Millisecond,
		buf: gopacket.NewSerializeBuffer()}, nil
}

// Time is the timestamp the next frame gets.
func (w *Writer) Time() time.Time { return w.ts }

// Conn is one TCP connection between an initiator and a target.
type Conn struct {
	w    *Writer
	ip   [2]net.IP // [0] initiator, [1] target
	port [2]uint16
	seq  [2]uint32
	MSS  int
}

// NewConn sets up a connection (no packet is written; see Handshake).
func (w *Writer) NewConn(initiator string, iport uint16, target string, tport uint16) *Conn {
	return &Conn{w: w, ip: [2]net.IP{normIP(initiator), normIP(target)},
		port: [2]uint16{iport, tport}, seq: [2]uint32{1000, 50000}, MSS: 1448}
}

// normIP keeps IPv4 addresses in 4 bytes, so the frame is IPv4.
func normIP(s string) net.IP {
	ip := net.ParseIP(s)
	if v4 := ip.To4(); v4 != nil {
		return v4
	}
	return ip
}

func idx(fromTarget bool) int {
	if fromTarget {
		return 1
	}
	return 0
}

// Handshake writes SYN, SYN-ACK and ACK.
func (c *Conn) Handshake() error {
	if err := c.frame(0, c.seq[0], nil, true); err != nil {
		return err
	}
	c.seq[0]++
	if err := c.frame(1, c.seq[1], nil, true); err != nil {
		return err
	}
	c.seq[1]++
	return c.frame(0, c.seq[0], nil, false)
}

// Reset writes an RST from the initiator, ending the connection.
func (c *Conn) Reset() error { return c.frameFlags(0, c.seq[0], nil, false, true) }

// Seq is the next sequence number of a direction.
func (c *Conn) Seq(fromTarget bool) uint32 { return c.seq[idx(fromTarget)] }

// Send writes b in order, cut into MSS-sized segments.
func (c *Conn) Send(fromTarget bool, b []byte) error {
	d := idx(fromTarget)
	for len(b) > 0 {
		n := min(len(b), c.MSS)
		if err := c.frame(d, c.seq[d], b[:n], false); err != nil {
			return err
		}
		c.seq[d] += uint32(n)
		b = b[n:]
	}
	return nil
}

// Segment writes one segment at an explicit sequence number without
// moving the connection's own (for retransmissions and reordering).
func (c *Conn) Segment(fromTarget bool, seq uint32, b []byte) error {
	return c.frame(idx(fromTarget), seq, b, false)
}

// Advance moves a direction's sequence number past n bytes written with
// Segment.
func (c *Conn) Advance(fromTarget bool, n int) { c.seq[idx(fromTarget)] += uint32(n) }

func (c *Conn) frame(d int, seq uint32, payload []byte, syn bool) error {
	return c.frameFlags(d, seq, payload, syn, false)
}

func (c *Conn) frameFlags(d int, seq uint32, payload []byte, syn, rst bool) error {
	o := 1 - d
	tcp := &layers.TCP{SrcPort: layers.TCPPort(c.port[d]), DstPort: layers.TCPPort(c.port[o]),
		Seq: seq, Ack: c.seq[o], ACK: !syn || d == 1, SYN: syn, RST: rst, PSH: len(payload) > 0, Window: 65535}
	link, ip := c.headers(d)
	if err := tcp.SetNetworkLayerForChecksum(ip.(gopacket.NetworkLayer)); err != nil {
		return err
	}
	w := c.w
	if err := gopacket.SerializeLayers(w.buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		link, ip, tcp, gopacket.Payload(payload)); err != nil {
		return err
	}
	b := w.buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: w.ts, CaptureLength: len(b), Length: len(b)}
	w.ts = w.ts.Add(w.Step)
	return w.w.WritePacket(ci, b)
}

// headers returns the link and network layers of a frame sent by side d.
func (c *Conn) headers(d int) (link, ip gopacket.SerializableLayer) {
	o := 1 - d
	etype := layers.EthernetTypeIPv4
	if c.ip[d].To4() == nil {
		etype = layers.EthernetTypeIPv6
		ip = &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: c.ip[d], DstIP: c.ip[o]}
	} else {
		ip = &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: c.ip[d], DstIP: c.ip[o]}
	}
	if c.w.link == layers.LinkTypeLinuxSLL {
		return sllHeader(etype), ip
	}
	return &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, byte(d + 1)},
		DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, byte(o + 1)}, EthernetType: etype}, ip
}

// sllHeader is a Linux cooked-capture header (gopacket cannot serialize
// one): packet type "to us", ARPHRD_LOOPBACK, a 6-byte zero address.
type sllHeader layers.EthernetType

func (h sllHeader) LayerType() gopacket.LayerType { return layers.LayerTypeLinuxSLL }

func (h sllHeader) SerializeTo(b gopacket.SerializeBuffer, _ gopacket.SerializeOptions) error {
	out, err := b.PrependBytes(16)
	if err != nil {
		return err
	}
	clear(out)
	binary.BigEndian.PutUint16(out[2:], 772)
	binary.BigEndian.PutUint16(out[4:], 6)
	binary.BigEndian.PutUint16(out[14:], uint16(h))
	return nil
}
