package target

import (
	"fmt"

	"autoscan/harness/iscsi"
)

// handleText answers SendTargets (All, a name, or empty for the current
// target); any other key is NotUnderstood.
func (c *conn) handleText(p *iscsi.PDU) bool {
	var resp []kv
	for _, k := range parseText(p.Data) {
		if k.key != "SendTargets" {
			resp = append(resp, kv{k.key, "NotUnderstood"})
			continue
		}
		resp = append(resp, c.sendTargets(k.val)...)
	}
	r := &iscsi.PDU{}
	r.SetOpcode(iscsi.OpTextResp)
	r.SetFlags(iscsi.FlagFinal)
	copy(r.BHS[8:16], p.BHS[8:16])
	r.SetITT(p.ITT())
	r.SetTTT(0xffffffff)
	r.Data = encodeText(resp)
	return c.send(r, true) == nil
}

// sendTargets lists targets with the advertised portal.
func (c *conn) sendTargets(which string) []kv {
	var names []string
	switch {
	case which == "All":
		names = c.srv.TargetNames()
	case which == "" && c.login.target != nil:
		names = []string{c.login.target.name}
	case c.srv.Target(which) != nil:
		names = []string{which}
	}
	addr := fmt.Sprintf("%s,%d", c.srv.cfg.Portal, c.srv.cfg.TPGT)
	var out []kv
	for _, n := range names {
		out = append(out, kv{"TargetName", n}, kv{"TargetAddress", addr})
	}
	return out
}
