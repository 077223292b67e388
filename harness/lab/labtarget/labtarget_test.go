package labtarget

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lunsSeen asks libiscsi's iscsi-inq (a client no one here wrote) which
// of LUNs 0-5 of the target at 127.0.0.1:port answer an INQUIRY with a
// connected device (a direct login: SendTargets names 10.0.2.2 for the
// emulated target, which the host cannot reach).
func lunsSeen(t *testing.T, tt Target) []string { return lunsSeenAt(t, tt.Port(), tt.IQN()) }

func lunsSeenAt(t *testing.T, port int, iqn string) []string {
	t.Helper()
	var luns []string
	for l := 0; l <= 5; l++ {
		url := fmt.Sprintf("iscsi://127.0.0.1:%d/%s/%d", port, iqn, l)
		out, err := exec.Command("iscsi-inq", url).CombinedOutput()
		if err == nil && !strings.Contains(string(out), "qualifier:3") &&
			!strings.Contains(string(out), "NOT_CONNECTED") {
			luns = append(luns, fmt.Sprint(l))
		}
	}
	return luns
}

func TestStartTargetKinds(t *testing.T) {
	if _, err := exec.LookPath("iscsi-inq"); err != nil {
		t.Fatal("iscsi-inq missing: install libiscsi-bin")
	}
	kinds := []string{KindEmu}
	if os.Geteuid() == 0 {
		kinds = append(kinds, KindTgtd) // tgtd needs root
	}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			tt, err := StartTarget(kind, "iqn.2026-11.lab.autoscan:unit-"+kind, 2)
			require.NoError(t, err)
			defer tt.Stop()
			assert.GreaterOrEqual(t, tt.Port(), 3320)
			assert.LessOrEqual(t, tt.Port(), 3339)
			assert.Equal(t, []string{"0", "1", "2"}, lunsSeen(t, tt))
			require.NoError(t, tt.AddLUN(4))
			assert.Equal(t, []string{"0", "1", "2", "4"}, lunsSeen(t, tt))
			if kind == KindTgtd {
				assert.ErrorIs(t, tt.SendAEN(), ErrNoAEN)
			} else {
				// iscsi-inq may close TCP without a logout, and the
				// target notices only when its reader sees EOF.
				assert.Eventually(t, func() bool { return tt.SendAEN() != nil },
					5*time.Second, 20*time.Millisecond, "no session: nobody to tell")
			}
		})
	}
}

// The emulated target's second portal is a free lab port serving the same
// LUNs.
func TestEmuSecondPortal(t *testing.T) {
	if _, err := exec.LookPath("iscsi-inq"); err != nil {
		t.Fatal("iscsi-inq missing: install libiscsi-bin")
	}
	tt, err := StartTarget(KindEmu, "iqn.2026-11.lab.autoscan:unit-portals", 1)
	require.NoError(t, err)
	defer tt.Stop()
	port, err := tt.(*EmuTarget).AddPortal(2)
	require.NoError(t, err)
	assert.NotEqual(t, tt.Port(), port)
	assert.GreaterOrEqual(t, port, 3320)
	assert.Equal(t, []string{"0", "1"}, lunsSeenAt(t, port, tt.IQN()))
}
