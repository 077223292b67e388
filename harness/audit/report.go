package audit

import "time"

// ReportVersion changes when a field of the JSON report changes meaning or
// disappears. Adding fields does not change it.
const ReportVersion = 1

// Report is the whole result of an audit; it is what `lunwatch --format
// json` prints. Slices are sorted so that the same input always gives the
// same bytes.
type Report struct {
	Version  int        `json:"version"`
	Inputs   []string   `json:"inputs"`
	Packets  int64      `json:"packets"`
	PDUs     int64      `json:"pdus"`
	Start    *time.Time `json:"start,omitempty"`
	End      *time.Time `json:"end,omitempty"`
	Sessions []*Session `json:"sessions"`
	Verdict  Verdict    `json:"verdict"`
}

// Session is one TCP connection of an iSCSI session, with what its login
// told us about the session.
type Session struct {
	ID            int       `json:"id"`
	Initiator     string    `json:"initiator"`
	Target        string    `json:"target"`
	SessionType   string    `json:"session_type"`
	ISID          string    `json:"isid"`
	TSIH          uint16    `json:"tsih"`
	CID           uint16    `json:"cid"`
	Client        string    `json:"client"`
	Server        string    `json:"server"`
	HeaderDigest  bool      `json:"header_digest"`
	DataDigest    bool      `json:"data_digest"`
	LoginSeen     bool      `json:"login_seen"`
	Logins        int       `json:"logins"`
	LoginFailures int       `json:"login_failures"`
	Logouts       int       `json:"logouts"`
	FirstSeen     time.Time `json:"first_seen"`
	LastSeen      time.Time `json:"last_seen"`
	LUNs          []*LUN    `json:"luns"`
	ReportLUNs    []Event   `json:"report_luns"`
	AENs          []AEN     `json:"aens"`
	TMFs          []TMF     `json:"tmfs"`
	// CheckConditions are SCSI Responses with CHECK CONDITION status, with
	// the command they answer (a unit attention such as 3F/0E shows here).
	CheckConditions []CheckCondition `json:"check_conditions"`
	Rejects         int              `json:"rejects"`
	EventsDropped   int              `json:"events_dropped"` // beyond 10000 per list
	Resyncs         int              `json:"resyncs"`
	SkippedBytes    int64            `json:"skipped_bytes"`
	DigestErrors    int              `json:"digest_errors"`
	// LogoutResponses counts Logout Responses that closed the session or
	// connection (response 0).
	LogoutResponses int `json:"logout_responses"`
	// Closed is how the TCP connection ended: "" (open when the capture
	// ends), "after-logout" (its first FIN or RST came after a successful
	// Logout Response: a clean logout), "without-logout".
	Closed string `json:"closed,omitempty"`
}

// LUN is the account of one logical unit within a session.
type LUN struct {
	LUN        uint64         `json:"lun"`        // as Linux numbers it (scsilun_to_int)
	Field      string         `json:"lun_field"`  // the 8 bytes on the wire, hex
	Addressing string         `json:"addressing"` // peripheral, flat, logical-unit, extended
	Commands   int            `json:"commands"`
	Opcodes    map[string]int `json:"opcodes"` // CDB name -> count
	ReportLUNs int            `json:"report_luns"`
	FirstSeen  time.Time      `json:"first_seen"`
	LastSeen   time.Time      `json:"last_seen"`

	firstByOp map[string]time.Time
}

// Event is a command seen at a time on a LUN.
type Event struct {
	Time time.Time `json:"time"`
	LUN  uint64    `json:"lun"`
}

// AEN is an Asynchronous Message from the target.
type AEN struct {
	Time      time.Time  `json:"time"`
	LUN       uint64     `json:"lun"`
	Event     uint8      `json:"event"`
	EventName string     `json:"event_name"`
	VCode     uint8      `json:"vcode"`
	Params    [3]uint16  `json:"parameters"`
	Sense     *SenseInfo `json:"sense,omitempty"`
	// What the initiator did after it: REPORT LUNS and commands in the
	// same session from this AEN on (the rescan an AEN may trigger).
	ReportLUNsAfter int `json:"report_luns_after"`
	CommandsAfter   int `json:"commands_after"`

	commandsBefore int
}

// SenseInfo is parsed sense data.
type SenseInfo struct {
	Format string `json:"format"` // fixed or descriptor
	Key    uint8  `json:"key"`
	ASC    uint8  `json:"asc"`
	ASCQ   uint8  `json:"ascq"`
	Text   string `json:"text"`
}

// CheckCondition is a command that ended in CHECK CONDITION.
type CheckCondition struct {
	Time   time.Time  `json:"time"`
	LUN    uint64     `json:"lun"`
	Opcode string     `json:"opcode"` // "" when the command was not captured
	Sense  *SenseInfo `json:"sense,omitempty"`
}

// TMF is a task management request.
type TMF struct {
	Time       time.Time `json:"time"`
	LUN        uint64    `json:"lun"`
	Function   uint8     `json:"function"`
	Name       string    `json:"name"`
	RefTaskTag uint32    `json:"ref_task_tag"`
}

// Verdict is the judgement against the options.
type Verdict struct {
	Clean            bool        `json:"clean"`
	AllowLUNs        *string     `json:"allow_luns"` // null when every LUN is allowed
	ForbidReportLUNs bool        `json:"forbid_report_luns"`
	Violations       []Violation `json:"violations"`
}

// Violation aggregates the offending commands of one kind.
type Violation struct {
	Session   int       `json:"session"`
	Target    string    `json:"target"`
	LUN       uint64    `json:"lun"`
	Opcode    string    `json:"opcode"`
	Reason    string    `json:"reason"` // "lun-not-allowed" or "report-luns"
	Count     int       `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
}
