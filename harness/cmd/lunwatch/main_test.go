package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	auto   = "../../testdata/scan-auto.pcap"
	manual = "../../testdata/scan-manual.pcap"
)

func lunwatch(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = dispatch(args, &o, &e)
	return code, o.String(), e.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	notPcap := filepath.Join(dir, "x.txt")
	require.NoError(t, os.WriteFile(notPcap, []byte("hello, this is not a capture"), 0o644))
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	cases := map[string][]string{
		"no command":      {},
		"unknown command": {"frobnicate"},
		"no file":         {"analyze"},
		"bad lun list":    {"analyze", "--allow-luns", "1-", auto},
		"bad format":      {"analyze", "--format", "xml", auto},
		"bad port":        {"analyze", "--port", "70000", auto},
		"missing file":    {"analyze", filepath.Join(dir, "nope.pcap")},
		"not a pcap":      {"analyze", notPcap},
		"empty file":      {"analyze", empty},
		"unknown flag":    {"analyze", "--bogus", auto},
		"capture no -i":   {"capture", "--duration", "1s"},
	}
	for name, args := range cases {
		code, _, stderr := lunwatch(args...)
		assert.Equal(t, exitUsage, code, name)
		assert.NotEmpty(t, stderr, "%s: no message", name)
	}
}

func TestVerdictExitCodes(t *testing.T) {
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"analyze", "--port", "3370", auto}, exitClean},
		{[]string{"analyze", "--port", "3370", "--allow-luns", "0-2,16684", auto}, exitClean},
		{[]string{"analyze", "--port", "3370", "--allow-luns", "0-2", auto}, exitViolation},
		{[]string{"analyze", "--port", "3370", "--forbid-report-luns", auto}, exitViolation},
		{[]string{"analyze", "--port", "3370", "--forbid-report-luns", "--allow-luns", "0,2", manual}, exitClean},
		{[]string{"analyze", "--port", "3370", "--allow-luns", "0", manual}, exitViolation},
		// options after the file, and another target's sessions filtered out
		{[]string{"analyze", manual, "--port", "3370", "--allow-luns", "0", "--target", "iqn.other:x"}, exitClean},
		// wrong port: nothing decoded, nothing violated
		{[]string{"analyze", "--allow-luns", "0", auto}, exitClean},
	}
	for _, c := range cases {
		code, out, stderr := lunwatch(c.args...)
		assert.Equal(t, c.want, code, "%v\n%s%s", c.args, out, stderr)
	}
}

func TestTableShowsLUNsAndVerdict(t *testing.T) {
	code, out, _ := lunwatch("analyze", "--port", "3370", "--allow-luns", "0", manual)
	assert.Equal(t, exitViolation, code)
	for _, want := range []string{"target    iqn.2026-11.lab.h4:t1", "LUN  COMMANDS", "verdict: VIOLATION (allowed LUNs 0)",
		"session 1 LUN 2: INQUIRY x2", "(lun-not-allowed)"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "REPORT LUNS to LUN")
}

// TestJSONGolden pins the JSON format: a change here is a change for every
// script that reads it (see README, "lunwatch JSON").
func TestJSONGolden(t *testing.T) {
	code, out, stderr := lunwatch("analyze", "--port", "3370", "--format", "json", "--allow-luns", "0", "--forbid-report-luns", manual)
	require.Equal(t, exitViolation, code, stderr)
	golden := "testdata/scan-manual.json"
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, float64(1), r["version"])
}

func TestPcapngAndTruncatedInput(t *testing.T) {
	dir := t.TempDir()
	ng := filepath.Join(dir, "manual.pcapng")
	convertToPcapng(t, manual, ng)
	_, fromPcap, _ := lunwatch("analyze", "--port", "3370", "--format", "json", manual)
	code, fromNg, stderr := lunwatch("analyze", "--port", "3370", "--format", "json", ng)
	require.Equal(t, exitClean, code, stderr)
	assert.Equal(t, strings.Replace(fromPcap, manual, ng, 1), fromNg)

	data, err := os.ReadFile(auto)
	require.NoError(t, err)
	cut := filepath.Join(dir, "cut.pcap")
	require.NoError(t, os.WriteFile(cut, data[:len(data)*2/3+7], 0o644))
	code, out, stderr := lunwatch("analyze", "--port", "3370", "--allow-luns", "0", cut)
	assert.Equal(t, exitViolation, code, "a truncated file is still audited up to the cut")
	assert.Contains(t, stderr, "truncated")
	assert.Contains(t, out, "REPORT LUNS to LUN 0")
}

func convertToPcapng(t *testing.T, in, out string) {
	f, err := os.Open(in)
	require.NoError(t, err)
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	require.NoError(t, err)
	o, err := os.Create(out)
	require.NoError(t, err)
	defer o.Close()
	w, err := pcapgo.NewNgWriter(o, r.LinkType())
	require.NoError(t, err)
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		require.NoError(t, w.WritePacket(ci, data))
	}
	require.NoError(t, w.Flush())
}

func TestGarbageAndHostileFiles(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(auto)
	require.NoError(t, err)
	// Flip bytes all over the capture (keeping the file header): decoding
	// must neither panic nor fail; the verdict is whatever survives.
	for seed := 1; seed <= 5; seed++ {
		bad := append([]byte(nil), data...)
		for i := 24 + seed*7; i < len(bad); i += 97 + seed {
			bad[i] ^= byte(0x5a + seed)
		}
		p := filepath.Join(dir, "bad.pcap")
		require.NoError(t, os.WriteFile(p, bad, 0o644))
		code, _, _ := lunwatch("analyze", "--port", "3370", p)
		assert.Contains(t, []int{exitClean, exitUsage}, code)
	}
}

// TestHostileCaptureHeaders: records declaring ~4 GiB of packet data (in
// pcap and pcapng) end the audit quickly without a crash.
func TestHostileCaptureHeaders(t *testing.T) {
	dir := t.TempDir()
	le := func(vals ...uint32) []byte {
		var b []byte
		for _, v := range vals {
			b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		}
		return b
	}
	pcap := append(le(0xa1b2c3d4, 4<<16|2, 0, 0, 0xffffffff, 1), le(0, 0, 0xf0000000, 0xf0000000)...)
	pcap = append(pcap, make([]byte, 100)...)
	ng := le(0x0a0d0d0a, 28, 0x1a2b3c4d, 1, 0xffffffff, 0xffffffff, 28) // section header
	ng = append(ng, le(1, 20, 1, 0, 20)...)                             // interface, Ethernet
	ng = append(ng, le(6, 64, 0, 0, 0, 0xf0000000, 0xf0000000)...)      // packet block
	ng = append(ng, make([]byte, 32)...)
	for name, data := range map[string][]byte{"h.pcap": pcap, "h.pcapng": ng} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		code, out, stderr := lunwatch("analyze", p)
		assert.Contains(t, []int{exitClean, exitUsage}, code, name)
		if code == exitClean {
			assert.Contains(t, out, "0 packets", name)
		} else {
			assert.NotEmpty(t, stderr, name)
		}
	}
}

// TestAnalyzeStdin: "-" reads the capture from standard input.
func TestAnalyzeStdin(t *testing.T) {
	f, err := os.Open(manual)
	require.NoError(t, err)
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()
	code, out, stderr := lunwatch("analyze", "--port", "3370", "--allow-luns", "0", "-")
	assert.Equal(t, exitViolation, code, stderr)
	assert.Contains(t, out, "session 1 LUN 2: INQUIRY x2")
}
