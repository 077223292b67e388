package iscsi

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Vectors shared with the C unit tests live in the repository's testdata.
const sharedVectors = "../../testdata"

// readHexVector returns the comment lines and the bytes of a NAME.hex file.
func readHexVector(t *testing.T, path string) ([]string, []byte) {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var comments []string
	var raw bytes.Buffer
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			comments = append(comments, line)
			continue
		}
		b, err := hex.DecodeString(strings.ReplaceAll(line, " ", ""))
		require.NoError(t, err, path)
		raw.Write(b)
	}
	return comments, raw.Bytes()
}

func TestSharedPDUVectorsRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedVectors, "pdu", "*.hex"))
	require.NotEmpty(t, files, "shared PDU vectors missing")
	for _, path := range files {
		comments, wire := readHexVector(t, path)
		var hd, dd int
		_, err := fmt.Sscanf(comments[0], "# hdig=%d ddig=%d", &hd, &dd)
		require.NoError(t, err, path)
		p := &PDU{HeaderDigest: hd == 1, DataDigest: dd == 1}
		require.NoError(t, p.DecodeFromBytes(wire, gopacket.NilDecodeFeedback), path)
		assert.Equal(t, len(wire), p.Len(), path)
		assert.True(t, p.HeaderCRCOK && p.DataCRCOK, path)
		assert.True(t, Plausible(wire, p.Opcode().FromTarget()), path)
		out, err := p.Marshal()
		require.NoError(t, err)
		assert.Equal(t, wire, out, path)
	}
}

func TestSharedSenseVectors(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedVectors, "sense", "*.hex"))
	require.NotEmpty(t, files, "shared sense vectors missing")
	for _, path := range files {
		comments, raw := readHexVector(t, path)
		fields := strings.Fields(strings.TrimPrefix(comments[0], "# expect:"))
		exp := map[string]string{}
		for _, f := range fields[1:] {
			k, v, _ := strings.Cut(f, "=")
			exp[k] = v
		}
		var s Sense
		var ok bool
		if exp["aen"] == "1" {
			s, ok = ParseAsyncSense(raw)
		} else {
			s, ok = ParseSense(raw)
		}
		require.Equal(t, fields[0] == "ok", ok, path)
		if !ok {
			continue
		}
		got := fmt.Sprintf("desc=%d key=%02x asc=%02x ascq=%02x info=%s", b2i(s.Format == "descriptor"),
			s.Key, s.ASC, s.ASCQ, infoString(s))
		want := fmt.Sprintf("desc=%s key=%s asc=%s ascq=%s info=%s", exp["desc"], exp["key"], exp["asc"], exp["ascq"], exp["info"])
		assert.Equal(t, want, got, path)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func infoString(s Sense) string {
	if !s.HasInfo {
		return "-"
	}
	return fmt.Sprintf("%08x", s.Info)
}
