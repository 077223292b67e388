package lab

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMirrorFromSources(t *testing.T) {
	deb822 := "Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\n\n" +
		"Types: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n"
	assert.Equal(t, "http://mirror.example/debian", mirrorFromSources(deb822))
	oneLine := "deb [arch=amd64] https://vendor.example/apt cloud-sdk main\n" +
		"deb http://ftp.example.org/debian bookworm main\n"
	assert.Equal(t, "http://ftp.example.org/debian", mirrorFromSources(oneLine))
	assert.Equal(t, "", mirrorFromSources("deb https://node.example/node_20.x nodistro main\n"))
}

// The root is merged-/usr: /lib, /bin, /sbin, /lib64 are symlinks, and the
// kernel unpacks an overlay directory entry over a symlink by replacing
// it. The overlay must never name them.
func TestDebianOverlayLeavesMergedUsrAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the agent")
	}
	b := BuildOptions{CacheDir: t.TempDir()}
	require.NoError(t, b.fill())
	tree, _, err := debianOverlay(DebianOptions{}, b)
	require.NoError(t, err)
	for name := range tree {
		top := strings.SplitN(name, "/", 2)[0]
		assert.NotContains(t, []string{"lib", "lib64", "bin", "sbin", "usr"}, top, "overlay member %s", name)
	}
	for _, want := range []string{"init", "lab/labagent", "lab/osbrick.py", "etc/inittab",
		"etc/multipath.conf", "etc/iscsi/iscsid.conf", "stock/sbin/iscsiadm",
		"etc/systemd/system/multi-user.target.wants/labagent.service"} {
		assert.Contains(t, tree, want)
	}
}
