/* CRC32C (Castagnoli), the checksum iSCSI header and data digests use
 * (RFC 7143 section 13.1, polynomial 0x1EDC6F41, reflected). */
#ifndef CORE_CRC32C_H
#define CORE_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/* Continue a running CRC: start with crc = 0, feed chunks in order. */
uint32_t crc32c_update(uint32_t crc, const void *buf, size_t len);
/* One-shot CRC over a buffer. */
uint32_t crc32c(const void *buf, size_t len);

#endif
