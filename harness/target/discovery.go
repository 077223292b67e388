package target

import "autoscan/harness/iscsi"

// DiscoveryStats count how discovery sessions logged in, so a test can
// tell that discovery CHAP was asked for and answered.
type DiscoveryStats struct {
	CHAP    int // logins that passed discovery CHAP
	None    int // logins without authentication
	Refused int // logins refused (wrong secret, AuthMethod None when CHAP is required...)
}

// SetDiscoveryCHAP makes every later discovery session authenticate with
// CHAP (cfg nil: no authentication, the default); mutual when
// cfg.MutualUser is set.
func (s *Server) SetDiscoveryCHAP(cfg *CHAPConfig) { s.discAuth.Store(cfg) }

// DiscoveryLogins reports the discovery logins so far.
func (s *Server) DiscoveryLogins() DiscoveryStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.discStats
}

// countDiscovery records the end of a discovery login (ok false: refused).
func (c *conn) countDiscovery(ok bool) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !ok:
		s.discStats.Refused++
	case c.login.chap != nil:
		s.discStats.CHAP++
	default:
		s.discStats.None++
	}
}

// handleText answers SendTargets (All, a name, or empty for the current
// target); any other key is NotUnderstood.
func (c *conn) handleText(p *iscsi.PDU) bool {
	if p.TTT() != 0xffffffff && p.TTT() == c.textTTT && c.textRest != nil {
		return c.sendText(p, c.textRest) // the initiator asks for more
	}
	var resp []iscsi.KeyValue
	for _, k := range iscsi.ParseText(p.Data) {
		if k.Key != "SendTargets" {
			resp = append(resp, pairs(k.Key, "NotUnderstood")...)
			continue
		}
		resp = append(resp, c.sendTargets(k.Value)...)
	}
	return c.sendText(p, iscsi.EncodeText(resp...))
}

// sendText answers with at most MaxRecvDataSegmentLength bytes; a longer
// answer goes with the C bit and a TTT, and the initiator fetches the rest
// with empty Text Requests carrying that TTT.
func (c *conn) sendText(p *iscsi.PDU, data []byte) bool {
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpTextResp)
	copy(r.BHS[8:16], p.BHS[8:16])
	r.SetITT(p.ITT())
	r.SetTTT(0xffffffff)
	r.SetFlags(iscsi.FlagFinal)
	c.textRest = nil
	if n := int(c.params.MaxRecvDSL); len(data) > n {
		c.nextTTT++
		c.textTTT, c.textRest = c.nextTTT, data[n:]
		data = data[:n]
		r.SetFlags(iscsi.FlagContinue)
		r.SetTTT(c.textTTT)
	}
	r.Data = data
	return c.send(r, true) == nil
}

// sendTargets lists the targets asked for, each with every portal's
// address and group tag (RFC 7143 appendix C: all portals of a target).
func (c *conn) sendTargets(which string) []iscsi.KeyValue {
	var names []string
	switch {
	case which == "All":
		names = c.srv.TargetNames()
	case which == "" && c.login.target != nil:
		names = []string{c.login.target.name}
	case c.srv.Target(which) != nil:
		names = []string{which}
	}
	portals := c.srv.portalList()
	var out []iscsi.KeyValue
	for _, n := range names {
		out = append(out, pairs("TargetName", n)...)
		for _, p := range portals {
			out = append(out, pairs("TargetAddress", p.address())...)
		}
	}
	if h := c.srv.hostileMode(); h.Discovery() && which == "All" {
		out = append(out, hostileTargets(h, c.portal.address())...)
	}
	return out
}
