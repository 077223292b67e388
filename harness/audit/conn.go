package audit

import (
	"encoding/hex"
	"strings"
	"time"

	"autoscan/harness/iscsi"
)

// conn follows one TCP connection: a framer per direction and what the
// PDUs say. It is fed bytes in order per direction and knows nothing of
// packets, so it can be tested without captures.
type conn struct {
	s        *Session
	framers  [2]*iscsi.Framer // [0] initiator->target, [1] target->initiator
	now      time.Time
	luns     map[uint64]*LUN
	text     [2][]byte // login/text data of C-bit PDUs awaiting the rest
	hd, dd   string    // last HeaderDigest/DataDigest values agreed
	pdus     int64
	commands int             // SCSI Commands so far
	tasks    map[uint32]task // open commands by ITT, to name their responses
	closed   bool            // the TCP connection ended
}

// maxEvents bounds each event list of a session; further events are only
// counted (EventsDropped), so a hostile capture cannot grow the report
// without end.
const maxEvents = 10000

func appendEvent[T any](s *Session, list []T, e T) []T {
	if len(list) >= maxEvents {
		s.EventsDropped++
		return list
	}
	return append(list, e)
}

// keepData lists the PDUs whose data segment the audit reads.
func keepData(op iscsi.Opcode) bool {
	switch op {
	case iscsi.OpLoginReq, iscsi.OpLoginResp, iscsi.OpTextReq, iscsi.OpTextResp,
		iscsi.OpAsyncMsg, iscsi.OpSCSIResponse, iscsi.OpReject:
		return true
	}
	return false
}

func newConn(s *Session, synced bool) *conn {
	c := &conn{s: s, luns: map[uint64]*LUN{}, tasks: map[uint32]task{}}
	for i := range c.framers {
		f := &iscsi.Framer{FromTarget: i == 1, KeepData: keepData, Synced: synced}
		c.framers[i] = f
	}
	return c
}

// feed hands bytes of one direction to its framer.
func (c *conn) feed(fromTarget bool, b []byte, t time.Time) {
	c.touch(t)
	f := c.framers[dirIndex(fromTarget)]
	f.Feed(b, c.handle)
}

// close releases the framers' buffers once the connection has ended.
func (c *conn) close() {
	c.closed = true
	for _, f := range c.framers {
		f.Release()
	}
}

// endDirection notes a FIN or RST. A connection that ends a direction
// without having carried a PDU (a port scan) counts as closed: it is only
// kept in memory if it turns out to carry iSCSI.
func (c *conn) endDirection(fromTarget bool) {
	c.framers[dirIndex(fromTarget)].Release()
	if c.pdus == 0 {
		c.closed = true
		return
	}
	if c.s.Closed == "" {
		c.s.Closed = closedHow(c.s.LogoutResponses)
	}
}

// closedHow names a connection's end by whether a logout completed first.
func closedHow(logoutResponses int) string {
	if logoutResponses > 0 {
		return "after-logout"
	}
	return "without-logout"
}

// lost notes that bytes of a direction were never captured.
func (c *conn) lost(fromTarget bool) { c.framers[dirIndex(fromTarget)].Lost() }

func dirIndex(fromTarget bool) int {
	if fromTarget {
		return 1
	}
	return 0
}

func (c *conn) touch(t time.Time) {
	c.now = t
	if c.s.FirstSeen.IsZero() || t.Before(c.s.FirstSeen) {
		c.s.FirstSeen = t
	}
	if t.After(c.s.LastSeen) {
		c.s.LastSeen = t
	}
}

func (c *conn) handle(p *iscsi.PDU) {
	c.pdus++
	switch p.Opcode() {
	case iscsi.OpSCSICommand:
		c.command(p)
	case iscsi.OpTaskMgmtReq:
		c.s.TMFs = appendEvent(c.s, c.s.TMFs, TMF{Time: c.now, LUN: p.LUN(), Function: p.Function(),
			Name: iscsi.TMFName(p.Function()), RefTaskTag: p.RefTaskTag()})
	case iscsi.OpAsyncMsg:
		c.async(p)
	case iscsi.OpSCSIResponse:
		c.response(p)
	case iscsi.OpDataIn:
		if p.Flags()&iscsi.FlagStatus != 0 {
			delete(c.tasks, p.ITT())
		}
	case iscsi.OpLoginReq, iscsi.OpLoginResp:
		c.login(p)
	case iscsi.OpLogoutReq:
		c.s.Logouts++
	case iscsi.OpLogoutResp:
		if p.Response() == 0 {
			c.s.LogoutResponses++
		}
	case iscsi.OpReject:
		c.s.Rejects++
	}
}

func (c *conn) lun(p *iscsi.PDU) *LUN {
	n := p.LUN()
	l := c.luns[n]
	if l == nil {
		f := p.LUNField()
		l = &LUN{LUN: n, Field: iscsi.FormatLUN(f), Addressing: iscsi.LUNAddressing(f),
			Opcodes: map[string]int{}, firstByOp: map[string]time.Time{}, FirstSeen: c.now}
		c.luns[n] = l
	}
	return l
}

// task is what a response needs to know about its command.
type task struct {
	lun  uint64
	name string
}

// maxTasks bounds the open-command table: commands whose responses are
// not in the capture must not make it grow without end.
const maxTasks = 1 << 16

func (c *conn) command(p *iscsi.PDU) {
	l := c.lun(p)
	name := iscsi.CDBName(p.CDB())
	if len(c.tasks) >= maxTasks {
		clear(c.tasks)
	}
	c.tasks[p.ITT()] = task{lun: l.LUN, name: name}
	c.commands++
	l.Commands++
	l.Opcodes[name]++
	if _, ok := l.firstByOp[name]; !ok {
		l.firstByOp[name] = c.now
	}
	l.LastSeen = c.now
	if p.CDB()[0] == iscsi.ScsiReportLUNs {
		l.ReportLUNs++
		c.s.ReportLUNs = appendEvent(c.s, c.s.ReportLUNs, Event{Time: c.now, LUN: l.LUN})
	}
}

// statusCheckCondition is the SCSI status that carries sense data.
const statusCheckCondition = 0x02

func (c *conn) response(p *iscsi.PDU) {
	t, known := c.tasks[p.ITT()]
	delete(c.tasks, p.ITT())
	if p.Response() != 0 || p.Status() != statusCheckCondition {
		return
	}
	cc := CheckCondition{Time: c.now, LUN: t.lun, Opcode: t.name}
	if !known {
		cc.LUN, cc.Opcode = 0, ""
	}
	if s, ok := iscsi.ParseAsyncSense(p.Data); ok {
		cc.Sense = senseInfo(s)
	}
	c.s.CheckConditions = appendEvent(c.s, c.s.CheckConditions, cc)
}

func senseInfo(s iscsi.Sense) *SenseInfo {
	return &SenseInfo{Format: s.Format, Key: s.Key, ASC: s.ASC, ASCQ: s.ASCQ, Text: s.String()}
}

// countAfterAENs tells, per AEN, how many REPORT LUNS and commands
// followed it.
func (c *conn) countAfterAENs() {
	for i := range c.s.AENs {
		a := &c.s.AENs[i]
		a.ReportLUNsAfter, a.CommandsAfter = 0, c.commands-a.commandsBefore
		for _, e := range c.s.ReportLUNs {
			if !e.Time.Before(a.Time) {
				a.ReportLUNsAfter++
			}
		}
	}
}

func (c *conn) async(p *iscsi.PDU) {
	a := AEN{Time: c.now, LUN: p.LUN(), Event: p.AsyncEvent(), EventName: iscsi.AsyncEventName(p.AsyncEvent()),
		VCode: p.AsyncVCode(), Params: [3]uint16{p.Parameter(0), p.Parameter(1), p.Parameter(2)},
		commandsBefore: c.commands}
	if s, ok := iscsi.ParseAsyncSense(p.Data); ok {
		a.Sense = senseInfo(s)
	}
	c.s.AENs = appendEvent(c.s, c.s.AENs, a)
}

// maxLoginText bounds the login text collected across C-bit PDUs (real
// logins need a few KiB).
const maxLoginText = 1 << 16

// login learns names and digests from the login exchange. Key=value pairs
// may be split over PDUs with the C bit, so data is collected until a PDU
// without it.
func (c *conn) login(p *iscsi.PDU) {
	d := dirIndex(p.Opcode().FromTarget())
	if len(c.text[d])+len(p.Data) > maxLoginText { // endless C bits: keep the latest
		c.text[d] = c.text[d][:0]
	}
	c.text[d] = append(c.text[d], p.Data...)
	if p.Continue() {
		return
	}
	kv := iscsi.ParseText(c.text[d])
	c.text[d] = c.text[d][:0]
	c.s.LoginSeen = true
	if p.Opcode() == iscsi.OpLoginReq {
		c.loginRequest(p, kv)
		return
	}
	c.learnDigests(kv)
	if p.StatusClass() != 0 {
		c.s.LoginFailures++
		return
	}
	c.s.TSIH = p.TSIH()
	if p.Transit() && p.NSG() == iscsi.StageFullFeature {
		c.s.Logins++
		c.enterFullFeature()
	}
}

func (c *conn) loginRequest(p *iscsi.PDU, kv []iscsi.KeyValue) {
	isid := p.ISID()
	c.s.ISID = hex.EncodeToString(isid[:])
	c.s.CID = p.CID()
	if v, ok := iscsi.Lookup(kv, "InitiatorName"); ok {
		c.s.Initiator = v
	}
	if v, ok := iscsi.Lookup(kv, "TargetName"); ok {
		c.s.Target = v
	}
	if v, ok := iscsi.Lookup(kv, "SessionType"); ok {
		c.s.SessionType = v
	}
	c.learnDigests(kv)
}

// learnDigests keeps the last single value of each digest key: offers are
// lists ("CRC32C,None"), the answer that settles them is a single value.
func (c *conn) learnDigests(kv []iscsi.KeyValue) {
	for _, p := range kv {
		if strings.Contains(p.Value, ",") {
			continue
		}
		switch p.Key {
		case "HeaderDigest":
			c.hd = p.Value
		case "DataDigest":
			c.dd = p.Value
		}
	}
}

// enterFullFeature switches both directions to the negotiated digests,
// which apply from the first PDU after the final Login Response.
func (c *conn) enterFullFeature() {
	c.s.HeaderDigest = c.hd == "CRC32C"
	c.s.DataDigest = c.dd == "CRC32C"
	for _, f := range c.framers {
		f.HeaderDigest, f.DataDigest, f.DigestsKnown = c.s.HeaderDigest, c.s.DataDigest, true
	}
	if c.s.SessionType == "" {
		c.s.SessionType = "Normal"
	}
}

// finish copies framer statistics and sorted LUNs into the session.
func (c *conn) finish() {
	c.s.Resyncs, c.s.SkippedBytes, c.s.DigestErrors = 0, 0, 0
	for _, f := range c.framers {
		c.s.Resyncs += f.Resyncs
		c.s.SkippedBytes += f.Skipped
		c.s.DigestErrors += f.BadCRC
	}
	if !c.s.LoginSeen { // no login: report what resynchronising guessed
		f := c.framers[0]
		c.s.HeaderDigest, c.s.DataDigest = f.HeaderDigest, f.DataDigest
	}
	c.countAfterAENs()
	c.s.LUNs = c.s.LUNs[:0]
	for _, l := range c.luns {
		c.s.LUNs = append(c.s.LUNs, l)
	}
	sortLUNs(c.s.LUNs)
}
