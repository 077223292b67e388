// Package iscsi decodes and builds iSCSI PDUs (RFC 7143) and gives SCSI
// meaning to what they carry: LUN numbers as Linux counts them, CDB names,
// task management functions, asynchronous events and sense data.
//
// The same PDU type is used to decode captures (lunwatch, audit) and to
// build replies (the emulated target), so both sides agree on the format.
package iscsi

import "fmt"

// Opcode is the 6-bit operation code in byte 0 of the basic header.
type Opcode uint8

// Initiator opcodes (RFC 7143 section 11.1.1).
const (
	OpNOPOut      Opcode = 0x00
	OpSCSICommand Opcode = 0x01
	OpTaskMgmtReq Opcode = 0x02
	OpLoginReq    Opcode = 0x03
	OpTextReq     Opcode = 0x04
	OpDataOut     Opcode = 0x05
	OpLogoutReq   Opcode = 0x06
	OpSNACKReq    Opcode = 0x10
)

// Target opcodes.
const (
	OpNOPIn        Opcode = 0x20
	OpSCSIResponse Opcode = 0x21
	OpTaskMgmtResp Opcode = 0x22
	OpLoginResp    Opcode = 0x23
	OpTextResp     Opcode = 0x24
	OpDataIn       Opcode = 0x25
	OpLogoutResp   Opcode = 0x26
	OpR2T          Opcode = 0x31
	OpAsyncMsg     Opcode = 0x32
	OpReject       Opcode = 0x3f
)

var opcodeNames = map[Opcode]string{
	OpNOPOut: "NOP-Out", OpSCSICommand: "SCSI Command", OpTaskMgmtReq: "Task Management Request",
	OpLoginReq: "Login Request", OpTextReq: "Text Request", OpDataOut: "SCSI Data-Out",
	OpLogoutReq: "Logout Request", OpSNACKReq: "SNACK Request",
	OpNOPIn: "NOP-In", OpSCSIResponse: "SCSI Response", OpTaskMgmtResp: "Task Management Response",
	OpLoginResp: "Login Response", OpTextResp: "Text Response", OpDataIn: "SCSI Data-In",
	OpLogoutResp: "Logout Response", OpR2T: "Ready To Transfer", OpAsyncMsg: "Asynchronous Message",
	OpReject: "Reject",
}

// Known reports whether op is an opcode defined by RFC 7143.
func (op Opcode) Known() bool { _, ok := opcodeNames[op]; return ok }

// FromTarget reports whether PDUs with this opcode travel target to initiator.
func (op Opcode) FromTarget() bool { return op&0x20 != 0 }

func (op Opcode) String() string {
	if n, ok := opcodeNames[op]; ok {
		return n
	}
	return fmt.Sprintf("opcode 0x%02x", uint8(op))
}

// Flag bits in byte 1 of the basic header.
const (
	FlagFinal    = 0x80 // F: last PDU of a sequence
	FlagRead     = 0x40 // R (SCSI Command)
	FlagWrite    = 0x20 // W (SCSI Command)
	FlagContinue = 0x40 // C (Login, Text)
	FlagTransit  = 0x80 // T (Login)
	FlagAck      = 0x40 // A (Data-In)
	FlagStatus   = 0x01 // S (Data-In): status carried in this PDU
	FlagImmed    = 0x40 // I bit in byte 0
)

// Task management function codes (byte 1, low 7 bits, of a TMF request).
const (
	TMFAbortTask       = 1
	TMFAbortTaskSet    = 2
	TMFClearACA        = 3
	TMFClearTaskSet    = 4
	TMFLogicalUnitRst  = 5
	TMFTargetWarmReset = 6
	TMFTargetColdReset = 7
	TMFTaskReassign    = 8
)

var tmfNames = []string{"", "ABORT TASK", "ABORT TASK SET", "CLEAR ACA", "CLEAR TASK SET",
	"LOGICAL UNIT RESET", "TARGET WARM RESET", "TARGET COLD RESET", "TASK REASSIGN"}

// TMFName names a task management function code.
func TMFName(fn uint8) string {
	if int(fn) < len(tmfNames) && fn != 0 {
		return tmfNames[fn]
	}
	return fmt.Sprintf("TMF 0x%02x", fn)
}

// Asynchronous event codes (byte 36 of an Asynchronous Message).
const (
	AsyncSCSIEvent          = 0
	AsyncRequestLogout      = 1
	AsyncDropConnection     = 2
	AsyncDropAllConns       = 3
	AsyncRequestNegotiation = 4
	AsyncTaskTermination    = 5
	AsyncVendor             = 255
)

var asyncNames = []string{"SCSI event", "logout requested", "connection dropped",
	"all connections dropped", "negotiation requested", "task termination"}

// AsyncEventName names an asynchronous event code.
func AsyncEventName(ev uint8) string {
	if int(ev) < len(asyncNames) {
		return asyncNames[ev]
	}
	if ev == AsyncVendor {
		return "vendor specific"
	}
	return fmt.Sprintf("async event %d", ev)
}
