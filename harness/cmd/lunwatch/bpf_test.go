package main

import (
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/bpf"
)

func testFrame(t *testing.T, v6 bool, proto layers.IPProtocol, sport, dport uint16, frag bool) []byte {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
	var l []gopacket.SerializableLayer
	var nl gopacket.NetworkLayer
	if v6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip := &layers.IPv6{Version: 6, NextHeader: proto, HopLimit: 64, SrcIP: net.ParseIP("::1"), DstIP: net.ParseIP("::1")}
		l, nl = append(l, eth, ip), ip
	} else {
		eth.EthernetType = layers.EthernetTypeIPv4
		ip := &layers.IPv4{Version: 4, IHL: 6, TTL: 64, Protocol: proto, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 1},
			Options: []layers.IPv4Option{{OptionType: 1}, {OptionType: 1}, {OptionType: 1}, {OptionType: 0}}}
		if frag {
			ip.FragOffset = 100
		}
		l, nl = append(l, eth, ip), ip
	}
	if proto == layers.IPProtocolTCP {
		tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Window: 1}
		require.NoError(t, tcp.SetNetworkLayerForChecksum(nl))
		l = append(l, tcp)
	} else {
		l = append(l, &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)})
	}
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, append(l, gopacket.Payload("x"))...))
	return buf.Bytes()
}

// TestFilterProgram runs the generated BPF in x/net/bpf's VM. (The VM has
// no packet type, so the loopback rule is checked on a real socket by
// TestLiveCaptureOnLoopback.)
func TestFilterProgram(t *testing.T) {
	raw, err := filterProgram([]uint16{3260, 3370}, false)
	require.NoError(t, err)
	var ins []bpf.Instruction
	for _, r := range raw {
		ins = append(ins, r.Disassemble())
	}
	vm, err := bpf.NewVM(ins)
	require.NoError(t, err)
	tcp, udp := layers.IPProtocolTCP, layers.IPProtocolUDP
	cases := []struct {
		name  string
		frame []byte
		pass  bool
	}{
		{"v4 to 3260 (IP options)", testFrame(t, false, tcp, 40000, 3260, false), true},
		{"v4 from 3370", testFrame(t, false, tcp, 3370, 40000, false), true},
		{"v4 other port", testFrame(t, false, tcp, 40000, 3261, false), false},
		{"v4 udp 3260", testFrame(t, false, udp, 40000, 3260, false), false},
		{"v4 later fragment", testFrame(t, false, tcp, 40000, 3260, true), false},
		{"v6 to 3260", testFrame(t, true, tcp, 40000, 3260, false), true},
		{"v6 from 3370", testFrame(t, true, tcp, 3370, 1, false), true},
		{"v6 other", testFrame(t, true, tcp, 1, 2, false), false},
		{"v6 udp", testFrame(t, true, udp, 3260, 3260, false), false},
	}
	for _, c := range cases {
		n, err := vm.Run(c.frame)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.pass, n > 0, c.name)
	}
}
