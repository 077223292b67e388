package target

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One target on two portals in two portal groups: SendTargets on either
// portal names both with their tags, each login answers its portal's tag,
// and both paths reach the same LU.
func TestTwoPortalsSendTargetsAndTPGT(t *testing.T) {
	s, err := NewServer(Config{Portal: "10.0.2.2:3310", Logf: t.Logf})
	require.NoError(t, err)
	defer s.Close()
	addr2, err := s.AddPortal(PortalConfig{Advertise: "10.0.2.2:3311", TPGT: 2})
	require.NoError(t, err)
	require.NotEqual(t, s.Addr(), addr2)
	for _, n := range []string{"iqn.2026-11.test:b", "iqn.2026-11.test:a"} {
		tg, err := s.AddTarget(n, TargetOptions{})
		require.NoError(t, err)
		_, err = tg.AddLUN(1, 1<<20)
		require.NoError(t, err)
	}
	want := pairs("TargetName", "iqn.2026-11.test:a", "TargetAddress", "10.0.2.2:3310,1", "TargetAddress", "10.0.2.2:3311,2",
		"TargetName", "iqn.2026-11.test:b", "TargetAddress", "10.0.2.2:3310,1", "TargetAddress", "10.0.2.2:3311,2")
	for _, addr := range []string{s.Addr(), addr2} {
		c := dialInit(t, addr)
		r := c.loginPDU(0, 3, true, pairs("InitiatorName", "iqn.x", "SessionType", "Discovery", "AuthMethod", "None"))
		require.Zero(t, loginStatus(r), "discovery login on %s", addr)
		assert.Equal(t, want, c.sendTargetsAll(), "SendTargets=All on %s", addr)
	}

	data := pattern(4096, 7)
	for i, p := range []struct{ addr, tpgt string }{{s.Addr(), "1"}, {addr2, "2"}} {
		c := dialInit(t, p.addr)
		c.isid[5] = byte(i) // one session per path, as the initiator makes them
		got := c.login("iqn.2026-11.test:a", nil)
		assert.Equal(t, p.tpgt, got["TargetPortalGroupTag"], "login on %s", p.addr)
		if i == 0 {
			res := c.scsi(1, rw10(0x2a, 8, 8), 0, data, 0, 0)
			require.EqualValues(t, StatusGood, res.status, "write on path 1")
			continue
		}
		res := c.scsi(1, rw10(0x28, 8, 8), 4096, nil, 0, 0)
		assert.True(t, res.status == StatusGood && bytes.Equal(res.data, data), "path 2 reads what path 1 wrote")
	}
	require.NoError(t, s.Close())
	_, err = s.AddPortal(PortalConfig{})
	assert.Error(t, err, "no portal after Close")
}

// Discovery CHAP: a discovery session must pass CHAP (one-way or mutual);
// a wrong secret or name, an offer of None only, or skipping the security
// stage is refused with 0201; normal sessions keep their own rules.
func TestDiscoveryCHAP(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	oneWay := &CHAPConfig{User: "duser", Secret: "dsecret12345"}
	s.SetDiscoveryCHAP(oneWay)
	disc := pairs("SessionType", "Discovery")

	st, c := chapLoginAs(t, s.Addr(), disc, CHAPSHA256, "duser", "dsecret12345", nil)
	require.Zero(t, st, "right secret")
	assert.Equal(t, pairs("TargetName", testIQN, "TargetAddress", s.Addr()+",1"), c.sendTargetsAll())
	st, _ = chapLoginAs(t, s.Addr(), disc, CHAPMD5, "duser", "wrong-secret", nil)
	assert.Equal(t, uint16(loginAuthFailed), st, "wrong secret")
	st, _ = chapLoginAs(t, s.Addr(), disc, CHAPSHA1, "mallory", "dsecret12345", nil)
	assert.Equal(t, uint16(loginAuthFailed), st, "wrong name")
	none := dialInit(t, s.Addr())
	r := none.loginPDU(0, 1, true, pairs("InitiatorName", "iqn.x", "SessionType", "Discovery", "AuthMethod", "None"))
	assert.Equal(t, uint16(loginAuthFailed), loginStatus(r), "AuthMethod None when CHAP is required")
	skip := dialInit(t, s.Addr())
	r = skip.loginPDU(1, 3, true, pairs("InitiatorName", "iqn.x", "SessionType", "Discovery"))
	assert.Equal(t, uint16(loginAuthFailed), loginStatus(r), "security stage skipped")
	dialInit(t, s.Addr()).login(testIQN, nil) // a normal session needs no discovery CHAP

	mutual := &CHAPConfig{User: "duser", Secret: "dsecret12345", MutualUser: "dtgt", MutualSecret: "dtgtsecret123"}
	s.SetDiscoveryCHAP(mutual)
	st, _ = chapLoginAs(t, s.Addr(), disc, CHAPSHA256, "duser", "dsecret12345", mutual)
	assert.Zero(t, st, "mutual")
	st, _ = chapLoginAs(t, s.Addr(), disc, CHAPSHA256, "duser", "dsecret12345", nil)
	assert.Equal(t, uint16(loginAuthFailed), st, "one-way where mutual is required")

	s.SetDiscoveryCHAP(nil)
	open := dialInit(t, s.Addr())
	r = open.loginPDU(0, 3, true, pairs("InitiatorName", "iqn.x", "SessionType", "Discovery", "AuthMethod", "CHAP,None"))
	require.Zero(t, loginStatus(r), "discovery without CHAP configured")
	assert.Equal(t, "None", keyMapOf(r)["AuthMethod"])
	assert.Equal(t, DiscoveryStats{CHAP: 2, None: 1, Refused: 5}, s.DiscoveryLogins())
}
