package iscsi

import (
	"encoding/binary"
	"hash/crc32"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CRC32C returns the iSCSI digest (CRC32C, RFC 7143 section 13.1) of the
// concatenation of parts.
func CRC32C(parts ...[]byte) uint32 {
	var c uint32
	for _, b := range parts {
		c = crc32.Update(c, castagnoli, b)
	}
	return c
}

// The digest travels least significant byte first: RFC 3720 appendix B.4
// gives 32 zero bytes the digest bytes aa 36 91 8a, i.e. 0x8a9136aa.
func putDigest(b []byte, c uint32) { binary.LittleEndian.PutUint32(b, c) }
func getDigest(b []byte) uint32    { return binary.LittleEndian.Uint32(b) }

// dataCRC is the digest over data plus its zero padding.
func dataCRC(data []byte) uint32 {
	var zero [3]byte
	return CRC32C(data, zero[:pad4(len(data))-len(data)])
}
