package target

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"autoscan/harness/iscsi"
)

func TestNegotiateTable(t *testing.T) {
	pol := DefaultPolicy()
	cases := []struct{ key, offer, want string }{
		{"HeaderDigest", "CRC32C,None", "CRC32C"},
		{"HeaderDigest", "None,CRC32C", "None"},
		{"DataDigest", "MD5", "Reject"},
		{"InitialR2T", "No", "No"},
		{"InitialR2T", "Yes", "Yes"},
		{"ImmediateData", "Yes", "Yes"},
		{"ImmediateData", "No", "No"},
		{"MaxBurstLength", "16776192", "1048576"},
		{"MaxBurstLength", "65536", "65536"},
		{"FirstBurstLength", "1048576", "262144"},
		{"MaxConnections", "8", "1"},
		{"ErrorRecoveryLevel", "2", "0"},
		{"MaxRecvDataSegmentLength", "8192", ""},
	}
	for _, tc := range cases {
		p := defaultParams(pol.RecvDSL)
		got, known := negotiate(pol, &p, tc.key, tc.offer)
		if !known || got != tc.want {
			t.Errorf("%s=%s: got %q (known %v), want %q", tc.key, tc.offer, got, known, tc.want)
		}
	}
	p := defaultParams(pol.RecvDSL)
	if _, known := negotiate(pol, &p, "X-Vendor", "1"); known {
		t.Errorf("unknown key reported as known")
	}
	strict := pol
	strict.InitialR2T = true
	if got, _ := negotiate(strict, &p, "InitialR2T", "No"); got != "Yes" {
		t.Errorf("policy forcing InitialR2T: got %s", got)
	}
}

func TestLoginNegotiatesAndRunsWithDigests(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	got := c.login(testIQN, pairs("HeaderDigest", "CRC32C,None", "DataDigest", "CRC32C,None", "MaxRecvDataSegmentLength", "8192", "InitialR2T", "No", "ImmediateData", "Yes", "FirstBurstLength", "65536", "MaxBurstLength", "262144", "X-Unknown", "1"))
	want := map[string]string{"HeaderDigest": "CRC32C", "DataDigest": "CRC32C", "InitialR2T": "No",
		"ImmediateData": "Yes", "FirstBurstLength": "65536", "MaxBurstLength": "262144",
		"X-Unknown": "NotUnderstood", "MaxRecvDataSegmentLength": "262144", "TargetPortalGroupTag": "1",
		"AuthMethod": "None"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// With digests on, a command must round-trip (ReadPDU checks CRCs).
	res := c.scsi(0, []byte{0x12, 0, 0, 0, 36, 0}, 36, nil, 0, 0)
	if res.status != StatusGood || len(res.data) != 36 || string(res.data[8:16]) != "AUTOSCAN" {
		t.Fatalf("INQUIRY over digests: status %d data %q", res.status, res.data)
	}
}

func TestLoginFailures(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	cases := []struct {
		name string
		keys []iscsi.KeyValue
		want uint16
	}{
		{"unknown target", pairs("InitiatorName", "iqn.x", "TargetName", "iqn.nope"), loginNotFound},
		{"no initiator name", pairs("TargetName", testIQN), loginMissingParam},
		{"no target name", pairs("InitiatorName", "iqn.x"), loginMissingParam},
		{"auth method CHAP only", pairs("InitiatorName", "iqn.x", "TargetName", testIQN, "AuthMethod", "CHAP"), loginAuthFailed},
	}
	for _, tc := range cases {
		c := dialInit(t, s.Addr())
		if got := loginStatus(c.loginPDU(0, 1, true, tc.keys)); got != tc.want {
			t.Errorf("%s: status %04x, want %04x", tc.name, got, tc.want)
		}
	}
	s.SetRefuseLogins(true)
	c := dialInit(t, s.Addr())
	if got := loginStatus(c.loginPDU(0, 1, true, pairs("InitiatorName", "iqn.x", "TargetName", testIQN))); got != loginUnavailable {
		t.Errorf("refused login: status %04x", got)
	}
	s.SetRefuseLogins(false)
	c = dialInit(t, s.Addr())
	c.login(testIQN, nil)
}

func TestDiscoverySendTargetsAdvertisesPortal(t *testing.T) {
	s, err := NewServer(Config{Portal: "10.0.2.2:3310", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, n := range []string{"iqn.2026-11.test:b", "iqn.2026-11.test:a"} {
		if _, err := s.AddTarget(n, TargetOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	c := dialInit(t, s.Addr())
	r := c.loginPDU(0, 3, true, pairs("InitiatorName", "iqn.x", "SessionType", "Discovery", "AuthMethod", "None"))
	if loginStatus(r) != 0 || r.NSG() != 3 {
		t.Fatalf("discovery login: %04x", loginStatus(r))
	}
	got := c.sendTargetsAll()
	want := pairs("TargetName", "iqn.2026-11.test:a", "TargetAddress", "10.0.2.2:3310,1", "TargetName", "iqn.2026-11.test:b", "TargetAddress", "10.0.2.2:3310,1")
	assert.Equal(t, want, got, "SendTargets=All")
}

// TestSendTargetsContinuation: an answer longer than the initiator's
// MaxRecvDataSegmentLength comes in pieces with the C bit and a TTT.
func TestSendTargetsContinuation(t *testing.T) {
	s, err := NewServer(Config{Portal: "10.0.2.2:3310"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 40; i++ {
		if _, err := s.AddTarget(fmt.Sprintf("iqn.2026-11.test.autoscan.with.a.long.name:%03d", i), TargetOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	c := dialInit(t, s.Addr())
	c.loginPDU(0, 3, true, pairs("InitiatorName", "iqn.x", "SessionType", "Discovery", "MaxRecvDataSegmentLength", "512"))
	var all []byte
	ttt := uint32(0xffffffff)
	for pdus := 1; ; pdus++ {
		p := &iscsi.PDU{}
		p.SetOpcode(iscsi.OpTextReq)
		p.SetImmediate(true)
		p.SetFlags(iscsi.FlagFinal)
		p.SetITT(7)
		p.SetTTT(ttt)
		if ttt == 0xffffffff {
			p.Data = iscsi.EncodeText(pairs("SendTargets", "All")...)
		}
		c.send(p)
		r := c.recv()
		if len(r.Data) > 512 {
			t.Fatalf("piece of %d bytes", len(r.Data))
		}
		all = append(all, r.Data...)
		if r.Final() {
			if r.Continue() || r.TTT() != 0xffffffff || pdus < 2 {
				t.Errorf("last piece: C=%v TTT %#x after %d PDUs", r.Continue(), r.TTT(), pdus)
			}
			break
		}
		if !r.Continue() || r.TTT() == 0xffffffff {
			t.Fatalf("middle piece without C or TTT")
		}
		ttt = r.TTT()
	}
	if got := keyMap(iscsi.ParseText(all)); len(iscsi.ParseText(all)) != 80 || got["TargetAddress"] != "10.0.2.2:3310,1" {
		t.Errorf("%d keys after reassembly", len(iscsi.ParseText(all)))
	}
}

// TestLoginContinuedText: a login request split over two PDUs with the C
// bit gets an empty answer to the first, and the keys of both count.
func TestLoginContinuedText(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{})
	c := dialInit(t, s.Addr())
	text := iscsi.EncodeText(pairs("InitiatorName", "iqn.x", "TargetName", testIQN, "AuthMethod", "None")...)
	for i, part := range [][]byte{text[:10], text[10:]} {
		p := &iscsi.PDU{}
		p.SetOpcode(iscsi.OpLoginReq)
		p.SetImmediate(true)
		p.SetLoginStages(i == 1, i == 0, 0, 1)
		p.SetISID(c.isid)
		p.SetITT(1)
		p.Data = part
		c.send(p)
		r := c.recv()
		got := keyMapOf(r)
		if loginStatus(r) != 0 || (i == 0) != (len(r.Data) == 0) || (i == 1 && got["AuthMethod"] != "None") {
			t.Errorf("piece %d: status %04x data %q", i, loginStatus(r), r.Data)
		}
	}
}
