package target

import (
	"testing"
)

const testIQN = "iqn.2026-11.test.autoscan:disk1"

// newTestServer starts a server on an ephemeral loopback port with one
// target holding LUNs 0-3 of 64 MiB; it is closed when the test ends.
func newTestServer(t *testing.T, opt TargetOptions) (*Server, *Target) {
	t.Helper()
	s, err := NewServer(Config{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tg, err := s.AddTarget(testIQN, opt)
	if err != nil {
		t.Fatal(err)
	}
	for n := uint16(0); n < 4; n++ {
		if _, err := tg.AddLUN(n, 64<<20); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("target at %s", s.Addr())
	return s, tg
}
