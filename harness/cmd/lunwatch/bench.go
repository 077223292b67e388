package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func init() {
	register("bench", "compare analyze with tshark on synthetic captures", runBench)
}

// run is one measured child process.
type run struct {
	wall   time.Duration
	maxRSS int64 // KiB
}

func runBench(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", "", stderr)
	dir := fs.String("dir", os.TempDir(), "directory for the synthetic captures")
	sizes := fs.String("sizes", "50MB,200MB", "capture sizes; the last is the headline (>= 200MB)")
	repeat := fs.Int("repeat", 3, "runs of lunwatch per size (the best counts)")
	keep := fs.Bool("keep", false, "keep the captures")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	self, err := os.Executable()
	if err == nil {
		_, err = exec.LookPath("tshark")
	}
	if err != nil {
		fmt.Fprintf(stderr, "lunwatch bench: %v\n", err)
		return exitUsage
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "size MB\ttool\tseconds\tMB/s\tpeak RSS MB\tspeed vs tshark\t\n")
	for _, size := range splitList(*sizes) {
		if err := benchSize(tw, self, *dir, size, *repeat, *keep); err != nil {
			fmt.Fprintf(stderr, "lunwatch bench: %v\n", err)
			return exitUsage
		}
	}
	tw.Flush()
	return exitClean
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func benchSize(tw io.Writer, self, dir, size string, repeat int, keep bool) error {
	file := filepath.Join(dir, fmt.Sprintf("lunwatch-bench-%s.pcap", size))
	if _, err := measure(self, "synth", "-o", file, "--size", size); err != nil {
		return err
	}
	if !keep {
		defer os.Remove(file)
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	mb := float64(st.Size()) / (1 << 20)
	var best run
	for i := 0; i < max(repeat, 1); i++ {
		r, err := measure(self, "analyze", "--format", "json", file)
		if err != nil {
			return err
		}
		if i == 0 || r.wall < best.wall {
			best = r
		}
	}
	ts, err := measure("tshark", "-r", file, "-Y", "scsi")
	if err != nil {
		return err
	}
	row := func(tool string, r run, ratio string) {
		fmt.Fprintf(tw, "%.0f\t%s\t%.2f\t%.0f\t%.1f\t%s\t\n", mb, tool, r.wall.Seconds(),
			mb/r.wall.Seconds(), float64(r.maxRSS)/1024, ratio)
	}
	row("lunwatch analyze", best, fmt.Sprintf("%.1fx", ts.wall.Seconds()/best.wall.Seconds()))
	row("tshark -Y scsi", ts, "1.0x")
	return nil
}

// measure runs a command with its output discarded and returns its wall
// time and peak resident memory (from the kernel's rusage of the child).
func measure(name string, args ...string) (run, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	var errBuf limitedBuffer
	cmd.Stderr = &errBuf
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil && cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == exitViolation && name != "tshark" {
		err = nil // a violation verdict is still a finished analysis
	}
	if err != nil {
		return run{}, fmt.Errorf("%s: %w: %s", name, err, errBuf.b)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := run{wall: wall}
	if ru != nil {
		r.maxRSS = ru.Maxrss
	}
	return r, nil
}

// limitedBuffer keeps the first 4 KiB of a child's stderr for errors.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
