package target

import "encoding/binary"

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
