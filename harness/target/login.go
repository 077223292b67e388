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
		return c.loginReply(p, false, p.CSG(), nil, loginOK) == nil
	}
	text := append(c.login.partial, p.Data...)
	c.login.partial = nil
	resp, transit, err := c.loginStep(p, parseText(text))
	if err != nil {
		c.logf("%v", err)
		_ = c.loginReply(p, false, p.CSG(), nil, err.status)
		return false
	}
	return c.loginFinish(p, resp, transit)
}

// loginFinish sends the answer and, on the move to full feature phase,
// switches the connection over.
func (c *conn) loginFinish(p *iscsi.PDU, resp []kv, transit bool) bool {
	nsg := p.CSG()
	if transit {
		nsg = p.NSG()
	}
	if transit && nsg == iscsi.StageFullFeature {
		resp = c.declareRecv(resp)
	}
	if err := c.loginReply(p, transit, nsg, resp, loginOK); err != nil {
		return false
	}
	if transit && nsg == iscsi.StageFullFeature {
		c.enterFullFeature()
	}
	return true
}

// loginStep validates the stage and negotiates the keys of one request.
func (c *conn) loginStep(p *iscsi.PDU, keys []kv) ([]kv, bool, *loginError) {
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
	var resp []kv
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

func keyMap(keys []kv) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k.key] = k.val
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

func (c *conn) needsAuth() bool {
	return c.login.target != nil && c.login.target.opt.CHAP != nil
}

// security handles AuthMethod and the CHAP exchange; operational keys
// that come along are negotiated too (RFC 7143 allows that).
func (c *conn) security(m map[string]string, keys []kv) ([]kv, *loginError) {
	var resp []kv
	if am, ok := m["AuthMethod"]; ok {
		want := "None"
		if c.needsAuth() {
			want = "CHAP"
		}
		if pickList(am, []string{want}) != want {
			return nil, lerr(loginAuthFailed, "AuthMethod %q, need %s", am, want)
		}
		resp = append(resp, kv{"AuthMethod", want})
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
func (c *conn) chapStep(m map[string]string) ([]kv, *loginError) {
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

func (c *conn) chapConfig() *CHAPConfig {
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
func (c *conn) operational(keys []kv) []kv {
	var resp []kv
	for _, k := range keys {
		if securityKeys[k.key] {
			continue
		}
		v, known := negotiate(c.srv.cfg.Policy, &c.params, k.key, k.val)
		switch {
		case !known:
			resp = append(resp, kv{k.key, "NotUnderstood"})
		case v != "":
			resp = append(resp, kv{k.key, v})
		}
	}
	return resp
}

// declareRecv adds our MaxRecvDataSegmentLength once.
func (c *conn) declareRecv(resp []kv) []kv {
	if c.login.declared {
		return resp
	}
	c.login.declared = true
	c.params.TargetRecvDSL = c.srv.cfg.Policy.RecvDSL
	return append(resp, kv{"MaxRecvDataSegmentLength", strconv.Itoa(int(c.params.TargetRecvDSL))})
}

// addTPGT puts TargetPortalGroupTag in the first answer of a normal
// session, where RFC 7143 wants it.
func (c *conn) addTPGT(resp []kv) []kv {
	if c.discovery || c.login.sentTPGT {
		return resp
	}
	c.login.sentTPGT = true
	return append(resp, kv{"TargetPortalGroupTag", strconv.Itoa(int(c.srv.cfg.TPGT))})
}

// loginReply sends a Login Response.
func (c *conn) loginReply(p *iscsi.PDU, transit bool, nsg uint8, resp []kv, status uint16) error {
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
	r.Data = encodeText(resp)
	if c.srv.hostileMode() == HostileLoginGarbage {
		r.Data = append(r.Data, garbageText()...)
	}
	return c.send(r, true)
}

// enterFullFeature switches digests on and makes the connection visible
// to control calls (AENs).
func (c *conn) enterFullFeature() {
	c.wmu.Lock()
	c.hd, c.dd = c.params.HeaderDigest, c.params.DataDigest
	c.wmu.Unlock()
	c.login.done = true
	if !c.discovery {
		c.ff.Store(c.login.target)
	}
	c.logf("login of %s to %q done (hd=%v dd=%v)", c.login.initiator, c.targetName(), c.hd, c.dd)
}

func (c *conn) targetName() string {
	if c.login.target == nil {
		return "discovery"
	}
	return c.login.target.name
}
