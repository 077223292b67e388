/* iscsiadm <-> iscsid protocol: pure encoding and decoding (see ipc.h). */
#include <string.h>

#include "err.h"
#include "ipc.h"

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

void ipc_msg_init(struct ipc_msg *m, uint16_t op)
{
	m->im_op = op;
	m->im_rc = 0;
	m->im_len = 0;
}

static int put_field(struct ipc_msg *m, uint16_t tag, const void *v, size_t n)
{
	if (n > 0xffff || m->im_len + 4 + n > IPC_MAX_PAYLOAD)
		return RC_INVAL;
	put_be16(m->im_buf + m->im_len, tag);
	put_be16(m->im_buf + m->im_len + 2, (uint16_t)n);
	if (n)
		memcpy(m->im_buf + m->im_len + 4, v, n);
	m->im_len += 4 + n;
	return RC_OK;
}

int ipc_put_u32(struct ipc_msg *m, uint16_t tag, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	return put_field(m, tag, b, sizeof(b));
}

int ipc_put_str(struct ipc_msg *m, uint16_t tag, const char *s)
{
	return put_field(m, tag, s, strlen(s));
}

int ipc_field_next(const struct ipc_msg *m, size_t *pos, struct ipc_field *f)
{
	size_t p = *pos;

	if (p >= m->im_len)
		return 0;
	if (m->im_len - p < 4)
		return -1;
	f->if_tag = get_be16(m->im_buf + p);
	f->if_len = get_be16(m->im_buf + p + 2);
	if (m->im_len - p - 4 < f->if_len)
		return -1;
	f->if_val = m->im_buf + p + 4;
	*pos = p + 4 + f->if_len;
	return 1;
}

static int find_field(const struct ipc_msg *m, uint16_t tag, struct ipc_field *f)
{
	size_t pos = 0;
	int r;

	while ((r = ipc_field_next(m, &pos, f)) == 1)
		if (f->if_tag == tag)
			return RC_OK;
	return r < 0 ? RC_INVAL : RC_NO_OBJS_FOUND;
}

int ipc_get_u32(const struct ipc_msg *m, uint16_t tag, uint32_t *v)
{
	struct ipc_field f;
	int rc = find_field(m, tag, &f);

	if (rc)
		return rc;
	if (f.if_len != 4)
		return RC_INVAL;
	*v = get_be32(f.if_val);
	return RC_OK;
}

int ipc_get_str(const struct ipc_msg *m, uint16_t tag, char *buf, size_t size)
{
	struct ipc_field f;
	int rc = find_field(m, tag, &f);

	if (rc)
		return rc;
	if (size == 0 || f.if_len >= size || memchr(f.if_val, 0, f.if_len))
		return RC_INVAL;
	memcpy(buf, f.if_val, f.if_len);
	buf[f.if_len] = '\0';
	return RC_OK;
}

size_t ipc_encode(const struct ipc_msg *m, uint8_t *out, size_t size)
{
	if (m->im_len > IPC_MAX_PAYLOAD || size < IPC_HDR_LEN + m->im_len)
		return 0;
	put_be32(out, IPC_MAGIC);
	put_be16(out + 4, IPC_VERSION);
	put_be16(out + 6, m->im_op);
	put_be32(out + 8, (uint32_t)m->im_rc);
	put_be32(out + 12, (uint32_t)m->im_len);
	memcpy(out + IPC_HDR_LEN, m->im_buf, m->im_len);
	return IPC_HDR_LEN + m->im_len;
}

int ipc_decode_hdr(const uint8_t *hdr, uint16_t *op, int32_t *rc, uint32_t *len)
{
	if (get_be32(hdr) != IPC_MAGIC || get_be16(hdr + 4) != IPC_VERSION)
		return RC_INVALID_MGMT_REQ;
	*op = get_be16(hdr + 6);
	*rc = (int32_t)get_be32(hdr + 8);
	*len = get_be32(hdr + 12);
	if (*op < IPC_OP_PING || *op >= IPC_OP_MAX || *len > IPC_MAX_PAYLOAD)
		return RC_INVALID_MGMT_REQ;
	return RC_OK;
}

/* Every field must lie inside the payload, have a known tag and the size
 * its type demands; strings may not carry a NUL. */
static int fields_check(const struct ipc_msg *m)
{
	static const uint8_t is_u32[IPC_T_MAX] = {
		[IPC_T_SID] = 1, [IPC_T_LUN] = 1, [IPC_T_PORT] = 1,
		[IPC_T_TPGT] = 1, [IPC_T_HOST] = 1,
	};
	struct ipc_field f;
	size_t pos = 0;
	int r;

	while ((r = ipc_field_next(m, &pos, &f)) == 1) {
		if (f.if_tag == 0 || f.if_tag >= IPC_T_MAX)
			return RC_INVALID_MGMT_REQ;
		if (is_u32[f.if_tag] && f.if_len != 4)
			return RC_INVALID_MGMT_REQ;
		if (!is_u32[f.if_tag] && memchr(f.if_val, 0, f.if_len))
			return RC_INVALID_MGMT_REQ;
	}
	return r < 0 ? RC_INVALID_MGMT_REQ : RC_OK;
}

int ipc_decode(const uint8_t *buf, size_t n, struct ipc_msg *m)
{
	uint32_t len;
	uint16_t op;
	int32_t rc;

	if (n < IPC_HDR_LEN || ipc_decode_hdr(buf, &op, &rc, &len))
		return RC_INVALID_MGMT_REQ;
	if (n != IPC_HDR_LEN + (size_t)len)
		return RC_INVALID_MGMT_REQ;
	m->im_op = op;
	m->im_rc = rc;
	m->im_len = len;
	memcpy(m->im_buf, buf + IPC_HDR_LEN, len);
	return fields_check(m);
}

const char *ipc_op_name(uint16_t op)
{
	static const char *const names[IPC_OP_MAX] = {
		[IPC_OP_PING] = "ping", [IPC_OP_LOGIN] = "login",
		[IPC_OP_LOGOUT] = "logout", [IPC_OP_RESCAN] = "rescan",
		[IPC_OP_SESSION_INFO] = "session-info",
		[IPC_OP_CONFIG] = "config",
	};

	if (op >= IPC_OP_MAX || !names[op])
		return "unknown";
	return names[op];
}
