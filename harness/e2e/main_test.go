//go:build e2e

// Package e2e is the scenario matrix: the Linux kernel initiator in a qemu
// guest (stock open-iscsi and the project's) against targets on the
// host, each scenario asserting the guest's SCSI device list and the audit
// of the captured traffic. One guest boot serves the whole package; every
// scenario leaves the guest as it found it (no sessions, records, devices,
// iscsid).
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"autoscan/harness/lab"
)

var (
	guest      *lab.Guest
	image      *lab.Image
	resultsDir string // <repo>/harness/results: artefacts of failed scenarios
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if err := preflight(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	start := time.Now()
	var err error
	if image, err = lab.Build(lab.BuildOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	built := time.Since(start)
	resultsDir = filepath.Join(filepath.Dir(filepath.Dir(image.Initrd)), "results")
	if d := os.Getenv("E2E_RESULTS_DIR"); d != "" {
		resultsDir = d // a second run at the same time keeps its own console log
	}
	if err := os.MkdirAll(resultsDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	console := filepath.Join(resultsDir, "console.log")
	guest, err = lab.Boot(lab.BootOptions{Image: image, ConsoleLog: console})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	fmt.Printf("e2e: initramfs in %.1f s (cached %v, project binaries %v); guest boot to ready %.1f s\n",
		built.Seconds(), image.Cached, image.Project, guest.BootSeconds)
	code := m.Run()
	shutdownDebian()
	if err := guest.Shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
	}
	fmt.Printf("e2e: whole run %.1f s\n", time.Since(start).Seconds())
	return code
}

// preflight fails loudly (never skips) when the lab cannot run: CI must
// install what is missing.
func preflight() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("needs root (qemu, tcpdump on lo, tgtd)")
	}
	for _, p := range []string{"qemu-system-x86_64", "tcpdump", "tgtd", "tgtadm", "tshark", "modprobe", "cpio"} {
		if _, err := exec.LookPath(p); err != nil {
			return fmt.Errorf("%s not installed", p)
		}
	}
	return nil
}
