package target

import (
	"os/exec"
	"strings"
	"testing"
)

// runPeer runs a libiscsi tool (Debian libiscsi-bin); missing tools fail
// the test, CI installs the package.
func runPeer(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not installed (apt-get install libiscsi-bin): %v", name, err)
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func TestPeerIscsiLs(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	out := runPeer(t, "iscsi-ls", "-s", "iscsi://"+s.Addr())
	t.Log(out)
	if !strings.Contains(out, testIQN) {
		t.Fatalf("target not listed")
	}
	for _, l := range []string{"Lun:0", "Lun:1", "Lun:2", "Lun:3"} {
		if !strings.Contains(out, l) {
			t.Errorf("%s not listed", l)
		}
	}
}

func TestPeerIscsiInq(t *testing.T) {
	s, tg := newTestServer(t, TargetOptions{})
	url := "iscsi://" + s.Addr() + "/" + testIQN + "/2"
	out := runPeer(t, "iscsi-inq", url)
	t.Log(out)
	if !strings.Contains(out, "AUTOSCAN") || !strings.Contains(out, "EMULATED DISK") {
		t.Errorf("standard INQUIRY not shown")
	}
	out = runPeer(t, "iscsi-inq", "-e", "1", "-c", "128", url)
	if serial := tg.LUN(2).Serial(); !strings.Contains(out, serial) || len(serial) != 18 {
		t.Errorf("unit serial of LUN 2 missing:\n%s", out)
	}
}
