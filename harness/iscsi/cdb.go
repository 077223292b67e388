package iscsi

import "fmt"

// SCSI operation codes the audit and the emulated target care about.
const (
	ScsiTestUnitReady   = 0x00
	ScsiRequestSense    = 0x03
	ScsiRead6           = 0x08
	ScsiWrite6          = 0x0a
	ScsiInquiry         = 0x12
	ScsiModeSense6      = 0x1a
	ScsiStartStopUnit   = 0x1b
	ScsiReadCapacity10  = 0x25
	ScsiRead10          = 0x28
	ScsiWrite10         = 0x2a
	ScsiSyncCache10     = 0x35
	ScsiModeSense10     = 0x5a
	ScsiRead16          = 0x88
	ScsiWrite16         = 0x8a
	ScsiSyncCache16     = 0x91
	ScsiServiceActionIn = 0x9e
	ScsiReportLUNs      = 0xa0
	ScsiMaintenanceIn   = 0xa3
	ScsiMaintenanceOut  = 0xa4

	SAReadCapacity16 = 0x10 // SERVICE ACTION IN(16)
	SAGetLBAStatus   = 0x12
	SAReportTPG      = 0x0a // MAINTENANCE IN
	SAReportOpcodes  = 0x0c
	SAReportTMFs     = 0x0d
)

var cdbNames = map[uint8]string{
	0x00: "TEST UNIT READY", 0x01: "REZERO UNIT", 0x03: "REQUEST SENSE", 0x04: "FORMAT UNIT",
	0x08: "READ(6)", 0x0a: "WRITE(6)", 0x0b: "SEEK(6)", 0x12: "INQUIRY", 0x15: "MODE SELECT(6)",
	0x16: "RESERVE(6)", 0x17: "RELEASE(6)", 0x1a: "MODE SENSE(6)", 0x1b: "START STOP UNIT",
	0x1c: "RECEIVE DIAGNOSTIC RESULTS", 0x1d: "SEND DIAGNOSTIC",
	0x1e: "PREVENT ALLOW MEDIUM REMOVAL", 0x25: "READ CAPACITY(10)", 0x28: "READ(10)",
	0x2a: "WRITE(10)", 0x2b: "SEEK(10)", 0x2e: "WRITE AND VERIFY(10)", 0x2f: "VERIFY(10)",
	0x34: "PRE-FETCH(10)", 0x35: "SYNCHRONIZE CACHE(10)", 0x37: "READ DEFECT DATA(10)",
	0x3b: "WRITE BUFFER", 0x3c: "READ BUFFER", 0x41: "WRITE SAME(10)", 0x42: "UNMAP",
	0x43: "READ TOC", 0x46: "GET CONFIGURATION", 0x48: "SANITIZE",
	0x4a: "GET EVENT STATUS NOTIFICATION", 0x4c: "LOG SELECT", 0x4d: "LOG SENSE",
	0x55: "MODE SELECT(10)", 0x56: "RESERVE(10)", 0x57: "RELEASE(10)", 0x5a: "MODE SENSE(10)",
	0x5e: "PERSISTENT RESERVE IN", 0x5f: "PERSISTENT RESERVE OUT", 0x7f: "VARIABLE LENGTH",
	0x83: "EXTENDED COPY", 0x84: "RECEIVE COPY RESULTS", 0x85: "ATA PASS-THROUGH(16)",
	0x88: "READ(16)", 0x89: "COMPARE AND WRITE", 0x8a: "WRITE(16)", 0x8e: "WRITE AND VERIFY(16)",
	0x8f: "VERIFY(16)", 0x90: "PRE-FETCH(16)", 0x91: "SYNCHRONIZE CACHE(16)",
	0x93: "WRITE SAME(16)", 0x9e: "SERVICE ACTION IN(16)", 0x9f: "SERVICE ACTION OUT(16)",
	0xa0: "REPORT LUNS", 0xa1: "ATA PASS-THROUGH(12)", 0xa2: "SECURITY PROTOCOL IN",
	0xa3: "MAINTENANCE IN", 0xa4: "MAINTENANCE OUT", 0xa8: "READ(12)", 0xaa: "WRITE(12)",
	0xb5: "SECURITY PROTOCOL OUT",
}

var serviceActionNames = map[[2]uint8]string{
	{0x9e, 0x10}: "READ CAPACITY(16)", {0x9e, 0x12}: "GET LBA STATUS",
	{0xa3, 0x05}: "REPORT IDENTIFYING INFORMATION", {0xa3, 0x0a}: "REPORT TARGET PORT GROUPS",
	{0xa3, 0x0c}: "REPORT SUPPORTED OPERATION CODES",
	{0xa3, 0x0d}: "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS",
	{0xa4, 0x0a}: "SET TARGET PORT GROUPS",
}

// OpcodeName names a SCSI operation code alone.
func OpcodeName(op uint8) string {
	if n, ok := cdbNames[op]; ok {
		return n
	}
	return fmt.Sprintf("OPCODE 0x%02x", op)
}

// CDBName names a CDB as precisely as the audit reports it: service actions
// are resolved, and an INQUIRY with EVPD set names its VPD page, because
// scanning sends several of each and they mean different things.
func CDBName(cdb []byte) string {
	if len(cdb) == 0 {
		return "EMPTY CDB"
	}
	op := cdb[0]
	switch op {
	case ScsiInquiry:
		if len(cdb) > 2 && cdb[1]&1 != 0 {
			return fmt.Sprintf("INQUIRY VPD 0x%02x", cdb[2])
		}
	case ScsiServiceActionIn, ScsiMaintenanceIn, ScsiMaintenanceOut:
		if len(cdb) > 1 {
			if n, ok := serviceActionNames[[2]uint8{op, cdb[1] & 0x1f}]; ok {
				return n
			}
			return fmt.Sprintf("%s SA 0x%02x", OpcodeName(op), cdb[1]&0x1f)
		}
	}
	return OpcodeName(op)
}
