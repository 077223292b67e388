package target

import (
	"encoding/binary"

	"autoscan/harness/iscsi"
)

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
// device addressing below 256, flat space addressing up to 16383
// (iscsi.FlatLUN, as a slice).
func EncodeLUN(n uint16) []byte {
	b := iscsi.FlatLUN(n)
	return b[:]
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
func LinuxLUN(n uint16) uint64 { return iscsi.LUNToInt(iscsi.FlatLUN(n)) }

// rwArgs decodes LBA and block count from READ/WRITE 6/10/12/16 CDBs.
// ok is false when a field the target does not support is set
// (protection information).
func rwArgs(cdb []byte) (lba, n uint64, ok bool) {
	switch cdb[0] {
	case opRead6, opWrite6:
		lba = uint64(cdb[1]&0x1f)<<16 | uint64(binary.BigEndian.Uint16(cdb[2:4]))
		n = uint64(cdb[4])
		if n == 0 {
			n = 256 // SBC: 0 means 256 blocks for the 6-byte form
		}
		return lba, n, true
	case opRead10, opWrite10:
		if len(cdb) < 10 {
			return 0, 0, false
		}
		lba = uint64(binary.BigEndian.Uint32(cdb[2:6]))
		n = uint64(binary.BigEndian.Uint16(cdb[7:9]))
	case opRead12, opWrite12:
		if len(cdb) < 12 {
			return 0, 0, false
		}
		lba = uint64(binary.BigEndian.Uint32(cdb[2:6]))
		n = uint64(binary.BigEndian.Uint32(cdb[6:10]))
	default:
		if len(cdb) < 16 {
			return 0, 0, false
		}
		lba = binary.BigEndian.Uint64(cdb[2:10])
		n = uint64(binary.BigEndian.Uint32(cdb[10:14]))
	}
	return lba, n, cdb[1]&0xe0 == 0 // RDPROTECT/WRPROTECT
}

func (d *device) read(cdb []byte) Result {
	lba, n, ok := rwArgs(cdb)
	if !ok {
		return d.check(SenseInvalidField)
	}
	if !d.lu.inRange(lba, n) {
		return d.check(SenseLBAOutOfRange)
	}
	bs := uint64(d.lu.BlockSize())
	b := make([]byte, n*bs)
	d.lu.ReadAt(b, lba*bs)
	return d.good(b)
}

// write stores the Data-Out. A short Data-Out (the initiator sent less
// than the CDB asked for) writes what arrived; the iSCSI layer reports the
// residual.
func (d *device) write(cdb, out []byte) Result {
	lba, n, ok := rwArgs(cdb)
	if !ok {
		return d.check(SenseInvalidField)
	}
	if !d.lu.inRange(lba, n) {
		return d.check(SenseLBAOutOfRange)
	}
	bs := uint64(d.lu.BlockSize())
	if uint64(len(out)) > n*bs {
		out = out[:n*bs]
	}
	d.lu.WriteAt(out, lba*bs)
	return d.good(nil)
}

// WriteLen is the Data-Out length a write CDB implies, 0 for other
// commands; the iSCSI layer uses it to check the expected transfer length.
func WriteLen(cdb []byte, blockSize uint32) uint64 {
	if len(cdb) == 0 {
		return 0
	}
	switch cdb[0] {
	case opWrite6, opWrite10, opWrite12, opWrite16:
		if _, n, ok := rwArgs(cdb); ok {
			return n * uint64(blockSize)
		}
	}
	return 0
}

// Mode page codes the target knows.
const (
	pageCaching = 0x08
	pageControl = 0x0a
	pageAll     = 0x3f
)

// modePage returns the current (or, when changeable is set, the
// changeable-mask) bytes of one mode page.
func (d *device) modePage(code byte, changeable bool) []byte {
	var b []byte
	switch code {
	case pageCaching:
		b = make([]byte, 20)
		b[0], b[1] = pageCaching, 18
		if !changeable {
			b[2] = 0x04 // WCE: Linux then flushes with SYNCHRONIZE CACHE
		}
	case pageControl:
		b = make([]byte, 12)
		b[0], b[1] = pageControl, 10
		if !changeable && d.format == SenseDescriptor {
			b[2] = 0x04 // D_SENSE
		}
	}
	return b
}

// modePages collects the requested page(s); ok false for unknown pages,
// subpages other than 0 (0xff only with page 0x3f) and saved values.
func (d *device) modePages(cdb []byte) (pages []byte, res Result, ok bool) {
	pc, code, sub := cdb[2]>>6, cdb[2]&0x3f, cdb[3]
	if pc == 3 {
		return nil, d.check(SenseSavingNotSupport), false
	}
	if sub != 0 && !(code == pageAll && sub == 0xff) {
		return nil, d.check(SenseInvalidField), false
	}
	if code == pageAll {
		pages = append(d.modePage(pageCaching, pc == 1), d.modePage(pageControl, pc == 1)...)
		return pages, Result{}, true
	}
	if pages = d.modePage(code, pc == 1); pages == nil {
		return nil, d.check(SenseInvalidField), false
	}
	return pages, Result{}, true
}

// modeSense answers MODE SENSE 6 and 10 without block descriptors (SPC
// allows zero of them); the header's device-specific byte says DPOFUA and
// not write protected.
func (d *device) modeSense(cdb []byte) Result {
	if cdb[0] == opModeSense10 && len(cdb) < 10 {
		return d.check(SenseInvalidField)
	}
	pages, res, ok := d.modePages(cdb)
	if !ok {
		return res
	}
	if cdb[0] == opModeSense6 {
		b := append(make([]byte, 4), pages...)
		b[0] = byte(len(b) - 1)
		b[2] = 0x10
		return d.good(truncate(b, uint32(cdb[4])))
	}
	b := append(make([]byte, 8), pages...)
	binary.BigEndian.PutUint16(b, uint16(len(b)-2))
	b[3] = 0x10
	return d.good(truncate(b, uint32(binary.BigEndian.Uint16(cdb[7:9]))))
}

// SCSI status bytes (SAM).
const (
	StatusGood           = 0x00
	StatusCheckCondition = 0x02
	StatusBusy           = 0x08
)

// Sense keys used by the target.
const (
	SenseNoSense        = 0x00
	SenseNotReady       = 0x02
	SenseIllegalRequest = 0x05
	SenseUnitAttention  = 0x06
	SenseAbortedCommand = 0x0b
)

// Sense is a sense key with its additional sense code and qualifier.
type Sense struct {
	Key, ASC, ASCQ byte
}

// Sense triples the target reports (SPC-4 annex).
var (
	SenseInvalidOpcode    = Sense{SenseIllegalRequest, 0x20, 0x00}
	SenseLBAOutOfRange    = Sense{SenseIllegalRequest, 0x21, 0x00}
	SenseInvalidField     = Sense{SenseIllegalRequest, 0x24, 0x00}
	SenseLUNNotSupported  = Sense{SenseIllegalRequest, 0x25, 0x00}
	SenseSavingNotSupport = Sense{SenseIllegalRequest, 0x39, 0x00}
	SenseReportedLUNsChg  = Sense{SenseUnitAttention, 0x3f, 0x0e}
	SenseParamListLength  = Sense{SenseIllegalRequest, 0x1a, 0x00}
	SenseDataPhaseError   = Sense{SenseAbortedCommand, 0x4b, 0x00}
)

// SenseFormat selects fixed (0x70) or descriptor (0x72) sense data.
type SenseFormat int

const (
	SenseFixed SenseFormat = iota
	SenseDescriptor
)

// Bytes encodes the sense data in the given format with the harness's
// builders: 18 bytes fixed (0x70), 8 bytes descriptor (0x72).
func (s Sense) Bytes(f SenseFormat) []byte {
	if f == SenseDescriptor {
		return iscsi.DescriptorSense(s.Key, s.ASC, s.ASCQ)
	}
	return iscsi.FixedSense(s.Key, s.ASC, s.ASCQ)
}

// Peripheral byte for "no logical unit at this address" (qualifier 3,
// unknown device type): Linux's scanner skips such an address.
const pqNoLUN = 0x7f

// vpdPages are the VPD pages the target supports, in the order VPD page
// 0x00 lists them; Linux's sd reads each one it finds listed.
var vpdPages = []byte{0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2}

func (d *device) inquiry(cdb []byte) Result {
	alloc := uint32(binary.BigEndian.Uint16(cdb[3:5]))
	evpd, page := cdb[1]&0x01 != 0, cdb[2]
	if cdb[1]&0x02 != 0 || (!evpd && page != 0) {
		return d.check(SenseInvalidField) // CmdDt, or page without EVPD
	}
	if !evpd {
		return d.good(truncate(d.stdInquiry(), alloc))
	}
	if d.lu == nil {
		return d.check(SenseLUNNotSupported)
	}
	body, ok := d.vpd(page)
	if !ok {
		return d.check(SenseInvalidField)
	}
	b := make([]byte, 4+len(body))
	b[1] = page
	binary.BigEndian.PutUint16(b[2:], uint16(len(body)))
	copy(b[4:], body)
	return d.good(truncate(b, alloc))
}

// versionDescriptors claimed in standard INQUIRY: SAM-5, iSCSI, SPC-4,
// SBC-3 (SPC-4 table of version descriptor values).
var versionDescriptors = []uint16{0x00a0, 0x0960, 0x0460, 0x04c0}

// stdInquiry is the standard data: a direct-access device claiming SPC-4
// (so Linux uses REPORT LUNS, VPD pages and READ CAPACITY 16), response
// format 2 with HiSup, command queueing, and version descriptors.
func (d *device) stdInquiry() []byte {
	b := make([]byte, 74)
	for i, v := range versionDescriptors {
		binary.BigEndian.PutUint16(b[58+2*i:], v)
	}
	if d.lu == nil {
		b[0] = pqNoLUN
	}
	b[2] = 0x06 // SPC-4
	b[3] = 0x12 // HiSup, response data format 2
	b[4] = byte(len(b) - 5)
	b[7] = 0x02 // CmdQue
	copy(b[8:16], padASCII(d.vendor, 8))
	copy(b[16:32], padASCII(d.prod, 16))
	copy(b[32:36], padASCII("0001", 4))
	return b
}

// padASCII space-pads or cuts s to n bytes, as SPC wants for text fields.
func padASCII(s string, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	copy(b, s)
	return b
}

// vpd returns the page body (after the 4-byte page header).
func (d *device) vpd(page byte) ([]byte, bool) {
	switch page {
	case 0x00:
		return append([]byte(nil), vpdPages...), true
	case 0x80:
		return []byte(d.lu.Serial()), true
	case 0x83:
		return d.vpdDeviceID(), true
	case 0xb0:
		return vpdBlockLimits(), true
	case 0xb1:
		b := make([]byte, 60)
		b[1] = 0x01 // medium rotation rate 1: non-rotating (RAM)
		return b, true
	case 0xb2:
		return make([]byte, 4), true // no thin provisioning (LBPME 0)
	}
	return nil, false
}

// vpdDeviceID gives an NAA 6 designator (what Linux prefers for the wwid)
// and a T10 vendor ID designator, both associated with the LU.
func (d *device) vpdDeviceID() []byte {
	naa := make([]byte, 4+16)
	naa[0], naa[1], naa[3] = 0x01, 0x03, 16 // binary, LU, NAA
	binary.BigEndian.PutUint64(naa[4:], 0x6<<60|d.lu.naa>>4)
	binary.BigEndian.PutUint64(naa[12:], d.lu.naa<<60|uint64(d.num))
	t10 := append(padASCII(d.vendor, 8), []byte(d.lu.Serial())...)
	hdr := []byte{0x02, 0x01, 0, byte(len(t10))} // ASCII, LU, T10 vendor ID
	return append(append(naa, hdr...), t10...)
}

// vpdBlockLimits reports no transfer limits and no UNMAP support.
func vpdBlockLimits() []byte {
	return make([]byte, 60)
}
