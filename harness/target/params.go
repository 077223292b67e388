package target

import (
	"strconv"
	"strings"

	"autoscan/harness/iscsi"
)

// pairs builds key=value pairs from alternating keys and values (an odd
// last key is dropped): the login and text code, and its tests, spell many.
func pairs(kv ...string) []iscsi.KeyValue {
	out := make([]iscsi.KeyValue, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, iscsi.KeyValue{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// Params are the operational values in force on a connection.
type Params struct {
	HeaderDigest, DataDigest  bool
	InitialR2T, ImmediateData bool
	MaxRecvDSL                uint32 // what the initiator accepts from us
	TargetRecvDSL             uint32 // what we accept (declared to it)
	MaxBurst, FirstBurst      uint32
	MaxOutstandingR2T         uint32
}

// defaultParams are RFC 7143's defaults, in force until negotiated.
func defaultParams(targetRecv uint32) Params {
	return Params{
		InitialR2T: true, ImmediateData: true,
		MaxRecvDSL: 8192, TargetRecvDSL: targetRecv,
		MaxBurst: 262144, FirstBurst: 65536, MaxOutstandingR2T: 1,
	}
}

// Policy is what the target is willing to do; negotiation meets the
// initiator's offer with it.
type Policy struct {
	Digests    []string // acceptable digests, preferred first
	InitialR2T bool     // true forces R2T for all write data
	Immediate  bool     // allow immediate data
	RecvDSL    uint32
	MaxBurst   uint32
	FirstBurst uint32
}

// DefaultPolicy accepts CRC32C and None, unsolicited and immediate data.
func DefaultPolicy() Policy {
	return Policy{Digests: []string{"CRC32C", "None"}, Immediate: true,
		RecvDSL: 262144, MaxBurst: 1 << 20, FirstBurst: 262144}
}

// negotiate answers one operational key. resp is "" when nothing is to be
// sent back (declarative keys); reject says the value was malformed.
func negotiate(pol Policy, p *Params, key, val string) (resp string, known bool) {
	switch key {
	case "HeaderDigest", "DataDigest":
		d := pickList(val, pol.Digests)
		if key == "HeaderDigest" {
			p.HeaderDigest = d == "CRC32C"
		} else {
			p.DataDigest = d == "CRC32C"
		}
		return d, true
	case "InitialR2T":
		p.InitialR2T = val != "No" || pol.InitialR2T
		return yesNo(p.InitialR2T), true
	case "ImmediateData":
		p.ImmediateData = val == "Yes" && pol.Immediate
		return yesNo(p.ImmediateData), true
	case "MaxRecvDataSegmentLength":
		p.MaxRecvDSL = clampNum(val, 512, 1<<24-1, 8192)
		return "", true
	case "MaxBurstLength":
		p.MaxBurst = min(clampNum(val, 512, 1<<24-1, 262144), pol.MaxBurst)
		return strconv.Itoa(int(p.MaxBurst)), true
	case "FirstBurstLength":
		p.FirstBurst = min(clampNum(val, 512, 1<<24-1, 65536), pol.FirstBurst)
		return strconv.Itoa(int(p.FirstBurst)), true
	}
	return negotiateFixed(key, val)
}

// negotiateFixed answers keys whose outcome the target fixes: one
// connection, one outstanding R2T, in-order data, ERL 0, no markers.
func negotiateFixed(key, val string) (string, bool) {
	switch key {
	case "MaxConnections", "MaxOutstandingR2T":
		return "1", true
	case "ErrorRecoveryLevel":
		return "0", true
	case "DataPDUInOrder", "DataSequenceInOrder":
		return "Yes", true
	case "IFMarker", "OFMarker":
		return "No", true
	case "IFMarkInt", "OFMarkInt":
		return "Irrelevant", true
	case "DefaultTime2Wait":
		return strconv.Itoa(int(clampNum(val, 0, 3600, 2))), true
	case "DefaultTime2Retain":
		return "0", true
	}
	return "", false
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// pickList takes the first of the initiator's comma-separated choices the
// target accepts; "Reject" when there is none.
func pickList(offer string, ours []string) string {
	for _, o := range strings.Split(offer, ",") {
		for _, w := range ours {
			if o == w {
				return o
			}
		}
	}
	return "Reject"
}

// clampNum parses a decimal value, falling back to def when malformed.
func clampNum(s string, lo, hi, def uint32) uint32 {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return def
	}
	return uint32(max(min(n, uint64(hi)), uint64(lo)))
}
