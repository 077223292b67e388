/* Sense data parsing (SPC-4 4.5). Every read is bounded by the length the
 * data declares and by the bytes actually present, whichever is smaller
 * is checked first: a target's garbage must never be trusted. */
#include <errno.h>
#include <string.h>
#include "sense.h"

#define FIXED_MIN     14   /* up to ASC/ASCQ (bytes 12, 13) */
#define DESC_HDR      8
#define DESC_INFO     0x00 /* information descriptor type */
#define DESC_INFO_LEN 0x0a

static uint64_t be_get(const uint8_t *b, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

static int sense_fixed(const uint8_t *b, size_t len, struct sense *s)
{
	size_t total;

	if (len < 8)
		return -EINVAL;
	total = 8 + (size_t)b[7];
	if (total > len || total < FIXED_MIN)
		return -EINVAL;
	s->sn_key = b[2] & 0x0f;
	s->sn_asc = b[12];
	s->sn_ascq = b[13];
	s->sn_info_valid = (b[0] & 0x80) != 0;
	s->sn_info = be_get(b + 3, 4);
	return 0;
}

/* Walks the descriptor list; only the information descriptor is kept,
 * the others are skipped by their own length. */
static int sense_descriptors(const uint8_t *d, size_t n, struct sense *s)
{
	size_t off = 0;

	while (off < n) {
		size_t dlen;

		if (n - off < 2)
			return -EINVAL;
		dlen = 2 + (size_t)d[off + 1];
		if (dlen > n - off)
			return -EINVAL;
		if (d[off] == DESC_INFO && d[off + 1] == DESC_INFO_LEN) {
			s->sn_info_valid = (d[off + 2] & 0x80) != 0;
			s->sn_info = be_get(d + off + 4, 8);
		}
		off += dlen;
	}
	return 0;
}

static int sense_desc(const uint8_t *b, size_t len, struct sense *s)
{
	size_t total;

	if (len < DESC_HDR)
		return -EINVAL;
	total = DESC_HDR + (size_t)b[7];
	if (total > len)
		return -EINVAL;
	s->sn_key = b[1] & 0x0f;
	s->sn_asc = b[2];
	s->sn_ascq = b[3];
	return sense_descriptors(b + DESC_HDR, total - DESC_HDR, s);
}

int sense_parse(const uint8_t *buf, size_t len, struct sense *out)
{
	struct sense s;
	int rc;

	memset(&s, 0, sizeof(s));
	if (!buf || len < 1)
		return -EINVAL;
	s.sn_code = buf[0] & 0x7f;
	switch (s.sn_code) {
	case 0x70: case 0x71:
		rc = sense_fixed(buf, len, &s);
		break;
	case 0x72: case 0x73:
		s.sn_descriptor = true;
		rc = sense_desc(buf, len, &s);
		break;
	default:
		return -EINVAL;
	}
	if (rc)
		return rc;
	s.sn_deferred = s.sn_code == 0x71 || s.sn_code == 0x73;
	*out = s;
	return 0;
}

int sense_parse_aen(const uint8_t *data, size_t len, struct sense *out)
{
	size_t slen;

	if (!data || len < 2)
		return -EINVAL;
	slen = (size_t)be_get(data, 2);
	if (slen == 0 || slen > len - 2)
		return -EINVAL;
	return sense_parse(data + 2, slen, out);
}

bool sense_is_luns_changed(const struct sense *s)
{
	return s && s->sn_asc == 0x3f && s->sn_ascq == 0x0e;
}

const char *sense_key_name(uint8_t key)
{
	static const char *const names[16] = {
		"NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR",
		"HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT",
		"BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
		"RESERVED", "VOLUME OVERFLOW", "MISCOMPARE", "COMPLETED",
	};
	return names[key & 0x0f];
}
