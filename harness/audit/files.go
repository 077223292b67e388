package audit

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/google/gopacket/pcapgo"
)

// ReadFile audits one pcap or pcapng file (told apart by their magic);
// "-" is standard input (tcpdump -w - | lunwatch analyze -). A file cut
// short inside a record returns an error wrapping ErrTruncatedInput after
// auditing the packets before the cut.
func (a *Auditor) ReadFile(name string) error {
	if name == "-" {
		return a.ReadStream("stdin", os.Stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return a.ReadStream(name, f)
}

// ReadStream audits a pcap or pcapng stream.
func (a *Auditor) ReadStream(name string, in io.Reader) error {
	r := bufio.NewReaderSize(in, 1<<20)
	magic, err := r.Peek(4)
	if err != nil {
		return fmt.Errorf("%s: not a capture file (too short)", name)
	}
	var src PacketSource
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		src, err = newNgReader(r)
	} else {
		src, err = newPcapReader(r)
	}
	if err != nil {
		return fmt.Errorf("%s: not a pcap or pcapng file: %w", name, err)
	}
	return a.ReadSource(name, src)
}

// AnalyzeFiles audits capture files as one continuous capture: the
// one-call form for tests (`lunwatch analyze` as a function). Truncated
// files are audited up to the cut without an error.
func AnalyzeFiles(opts Options, files ...string) (*Report, error) {
	a := New(opts)
	for _, f := range files {
		if err := a.ReadFile(f); err != nil && !errors.Is(err, ErrTruncatedInput) {
			return nil, err
		}
	}
	return a.Report(), nil
}

// maxSnaplen is the largest frame Linux captures (tcpdump's default).
const maxSnaplen = 262144

// pcapSource is gopacket's pcap reader with the link type as the file
// has it (32 bits; gopacket keeps 8).
type pcapSource struct {
	*pcapgo.Reader
	link uint32
}

func (p pcapSource) RawLinkType() uint32 { return p.link }

// newPcapReader opens a classic pcap. Its snap length is clamped, because
// gopacket allocates up to the snap length a record may claim: a record
// longer than maxSnaplen is then an error, not a huge allocation.
func newPcapReader(r *bufio.Reader) (PacketSource, error) {
	hdr, _ := r.Peek(24)
	pr, err := pcapgo.NewReader(r)
	if err != nil {
		return nil, err
	}
	if s := pr.Snaplen(); s == 0 || s > maxSnaplen {
		pr.SetSnaplen(maxSnaplen)
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if hdr[0] == 0xa1 { // big-endian magic: a1 b2 c3 d4 (µs) or a1 b2 3c 4d (ns)
		order = binary.BigEndian
	}
	return pcapSource{pr, order.Uint32(hdr[20:24])}, nil
}
