package target

import "encoding/binary"

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
