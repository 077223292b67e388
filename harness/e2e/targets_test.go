//go:build e2e

package e2e

import lab "autoscan/harness/lab/labtarget"

// targetUnderTest is a target on the host's loopback that the guest
// reaches at 10.0.2.2:Port() (lab.Target: tgtd or the emulated target).
type targetUnderTest = lab.Target

// Kinds of targets a scenario can run against.
const (
	kindEmu  = lab.KindEmu  // harness/target, in process
	kindTgtd = lab.KindTgtd // Debian's tgtd
)

// startTarget serves iqn with LUNs 0..maxLUN on a free port of 3320-3339.
func startTarget(kind, iqn string, maxLUN int) (targetUnderTest, error) {
	return lab.StartTarget(kind, iqn, maxLUN)
}
