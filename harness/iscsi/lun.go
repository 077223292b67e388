package iscsi

import "fmt"

// LUNToInt turns an 8-byte SAM LUN into the number Linux gives it: the four
// 2-byte addressing levels are laid out lowest level first, so a
// peripheral-addressed LUN n is n, and a flat-addressed LUN n (first byte
// 0x40|n>>8) is 0x4000|n.
func LUNToInt(l [8]byte) uint64 {
	var n uint64
	for i := 0; i < 8; i += 2 {
		n |= (uint64(l[i])<<8 | uint64(l[i+1])) << (uint(i) * 8)
	}
	return n
}

// IntToLUN is the inverse of LUNToInt.
func IntToLUN(n uint64) [8]byte {
	var l [8]byte
	for i := 0; i < 8; i += 2 {
		l[i] = uint8(n >> (uint(i)*8 + 8))
		l[i+1] = uint8(n >> (uint(i) * 8))
	}
	return l
}

// FlatLUN encodes LUN n (< 16384) the way targets do for n > 255: flat
// space addressing when needed, peripheral addressing otherwise.
func FlatLUN(n uint16) [8]byte {
	var l [8]byte
	if n > 255 {
		l[0] = 0x40 | uint8(n>>8)&0x3f
	}
	l[1] = uint8(n)
	return l
}

// Addressing method names, from the two high bits of the first byte.
const (
	AddrPeripheral  = "peripheral"
	AddrFlat        = "flat"
	AddrLogicalUnit = "logical-unit"
	AddrExtended    = "extended"
)

// LUNAddressing names the addressing method of the first level of l.
func LUNAddressing(l [8]byte) string {
	return [...]string{AddrPeripheral, AddrFlat, AddrLogicalUnit, AddrExtended}[l[0]>>6]
}

// LUNShort returns the LUN the target means in its first addressing level:
// the bus/target-free number operators configure (flat 300 -> 300).
func LUNShort(l [8]byte) uint16 {
	switch l[0] >> 6 {
	case 0, 1:
		return uint16(l[0]&0x3f)<<8 | uint16(l[1])
	}
	return uint16(l[1] & 0x1f) // logical unit / extended: best effort
}

// FormatLUN shows a raw LUN field as hex, for reports.
func FormatLUN(l [8]byte) string {
	return fmt.Sprintf("%02x%02x-%02x%02x-%02x%02x-%02x%02x", l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7])
}
