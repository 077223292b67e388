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

// capturePort is the target port of the tgtd captures in harness/testdata
// (see testdata/make-captures.sh); aen.pcap comes from the emulated target.
const (
	capturePort = 3370
	aenPort     = 3373
)

func portOf(file string) int {
	if filepath.Base(file) == "aen.pcap" {
		return aenPort
	}
	return capturePort
}

// tsharkPDUs asks tshark for every iSCSI PDU of the file matching filter,
// as the first value of each field it shows for that PDU. PDML is used
// because the one-line field output merges the PDUs that share a frame.
// A PDU runs from its <proto name="iscsi"> to the next one or the end of
// the packet, so the SCSI layer tshark nests after it belongs to it too.
func tsharkPDUs(t *testing.T, file string, port int, filter string) []map[string]string {
	path, err := exec.LookPath("tshark")
	require.NoError(t, err, "tshark is required for this test (Debian package tshark)")
	cmd := exec.Command(path, "-r", file, "-d", fmt.Sprintf("tcp.port==%d,iscsi", port), "-Y", filter, "-T", "pdml")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "tshark: %s", stderr.String())
	pdus, err := parsePDML(bytes.NewReader(out))
	require.NoError(t, err)
	return pdus
}

func parsePDML(r io.Reader) ([]map[string]string, error) {
	var pdus []map[string]string
	var cur map[string]string
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return pdus, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := attr(el, "name")
			switch {
			case el.Name.Local == "packet":
				cur = nil
			case el.Name.Local == "proto" && name == "iscsi":
				cur = map[string]string{}
				pdus = append(pdus, cur)
			case el.Name.Local == "field" && cur != nil:
				if _, seen := cur[name]; !seen {
					cur[name] = attr(el, "show")
				}
			}
		}
	}
}

// tsharkCommandsPerLUN counts SCSI Command PDUs per LUN. tshark shows the
// first addressing level (flat LUN 300 as 0x012c, mode 1); it is turned
// into Linux's number for comparison.
func tsharkCommandsPerLUN(t *testing.T, file string, port int) map[uint64]int {
	counts := map[uint64]int{}
	for _, p := range tsharkPDUs(t, file, port, "iscsi.opcode == 0x01") {
		if p["iscsi.opcode"] != "0x01" {
			continue
		}
		lun, err := strconv.ParseUint(p["scsi.lun"], 0, 16)
		require.NoError(t, err, "tshark LUN %q", p["scsi.lun"])
		if mode, _ := strconv.ParseUint(p["scsi.lun.address_mode"], 0, 8); mode == 1 {
			lun |= 0x4000 // flat space: Linux keeps the method bits in the number
		}
		counts[lun]++
	}
	return counts
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
			ours, rep := ourCommandsPerLUN(t, file, uint16(portOf(file)))
			theirs := tsharkCommandsPerLUN(t, file, portOf(file))
			require.NotEmpty(t, theirs, "tshark saw no SCSI command")
			assert.Equal(t, theirs, ours)
			checks := 0
			for _, s := range rep.Sessions {
				assert.Zero(t, s.Resyncs, "session %d lost its footing", s.ID)
				checks += len(s.CheckConditions)
			}
			tsChecks := 0
			for _, p := range tsharkPDUs(t, file, portOf(file), "iscsi.opcode == 0x21") {
				if p["iscsi.opcode"] == "0x21" && p["iscsi.scsiresponse.status"] == "0x02" {
					tsChecks++
				}
			}
			assert.Equal(t, tsChecks, checks, "CHECK CONDITION responses")
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
	for _, name := range []string{"scan-auto.pcap", "digests.pcap", "writes.pcap"} {
		frames, cis, link := readPackets(t, "../testdata/"+name)
		full := New(Options{Ports: []uint16{capturePort}})
		for i := range frames {
			full.Packet(frames[i], cis[i], link)
		}
		want := totalCommands(full.Report())
		for eighth := 1; eighth < 8; eighth++ {
			cut := eighth * len(frames) / 8
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
			if name != "scan-auto.pcap" { // the others negotiated CRC32C
				for _, s := range post.Report().Sessions {
					assert.True(t, s.HeaderDigest && s.DataDigest, "%s cut at %d: digests not guessed", name, cut)
				}
			}
		}
	}
}

// TestRealAENsMatchTshark: the stock initiator against the emulated target
// that sent two 3F/0E AENs (fixed, then descriptor sense); each was
// followed by a rescan (REPORT LUNS) that found the new LUN 3.
func TestRealAENsMatchTshark(t *testing.T) {
	file := "../testdata/aen.pcap"
	_, rep := ourCommandsPerLUN(t, file, aenPort)
	require.Len(t, rep.Sessions, 1)
	s := rep.Sessions[0]
	theirs := tsharkPDUs(t, file, aenPort, "iscsi.opcode == 0x32")
	require.Len(t, s.AENs, len(theirs))
	require.Len(t, s.AENs, 2)
	for i, a := range s.AENs {
		p := theirs[i]
		require.NotNil(t, a.Sense)
		assert.Equal(t, fmt.Sprintf("0x%02x", a.Event), p["iscsi.asyncevent"])
		assert.Equal(t, fmt.Sprintf("0x%02x", a.Sense.Key), p["scsi.sns.key"])
		if asc, ok := p["scsi.sns.asc"]; ok { // tshark leaves them out for descriptor sense
			assert.Equal(t, fmt.Sprintf("0x%02x", a.Sense.ASC), asc)
			assert.Equal(t, fmt.Sprintf("0x%02x", a.Sense.ASCQ), p["scsi.sns.ascq"])
		}
		assert.Equal(t, [2]uint8{0x3f, 0x0e}, [2]uint8{a.Sense.ASC, a.Sense.ASCQ})
	}
	assert.Equal(t, []string{"fixed", "descriptor"}, []string{s.AENs[0].Sense.Format, s.AENs[1].Sense.Format})
	assert.Equal(t, 2, s.AENs[0].ReportLUNsAfter)
	assert.Equal(t, 1, s.AENs[1].ReportLUNsAfter)
	assert.Len(t, s.ReportLUNs, 3)
	assert.Len(t, s.LUNs, 4)
}

// TestPcapngFromWireshark: the real captures converted by Wireshark's
// editcap (pcapng with its own block layout and options; editcap comes with
// tshark) audit exactly like the pcap originals, and truncating the pcapng
// anywhere never fails harder than ErrTruncatedInput.
func TestPcapngFromWireshark(t *testing.T) {
	editcap, err := exec.LookPath("editcap")
	require.NoError(t, err, "editcap (Debian wireshark-common, installed with tshark) is required")
	for _, name := range []string{"scan-auto.pcap", "aen.pcap"} {
		in := "../testdata/" + name
		ng := filepath.Join(t.TempDir(), name+"ng")
		out, err := exec.Command(editcap, "-F", "pcapng", in, ng).CombinedOutput()
		require.NoError(t, err, string(out))
		port := uint16(portOf(in))
		want, err := AnalyzeFiles(Options{Ports: []uint16{port}}, in)
		require.NoError(t, err)
		got, err := AnalyzeFiles(Options{Ports: []uint16{port}}, ng)
		require.NoError(t, err)
		want.Inputs, got.Inputs = nil, nil
		assert.Equal(t, want, got, name)

		data, err := os.ReadFile(ng)
		require.NoError(t, err)
		cut := filepath.Join(t.TempDir(), "cut.pcapng")
		for _, n := range []int{30, 100, len(data) / 2, len(data) - 3} {
			require.NoError(t, os.WriteFile(cut, data[:n], 0o644))
			a := New(Options{Ports: []uint16{port}})
			err := a.ReadFile(cut)
			if n > len(data)/4 { // past the section header: packets, then the cut
				assert.ErrorIs(t, err, ErrTruncatedInput, "cut at %d", n)
				assert.NotZero(t, a.Report().PDUs, "cut at %d", n)
			} else {
				assert.Error(t, err, "cut at %d", n) // inside the section header
			}
		}
	}
}
