/* PDU framing and digests. Typed encoders/decoders live in pdu_ops.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pdu.h"
#include "crc32c.h"

void pdu_init(struct pdu *p)
{
	memset(p, 0, sizeof(*p));
}

void pdu_free(struct pdu *p)
{
	free(p->pdu_ahs);
	free(p->pdu_data);
	pdu_init(p);
}

uint32_t pdu_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void pdu_put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void pdu_put_dlen(uint8_t *bhs, uint32_t len)
{
	bhs[5] = (uint8_t)(len >> 16);
	bhs[6] = (uint8_t)(len >> 8);
	bhs[7] = (uint8_t)len;
}

uint32_t pdu_dlen(const struct pdu *p)
{
	return (uint32_t)p->pdu_bhs[5] << 16 | (uint32_t)p->pdu_bhs[6] << 8 | p->pdu_bhs[7];
}

uint32_t pdu_itt(const struct pdu *p)
{
	return pdu_be32(p->pdu_bhs + 16);
}

int pdu_set_data(struct pdu *p, const void *data, size_t len)
{
	uint8_t *copy = NULL;

	if (len > PDU_MAX_DLEN)
		return -E2BIG;
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	free(p->pdu_data);
	p->pdu_data = copy;
	p->pdu_data_len = len;
	pdu_put_dlen(p->pdu_bhs, (uint32_t)len);
	return 0;
}

const char *pdu_op_name(enum pdu_op op)
{
	switch (op) {
	case OP_NOP_OUT: return "NOP-Out";
	case OP_SCSI_CMD: return "SCSI Command";
	case OP_TMF_REQ: return "Task Management Request";
	case OP_LOGIN_REQ: return "Login Request";
	case OP_TEXT_REQ: return "Text Request";
	case OP_DATA_OUT: return "Data-Out";
	case OP_LOGOUT_REQ: return "Logout Request";
	case OP_SNACK: return "SNACK";
	case OP_NOP_IN: return "NOP-In";
	case OP_SCSI_RSP: return "SCSI Response";
	case OP_TMF_RSP: return "Task Management Response";
	case OP_LOGIN_RSP: return "Login Response";
	case OP_TEXT_RSP: return "Text Response";
	case OP_DATA_IN: return "Data-In";
	case OP_LOGOUT_RSP: return "Logout Response";
	case OP_R2T: return "R2T";
	case OP_ASYNC: return "Asynchronous Message";
	case OP_REJECT: return "Reject";
	}
	return "unknown opcode";
}

size_t pdu_pad(size_t len)
{
	return (4 - (len & 3)) & 3;
}

size_t pdu_wire_len(const struct pdu *p, bool hdig, bool ddig)
{
	size_t n = PDU_BHS_LEN + p->pdu_ahs_len + (hdig ? PDU_DIGEST_LEN : 0);

	if (p->pdu_data_len)
		n += p->pdu_data_len + pdu_pad(p->pdu_data_len) + (ddig ? PDU_DIGEST_LEN : 0);
	return n;
}

/* Digests are sent in little-endian byte order as RFC 3720 B.4 shows. */
static void put_digest(uint8_t *b, uint32_t crc)
{
	b[0] = (uint8_t)crc;
	b[1] = (uint8_t)(crc >> 8);
	b[2] = (uint8_t)(crc >> 16);
	b[3] = (uint8_t)(crc >> 24);
}

static uint32_t get_digest(const uint8_t *b)
{
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

size_t pdu_encode(const struct pdu *p, bool hdig, bool ddig, uint8_t *buf, size_t cap)
{
	size_t need = pdu_wire_len(p, hdig, ddig), off = PDU_BHS_LEN;

	if (need > cap || p->pdu_ahs_len > PDU_MAX_AHS || (p->pdu_ahs_len & 3) ||
	    p->pdu_data_len > PDU_MAX_DLEN)
		return 0;
	memcpy(buf, p->pdu_bhs, PDU_BHS_LEN);
	buf[4] = (uint8_t)(p->pdu_ahs_len / 4);
	pdu_put_dlen(buf, (uint32_t)p->pdu_data_len);
	if (p->pdu_ahs_len)
		memcpy(buf + off, p->pdu_ahs, p->pdu_ahs_len);
	off += p->pdu_ahs_len;
	if (hdig) {
		put_digest(buf + off, crc32c(buf, off));
		off += PDU_DIGEST_LEN;
	}
	if (p->pdu_data_len) {
		size_t padded = p->pdu_data_len + pdu_pad(p->pdu_data_len);
		memcpy(buf + off, p->pdu_data, p->pdu_data_len);
		memset(buf + off + p->pdu_data_len, 0, padded - p->pdu_data_len);
		if (ddig)
			put_digest(buf + off + padded, crc32c(buf + off, padded));
		off += padded + (ddig ? PDU_DIGEST_LEN : 0);
	}
	return off;
}

long pdu_bhs_rest(const uint8_t bhs[PDU_BHS_LEN], bool hdig, bool ddig, size_t max_dlen)
{
	size_t dlen = (size_t)bhs[5] << 16 | (size_t)bhs[6] << 8 | bhs[7];
	size_t n = (size_t)bhs[4] * 4 + (hdig ? PDU_DIGEST_LEN : 0);

	if (dlen > max_dlen)
		return -1;
	if (dlen)
		n += dlen + pdu_pad(dlen) + (ddig ? PDU_DIGEST_LEN : 0);
	return (long)n;
}

static int pdu_copy_out(const uint8_t *src, size_t len, uint8_t **dst)
{
	*dst = NULL;
	if (!len)
		return 0;
	*dst = malloc(len);
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, src, len);
	return 0;
}

int pdu_decode(const uint8_t *buf, size_t len, bool hdig, bool ddig,
	       size_t max_dlen, struct pdu *out)
{
	if (len < PDU_BHS_LEN)
		return -EBADMSG;
	long rest = pdu_bhs_rest(buf, hdig, ddig, max_dlen);
	if (rest < 0 || (size_t)rest + PDU_BHS_LEN != len)
		return -EBADMSG;
	size_t ahs = (size_t)buf[4] * 4, off = PDU_BHS_LEN + ahs;
	size_t dlen = (size_t)buf[5] << 16 | (size_t)buf[6] << 8 | buf[7];
	if (hdig) {
		if (get_digest(buf + off) != crc32c(buf, off))
			return -EBADMSG;
		off += PDU_DIGEST_LEN;
	}
	size_t padded = dlen + pdu_pad(dlen);
	if (dlen && ddig && get_digest(buf + off + padded) != crc32c(buf + off, padded))
		return -EBADMSG;
	pdu_init(out);
	memcpy(out->pdu_bhs, buf, PDU_BHS_LEN);
	if (pdu_copy_out(buf + PDU_BHS_LEN, ahs, &out->pdu_ahs) ||
	    pdu_copy_out(buf + off, dlen, &out->pdu_data)) {
		pdu_free(out);
		return -ENOMEM;
	}
	out->pdu_ahs_len = ahs;
	out->pdu_data_len = dlen;
	return 0;
}
