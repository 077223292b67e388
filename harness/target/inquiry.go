package target

import "encoding/binary"

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
