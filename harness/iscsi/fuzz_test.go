package iscsi

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/gopacket"
)

// FuzzPDU feeds arbitrary bytes to every decoder of the package: a decode
// that succeeds must re-serialize to a PDU that decodes the same, and the
// framer must never hold more than its window, whatever the chunking.
func FuzzPDU(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(sharedVectors, "*", "*.hex"))
	for _, path := range files {
		if _, raw := readHexVectorF(path); raw != nil {
			f.Add(raw, uint8(7))
		}
	}
	f.Add(make([]byte, BHSLen), uint8(1))
	f.Add(bytes.Repeat([]byte{0x21, 0x80, 0, 0, 0, 0xff, 0xff, 0xff}, 8), uint8(48))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		for _, dig := range [][2]bool{{false, false}, {true, true}, {true, false}} {
			roundTrip(t, data, dig[0], dig[1])
		}
		fr := &Framer{KeepData: func(op Opcode) bool { return op != OpDataIn }}
		n := int(chunk) + 1
		for i := 0; i < len(data); i += n {
			fr.Feed(data[i:min(i+n, len(data))], func(p *PDU) {
				_ = CDBName(p.CDB())
				_ = p.LUN()
				ParseAsyncSense(p.Data)
				ParseText(p.Data)
			})
		}
		if len(fr.buf) > resyncWindow+int(n) && !fr.Synced {
			t.Fatalf("resync window grew to %d", len(fr.buf))
		}
		ParseSense(data)
		ParseText(data)
		_ = CDBName(data)
		Resync(data, false, false, false)
	})
}

func roundTrip(t *testing.T, data []byte, hd, dd bool) {
	p := &PDU{HeaderDigest: hd, DataDigest: dd}
	if p.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
		return
	}
	if p.Len() > len(data) {
		t.Fatalf("decoded %d bytes from %d", p.Len(), len(data))
	}
	out, err := p.Marshal()
	if err != nil {
		return // an AHS length not a multiple of 4 cannot be re-serialized
	}
	q := &PDU{HeaderDigest: hd, DataDigest: dd}
	if err := q.DecodeFromBytes(out, gopacket.NilDecodeFeedback); err != nil {
		t.Fatalf("re-decode: %v", err)
	}
	if q.BHS != p.BHS || !bytes.Equal(q.Data, p.Data) || !q.HeaderCRCOK || !q.DataCRCOK {
		t.Fatalf("round trip changed the PDU")
	}
}

// readHexVectorF is readHexVector for fuzz seeds (no *testing.T there).
func readHexVectorF(path string) ([]string, []byte) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil
	}
	var raw []byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		for _, f := range bytes.Fields(line) {
			var v byte
			for _, c := range f {
				v = v<<4 | unhex(c)
			}
			raw = append(raw, v)
		}
	}
	return nil, raw
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}
