// Package agentproto is the wire format between the lab (host) and the
// agent running inside the qemu guest: one JSON object per line over TCP,
// one response per request, in order.
package agentproto

// GuestPort is the TCP port the agent listens on inside the guest; the host
// reaches it through a qemu hostfwd on a free loopback port.
const GuestPort = 7000

// Operations understood by the agent.
const (
	OpPing     = "ping"     // liveness; Response.Out holds the guest uptime
	OpRun      = "run"      // run Script with sh -c, wait at most TimeoutMS
	OpStart    = "start"    // start Script in the background, Response.PID
	OpKill     = "kill"     // send Signal (default 15) to PID
	OpRead     = "read"     // read file Path into Response.Out
	OpWrite    = "write"    // write Data to file Path (no truncate for sysfs)
	OpSCSI     = "scsi"     // list /sys/class/scsi_device into Response.Devices
	OpBlock    = "block"    // list /sys/block into Response.Blocks
	OpScan     = "scan"     // write Data ("C T L") to scsi_host/host<Host>/scan
	OpPoweroff = "poweroff" // sync and power the guest off
)

// Request is one command to the agent.
type Request struct {
	Op        string            `json:"op"`
	Script    string            `json:"script,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
	TimeoutMS int               `json:"timeout_ms,omitempty"`
	PID       int               `json:"pid,omitempty"`
	Signal    int               `json:"signal,omitempty"`
	Path      string            `json:"path,omitempty"`
	Data      string            `json:"data,omitempty"`
	Host      int               `json:"host,omitempty"`
}

// Device is one entry of /sys/class/scsi_device with what sysfs says of it.
type Device struct {
	HCTL   string `json:"hctl"` // "H:C:T:L"
	Host   int    `json:"host"`
	Chan   int    `json:"channel"`
	Target int    `json:"target"`
	LUN    uint64 `json:"lun"`
	Vendor string `json:"vendor,omitempty"`
	Model  string `json:"model,omitempty"`
	Type   string `json:"type,omitempty"`  // peripheral device type number
	Block  string `json:"block,omitempty"` // e.g. "sda" when sd attached
}

// Block is one entry of /sys/block.
type Block struct {
	Name    string `json:"name"`
	Sectors uint64 `json:"sectors"` // 512-byte units, as sysfs "size"
}

// Response answers one Request. Err is set when the agent could not do the
// operation at all; a command that ran and failed has Exit != 0 instead.
type Response struct {
	Err      string   `json:"err,omitempty"`
	Out      string   `json:"out,omitempty"`
	ErrOut   string   `json:"errout,omitempty"`
	Exit     int      `json:"exit"`
	TimedOut bool     `json:"timed_out,omitempty"`
	PID      int      `json:"pid,omitempty"`
	Devices  []Device `json:"devices,omitempty"`
	Blocks   []Block  `json:"blocks,omitempty"`
}
