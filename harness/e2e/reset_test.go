//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestResetAfterIscsidDied: a scenario that kills iscsid with a session up
// (restart and recovery rows do) must still leave a clean guest behind.
func TestResetAfterIscsidDied(t *testing.T) {
	s := newScenario(t, "stock", kindEmu, 1)
	s.login("manual")
	_, err := guest.MustRun("killall -9 iscsid; sleep 0.5; ! pidof iscsid", 30*time.Second)
	require.NoError(t, err)
	r, err := guest.MustRun("ls /sys/class/iscsi_session", 10*time.Second)
	require.NoError(t, err)
	require.NotEmpty(t, r.Stdout, "the kernel session outlives iscsid")
	require.NoError(t, resetGuest(), "reset cleans up a session whose iscsid died")
}
