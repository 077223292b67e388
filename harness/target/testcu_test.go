package target

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// linuxSuites are the iscsi-test-cu suites covering what a Linux host
// sends while scanning, attaching and doing I/O; each must pass entirely.
var linuxSuites = []string{
	"SCSI.TestUnitReady", "SCSI.Inquiry", "SCSI.ReadCapacity10", "SCSI.ReadCapacity16",
	"SCSI.Read6", "SCSI.Read10", "SCSI.Read12", "SCSI.Read16",
	"SCSI.Write10", "SCSI.Write12", "SCSI.Write16", "SCSI.ModeSense6",
	"iSCSI.iSCSIResiduals", "iSCSI.iSCSIdatasn", "iSCSI.iSCSITMF", "iSCSI.iSCSIcmdsn",
}

var cuSummary = regexp.MustCompile(`(?m)^\s*Run Summary.*\n(?:.*\n)*?\s*tests\s+\d+\s+\d+\s+(\d+)\s+(\d+)`)

// TestPeerIscsiTestCU runs libiscsi's conformance suites against LUN 1.
// ISCSI_TEST_CU_SUITES (comma separated) overrides the list to explore.
func TestPeerIscsiTestCU(t *testing.T) {
	path, err := exec.LookPath("iscsi-test-cu")
	if err != nil {
		t.Fatalf("iscsi-test-cu not installed (apt-get install libiscsi-bin): %v", err)
	}
	suites := linuxSuites
	if env := os.Getenv("ISCSI_TEST_CU_SUITES"); env != "" {
		suites = strings.Split(env, ",")
	}
	s, _ := newTestServer(t, TargetOptions{})
	url := "iscsi://" + s.Addr() + "/" + testIQN + "/1"
	for _, suite := range suites {
		t.Run(suite, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			out, _ := exec.CommandContext(ctx, path, "-d", "-n", "-t", suite, url).CombinedOutput()
			m := cuSummary.FindStringSubmatch(string(out))
			if m == nil {
				t.Fatalf("no run summary:\n%s", out)
			}
			if m[1] == "0" || m[2] != "0" {
				t.Errorf("%s: %s passed, %s failed\n%s", suite, m[1], m[2], out)
			}
		})
	}
}
