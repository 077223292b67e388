package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// The Debian lab root: a Debian 12 system made with debootstrap from
// Debian's own packages (os-brick, multipathd, udev, stock open-iscsi),
// packed as one newc cpio that boots as the initramfs. It is the part that
// changes rarely and is slow to make, so it is cached by content hash; the
// agent, the project's binaries and the lab's configuration are laid over it
// at each boot (debboot.go) and never baked in.

// debRootBuilder names the recipe below; bump it when the recipe changes so
// cached roots made by an older recipe are not taken.
const debRootBuilder = "debroot-3"

// DebRootPackages are installed over debootstrap's minbase. systemd is
// there so the same root also boots with systemd as PID 1.
var DebRootPackages = []string{
	"python3-os-brick", "open-iscsi", "multipath-tools", "sg3-utils", "udev",
	"kmod", "iproute2", "procps", "util-linux", "systemd", "systemd-sysv",
	"busybox", "e2fsprogs", "psmisc", "lsscsi", // os-brick's extend_volume runs lsscsi
}

// debRootModules are loaded at boot (with their dependencies): the iSCSI
// initiator, disks, device-mapper multipath and its path selectors.
var debRootModules = []string{
	"virtio_pci", "virtio_net", "iscsi_tcp", "sd_mod", "sg", "crc32c_generic", "ext4",
	"dm_multipath", "dm_round_robin", "dm_service_time", "dm_queue_length",
	"scsi_dh_alua", "scsi_dh_emc", "scsi_dh_rdac",
}

// DebRootOptions: zero values mean bookworm from the machine's own apt
// mirror, newest installed kernel, cache from LAB_CACHE_DIR or
// <repo>/harness/.labcache.
type DebRootOptions struct {
	Suite         string
	Mirror        string
	KernelVersion string
	RepoRoot      string
	CacheDir      string
	Log           io.Writer // build progress; os.Stderr when nil
}

// DebRoot is a cached Debian root archive for one kernel.
type DebRoot struct {
	Archive string // uncompressed newc cpio of the whole root
	Kernel  string
	Version string
	Key     string
	Cached  bool
	Seconds float64 // build time (0 when cached)
}

// BuildDebRoot returns the cached root with the same inputs or builds it.
// Builders in other processes sharing the cache wait on a lock instead of
// building the same root twice.
func BuildDebRoot(o DebRootOptions) (*DebRoot, error) {
	if err := o.fill(); err != nil {
		return nil, err
	}
	mods, err := moduleOrder(o.KernelVersion, debRootModules)
	if err != nil {
		return nil, err
	}
	key := o.key(mods)
	r := &DebRoot{Archive: filepath.Join(o.CacheDir, "debroot-"+key[:16]+".cpio"),
		Kernel: "/boot/vmlinuz-" + o.KernelVersion, Version: o.KernelVersion, Key: key}
	unlock, err := lockFile(filepath.Join(o.CacheDir, "debroot.lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := os.Stat(r.Archive); err == nil {
		r.Cached = true
		now := time.Now()
		_ = os.Chtimes(r.Archive, now, now)
		return r, nil
	}
	start := time.Now()
	if err := o.build(mods, r.Archive); err != nil {
		return nil, err
	}
	r.Seconds = time.Since(start).Seconds()
	keepNewest(filepath.Join(o.CacheDir, "debroot-*.cpio"), 2) // a few hundred MB each
	return r, nil
}

func (o *DebRootOptions) fill() error {
	b := BuildOptions{KernelVersion: o.KernelVersion, RepoRoot: o.RepoRoot, CacheDir: o.CacheDir}
	if err := b.fill(); err != nil {
		return err
	}
	o.KernelVersion, o.RepoRoot, o.CacheDir = b.KernelVersion, b.RepoRoot, b.CacheDir
	if o.Suite == "" {
		o.Suite = "bookworm"
	}
	if o.Mirror == "" {
		if o.Mirror = aptMirror(); o.Mirror == "" {
			return fmt.Errorf("lab: no Debian archive in /etc/apt/sources.list(.d); set DebRootOptions.Mirror")
		}
	}
	if o.Log == nil {
		o.Log = os.Stderr
	}
	return nil
}

// key hashes every input: recipe, suite, mirror, packages with the versions
// the machine's apt would pick today, kernel and module files.
func (o *DebRootOptions) key(mods []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", debRootBuilder, o.Suite, o.Mirror, o.KernelVersion)
	pkgs := append([]string(nil), DebRootPackages...)
	sort.Strings(pkgs)
	for _, p := range pkgs {
		fmt.Fprintf(h, "%s=%s\x00", p, candidateVersion(p))
	}
	for _, m := range mods {
		fmt.Fprintf(h, "%s\x00", m)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// candidateVersion is what apt-cache policy says apt would install; the
// host and the root use the same mirror, so a mirror update changes it.
func candidateVersion(pkg string) string {
	out, _ := exec.Command("apt-cache", "policy", pkg).Output()
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "Candidate:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// aptMirror reads the Debian mirror from the machine's apt sources (deb822
// or one-line format); "" when none is configured.
func aptMirror() string {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	files = append([]string{"/etc/apt/sources.list"}, files...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if m := mirrorFromSources(string(b)); m != "" {
			return m
		}
	}
	return ""
}

// mirrorFromSources picks the first URI serving the main Debian archive
// (not -security, not a third-party repository).
func mirrorFromSources(s string) string {
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		var uris []string
		switch {
		case len(f) >= 2 && f[0] == "URIs:":
			uris = f[1:]
		case len(f) >= 3 && f[0] == "deb":
			for _, w := range f[1:] {
				if strings.Contains(w, "://") {
					uris = []string{w}
					break
				}
			}
		}
		for _, u := range uris {
			if strings.HasSuffix(strings.TrimRight(u, "/"), "/debian") {
				return strings.TrimRight(u, "/")
			}
		}
	}
	return ""
}

// debRootScript builds the root in $ROOT: debootstrap, the packages, the
// kernel modules, cleanup, and the cpio. It runs in a private mount
// namespace so the chroot's /proc never shows on the host.
const debRootScript = `set -eu
T0=$(date +%s)
mkdir -p "$DEBS/partial"
debootstrap --variant=minbase --cache-dir="$DEBS" "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 ||
	{ tail -30 "$ROOT.log"; exit 1; }
echo "debroot: debootstrap done at $(($(date +%s) - T0))s"
# no service starts inside the chroot
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
mount --bind "$DEBS" "$ROOT/var/cache/apt/archives"
export DEBIAN_FRONTEND=noninteractive
chroot "$ROOT" apt-get install -y -q --no-install-recommends $PKGS >>"$ROOT.log" 2>&1 ||
	{ tail -30 "$ROOT.log"; exit 1; }
umount "$ROOT/proc" "$ROOT/var/cache/apt/archives"
echo "debroot: packages done at $(($(date +%s) - T0))s"
rm -f "$ROOT/usr/sbin/policy-rc.d"
chroot "$ROOT" dpkg-query -W -f '${Package}=${Version}\n' > "$ROOT/etc/lab-packages.txt"
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* \
	"$ROOT"/usr/share/doc "$ROOT"/usr/share/man "$ROOT"/usr/share/info "$ROOT"/usr/share/locale
while read -r m; do
	mkdir -p "$ROOT$(dirname "$m")"; cp "$m" "$ROOT$m"
done < "$MODLIST"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -e "/lib/modules/$KVER/$f" ] && cp "/lib/modules/$KVER/$f" "$ROOT/lib/modules/$KVER/"
done
depmod -b "$ROOT" "$KVER"
cd "$ROOT" && find . -xdev -mindepth 1 | sed "s|^\./||" | LC_ALL=C sort | cpio -o -H newc --quiet > "$OUT"
echo "debroot: archive $(du -m "$OUT" | cut -f1) MB at $(($(date +%s) - T0))s"
`

func (o *DebRootOptions) build(mods []string, dst string) error {
	for _, p := range []string{"debootstrap", "chroot", "cpio", "depmod", "unshare"} {
		if _, err := exec.LookPath(p); err != nil {
			return fmt.Errorf("lab: %s not installed (the Debian root needs it)", p)
		}
	}
	work, err := os.MkdirTemp(o.CacheDir, "debroot-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	modList := filepath.Join(work, "modules.txt")
	if err := os.WriteFile(modList, []byte(strings.Join(mods, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	defer os.Remove(tmp)
	cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c", debRootScript)
	cmd.Env = append(os.Environ(), "ROOT="+filepath.Join(work, "root"), "SUITE="+o.Suite,
		"MIRROR="+o.Mirror, "PKGS="+strings.Join(DebRootPackages, " "), "MODLIST="+modList,
		"KVER="+o.KernelVersion, "OUT="+tmp, "DEBS="+filepath.Join(o.CacheDir, "debs"))
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	fmt.Fprintf(o.Log, "debroot: building %s root from %s (a few minutes)\n", o.Suite, o.Mirror)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("lab: building the Debian root: %w", err)
	}
	return os.Rename(tmp, dst)
}

// lockFile takes an exclusive flock, waiting for other holders.
func lockFile(p string) (func(), error) {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// keepNewest removes all but the keep most recently used files matching
// pattern.
func keepNewest(pattern string, keep int) {
	old, _ := filepath.Glob(pattern)
	sort.Slice(old, func(i, j int) bool { return mtime(old[i]).After(mtime(old[j])) })
	for i, f := range old {
		if i >= keep {
			os.Remove(f)
		}
	}
}
