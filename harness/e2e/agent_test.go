//go:build e2e

package e2e

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab"
)

// TestLabGuest checks the guest itself: network, both initiators on PATH,
// the agent's operations on the real kernel's sysfs.
func TestLabGuest(t *testing.T) {
	require.NoError(t, guest.SetInitiator("stock"))
	r, err := guest.MustRun("ip -4 addr show eth0; ip route; iscsiadm --version; command -v iscsiadm", time.Minute)
	require.NoError(t, err)
	assert.Contains(t, r.Stdout, lab.GuestAddr+"/24")
	assert.Contains(t, r.Stdout, "default via "+lab.HostAddr)
	assert.Contains(t, r.Stdout, "iscsiadm version 2.1.8")
	assert.Contains(t, r.Stdout, "/stock/sbin/iscsiadm")

	if image.Project {
		require.NoError(t, guest.SetInitiator("project"))
		r, err = guest.MustRun("which iscsiadm iscsid", time.Minute)
		require.NoError(t, err)
		assert.Equal(t, "/project/sbin/iscsiadm\n/project/sbin/iscsid\n", r.Stdout)
		require.NoError(t, guest.SetInitiator("stock"))
	}

	r, err = guest.Run("echo out; echo err >&2; exit 7", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, 7, r.Exit)
	assert.Equal(t, "err\n", r.Stderr)
	r, err = guest.Run("sleep 30", time.Second)
	require.NoError(t, err)
	assert.True(t, r.TimedOut)

	mods, err := guest.ReadFile("/proc/modules")
	require.NoError(t, err)
	for _, m := range []string{"iscsi_tcp", "sd_mod", "scsi_transport_iscsi", "virtio_net"} {
		assert.Contains(t, mods, m+" ")
	}
	require.NoError(t, guest.WriteFile("/tmp/lab-w", "x y"))
	got, err := guest.ReadFile("/tmp/lab-w")
	require.NoError(t, err)
	assert.Equal(t, "x y", got)

	devs, err := guest.SCSIDevices()
	require.NoError(t, err)
	assert.Empty(t, devs, "no SCSI device between scenarios")
	assert.Error(t, guest.Scan(99, "- - -"), "no such SCSI host")

	pid, err := guest.Start("exec sleep 60", "")
	require.NoError(t, err)
	require.NoError(t, guest.Kill(pid, syscall.SIGKILL))
	require.Eventually(t, func() bool {
		r, err := guest.Run("cat /proc/"+strconv.Itoa(pid)+"/stat 2>/dev/null", 10*time.Second)
		return err == nil && r.Stdout == ""
	}, 10*time.Second, 200*time.Millisecond, "killed process gone and reaped")
}
