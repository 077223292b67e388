package target

import "encoding/binary"

// SCSI operation codes the target implements.
const (
	opTestUnitReady  = 0x00
	opRequestSense   = 0x03
	opRead6          = 0x08
	opWrite6         = 0x0a
	opInquiry        = 0x12
	opModeSense6     = 0x1a
	opStartStopUnit  = 0x1b
	opReadCapacity10 = 0x25
	opRead10         = 0x28
	opWrite10        = 0x2a
	opSyncCache10    = 0x35
	opModeSense10    = 0x5a
	opRead16         = 0x88
	opWrite16        = 0x8a
	opSyncCache16    = 0x91
	opServiceIn16    = 0x9e // service action 0x10 = READ CAPACITY 16
	opReportLUNs     = 0xa0
	opRead12         = 0xa8
	opWrite12        = 0xaa
)

// Result is what a SCSI command produced: status, Data-In and, for CHECK
// CONDITION, the sense data already encoded.
type Result struct {
	Status byte
	Data   []byte
	Sense  []byte
}

// device is the view of one LUN address a command sees: the LU (nil when
// nothing is configured there) and the target-wide facts it reports.
type device struct {
	lu     *LUN
	num    uint16
	format SenseFormat
	luns   []uint16 // sorted LUN numbers for REPORT LUNS
	vendor string
	prod   string
}

func (d *device) good(data []byte) Result { return Result{Status: StatusGood, Data: data} }

func (d *device) check(s Sense) Result {
	return Result{Status: StatusCheckCondition, Sense: s.Bytes(d.format)}
}

// exec runs one command. out is the Data-Out the initiator sent (writes).
// Commands that make sense without a logical unit (INQUIRY, REPORT LUNS,
// REQUEST SENSE) are answered at any address, as Linux's scanner expects.
func (d *device) exec(cdb, out []byte) Result {
	if len(cdb) < 6 {
		return d.check(SenseInvalidField)
	}
	switch cdb[0] {
	case opInquiry:
		return d.inquiry(cdb)
	case opReportLUNs:
		return d.reportLUNs(cdb)
	case opRequestSense:
		return d.requestSense(cdb)
	}
	if d.lu == nil {
		return d.check(SenseLUNNotSupported)
	}
	return d.execLU(cdb, out)
}

// execLU handles the commands that need a logical unit.
func (d *device) execLU(cdb, out []byte) Result {
	switch cdb[0] {
	case opTestUnitReady, opStartStopUnit, opSyncCache10, opSyncCache16:
		return d.good(nil)
	case opReadCapacity10:
		return d.readCapacity10()
	case opServiceIn16:
		if cdb[1]&0x1f != 0x10 {
			return d.check(SenseInvalidField)
		}
		return d.readCapacity16(cdb)
	case opModeSense6, opModeSense10:
		return d.modeSense(cdb)
	case opRead6, opRead10, opRead12, opRead16:
		return d.read(cdb)
	case opWrite6, opWrite10, opWrite12, opWrite16:
		return d.write(cdb, out)
	}
	return d.check(SenseInvalidOpcode)
}

// truncate applies an allocation length.
func truncate(b []byte, alloc uint32) []byte {
	if uint32(len(b)) > alloc {
		return b[:alloc]
	}
	return b
}

func (d *device) requestSense(cdb []byte) Result {
	return d.good(truncate(Sense{}.Bytes(d.format), uint32(cdb[4])))
}

func (d *device) readCapacity10() Result {
	b := make([]byte, 8)
	last := d.lu.Blocks() - 1
	if last > 0xffffffff {
		last = 0xffffffff // tells the host to use READ CAPACITY 16
	}
	binary.BigEndian.PutUint32(b, uint32(last))
	binary.BigEndian.PutUint32(b[4:], d.lu.BlockSize())
	return d.good(b)
}

func (d *device) readCapacity16(cdb []byte) Result {
	b := make([]byte, 32)
	binary.BigEndian.PutUint64(b, d.lu.Blocks()-1)
	binary.BigEndian.PutUint32(b[8:], d.lu.BlockSize())
	return d.good(truncate(b, binary.BigEndian.Uint32(cdb[10:14])))
}

// reportLUNs lists the configured LUNs (SELECT REPORT 0, 1 and 2 all give
// the same list: there are no well-known LUNs).
func (d *device) reportLUNs(cdb []byte) Result {
	if len(cdb) < 12 {
		return d.check(SenseInvalidField)
	}
	alloc := binary.BigEndian.Uint32(cdb[6:10])
	if alloc < 16 {
		return d.check(SenseInvalidField) // SPC: at least 16 bytes
	}
	b := make([]byte, 8+8*len(d.luns))
	binary.BigEndian.PutUint32(b, uint32(8*len(d.luns)))
	for i, n := range d.luns {
		copy(b[8+8*i:], EncodeLUN(n))
	}
	return d.good(truncate(b, alloc))
}

// EncodeLUN gives the 8-byte LUN field for a target LUN number: peripheral
// device addressing below 256, flat space addressing up to 16383.
func EncodeLUN(n uint16) []byte {
	b := make([]byte, 8)
	if n < 256 {
		b[1] = byte(n)
	} else {
		b[0] = 0x40 | byte(n>>8)&0x3f
		b[1] = byte(n)
	}
	return b
}

// DecodeLUN turns an 8-byte LUN field back into a target LUN number. ok
// is false for addressing the target does not use (bus != 0, logical unit
// or extended addressing, non-zero second level), which then addresses no
// LU.
func DecodeLUN(b []byte) (n uint16, ok bool) {
	if len(b) < 8 {
		return 0, false
	}
	for _, x := range b[2:8] {
		if x != 0 {
			return 0, false
		}
	}
	switch b[0] >> 6 {
	case 0:
		return uint16(b[1]), b[0] == 0
	case 1:
		return uint16(b[0]&0x3f)<<8 | uint16(b[1]), true
	}
	return 0, false
}

// LinuxLUN is the number Linux's scsilun_to_int gives the LUN field for n
// (flat addressing keeps its method bits: target LUN 256 is Linux 16640).
func LinuxLUN(n uint16) uint64 {
	b := EncodeLUN(n)
	return uint64(b[0])<<8 | uint64(b[1])
}
