package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"autoscan/harness/audit/synth"
	"autoscan/harness/iscsi"
	"autoscan/harness/target"
)

func init() {
	register("synth", "write a synthetic iSCSI capture (for benchmarks)", runSynth)
}

type synthFlags struct {
	out     string
	size    string
	mss     int
	port    int
	digests bool
	luns    int
}

func runSynth(args []string, stdout, stderr io.Writer) int {
	var sf synthFlags
	fs := newFlagSet("synth", "-o FILE", stderr)
	fs.StringVar(&sf.out, "o", "", "pcap `FILE` to write")
	fs.StringVar(&sf.size, "size", "200MB", "stop once the file is at least this big (KB, MB, GB)")
	fs.IntVar(&sf.mss, "mss", 1448, "TCP segment size")
	fs.IntVar(&sf.port, "port", iscsi.DefaultPort, "target TCP port")
	fs.BoolVar(&sf.digests, "digests", false, "negotiate CRC32C header and data digests")
	fs.IntVar(&sf.luns, "luns", 4, "LUNs the traffic spreads over")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	size, err := target.ParseSize(sf.size)
	if err == nil && (sf.out == "" || sf.mss < 64 || sf.luns < 1 || sf.port < 1 || sf.port > 65535) {
		err = errors.New("-o FILE is required; --mss >= 64, --luns >= 1, --port 1-65535")
	}
	if err == nil {
		err = writeSynth(&sf, size)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lunwatch synth: %v\n", err)
		return exitUsage
	}
	return exitClean
}

// countingWriter tracks how much has been written.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// writeSynth writes a session that logs in and then reads 64 KiB at a
// time from each LUN in turn (with an INQUIRY now and then), like a
// filesystem being read, until the file reaches size.
func writeSynth(sf *synthFlags, size uint64) error {
	f, err := os.Create(sf.out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	cw := &countingWriter{w: bw}
	w, err := synth.NewWriter(cw)
	if err != nil {
		return err
	}
	w.Step = 10_000 // 10 µs between frames
	c := w.NewConn("10.0.2.15", 41000, "127.0.0.1", uint16(sf.port))
	c.MSS = sf.mss
	s := &synth.Session{Digests: sf.digests}
	if err := synthLogin(c, s); err != nil {
		return err
	}
	data := make([]byte, 64<<10)
	for i := 0; uint64(cw.n) < size; i++ {
		lun := uint64(i % sf.luns)
		cdb := []byte{iscsi.ScsiRead10, 0, 0, 0, byte(i >> 8), byte(i), 0, 0, 128, 0}
		if i%64 == 0 {
			cdb = []byte{iscsi.ScsiInquiry, 1, 0x83, 0, 255, 0}
		}
		if err := c.Send(false, s.Command(lun, cdb, uint32(len(data)))); err != nil {
			return err
		}
		if err := c.Send(true, s.DataIn(lun, data)); err != nil {
			return err
		}
	}
	if err := c.Send(false, s.Logout()); err != nil {
		return err
	}
	return bw.Flush()
}

func synthLogin(c *synth.Conn, s *synth.Session) error {
	if err := c.Handshake(); err != nil {
		return err
	}
	if err := c.Send(false, s.LoginRequest("iqn.2026-01.bench:initiator", "iqn.2026-01.bench:target")); err != nil {
		return err
	}
	return c.Send(true, s.LoginResponse())
}
