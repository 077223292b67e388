package lab

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildImage builds a real initramfs (no qemu needed), lists it with
// the system's cpio and checks what the guest relies on; a second Build
// must come from the cache with the same key.
func TestBuildImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 30 MB initramfs")
	}
	dir := t.TempDir()
	img, err := Build(BuildOptions{CacheDir: dir, NoProject: true})
	require.NoError(t, err, "needs linux-image-amd64, busybox-static, open-iscsi, kmod (.ci/deps.sh)")
	assert.False(t, img.Cached)
	assert.False(t, img.Project)
	f, err := os.Open(img.Initrd)
	require.NoError(t, err)
	defer f.Close()
	cmd := exec.Command("cpio", "-t", "-v", "--quiet")
	cmd.Stdin = f
	out, err := cmd.Output()
	require.NoError(t, err)
	listing := map[string]string{} // name -> ls -l style line
	for _, l := range strings.Split(string(out), "\n") {
		if fs := strings.Fields(l); len(fs) >= 9 {
			listing[fs[8]] = l
		}
	}
	for _, want := range []string{"init", "sbin/init", "sbin/labagent", "bin/busybox",
		"stock/sbin/iscsid", "stock/sbin/iscsiadm", "etc/inittab", "etc/lab/rc",
		"etc/iscsi/iscsid.conf", "etc/iscsi/initiatorname.iscsi", "run/lock/iscsi",
		"etc/iscsi/nodes", "etc/iscsi/send_targets", "etc/iscsi/ifaces", "etc/passwd",
		"lib64/ld-linux-x86-64.so.2", "sbin/mke2fs", "usr/bin/lsscsi"} {
		_, ok := listing[want]
		assert.True(t, ok, "%s in the initramfs", want)
	}
	assert.True(t, strings.HasPrefix(listing["bin/busybox"], "-"), "busybox is a file, never a self-link")
	assert.True(t, strings.HasPrefix(listing["sbin/init"], "l"), "applets are links")
	mods := 0
	for name := range listing {
		if strings.HasSuffix(name, "/iscsi_tcp.ko") || strings.HasSuffix(name, "/sd_mod.ko") {
			mods++
		}
	}
	assert.Equal(t, 2, mods, "iscsi_tcp and sd_mod are in the image")
	again, err := Build(BuildOptions{CacheDir: dir, NoProject: true})
	require.NoError(t, err)
	assert.True(t, again.Cached)
	assert.Equal(t, img.Key, again.Key)
}
