package lab

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A RAM root ends the run on reboot; a disk root reboots, with the disk's
// writes kept in qemu's snapshot for the life of the process.
func TestQemuArgsRebootOnlyWithADisk(t *testing.T) {
	ram := strings.Join(qemuArgs(BootOptions{Image: &Image{Kernel: "k", Initrd: "i"},
		Init: DebianSystemd}, 5000), " ")
	assert.Contains(t, ram, "-no-reboot")
	assert.Contains(t, ram, "rdinit=/lib/systemd/systemd")
	assert.NotContains(t, ram, "-drive")

	disk := strings.Join(qemuArgs(BootOptions{Image: &Image{Kernel: "k", Initrd: "i", Disk: "/c/d.img"},
		Init: DebianSystemd}, 5000), " ")
	assert.NotContains(t, disk, "-no-reboot")
	assert.Contains(t, disk, "-drive file=/c/d.img,format=raw,if=virtio,snapshot=on")
	assert.Contains(t, disk, "rdinit=/init lab_init=/lib/systemd/systemd")
}

func TestDebDiskInitrdCarriesTheOverlay(t *testing.T) {
	b := BuildOptions{CacheDir: t.TempDir()}
	require.NoError(t, b.fill())
	overlay := fsTree{}
	overlay.addData("etc/lab/net", 0o755, "net")
	overlay.addData("init", 0o755, "the overlay's own init")
	tree, err := debDiskInitrd(overlay, b.KernelVersion)
	require.NoError(t, err)
	assert.Equal(t, debDiskInit, string(tree["init"].data), "/init is the disk mounter, not busybox or the overlay's")
	assert.Equal(t, "net", string(tree["overlay/etc/lab/net"].data))
	assert.Equal(t, "the overlay's own init", string(tree["overlay/init"].data))
	for _, d := range []string{"overlay", "overlay/etc", "newroot", "dev"} {
		require.Contains(t, tree, d)
		assert.True(t, tree[d].dir, d)
	}
	mods := string(tree["etc/lab/modules"].data)
	for _, m := range []string{"/virtio_blk.ko", "/ext4.ko", "/virtio_pci.ko"} {
		assert.Contains(t, mods, m)
	}
	for _, l := range strings.Fields(mods) {
		assert.Contains(t, tree, strings.TrimPrefix(l, "/"), "module file in the initrd")
	}
	assert.Equal(t, "/bin/busybox", tree["sbin/switch_root"].link)
}
