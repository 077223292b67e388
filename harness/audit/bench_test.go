package audit

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/gopacket/pcapgo"
)

// BenchmarkAnalyzeFile audits $LUNWATCH_BENCH_FILE (a capture made with
// `lunwatch synth`), or a 20 MB synthetic capture built here.
func BenchmarkAnalyzeFile(b *testing.B) {
	data := benchCapture(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := pcapgo.NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		a := New(Options{})
		if err := a.ReadSource("bench", r); err != nil {
			b.Fatal(err)
		}
		if rep := a.Report(); len(rep.Sessions) != 1 {
			b.Fatalf("sessions: %d", len(rep.Sessions))
		}
	}
}

func benchCapture(b *testing.B) []byte {
	if f := os.Getenv("LUNWATCH_BENCH_FILE"); f != "" {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	var buf bytes.Buffer
	w, err := newBenchWriter(&buf)
	if err != nil {
		b.Fatal(err)
	}
	for buf.Len() < 20<<20 {
		if err := w(); err != nil {
			b.Fatal(err)
		}
	}
	return buf.Bytes()
}
