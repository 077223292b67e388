package main

import "golang.org/x/net/bpf"

// Packet types the kernel reports for AF_PACKET (linux/if_packet.h).
const packetOutgoing = 4

// filterProgram is the classic BPF equivalent of "tcp port P1 or tcp port
// P2 ..." for Ethernet frames carrying IPv4 (unfragmented or first
// fragment) or IPv6 (TCP as the first next header). On loopback every
// packet passes the tap twice, once outgoing and once incoming; with
// dropOutgoing the outgoing copy is skipped, as libpcap does.
func filterProgram(ports []uint16, dropOutgoing bool) ([]bpf.RawInstruction, error) {
	var p prog
	if dropOutgoing {
		p.add(bpf.LoadExtension{Num: bpf.ExtType})
		p.jump(bpf.JumpEqual, packetOutgoing, "drop", "")
	}
	p.add(bpf.LoadAbsolute{Off: 12, Size: 2})
	p.jump(bpf.JumpEqual, 0x0800, "", "not4")
	p.add(bpf.LoadAbsolute{Off: 23, Size: 1}) // IPv4 protocol
	p.jump(bpf.JumpEqual, 6, "", "drop")
	p.add(bpf.LoadAbsolute{Off: 20, Size: 2}) // fragment offset
	p.jump(bpf.JumpBitsSet, 0x1fff, "drop", "")
	p.add(bpf.LoadMemShift{Off: 14}) // X = IPv4 header length
	p.add(bpf.LoadIndirect{Off: 14, Size: 2})
	p.ports(ports, "accept", "sport4")
	p.label("sport4")
	p.add(bpf.LoadIndirect{Off: 16, Size: 2})
	p.ports(ports, "accept", "drop")
	p.label("not4")
	p.jump(bpf.JumpEqual, 0x86dd, "", "drop")
	p.add(bpf.LoadAbsolute{Off: 20, Size: 1}) // IPv6 next header
	p.jump(bpf.JumpEqual, 6, "", "drop")
	p.add(bpf.LoadAbsolute{Off: 54, Size: 2})
	p.ports(ports, "accept", "sport6")
	p.label("sport6")
	p.add(bpf.LoadAbsolute{Off: 56, Size: 2})
	p.ports(ports, "accept", "drop")
	p.label("accept")
	p.add(bpf.RetConstant{Val: snapLen})
	p.label("drop")
	p.add(bpf.RetConstant{Val: 0})
	return p.assemble()
}

// prog is a BPF program under construction with symbolic jump targets.
type prog struct {
	ins    []bpf.Instruction
	jumps  map[int][2]string // instruction index -> (true, false) labels
	labels map[string]int
}

func (p *prog) add(i bpf.Instruction) { p.ins = append(p.ins, i) }

func (p *prog) label(name string) {
	if p.labels == nil {
		p.labels = map[string]int{}
	}
	p.labels[name] = len(p.ins)
}

// jump adds a conditional jump; "" means the next instruction.
func (p *prog) jump(cond bpf.JumpTest, val uint32, ifTrue, ifFalse string) {
	if p.jumps == nil {
		p.jumps = map[int][2]string{}
	}
	p.jumps[len(p.ins)] = [2]string{ifTrue, ifFalse}
	p.add(bpf.JumpIf{Cond: cond, Val: val})
}

// ports compares A with each port: any match goes to hit, none to miss.
func (p *prog) ports(ports []uint16, hit, miss string) {
	for i, port := range ports {
		next := ""
		if i == len(ports)-1 {
			next = miss
		}
		p.jump(bpf.JumpEqual, uint32(port), hit, next)
	}
}

func (p *prog) assemble() ([]bpf.RawInstruction, error) {
	for at, l := range p.jumps {
		j := p.ins[at].(bpf.JumpIf)
		j.SkipTrue, j.SkipFalse = p.skip(at, l[0]), p.skip(at, l[1])
		p.ins[at] = j
	}
	return bpf.Assemble(p.ins)
}

func (p *prog) skip(at int, label string) uint8 {
	if label == "" {
		return 0
	}
	return uint8(p.labels[label] - at - 1)
}
