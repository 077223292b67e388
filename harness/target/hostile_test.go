package target

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/iscsi"
)

// Every mode has a name that parses back, and the byte rewrites change
// exactly the fields they name.
func TestHostileModesExtra(t *testing.T) {
	modes := HostileModes()
	require.GreaterOrEqual(t, len(modes), 30)
	for _, h := range modes {
		got, err := ParseHostile(h.String())
		require.NoError(t, err)
		assert.Equal(t, h, got)
	}
	din := func() []byte {
		b := make([]byte, iscsi.BHSLen)
		b[0] = byte(iscsi.OpDataIn)
		binary.BigEndian.PutUint32(b[16:], 7)
		binary.BigEndian.PutUint32(b[24:], 100)
		binary.BigEndian.PutUint32(b[28:], 50)
		binary.BigEndian.PutUint32(b[32:], 113)
		return b
	}
	b := din()
	rewriteFFP(HostileDataInBeyond, b)
	assert.Equal(t, uint32(1<<20), binary.BigEndian.Uint32(b[40:]))
	b = din()
	rewriteFFP(HostileWindowClosed, b)
	assert.Equal(t, uint32(49), binary.BigEndian.Uint32(b[32:]))
	b = din()
	rewriteFFP(HostileStatSNWrap, b)
	assert.Equal(t, uint32(100-16), binary.BigEndian.Uint32(b[24:]))
	b = din()
	rewriteFFP(HostileUnknownITT, b)
	assert.NotEqual(t, uint32(7), binary.BigEndian.Uint32(b[16:]))
	assert.True(t, HostileLoginTrickle.LoginPhase())
	assert.True(t, HostileSTFlood.Discovery())
	assert.Len(t, hostileTargets(HostileSTManyPortals, "10.0.2.2:3260,1"), 10000)
}
