package lab

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCpioRoundTrip unpacks our archive with the system's cpio, a reader we
// did not write, when it is installed.
func TestCpioRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := newCpioWriter(&buf)
	must(t, w.Dir("etc", 0o755))
	must(t, w.File("etc/hello", 0o644, []byte("hi there\n")))
	must(t, w.File("odd", 0o755, []byte("x")))
	must(t, w.Symlink("link", "etc/hello"))
	must(t, w.Close())
	if buf.Len()%4 != 0 {
		t.Fatalf("archive length %d not 4-aligned", buf.Len())
	}
	if _, err := exec.LookPath("cpio"); err != nil {
		t.Fatal("cpio not installed (.ci/deps.sh installs it)")
	}
	dir := t.TempDir()
	cmd := exec.Command("cpio", "-id", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cpio: %v %s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "link"))
	if err != nil || string(b) != "hi there\n" {
		t.Fatalf("link read %q %v", b, err)
	}
	st, err := os.Stat(filepath.Join(dir, "odd"))
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("odd mode %v %v", st, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
