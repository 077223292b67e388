package target

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"strconv"
	"strings"

	"autoscan/harness/iscsi"
)

// CHAP algorithm numbers for CHAP_A (5 from RFC 1994; 6 and 7 as Linux
// open-iscsi numbers SHA1 and SHA-256).
const (
	CHAPMD5    = 5
	CHAPSHA1   = 6
	CHAPSHA256 = 7
)

// CHAPConfig enables CHAP on a target. Mutual CHAP (the target proves
// itself too) is on when MutualUser is set.
type CHAPConfig struct {
	User, Secret             string
	MutualUser, MutualSecret string
	Algorithms               []int // accepted CHAP_A values, preferred first; nil = 7,6,5
}

func (c *CHAPConfig) algorithms() []int {
	if len(c.Algorithms) > 0 {
		return c.Algorithms
	}
	return []int{CHAPSHA256, CHAPSHA1, CHAPMD5}
}

func chapHash(alg int) (hash.Hash, bool) {
	switch alg {
	case CHAPMD5:
		return md5.New(), true
	case CHAPSHA1:
		return sha1.New(), true
	case CHAPSHA256:
		return sha256.New(), true
	}
	return nil, false
}

// CHAPResponse computes H(id || secret || challenge) (RFC 1994).
func CHAPResponse(alg int, id byte, secret string, challenge []byte) ([]byte, error) {
	h, ok := chapHash(alg)
	if !ok {
		return nil, errors.New("target: unknown CHAP algorithm")
	}
	h.Write([]byte{id})
	h.Write([]byte(secret))
	h.Write(challenge)
	return h.Sum(nil), nil
}

// chapPickAlg chooses the first algorithm in the initiator's CHAP_A list
// that the target accepts (the initiator lists them in its preference).
func chapPickAlg(offer string, ours []int) (int, bool) {
	for _, s := range strings.Split(offer, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			continue
		}
		for _, o := range ours {
			if n == o {
				return n, true
			}
		}
	}
	return 0, false
}

// EncodeCHAPBinary writes a binary CHAP value in hex ("0x...").
func EncodeCHAPBinary(b []byte) string { return "0x" + hex.EncodeToString(b) }

// DecodeCHAPBinary reads a hex ("0x") or base64 ("0b") binary value.
func DecodeCHAPBinary(s string) ([]byte, error) {
	if len(s) < 2 {
		return nil, errors.New("target: short CHAP value")
	}
	switch strings.ToLower(s[:2]) {
	case "0x":
		v := s[2:]
		if len(v)%2 == 1 {
			v = "0" + v
		}
		return hex.DecodeString(v)
	case "0b":
		return base64.StdEncoding.DecodeString(s[2:])
	}
	return nil, errors.New("target: CHAP value neither hex nor base64")
}

// chapState is the target side of one CHAP exchange.
type chapState struct {
	cfg       *CHAPConfig
	alg       int
	id        byte
	challenge []byte
}

// chapStart answers CHAP_A with the algorithm, an identifier and a
// challenge as long as the digest.
func chapStart(cfg *CHAPConfig, offer string) (*chapState, []iscsi.KeyValue, error) {
	alg, ok := chapPickAlg(offer, cfg.algorithms())
	if !ok {
		return nil, nil, errors.New("no acceptable CHAP_A")
	}
	h, _ := chapHash(alg)
	st := &chapState{cfg: cfg, alg: alg, challenge: make([]byte, h.Size())}
	var id [1]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, nil, err
	}
	if _, err := rand.Read(st.challenge); err != nil {
		return nil, nil, err
	}
	st.id = id[0]
	return st, pairs("CHAP_A", strconv.Itoa(alg), "CHAP_I", strconv.Itoa(int(st.id)), "CHAP_C", EncodeCHAPBinary(st.challenge)), nil
}

// chapVerify checks CHAP_N/CHAP_R and, for mutual CHAP, answers the
// initiator's CHAP_I/CHAP_C. keys holds the initiator's keys by name.
func (st *chapState) verify(keys map[string]string) ([]iscsi.KeyValue, error) {
	if keys["CHAP_N"] != st.cfg.User {
		return nil, errors.New("CHAP_N does not match")
	}
	got, err := DecodeCHAPBinary(keys["CHAP_R"])
	if err != nil {
		return nil, err
	}
	want, _ := CHAPResponse(st.alg, st.id, st.cfg.Secret, st.challenge)
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return nil, errors.New("CHAP_R does not match")
	}
	ci, cc := keys["CHAP_I"], keys["CHAP_C"]
	if ci == "" && cc == "" {
		if st.cfg.MutualUser != "" {
			return nil, errors.New("mutual CHAP required but not asked for")
		}
		return nil, nil
	}
	return st.mutual(ci, cc)
}

// mutual proves the target's identity with the mutual secret; a
// challenge equal to ours (a reflection attack) is refused.
func (st *chapState) mutual(ci, cc string) ([]iscsi.KeyValue, error) {
	if st.cfg.MutualUser == "" {
		return nil, errors.New("mutual CHAP asked for but not configured")
	}
	id, err := strconv.Atoi(ci)
	if err != nil || id < 0 || id > 255 {
		return nil, errors.New("bad CHAP_I")
	}
	ch, err := DecodeCHAPBinary(cc)
	if err != nil || len(ch) == 0 || string(ch) == string(st.challenge) {
		return nil, errors.New("bad CHAP_C")
	}
	r, _ := CHAPResponse(st.alg, byte(id), st.cfg.MutualSecret, ch)
	return pairs("CHAP_N", st.cfg.MutualUser, "CHAP_R", EncodeCHAPBinary(r)), nil
}
