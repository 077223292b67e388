/* CRC32C with a constant 16-entry (nibble) table: no table built at run
 * time, so no mutable global, and fast enough for iSCSI digests. */
#include "crc32c.h"

#define CRC32C_POLY_REV 0x82f63b78u  /* 0x1EDC6F41 bit-reversed */

static uint32_t crc32c_byte(uint32_t crc, uint8_t b)
{
	crc ^= b;
	for (int i = 0; i < 8; i++)
		crc = (crc >> 1) ^ (CRC32C_POLY_REV & (0u - (crc & 1u)));
	return crc;
}

/* Entry n is the CRC register after shifting nibble n through. */
static const uint32_t crc32c_nib[16] = {
	0x00000000u, 0x105ec76fu, 0x20bd8edeu, 0x30e349b1u,
	0x417b1dbcu, 0x5125dad3u, 0x61c69362u, 0x7198540du,
	0x82f63b78u, 0x92a8fc17u, 0xa24bb5a6u, 0xb21572c9u,
	0xc38d26c4u, 0xd3d3e1abu, 0xe330a81au, 0xf36e6f75u,
};

uint32_t crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc32c_nib[crc & 0xf];
		crc = (crc >> 4) ^ crc32c_nib[crc & 0xf];
	}
	return ~crc;
}

uint32_t crc32c(const void *buf, size_t len)
{
	return crc32c_update(0, buf, len);
}

/* Kept for the unit test: the table above must match the bitwise form. */
uint32_t crc32c_bitwise(const void *buf, size_t len);
uint32_t crc32c_bitwise(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = ~0u;

	for (size_t i = 0; i < len; i++)
		crc = crc32c_byte(crc, p[i]);
	return ~crc;
}
