package audit

import (
	"testing"
	"time"

	"autoscan/harness/audit/synth"
)

// FuzzConn feeds arbitrary bytes to both directions of a connection, in
// chunks, as reassembly would: whatever they are, the audit must not panic
// and its report must be consistent (counts match the LUN table).
func FuzzConn(f *testing.F) {
	s := &synth.Session{Digests: true}
	f.Add(s.LoginRequest("iqn.i", "iqn.t"), s.LoginResponse(), uint8(13))
	f.Add(s.Command(3, cdbReport, 16), s.Async(0, []byte{0x70, 0, 6, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3f, 0x0e}), uint8(1))
	f.Add(s.TMF(1, 5), s.Response(2, []byte{0x72, 6, 0x3f, 0x0e, 0, 0, 0, 0}), uint8(200))
	f.Fuzz(func(t *testing.T, toTarget, fromTarget []byte, chunk uint8) {
		c := newConn(&Session{}, chunk%2 == 0)
		n := int(chunk)/2 + 1
		now := time.Unix(0, 0)
		for i := 0; i < len(toTarget) || i < len(fromTarget); i += n {
			if i < len(toTarget) {
				c.feed(false, toTarget[i:min(i+n, len(toTarget))], now)
			}
			if i < len(fromTarget) {
				c.feed(true, fromTarget[i:min(i+n, len(fromTarget))], now)
			}
			if chunk%7 == 0 {
				c.lost(i%2 == 0)
			}
		}
		c.finish()
		total := 0
		for _, l := range c.s.LUNs {
			sum := 0
			for _, v := range l.Opcodes {
				sum += v
			}
			if sum != l.Commands {
				t.Fatalf("LUN %d: opcodes sum %d != commands %d", l.LUN, sum, l.Commands)
			}
			total += l.Commands
		}
		if total != c.commands {
			t.Fatalf("LUN table %d != commands %d", total, c.commands)
		}
	})
}
