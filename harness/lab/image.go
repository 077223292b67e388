package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// BuildOptions selects what goes into the guest image. Zero values mean:
// newest installed kernel, repository found from the working directory,
// cache in <repo>/harness/.labcache, project binaries when they are built.
type BuildOptions struct {
	KernelVersion string
	RepoRoot      string
	CacheDir      string
	NoProject     bool              // leave usr/iscsid + usr/iscsiadm out
	Extra         map[string]string // guest path -> host file, added as-is
}

// Image is a bootable kernel + initramfs pair.
type Image struct {
	Kernel  string
	Initrd  string
	Key     string // hash of everything in the initramfs
	Version string
	Project bool // /project/sbin holds the project's binaries
	Cached  bool // the initramfs came from the cache
	// Init is the first program (rdinit=), /sbin/init when empty;
	// MemoryMB the guest memory this image needs, 512 when zero.
	Init     string
	MemoryMB int
	// Disk is a root disk image (BuildDebianDisk), opened with
	// snapshot=on; the guest then reboots instead of stopping qemu.
	Disk string
}

// fsEntry is one initramfs member; exactly one of src/data/link is used
// (none for a directory).
type fsEntry struct {
	mode uint32 // permission bits; dir when isDir
	dir  bool
	src  string
	data []byte
	link string
}

type fsTree map[string]*fsEntry

func (t fsTree) addDir(p string) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	for p != "" && p != "." {
		if _, ok := t[p]; !ok {
			t[p] = &fsEntry{mode: 0o755, dir: true}
		}
		p = path.Dir(p)
	}
}

func (t fsTree) addFile(p string, mode uint32, src string) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	t.addDir(path.Dir(p))
	t[p] = &fsEntry{mode: mode, src: src}
}

func (t fsTree) addData(p string, mode uint32, data string) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	t.addDir(path.Dir(p))
	t[p] = &fsEntry{mode: mode, data: []byte(data)}
}

func (t fsTree) addLink(p, target string) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	t.addDir(path.Dir(p))
	if _, ok := t[p]; !ok {
		t[p] = &fsEntry{link: target}
	}
}

// addBinary copies a host program with the libraries it needs; the
// libraries go to the paths ldd printed so the loader finds them.
func (t fsTree) addBinary(guest, host string) error {
	t.addFile(guest, 0o755, host)
	libs, err := sharedLibs(host)
	if err != nil {
		return err
	}
	for _, l := range libs {
		t.addFile(l, 0o755, l)
	}
	return nil
}

// Build assembles the initramfs, or reuses the cached one with the same
// content hash.
func Build(o BuildOptions) (*Image, error) {
	if err := o.fill(); err != nil {
		return nil, err
	}
	tree, project, err := assemble(o)
	if err != nil {
		return nil, err
	}
	names := tree.sorted()
	key, err := tree.hash(names)
	if err != nil {
		return nil, err
	}
	img := &Image{
		Kernel: "/boot/vmlinuz-" + o.KernelVersion,
		Initrd: filepath.Join(o.CacheDir, "initrd-"+key[:16]+".cpio"),
		Key:    key, Version: o.KernelVersion, Project: project,
	}
	if _, err := os.Stat(img.Initrd); err == nil {
		img.Cached = true
		now := time.Now()
		_ = os.Chtimes(img.Initrd, now, now) // most recently used survives pruning
		return img, nil
	}
	if err := tree.write(names, img.Initrd); err != nil {
		return nil, err
	}
	pruneCache(o.CacheDir, keepInitrds)
	return img, nil
}

// keepInitrds is how many initramfs files the cache keeps (each ~30 MB).
const keepInitrds = 3

// pruneCache removes all but the keep most recently used initramfs files
// and console logs older than a day.
func pruneCache(dir string, keep int) {
	keepNewest(filepath.Join(dir, "initrd-*.cpio"), keep)
	logs, _ := filepath.Glob(filepath.Join(dir, "console-*.log"))
	for _, f := range logs {
		if time.Since(mtime(f)) > 24*time.Hour {
			os.Remove(f)
		}
	}
}

func mtime(p string) time.Time {
	st, err := os.Stat(p)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

func (o *BuildOptions) fill() error {
	var err error
	if o.KernelVersion == "" {
		if o.KernelVersion, err = kernelVersion(); err != nil {
			return err
		}
	}
	if o.RepoRoot == "" {
		if o.RepoRoot, err = repoRoot(); err != nil {
			return err
		}
	}
	if o.CacheDir == "" {
		o.CacheDir = os.Getenv("LAB_CACHE_DIR") // a cache shared between trees
	}
	if o.CacheDir == "" {
		o.CacheDir = filepath.Join(o.RepoRoot, "harness", ".labcache")
	}
	return os.MkdirAll(o.CacheDir, 0o755)
}

// assemble lists everything the guest gets.
func assemble(o BuildOptions) (fsTree, bool, error) {
	t := fsTree{}
	for _, d := range []string{"proc", "sys", "dev", "tmp", "root", "run/lock/iscsi",
		"etc/iscsi/nodes", "etc/iscsi/send_targets", "etc/iscsi/ifaces",
		"var/lib", "stock/sbin", "project/sbin"} {
		t.addDir(d)
	}
	t.addLink("var/run", "/run")
	t.addLink("var/lock", "/run/lock")
	if err := addBusybox(t); err != nil {
		return nil, false, err
	}
	if err := addModules(t, o.KernelVersion); err != nil {
		return nil, false, err
	}
	if err := addStock(t); err != nil {
		return nil, false, err
	}
	project, err := addProject(t, o)
	if err != nil {
		return nil, false, err
	}
	agent, err := buildAgent(o)
	if err != nil {
		return nil, false, err
	}
	t.addFile("sbin/labagent", 0o755, agent)
	addConfig(t)
	for g, h := range o.Extra {
		t.addFile(g, 0o755, h)
	}
	return t, project, nil
}

func addBusybox(t fsTree) error {
	bb := "/bin/busybox"
	apps, err := busyboxApplets(bb)
	if err != nil {
		return err
	}
	t.addFile("bin/busybox", 0o755, bb)
	for _, a := range apps {
		t.addLink(a, "/bin/busybox")
	}
	t.addLink("init", "/bin/busybox")
	return nil
}

func addModules(t fsTree, ver string) error {
	mods, err := moduleOrder(ver, guestModules)
	if err != nil {
		return err
	}
	for _, m := range mods {
		t.addFile(m, 0o644, m)
	}
	// modules.dep lets iscsid's libkmod see the modules as known.
	for _, f := range []string{"modules.dep", "modules.dep.bin", "modules.alias.bin",
		"modules.builtin", "modules.builtin.bin", "modules.softdep", "modules.symbols.bin"} {
		p := filepath.Join("/lib/modules", ver, f)
		if _, err := os.Stat(p); err == nil {
			t.addFile(p, 0o644, p)
		}
	}
	t.addData("etc/lab/modules", 0o644, strings.Join(mods, "\n")+"\n")
	return nil
}

func addStock(t fsTree) error {
	for _, n := range []string{"iscsid", "iscsiadm"} {
		p, err := findStock(n)
		if err != nil {
			return err
		}
		if err := t.addBinary("stock/sbin/"+n, p); err != nil {
			return err
		}
	}
	return nil
}

// addProject adds usr/iscsid and usr/iscsiadm when both are built.
func addProject(t fsTree, o BuildOptions) (bool, error) {
	if o.NoProject {
		return false, nil
	}
	for _, n := range []string{"iscsid", "iscsiadm"} {
		if _, err := os.Stat(filepath.Join(o.RepoRoot, "usr", n)); err != nil {
			return false, nil
		}
	}
	for _, n := range []string{"iscsid", "iscsiadm"} {
		if err := t.addBinary("project/sbin/"+n, filepath.Join(o.RepoRoot, "usr", n)); err != nil {
			return false, err
		}
	}
	return true, nil
}

// buildAgent compiles cmd/labagent statically into the cache directory.
func buildAgent(o BuildOptions) (string, error) {
	out := filepath.Join(o.CacheDir, "labagent")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./cmd/labagent")
	cmd.Dir = filepath.Join(o.RepoRoot, "harness")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("lab: building labagent: %w\n%s", err, b)
	}
	return out, nil
}

// sorted returns member names with every directory before its contents.
func (t fsTree) sorted() []string {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (t fsTree) hash(names []string) (string, error) {
	h := sha256.New()
	for _, n := range names {
		e := t[n]
		fmt.Fprintf(h, "%s\x00%o\x00%v\x00%s\x00", n, e.mode, e.dir, e.link)
		h.Write(e.data)
		if e.src != "" {
			f, err := os.Open(e.src)
			if err != nil {
				return "", err
			}
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// write produces the archive under a temporary name, then renames it so a
// half-written file is never taken from the cache.
func (t fsTree) write(names []string, dst string) error {
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := t.writeTo(names, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

func (t fsTree) writeTo(names []string, w io.Writer) error {
	cw := newCpioWriter(w)
	for _, n := range names {
		e := t[n]
		var err error
		switch {
		case e.dir:
			err = cw.Dir(n, e.mode)
		case e.link != "":
			err = cw.Symlink(n, e.link)
		case e.src != "":
			var b []byte
			if b, err = os.ReadFile(e.src); err == nil {
				err = cw.File(n, e.mode, b)
			}
		default:
			err = cw.File(n, e.mode, e.data)
		}
		if err != nil {
			return fmt.Errorf("lab: initramfs member %s: %w", n, err)
		}
	}
	return cw.Close()
}
