package audit

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/iscsi"
)

// capturePort is the target port of every capture in harness/testdata
// (see testdata/make-captures.sh).
const capturePort = 3370

// tsharkCommandsPerLUN asks tshark how many SCSI Command PDUs went to each
// LUN. PDML keeps each PDU in its own <proto name="iscsi"> element, which
// the one-line field output does not (several PDUs share a frame). tshark
// shows the first addressing level (flat LUN 300 as 0x012c, mode 1); it is
// turned into Linux's number for comparison.
func tsharkCommandsPerLUN(t *testing.T, file string, port int) map[uint64]int {
	path, err := exec.LookPath("tshark")
	require.NoError(t, err, "tshark is required for this test (Debian package tshark)")
	cmd := exec.Command(path, "-r", file, "-d", fmt.Sprintf("tcp.port==%d,iscsi", port),
		"-Y", "iscsi.opcode == 0x01", "-T", "pdml")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "tshark: %s", stderr.String())
	counts, err := parsePDMLCommands(bytes.NewReader(out))
	require.NoError(t, err)
	return counts
}

type pdmlPDU struct{ opcode, mode, lun string }

func parsePDMLCommands(r io.Reader) (map[uint64]int, error) {
	counts := map[uint64]int{}
	dec := xml.NewDecoder(r)
	depth, inISCSI := 0, -1
	var cur pdmlPDU
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return counts, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			name, show := attr(el, "name"), attr(el, "show")
			switch {
			case el.Name.Local == "proto" && name == "iscsi":
				inISCSI, cur = depth, pdmlPDU{}
			case inISCSI < 0 || el.Name.Local != "field":
			case name == "iscsi.opcode":
				cur.opcode = show
			case name == "scsi.lun.address_mode" && cur.mode == "":
				cur.mode = show
			case name == "scsi.lun" && cur.lun == "":
				cur.lun = show
			}
		case xml.EndElement:
			if depth == inISCSI {
				if err := countPDU(counts, cur); err != nil {
					return nil, err
				}
				inISCSI = -1
			}
			depth--
		}
	}
}

func countPDU(counts map[uint64]int, p pdmlPDU) error {
	if p.opcode != "0x01" {
		return nil
	}
	lun, err := strconv.ParseUint(p.lun, 0, 16)
	if err != nil {
		return fmt.Errorf("tshark LUN %q: %v", p.lun, err)
	}
	mode, _ := strconv.ParseUint(p.mode, 0, 8)
	if mode == 1 { // flat space: Linux keeps the method bits in the number
		lun |= 0x4000
	}
	counts[lun]++
	return nil
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func ourCommandsPerLUN(t *testing.T, file string, port uint16) (map[uint64]int, *Report) {
	rep, err := AnalyzeFiles(Options{Ports: []uint16{port}}, file)
	require.NoError(t, err)
	counts := map[uint64]int{}
	for _, s := range rep.Sessions {
		for _, l := range s.LUNs {
			counts[l.LUN] += l.Commands
		}
	}
	return counts, rep
}

// TestRealCapturesMatchTshark: on captures of Linux's initiator against
// tgtd, our per-LUN command counts equal tshark's.
func TestRealCapturesMatchTshark(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.pcap")
	require.NotEmpty(t, files, "no captures in harness/testdata")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ours, rep := ourCommandsPerLUN(t, file, capturePort)
			theirs := tsharkCommandsPerLUN(t, file, capturePort)
			require.NotEmpty(t, theirs, "tshark saw no SCSI command")
			assert.Equal(t, theirs, ours)
			for _, s := range rep.Sessions {
				assert.Zero(t, s.Resyncs, "session %d lost its footing", s.ID)
			}
		})
	}
}

// TestRealCaptureScanShapes pins what the lab notes say the wire shows.
func TestRealCaptureScanShapes(t *testing.T) {
	_, auto := ourCommandsPerLUN(t, "../testdata/scan-auto.pcap", capturePort)
	require.Len(t, auto.Sessions, 1)
	s := auto.Sessions[0]
	assert.Equal(t, "iqn.2026-11.lab.h4:t1", s.Target)
	assert.Equal(t, "iqn.2026-11.lab.autoscan:guest", s.Initiator)
	require.Len(t, s.ReportLUNs, 1)
	assert.Equal(t, uint64(0), s.ReportLUNs[0].LUN)
	var luns []uint64
	for _, l := range s.LUNs {
		luns = append(luns, l.LUN)
	}
	assert.Equal(t, []uint64{0, 1, 2, iscsi.LUNToInt(iscsi.FlatLUN(300))}, luns)

	_, manual := ourCommandsPerLUN(t, "../testdata/scan-manual.pcap", capturePort)
	require.Len(t, manual.Sessions, 1)
	assert.Empty(t, manual.Sessions[0].ReportLUNs)
	allow, _ := ParseLUNList("0,2")
	assert.True(t, judge(manual.Sessions, &Options{AllowLUNs: allow, ForbidReportLUNs: true}).Clean)
	allow, _ = ParseLUNList("0")
	assert.False(t, judge(manual.Sessions, &Options{AllowLUNs: allow}).Clean)

	_, dig := ourCommandsPerLUN(t, "../testdata/digests.pcap", capturePort)
	require.Len(t, dig.Sessions, 1)
	assert.True(t, dig.Sessions[0].HeaderDigest)
	assert.True(t, dig.Sessions[0].DataDigest)
	assert.Zero(t, dig.Sessions[0].DigestErrors)
}

// readPackets loads a capture's frames so tests can cut it.
func readPackets(t *testing.T, file string) ([][]byte, []gopacket.CaptureInfo, layers.LinkType) {
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	require.NoError(t, err)
	var frames [][]byte
	var cis []gopacket.CaptureInfo
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return frames, cis, r.LinkType()
		}
		require.NoError(t, err)
		frames, cis = append(frames, data), append(cis, ci)
	}
}

func totalCommands(r *Report) int {
	n := 0
	for _, s := range r.Sessions {
		for _, l := range s.LUNs {
			n += l.Commands
		}
	}
	return n
}

// TestRealCaptureCutMidConnection cuts real captures (with and without
// digests) at several points: the part after the cut has no login, so the
// decoder must find its footing and guess the digests; prefix plus suffix
// must account for every command but at most the one PDU cut in two.
func TestRealCaptureCutMidConnection(t *testing.T) {
	for _, name := range []string{"scan-auto.pcap", "digests.pcap"} {
		frames, cis, link := readPackets(t, "../testdata/"+name)
		full := New(Options{Ports: []uint16{capturePort}})
		for i := range frames {
			full.Packet(frames[i], cis[i], link)
		}
		want := totalCommands(full.Report())
		for _, cut := range []int{len(frames) / 3, len(frames) / 2, 2 * len(frames) / 3} {
			pre, post := New(Options{Ports: []uint16{capturePort}}), New(Options{Ports: []uint16{capturePort}})
			for i := range frames {
				a := pre
				if i >= cut {
					a = post
				}
				a.Packet(frames[i], cis[i], link)
			}
			got := totalCommands(pre.Report()) + totalCommands(post.Report())
			assert.True(t, got == want || got == want-1, "%s cut at %d: %d commands, want %d", name, cut, got, want)
			if name == "digests.pcap" {
				for _, s := range post.Report().Sessions {
					assert.True(t, s.HeaderDigest && s.DataDigest, "%s cut at %d: digests not guessed", name, cut)
				}
			}
		}
	}
}
