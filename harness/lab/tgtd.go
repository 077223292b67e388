package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// Tgtd is Debian's tgtd on the host's loopback, a target no one here
// wrote. tgt adds a controller LUN 0 by itself; the backing files are
// sparse. The control port equals the iSCSI port so instances of several
// users never share a management socket.
type Tgtd struct {
	IQN     string
	Port    int
	Portals []int // further portals (AddPortal), all on 127.0.0.1
	dir     string
	cmd     *exec.Cmd
	done    chan error
	luns    map[int]int // LUN -> size in MB, for Restart
}

// StartTgtd serves target iqn on 127.0.0.1:port with LUNs 1..luns of
// sizeMB each, open to every initiator.
func StartTgtd(iqn string, port, luns, sizeMB int) (*Tgtd, error) {
	dir, err := os.MkdirTemp("", "lab-tgtd-")
	if err != nil {
		return nil, err
	}
	t := &Tgtd{IQN: iqn, Port: port, dir: dir, luns: map[int]int{}}
	for l := 1; l <= luns; l++ {
		t.luns[l] = sizeMB
	}
	if err := t.start(); err != nil {
		t.Stop()
		return nil, err
	}
	return t, nil
}

// start runs tgtd and sets the target up from t's LUNs (files kept).
func (t *Tgtd) start() error {
	t.done = make(chan error, 1)
	t.cmd = exec.Command("tgtd", "-f", "-C", strconv.Itoa(t.Port),
		"--iscsi", fmt.Sprintf("portal=127.0.0.1:%d", t.Port))
	logf, err := os.OpenFile(filepath.Join(t.dir, "tgtd.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	t.cmd.Stdout, t.cmd.Stderr = logf, logf
	if err := t.cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("lab: tgtd: %w", err)
	}
	logf.Close()
	go func() { t.done <- t.cmd.Wait() }()
	return t.setup()
}

func (t *Tgtd) setup() error {
	if err := t.waitReady(); err != nil {
		return err
	}
	if err := t.adm("--op", "new", "--mode", "target", "--tid", "1", "-T", t.IQN); err != nil {
		return err
	}
	var order []int
	for l := range t.luns {
		order = append(order, l)
	}
	sort.Ints(order)
	for _, l := range order {
		if err := t.newLUN(l); err != nil {
			return err
		}
	}
	for _, p := range t.Portals {
		if err := t.adm("--op", "new", "--mode", "portal", "--param", fmt.Sprintf("portal=127.0.0.1:%d", p)); err != nil {
			return err
		}
	}
	return t.adm("--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL")
}

// AddPortal makes tgtd listen on 127.0.0.1:port too (a second path).
func (t *Tgtd) AddPortal(port int) error {
	if err := t.adm("--op", "new", "--mode", "portal", "--param", fmt.Sprintf("portal=127.0.0.1:%d", port)); err != nil {
		return err
	}
	t.Portals = append(t.Portals, port)
	return nil
}

// Kill stops tgtd abruptly, keeping its backing files: the target is
// unreachable until Restart.
func (t *Tgtd) Kill() {
	if t.cmd != nil && t.cmd.Process != nil {
		_ = t.cmd.Process.Kill()
		<-t.done
		t.cmd = nil
	}
}

// Restart brings a killed tgtd back with the same target, LUNs (same
// files, same data) and portals; CHAP accounts are not kept.
func (t *Tgtd) Restart() error {
	t.Kill()
	return t.start()
}

// ResizeLUN grows LUN lun's file to sizeMB and has tgt take the new size
// by deleting and re-adding the logical unit (same file, same identity).
func (t *Tgtd) ResizeLUN(lun, sizeMB int) error {
	if err := os.Truncate(t.lunFile(lun), int64(sizeMB)<<20); err != nil {
		return err
	}
	t.luns[lun] = sizeMB
	if err := t.adm("--op", "delete", "--mode", "logicalunit", "--tid", "1", "--lun", strconv.Itoa(lun)); err != nil {
		return err
	}
	return t.adm("--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", strconv.Itoa(lun), "-b", t.lunFile(lun))
}

func (t *Tgtd) lunFile(lun int) string { return filepath.Join(t.dir, fmt.Sprintf("lun%d.img", lun)) }

// AddLUN adds a sparse file-backed LUN at run time.
func (t *Tgtd) AddLUN(lun, sizeMB int) error {
	t.luns[lun] = sizeMB
	return t.newLUN(lun)
}

// newLUN creates the backing file when missing and adds the LU.
func (t *Tgtd) newLUN(lun int) error {
	f := t.lunFile(lun)
	if _, err := os.Stat(f); err != nil {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			return err
		}
	}
	if err := os.Truncate(f, int64(t.luns[lun])<<20); err != nil {
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
			return fmt.Errorf("lab: tgtd exited: %w (port %d busy?)", err, t.Port)
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
		return string(out), fmt.Errorf("lab: tgtadm %v: %w %s", args, err, out)
	}
	return string(out), nil
}

// Stop ends tgtd and removes its backing files.
func (t *Tgtd) Stop() {
	t.Kill()
	os.RemoveAll(t.dir)
}
