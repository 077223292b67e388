package audit

import (
	"encoding/binary"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// decoder peels link, network and TCP headers off a frame without
// allocating, for the link types captures of iSCSI come in.
type decoder struct {
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	parsers map[gopacket.LayerType]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

func (d *decoder) init() {
	d.parsers = map[gopacket.LayerType]*gopacket.DecodingLayerParser{}
	d.decoded = make([]gopacket.LayerType, 0, 8)
}

func (d *decoder) parser(first gopacket.LayerType) *gopacket.DecodingLayerParser {
	p := d.parsers[first]
	if p == nil {
		p = gopacket.NewDecodingLayerParser(first, &d.eth, &d.dot1q, &d.sll, &d.loop, &d.ip4, &d.ip6, &d.tcp)
		p.IgnoreUnsupported = true // the TCP payload is the stream's business
		d.parsers[first] = p
	}
	return p
}

// firstLayer maps a link type to the layer a frame starts with. Link
// types are the file's 32-bit numbers: gopacket's LinkType is 8 bits and
// would turn 276 (Linux cooked v2) into 20.
func firstLayer(link uint32, data []byte) (gopacket.LayerType, bool) {
	switch layers.LinkType(link) {
	case layers.LinkTypeEthernet:
		return layers.LayerTypeEthernet, true
	case layers.LinkTypeLinuxSLL:
		return layers.LayerTypeLinuxSLL, true
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return layers.LayerTypeLoopback, true
	case layers.LinkTypeIPv4:
		return layers.LayerTypeIPv4, true
	case layers.LinkTypeIPv6:
		return layers.LayerTypeIPv6, true
	case layers.LinkTypeRaw, 12: // DLT_RAW has two numbers
		if len(data) > 0 && data[0]>>4 == 6 {
			return layers.LayerTypeIPv6, true
		}
		return layers.LayerTypeIPv4, true
	}
	return 0, false
}

// linkTypeLinuxSLL2 is what `tcpdump -i any` writes since libpcap 1.10;
// gopacket has no layer for it.
const linkTypeLinuxSLL2 = 276

// stripSLL2 removes a 20-byte Linux cooked v2 header, whose first two
// bytes are the EtherType, and names the layer that follows.
func stripSLL2(data []byte) ([]byte, gopacket.LayerType, bool) {
	if len(data) < 20 {
		return nil, 0, false
	}
	switch layers.EthernetType(binary.BigEndian.Uint16(data)) {
	case layers.EthernetTypeIPv4:
		return data[20:], layers.LayerTypeIPv4, true
	case layers.EthernetTypeIPv6:
		return data[20:], layers.LayerTypeIPv6, true
	}
	return nil, 0, false
}

// decode returns the network flow and TCP header of a frame carrying TCP.
func (d *decoder) decode(data []byte, link uint32) (gopacket.Flow, *layers.TCP, bool) {
	var first gopacket.LayerType
	var ok bool
	if link == linkTypeLinuxSLL2 {
		data, first, ok = stripSLL2(data)
	} else {
		first, ok = firstLayer(link, data)
	}
	if !ok {
		return gopacket.Flow{}, nil, false
	}
	if err := d.parser(first).DecodeLayers(data, &d.decoded); err != nil {
		return gopacket.Flow{}, nil, false
	}
	var flow gopacket.Flow
	haveIP, haveTCP := false, false
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeIPv4:
			flow, haveIP = d.ip4.NetworkFlow(), d.ip4.Flags&layers.IPv4MoreFragments == 0 && d.ip4.FragOffset == 0
		case layers.LayerTypeIPv6:
			flow, haveIP = d.ip6.NetworkFlow(), true
		case layers.LayerTypeTCP:
			haveTCP = true
		}
	}
	return flow, &d.tcp, haveIP && haveTCP
}
