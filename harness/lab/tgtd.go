package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Tgtd is Debian's tgtd on the host's loopback, a target no one here
// wrote. tgt adds a controller LUN 0 by itself; the backing files are
// sparse. The control port equals the iSCSI port so instances of several
// users never share a management socket.
type Tgtd struct {
	IQN  string
	Port int
	dir  string
	cmd  *exec.Cmd
	done chan error
}

// StartTgtd serves target iqn on 127.0.0.1:port with LUNs 1..luns of
// sizeMB each, open to every initiator.
func StartTgtd(iqn string, port, luns, sizeMB int) (*Tgtd, error) {
	dir, err := os.MkdirTemp("", "lab-tgtd-")
	if err != nil {
		return nil, err
	}
	t := &Tgtd{IQN: iqn, Port: port, dir: dir, done: make(chan error, 1)}
	t.cmd = exec.Command("tgtd", "-f", "-C", strconv.Itoa(port),
		"--iscsi", fmt.Sprintf("portal=127.0.0.1:%d", port))
	logf, err := os.Create(filepath.Join(dir, "tgtd.log"))
	if err != nil {
		return nil, err
	}
	t.cmd.Stdout, t.cmd.Stderr = logf, logf
	if err := t.cmd.Start(); err != nil {
		return nil, fmt.Errorf("lab: tgtd: %v", err)
	}
	logf.Close()
	go func() { t.done <- t.cmd.Wait() }()
	if err := t.setup(luns, sizeMB); err != nil {
		t.Stop()
		return nil, err
	}
	return t, nil
}

func (t *Tgtd) setup(luns, sizeMB int) error {
	if err := t.waitReady(); err != nil {
		return err
	}
	if err := t.adm("--op", "new", "--mode", "target", "--tid", "1", "-T", t.IQN); err != nil {
		return err
	}
	for l := 1; l <= luns; l++ {
		if err := t.AddLUN(l, sizeMB); err != nil {
			return err
		}
	}
	return t.adm("--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL")
}

// AddLUN adds a sparse file-backed LUN at run time.
func (t *Tgtd) AddLUN(lun, sizeMB int) error {
	f := filepath.Join(t.dir, fmt.Sprintf("lun%d.img", lun))
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		return err
	}
	if err := os.Truncate(f, int64(sizeMB)<<20); err != nil {
		return err
	}
	return t.adm("--op", "new", "--mode", "logicalunit", "--tid", "1",
		"--lun", strconv.Itoa(lun), "-b", f)
}

func (t *Tgtd) waitReady() error {
	for i := 0; i < 50; i++ {
		if t.adm("--op", "show", "--mode", "target") == nil {
			return nil
		}
		select {
		case err := <-t.done:
			t.done <- err
			return fmt.Errorf("lab: tgtd exited: %v (port %d busy?)", err, t.Port)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("lab: tgtd management not ready")
}

func (t *Tgtd) adm(args ...string) error {
	_, err := TgtAdm(t.Port, args...)
	return err
}

// TgtAdm runs tgtadm for the iSCSI driver against the lab's tgtd on port
// (its control port) and returns what tgtadm printed.
func TgtAdm(port int, args ...string) (string, error) {
	full := append([]string{"-C", strconv.Itoa(port), "--lld", "iscsi"}, args...)
	out, err := exec.Command("tgtadm", full...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("lab: tgtadm %v: %v %s", args, err, out)
	}
	return string(out), nil
}

// Stop ends tgtd and removes its backing files.
func (t *Tgtd) Stop() {
	if t.cmd.Process != nil {
		_ = t.cmd.Process.Kill()
		<-t.done
	}
	os.RemoveAll(t.dir)
}
