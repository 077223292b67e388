package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// A Debian guest whose root survives a reboot. The cached root archive
// (debroot.go) is unpacked into an ext4 image with mke2fs -d (no loop
// mount), cached by the root's key. qemu opens it with snapshot=on: the run
// writes to a temporary overlay that qemu drops when it exits, so a reboot
// inside one run keeps everything and the cached image never changes.
// The kernel boots a small initrd that loads the disk and ext4 modules,
// mounts /dev/vda, lays the run's overlay (debboot.go: agent, lab
// configuration, Extra files) onto it at the run's first boot only, and
// switch_roots to $lab_init (systemd by default).

// debDiskBuilder names the recipe below; bump it when it changes.
const debDiskBuilder = "debdisk-1"

// debDiskSize is the image's apparent size; it is sparse, the root fills
// about 500 MB of it and package installs need some room.
const debDiskSize = "3G"

// debDiskModules are what the initrd needs to mount the root disk.
var debDiskModules = []string{"virtio_pci", "virtio_blk", "crc32c_generic", "ext4"}

// debDiskInit is the initrd's /init. The kernel hands unknown name=value
// parameters to init as environment: lab_init comes from the command line.
const debDiskInit = `#!/bin/sh
export PATH=/bin:/sbin
fail() { echo "lab-init: $*"; poweroff -f; }
mount -t devtmpfs devtmpfs /dev
# crc32c-intel needs SSE4.2, which TCG may not offer: crc32c_generic stands in
while read -r m; do insmod "$m" 2>/dev/null || echo "lab-init: insmod ${m##*/} failed"; done < /etc/lab/modules
i=0
while [ ! -b /dev/vda ]; do
	i=$((i + 1)); [ $i -gt 300 ] && fail "no /dev/vda"
	sleep 0.1
done
mkdir -p /newroot
mount -t ext4 /dev/vda /newroot || fail "cannot mount /dev/vda"
# the first boot of a run gets the run's overlay; a reboot keeps what the
# guest made of it
if [ ! -e /newroot/etc/lab/overlay-applied ]; then
	cp -a /overlay/. /newroot/ || fail "cannot copy the overlay"
	: > /newroot/etc/lab/overlay-applied
fi
umount /dev
exec switch_root /newroot "${lab_init:-/lib/systemd/systemd}"
`

// BuildDebianDisk is BuildDebian for a guest that reboots: Image.Disk is
// the cached root image, Image.Initrd a per-run initrd holding the overlay
// (Remove deletes it). Boot then lets qemu restart the guest on reboot.
func BuildDebianDisk(o DebianOptions) (*Image, *DebRoot, error) {
	root, ro, overlay, project, err := debianBase(o)
	if err != nil {
		return nil, nil, err
	}
	disk, err := buildDebDisk(root, ro.CacheDir, ro.Log)
	if err != nil {
		return nil, nil, err
	}
	// the journal persists, so a test can read the previous boot's
	overlay.addDir("var/log/journal")
	t, err := debDiskInitrd(overlay, ro.KernelVersion)
	if err != nil {
		return nil, nil, err
	}
	f, err := newDebianInitrd(ro.CacheDir)
	if err != nil {
		return nil, nil, err
	}
	img := &Image{Kernel: root.Kernel, Initrd: f.Name(), Disk: disk, Key: root.Key,
		Version: root.Version, Project: project, Cached: root.Cached, Init: DebianSystemd,
		MemoryMB: 2048}
	err = t.writeTo(t.sorted(), f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, nil, err
	}
	return img, root, nil
}

// debDiskInitrd is busybox, the modules that mount the disk, /init, and
// the overlay under /overlay.
func debDiskInitrd(overlay fsTree, kver string) (fsTree, error) {
	t := fsTree{}
	if err := addBusybox(t); err != nil {
		return nil, err
	}
	mods, err := moduleOrder(kver, debDiskModules)
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		t.addFile(m, 0o644, m)
	}
	t.addData("etc/lab/modules", 0o644, strings.Join(mods, "\n")+"\n")
	t.addData("init", 0o755, debDiskInit) // replaces busybox's init link
	for _, d := range []string{"dev", "proc", "sys", "newroot", "overlay"} {
		t.addDir(d)
	}
	for name, e := range overlay {
		t["overlay/"+name] = e
	}
	return t, nil
}

// buildDebDisk returns the cached ext4 image of root or makes it: the
// archive unpacked into a scratch directory, then mke2fs -d.
func buildDebDisk(root *DebRoot, cacheDir string, log io.Writer) (string, error) {
	h := sha256.Sum256([]byte(debDiskBuilder + "\x00" + root.Key))
	img := filepath.Join(cacheDir, "debdisk-"+hex.EncodeToString(h[:])[:16]+".img")
	unlock, err := lockFile(filepath.Join(cacheDir, "debdisk.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(img); err == nil {
		now := time.Now()
		_ = os.Chtimes(img, now, now)
		return img, nil
	}
	for _, p := range []string{"mke2fs", "cpio"} {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("lab: %s not installed (the Debian disk needs it)", p)
		}
	}
	work, err := os.MkdirTemp(cacheDir, "debdisk-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	tmp := fmt.Sprintf("%s.%d.tmp", img, os.Getpid())
	defer os.Remove(tmp)
	start := time.Now()
	tree := filepath.Join(work, "root")
	cmd := exec.Command("sh", "-c", `set -e
mkdir "$TREE" && cd "$TREE"
cpio -id --quiet --no-absolute-filenames -H newc < "$ARCHIVE"
mke2fs -q -F -t ext4 -L labroot -d "$TREE" "$OUT" "$SIZE"`)
	cmd.Env = append(os.Environ(), "TREE="+tree, "ARCHIVE="+root.Archive, "OUT="+tmp,
		"SIZE="+debDiskSize)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("lab: making the Debian disk image: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, img); err != nil {
		return "", err
	}
	fmt.Fprintf(log, "debdisk: %s from %s in %.0f s\n", filepath.Base(img),
		filepath.Base(root.Archive), time.Since(start).Seconds())
	keepNewest(filepath.Join(cacheDir, "debdisk-*.img"), 2) // a qemu still reading a removed one keeps its file
	return img, nil
}
