//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFilesystem makes an ext2 filesystem on an emulated-target LUN in the
// guest, writes a file, drops every cache, remounts and reads it back: the
// emulated target's READ/WRITE paths under the real kernel.
// The same on tgtd is the control that proves the test itself.
func TestFilesystem(t *testing.T) {
	for _, kind := range []string{kindEmu, kindTgtd} {
		kind := kind
		t.Run(kind, func(t *testing.T) { filesystemOn(t, kind) })
	}
}

func filesystemOn(t *testing.T, kind string) {
	s := newScenario(t, "stock", kind, 1)
	lun := uint64(0)
	if kind == kindTgtd {
		lun = 1 // tgt's LUN 0 is its controller, not a disk
	}
	s.login("auto")
	s.waitLUNs([]uint64{0, 1}, 60*time.Second)
	dev := s.blockDev(lun)
	script := fmt.Sprintf(`set -e
mke2fs -q %[1]s >/dev/null
mkdir -p /mnt/lab
mount -t ext2 %[1]s /mnt/lab
dd if=/dev/urandom of=/tmp/payload bs=1024 count=3072 2>/dev/null
cp /tmp/payload /mnt/lab/payload
sha256sum /tmp/payload | cut -d' ' -f1
umount /mnt/lab
blockdev --flushbufs %[1]s
echo 3 > /proc/sys/vm/drop_caches
mount -t ext2 -o ro %[1]s /mnt/lab
sha256sum /mnt/lab/payload | cut -d' ' -f1
umount /mnt/lab
rm -f /tmp/payload`, dev)
	r, err := guest.MustRun(script, 2*time.Minute)
	require.NoError(t, err)
	sums := strings.Fields(r.Stdout)
	require.Len(t, sums, 2, "two checksums: %q", r.Stdout)
	require.Equal(t, sums[0], sums[1], "file read back after remount equals what was written")
	a := s.audit()
	require.Positive(t, a.Commands[lun], "I/O went over the wire")
	s.logout()
}
