package target

import (
	"fmt"
	"strconv"

	"autoscan/harness/iscsi"
)

// Login status class/detail pairs (RFC 7143 section 11.13.5).
const (
	loginOK             = 0x0000
	loginAuthFailed     = 0x0201
	loginNotFound       = 0x0203
	loginMissingParam   = 0x0207
	loginInitiatorError = 0x0200
	loginUnavailable    = 0x0301
)

// loginState follows one connection's login phase.
type loginState struct {
	done      bool
	target    *Target // nil for discovery
	initiator string
	isid      [6]byte
	authed    bool
	chap      *chapState
	partial   []byte // text of PDUs sent with the C bit
	sentTPGT  bool
	declared  bool // our MaxRecvDataSegmentLength sent
}

// loginError ends the login with a status.
type loginError struct {
	status uint16
	why    string
}

func (e *loginError) Error() string { return fmt.Sprintf("login status %04x: %s", e.status, e.why) }

func lerr(status uint16, format string, args ...any) *loginError {
	return &loginError{status, fmt.Sprintf(format, args...)}
}

// handleLogin processes one Login Request and answers it.
func (c *conn) handleLogin(p *iscsi.PDU) bool {
	if c.login != nil && c.login.done {
		c.logf("login request in full feature phase")
		return false
	}
	if c.login == nil {
		c.login = &loginState{}
		c.cid = p.CID()
		c.wmu.Lock()
		c.statSN = p.ExpStatSN()
		c.wmu.Unlock()
	}
	c.expCmdSN.Store(p.CmdSN())
	if p.Continue() {
		c.login.partial = append(c.login.partial, p.Data...)
		return c.send(c.loginResponse(p, false, p.CSG(), nil, loginOK), true) == nil
	}
	c.login.isid = p.ISID()
	text := append(c.login.partial, p.Data...)
	c.login.partial = nil
	resp, transit, err := c.loginStep(p, iscsi.ParseText(text))
	if err != nil {
		c.logf("%v", err)
		if c.discovery {
			c.countDiscovery(false)
		}
		_ = c.send(c.loginResponse(p, false, p.CSG(), nil, err.status), true)
		return false
	}
	return c.loginFinish(p, resp, transit)
}

// loginFinish sends the answer and, on the move to full feature phase,
// switches the connection over.
func (c *conn) loginFinish(p *iscsi.PDU, resp []iscsi.KeyValue, transit bool) bool {
	nsg := p.CSG()
	if transit {
		nsg = p.NSG()
	}
	r := c.loginResponse(p, transit, nsg, nil, loginOK)
	if !transit || nsg != iscsi.StageFullFeature {
		r.Data = c.loginText(resp)
		return c.send(r, true) == nil
	}
	r.Data = c.loginText(c.declareRecv(resp))
	if !c.discovery {
		c.reinstate()
	}
	if c.sendFinal(r) != nil {
		return false
	}
	if c.discovery {
		c.countDiscovery(true)
	}
	c.logf("login of %s to %q done (hd=%v dd=%v)", c.login.initiator, c.targetName(), c.params.HeaderDigest, c.params.DataDigest)
	return true
}

// loginStep validates the stage and negotiates the keys of one request.
func (c *conn) loginStep(p *iscsi.PDU, keys []iscsi.KeyValue) ([]iscsi.KeyValue, bool, *loginError) {
	if c.srv.refusing() {
		return nil, false, lerr(loginUnavailable, "logins refused")
	}
	if p.VersionMin() > 0 {
		return nil, false, lerr(0x0205, "unsupported version")
	}
	m := keyMap(keys)
	if c.login.initiator == "" {
		if err := c.loginIdentify(m); err != nil {
			return nil, false, err
		}
	}
	var resp []iscsi.KeyValue
	switch p.CSG() {
	case iscsi.StageSecurity:
		r, err := c.security(m, keys)
		if err != nil {
			return nil, false, err
		}
		resp = r
	case iscsi.StageOperational:
		if !c.login.authed && c.needsAuth() {
			return nil, false, lerr(loginAuthFailed, "operational stage without authentication")
		}
		c.login.authed = true
		resp = c.declareRecv(c.operational(keys))
	default:
		return nil, false, lerr(loginInitiatorError, "bad CSG %d", p.CSG())
	}
	resp = c.addTPGT(resp)
	transit := p.Transit() && c.login.authed
	return resp, transit, nil
}

func keyMap(keys []iscsi.KeyValue) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k.Key] = k.Value
	}
	return m
}

// loginIdentify reads who logs in where from the first request.
func (c *conn) loginIdentify(m map[string]string) *loginError {
	c.login.initiator = m["InitiatorName"]
	if c.login.initiator == "" {
		return lerr(loginMissingParam, "no InitiatorName")
	}
	if m["SessionType"] == "Discovery" {
		c.discovery = true
		return nil
	}
	name := m["TargetName"]
	if name == "" {
		return lerr(loginMissingParam, "no TargetName")
	}
	if c.login.target = c.srv.Target(name); c.login.target == nil {
		return lerr(loginNotFound, "unknown target %q", name)
	}
	return nil
}

func (c *conn) needsAuth() bool { return c.chapConfig() != nil }

// security handles AuthMethod and the CHAP exchange; operational keys
// that come along are negotiated too (RFC 7143 allows that).
func (c *conn) security(m map[string]string, keys []iscsi.KeyValue) ([]iscsi.KeyValue, *loginError) {
	var resp []iscsi.KeyValue
	if am, ok := m["AuthMethod"]; ok {
		want := "None"
		if c.needsAuth() {
			want = "CHAP"
		}
		if pickList(am, []string{want}) != want {
			return nil, lerr(loginAuthFailed, "AuthMethod %q, need %s", am, want)
		}
		resp = append(resp, pairs("AuthMethod", want)...)
		c.login.authed = want == "None"
	} else if !c.needsAuth() {
		c.login.authed = true
	}
	r, err := c.chapStep(m)
	if err != nil {
		return nil, err
	}
	resp = append(resp, r...)
	return append(resp, c.operational(keys)...), nil
}

// chapStep runs the CHAP exchange when the target asks for it.
func (c *conn) chapStep(m map[string]string) ([]iscsi.KeyValue, *loginError) {
	cfg := c.chapConfig()
	if a, ok := m["CHAP_A"]; ok && cfg != nil {
		st, r, err := chapStart(cfg, a)
		if err != nil {
			return nil, lerr(loginAuthFailed, "%v", err)
		}
		c.login.chap = st
		return r, nil
	}
	if _, ok := m["CHAP_R"]; ok {
		if c.login.chap == nil {
			return nil, lerr(loginAuthFailed, "CHAP_R without a challenge")
		}
		r, err := c.login.chap.verify(m)
		if err != nil {
			return nil, lerr(loginAuthFailed, "%v", err)
		}
		c.login.authed = true
		return r, nil
	}
	return nil, nil
}

// chapConfig is the CHAP the session must pass: the server's discovery
// CHAP for a discovery session, the target's for a normal one; nil: none.
func (c *conn) chapConfig() *CHAPConfig {
	if c.discovery {
		return c.srv.discAuth.Load()
	}
	if c.login.target == nil {
		return nil
	}
	return c.login.target.opt.CHAP
}

// securityKeys are answered (or ignored) by security(), not negotiate().
var securityKeys = map[string]bool{
	"AuthMethod": true, "CHAP_A": true, "CHAP_I": true, "CHAP_C": true,
	"CHAP_N": true, "CHAP_R": true, "InitiatorName": true, "InitiatorAlias": true,
	"TargetName": true, "SessionType": true, "TargetAlias": true, "TargetPortalGroupTag": true,
}

// operational negotiates every non-security key; unknown keys are
// answered NotUnderstood as RFC 7143 asks.
func (c *conn) operational(keys []iscsi.KeyValue) []iscsi.KeyValue {
	var resp []iscsi.KeyValue
	for _, k := range keys {
		if securityKeys[k.Key] {
			continue
		}
		v, known := negotiate(c.srv.cfg.Policy, &c.params, k.Key, k.Value)
		switch {
		case !known:
			resp = append(resp, pairs(k.Key, "NotUnderstood")...)
		case v != "":
			resp = append(resp, pairs(k.Key, v)...)
		}
	}
	return resp
}

// declareRecv adds our MaxRecvDataSegmentLength once.
func (c *conn) declareRecv(resp []iscsi.KeyValue) []iscsi.KeyValue {
	if c.login.declared {
		return resp
	}
	c.login.declared = true
	c.params.TargetRecvDSL = c.srv.cfg.Policy.RecvDSL
	return append(resp, pairs("MaxRecvDataSegmentLength", strconv.Itoa(int(c.params.TargetRecvDSL)))...)
}

// addTPGT puts TargetPortalGroupTag in the first answer of a normal
// session, where RFC 7143 wants it.
func (c *conn) addTPGT(resp []iscsi.KeyValue) []iscsi.KeyValue {
	if c.discovery || c.login.sentTPGT {
		return resp
	}
	c.login.sentTPGT = true
	return append(resp, pairs("TargetPortalGroupTag", strconv.Itoa(int(c.portal.tpgt)))...)
}

// loginResponse builds a Login Response (a new TSIH on the move to full
// feature phase).
func (c *conn) loginResponse(p *iscsi.PDU, transit bool, nsg uint8, resp []iscsi.KeyValue, status uint16) *iscsi.PDU {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpLoginResp)
	r.SetLoginStages(transit, false, p.CSG(), nsg)
	r.SetISID(p.ISID())
	r.SetITT(p.ITT())
	r.SetLoginStatus(uint8(status>>8), uint8(status))
	if transit && nsg == iscsi.StageFullFeature && status == loginOK {
		r.SetTSIH(c.srv.nextTSIH())
	} else {
		r.SetTSIH(p.TSIH())
	}
	r.Data = c.loginText(resp)
	return r
}

// loginText encodes the answer keys, spoiled in HostileLoginGarbage.
func (c *conn) loginText(resp []iscsi.KeyValue) []byte {
	b := iscsi.EncodeText(resp...)
	if c.srv.hostileMode() == HostileLoginGarbage {
		b = append(b, garbageText()...)
	}
	return b
}

// sendFinal sends the last Login Response and switches to full feature
// phase under the write lock, so no AEN can come before it: the connection
// becomes visible to control calls first, digests apply after the write.
func (c *conn) sendFinal(r *iscsi.PDU) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !c.discovery {
		c.ff.Store(c.login.target)
	}
	if err := c.sendLocked(r, true); err != nil {
		c.ff.Store(nil)
		return err
	}
	c.login.done = true
	c.hd, c.dd = c.params.HeaderDigest, c.params.DataDigest
	return nil
}

func (c *conn) targetName() string {
	if c.login.target == nil {
		return "discovery"
	}
	return c.login.target.name
}

// reinstate closes older connections of the same initiator and ISID to
// this target: a new leading login replaces the session (RFC 7143 session
// reinstatement), so AENs do not go to a connection the initiator gave up.
func (c *conn) reinstate() {
	t := c.login.target
	for _, o := range t.conns() {
		if o != c && o.login.initiator == c.login.initiator && o.login.isid == c.login.isid {
			c.logf("session reinstatement: closing %s", o.nc.RemoteAddr())
			o.ff.Store(nil)
			o.close()
		}
	}
}
