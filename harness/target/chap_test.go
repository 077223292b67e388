package target

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"testing"

	"autoscan/harness/iscsi"
)

// The MD5 answer for id 1, secret "secret" and challenge 00..0f was
// computed outside Go with md5sum; the other algorithms are checked for
// their digest sizes.
func TestCHAPResponseKnownVector(t *testing.T) {
	ch, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	got, err := CHAPResponse(CHAPMD5, 1, "secret", ch)
	if err != nil {
		t.Fatal(err)
	}
	// md5(0x01 || "secret" || 00..0f), computed offline with coreutils:
	// printf "\x01secret\x00\x01...\x0f" | md5sum
	want := "740e86463bda3a4d7017d6e0fba0699d"
	if hex.EncodeToString(got) != want {
		t.Errorf("MD5 CHAP response %x, want %s", got, want)
	}
	for alg, size := range map[int]int{CHAPMD5: 16, CHAPSHA1: 20, CHAPSHA256: 32} {
		r, err := CHAPResponse(alg, 7, "s", ch)
		if err != nil || len(r) != size {
			t.Errorf("alg %d: %d bytes, err %v", alg, len(r), err)
		}
	}
	if _, err := CHAPResponse(8, 1, "s", ch); err == nil {
		t.Errorf("unknown algorithm accepted")
	}
}

func TestCHAPBinaryEncodings(t *testing.T) {
	for _, s := range []string{"0x0a0b", "0XA0B", "0bCgs="} {
		b, err := DecodeCHAPBinary(s)
		if err != nil || !bytes.Equal(b, []byte{0x0a, 0x0b}) {
			t.Errorf("%s: %x %v", s, b, err)
		}
	}
	if _, err := DecodeCHAPBinary("1234"); err == nil {
		t.Errorf("plain decimal accepted")
	}
}

// chapLogin runs the CHAP exchange as an initiator would; mutual sends our
// own challenge and checks the target's answer. It returns the final
// login status.
func chapLogin(t *testing.T, addr string, alg int, user, secret string, mutual *CHAPConfig) uint16 {
	st, _ := chapLoginAs(t, addr, pairs("TargetName", testIQN), alg, user, secret, mutual)
	return st
}

// chapLoginAs is chapLogin for the session ident names (a target, or
// SessionType=Discovery); on success it returns the connection in full
// feature phase.
func chapLoginAs(t *testing.T, addr string, ident []iscsi.KeyValue, alg int, user, secret string, mutual *CHAPConfig) (uint16, *testInit) {
	c := dialInit(t, addr)
	first := append(pairs("InitiatorName", "iqn.x", "AuthMethod", "CHAP,None"), ident...)
	r := c.loginPDU(0, 1, false, first)
	if loginStatus(r) != 0 || keyMapOf(r)["AuthMethod"] != "CHAP" {
		t.Fatalf("AuthMethod: %04x %q", loginStatus(r), r.Data)
	}
	r = c.loginPDU(0, 1, false, pairs("CHAP_A", strconv.Itoa(alg)))
	m := keyMapOf(r)
	if m["CHAP_A"] != strconv.Itoa(alg) {
		t.Fatalf("CHAP_A answer %q", m["CHAP_A"])
	}
	id, _ := strconv.Atoi(m["CHAP_I"])
	ch, err := DecodeCHAPBinary(m["CHAP_C"])
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := CHAPResponse(alg, byte(id), secret, ch)
	keys := pairs("CHAP_N", user, "CHAP_R", EncodeCHAPBinary(resp))
	ourCh := []byte("initiator-challenge-0123")
	if mutual != nil {
		keys = append(keys, pairs("CHAP_I", "42", "CHAP_C", EncodeCHAPBinary(ourCh))...)
	}
	r = c.loginPDU(0, 1, true, keys)
	if st := loginStatus(r); st != 0 {
		return st, nil
	}
	if mutual != nil {
		m = keyMapOf(r)
		want, _ := CHAPResponse(alg, 42, mutual.MutualSecret, ourCh)
		if m["CHAP_N"] != mutual.MutualUser || m["CHAP_R"] != EncodeCHAPBinary(want) {
			t.Errorf("mutual answer N=%q R=%q", m["CHAP_N"], m["CHAP_R"])
		}
	}
	if !r.Transit() || r.NSG() != 1 {
		t.Errorf("no transit after CHAP")
	}
	c.finishLogin(nil, map[string]string{})
	return 0, c
}

func TestCHAPLogin(t *testing.T) {
	oneWay := &CHAPConfig{User: "alice", Secret: "alice-secret-12"}
	mutual := &CHAPConfig{User: "alice", Secret: "alice-secret-12", MutualUser: "tgt", MutualSecret: "target-secret-1"}
	for _, alg := range []int{CHAPMD5, CHAPSHA1, CHAPSHA256} {
		s, _ := newTestServer(t, TargetOptions{CHAP: oneWay})
		if st := chapLogin(t, s.Addr(), alg, "alice", "alice-secret-12", nil); st != 0 {
			t.Errorf("alg %d one-way: status %04x", alg, st)
		}
		if st := chapLogin(t, s.Addr(), alg, "alice", "wrong", nil); st != loginAuthFailed {
			t.Errorf("alg %d wrong secret: status %04x", alg, st)
		}
		if st := chapLogin(t, s.Addr(), alg, "mallory", "alice-secret-12", nil); st != loginAuthFailed {
			t.Errorf("alg %d wrong name: status %04x", alg, st)
		}
		s2, _ := newTestServer(t, TargetOptions{CHAP: mutual})
		if st := chapLogin(t, s2.Addr(), alg, "alice", "alice-secret-12", mutual); st != 0 {
			t.Errorf("alg %d mutual: status %04x", alg, st)
		}
		if st := chapLogin(t, s2.Addr(), alg, "alice", "alice-secret-12", nil); st != loginAuthFailed {
			t.Errorf("alg %d mutual required but one-way accepted: %04x", alg, st)
		}
	}
}

func TestCHAPRequiredBeforeOperational(t *testing.T) {
	s, _ := newTestServer(t, TargetOptions{CHAP: &CHAPConfig{User: "u", Secret: "s"}})
	c := dialInit(t, s.Addr())
	r := c.loginPDU(1, 3, true, pairs("InitiatorName", "iqn.x", "TargetName", testIQN))
	if loginStatus(r) != loginAuthFailed {
		t.Errorf("skipping security stage: status %04x", loginStatus(r))
	}
}
