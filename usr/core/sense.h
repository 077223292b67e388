/* SCSI sense data (SPC-4 4.5): fixed (0x70/0x71) and descriptor (0x72/0x73)
 * formats, and the payload of an iSCSI Asynchronous Message with
 * AsyncEvent 0 (SCSI event): SenseLength (2 bytes, big endian) followed by
 * the sense data (RFC 7143 11.9.4). Pure; malformed input is an error,
 * never a crash or an out-of-bounds read. */
#ifndef CORE_SENSE_H
#define CORE_SENSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sense {
	uint8_t sn_code;        /* response code: 0x70, 0x71, 0x72, 0x73 */
	bool sn_descriptor;     /* descriptor format */
	bool sn_deferred;       /* 0x71 / 0x73 */
	uint8_t sn_key;         /* sense key, 4 bits */
	uint8_t sn_asc, sn_ascq;
	bool sn_info_valid;
	uint64_t sn_info;       /* INFORMATION field / descriptor */
};

/* Returns 0, or -EINVAL (unknown response code, too short, lengths that
 * do not fit in len). */
int sense_parse(const uint8_t *buf, size_t len, struct sense *out);
/* Async message data segment: SenseLength + sense (+ iSCSI event data). */
int sense_parse_aen(const uint8_t *data, size_t len, struct sense *out);
/* ASC/ASCQ 3F/0E: REPORTED LUNS DATA HAS CHANGED. */
bool sense_is_luns_changed(const struct sense *s);
/* Sense key as text for logs ("UNIT ATTENTION"). */
const char *sense_key_name(uint8_t key);

#endif
