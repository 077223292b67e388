//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stretchr/testify/require"

	"autoscan/harness/lab"
	"autoscan/harness/lab/labtarget"
	"autoscan/harness/target"
)

// Helpers for scenarios with more than one target behind the scenario's
// portal: the emulated server and tgtd both serve several targets on one
// port, so one capture and one audit cover them all, split by target name.

// addSecondTarget serves iqn with LUNs 0..maxLUN next to the scenario's
// target, at the same portal (tgtd: tid 2, LUN 0 is its controller).
func addSecondTarget(s *scenario, iqn string) {
	switch s.kind {
	case kindEmu:
		t, err := emu(s).Server.AddTarget(iqn, target.TargetOptions{})
		require.NoError(s.t, err)
		for l := 0; l <= maxLUN; l++ {
			_, err = t.AddLUN(uint16(l), labtarget.LUNSizeMB<<20)
			require.NoError(s.t, err)
		}
	case kindTgtd:
		require.NoError(s.t, tgtdSecondTarget(s.tgt.Port(), iqn, s.t.TempDir()))
	default:
		s.t.Fatalf("no second target for kind %s", s.kind)
	}
}

func tgtdSecondTarget(port int, iqn, dir string) error {
	adm := func(args ...string) error {
		_, err := lab.TgtAdm(port, args...)
		return err
	}
	if err := adm("--op", "new", "--mode", "target", "--tid", "2", "-T", iqn); err != nil {
		return err
	}
	for l := 1; l <= maxLUN; l++ {
		f := filepath.Join(dir, fmt.Sprintf("t2lun%d.img", l))
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			return err
		}
		if err := os.Truncate(f, int64(labtarget.LUNSizeMB)<<20); err != nil {
			return err
		}
		if err := adm("--op", "new", "--mode", "logicalunit", "--tid", "2",
			"--lun", strconv.Itoa(l), "-b", f); err != nil {
			return err
		}
	}
	return adm("--op", "bind", "--mode", "target", "--tid", "2", "-I", "ALL")
}

// sessionHosts maps each logged-in target name to its SCSI host number.
func sessionHosts(s *scenario) map[string]int {
	r, err := guest.MustRun(`for d in /sys/class/iscsi_session/session*; do
	[ -e "$d" ] || continue
	echo "$(cat $d/targetname) $(readlink -f $d | grep -o '/host[0-9]*/' | tr -dc 0-9)"
done`, 10*time.Second)
	require.NoError(s.t, err)
	hosts := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		h, err := strconv.Atoi(f[1])
		require.NoError(s.t, err, "host of %q", line)
		hosts[f[0]] = h
	}
	return hosts
}

// auditTarget is the audit of the sessions to one target name only.
func auditTarget(s *scenario, iqn string) auditReport {
	time.Sleep(300 * time.Millisecond) // tcpdump -U writes per packet
	require.False(s.t, s.capt.IsTruncated(), "capture passed %d MB: runaway traffic", lab.CaptureLimit>>20)
	r, err := auditPcap(s.pcap, s.tgt.Port(), iqn)
	require.NoError(s.t, err)
	s.t.Logf("audit of %s: %s", iqn, r)
	return r
}

// emuCHAPTarget adds a target with CHAP (set at creation on the emulated
// target) and LUN 0 to the scenario's emulated server.
func emuCHAPTarget(s *scenario, iqn string, cfg target.CHAPConfig) string {
	t, err := emu(s).Server.AddTarget(iqn, target.TargetOptions{CHAP: &cfg})
	require.NoError(s.t, err)
	_, err = t.AddLUN(0, labtarget.LUNSizeMB<<20)
	require.NoError(s.t, err)
	return t.Name()
}

// logoutOf logs out of the session to iqn at the scenario's portal.
func logoutOf(s *scenario, iqn string) {
	_, err := guest.MustRun(s.nodeOf(iqn)+" -u", 60*time.Second)
	require.NoError(s.t, err, "logout of %s", iqn)
}

// targetsInSysfs lists the target names of the guest's iSCSI sessions.
func targetsInSysfs(s *scenario) []string {
	var names []string
	for n := range sessionHosts(s) {
		names = append(names, n)
	}
	return names
}
