/* NETLINK_ISCSI codec and socket edge. The layout is written out field by
 * field at the offsets of struct iscsi_uevent (netlink.h), in host byte
 * order as netlink uses, so the encoding is testable byte for byte. */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include "netlink.h"

static void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }
static void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }
static void put16(uint8_t *b, size_t off, uint16_t v) { memcpy(b + off, &v, 2); }
static uint32_t get32(const uint8_t *b, size_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static uint64_t get64(const uint8_t *b, size_t off) { uint64_t v; memcpy(&v, b + off, 8); return v; }
static uint16_t get16(const uint8_t *b, size_t off) { uint16_t v; memcpy(&v, b + off, 2); return v; }

/* union u of a request; e points at the uevent. */
static void encode_u(const struct nl_msg *m, uint8_t *e)
{
	uint8_t *u = e + NL_OFF_U;

	switch (m->nm_type) {
	case NL_CREATE_SESSION:
		put32(u, 0, m->nm_initial_cmdsn);
		put16(u, 4, m->nm_cmds_max);
		put16(u, 6, m->nm_queue_depth);
		break;
	case NL_DESTROY_SESSION: case NL_DESTROY_SESSION_ASYNC:
		put32(u, 0, m->nm_sid);
		break;
	case NL_BIND_CONN:
		put32(u, 0, m->nm_sid); put32(u, 4, m->nm_cid);
		put64(u, 8, m->nm_fd); put32(u, 16, m->nm_is_leading);
		break;
	case NL_SET_PARAM:
		put32(u, 0, m->nm_sid); put32(u, 4, m->nm_cid);
		put32(u, 8, m->nm_param);
		break;   /* len: nl_encode, from the payload */
	case NL_STOP_CONN:
		put32(u, 0, m->nm_sid); put32(u, 4, m->nm_cid);
		put32(u, 16, m->nm_flag);   /* conn_handle (8..15) unused, 0 */
		break;
	case NL_SEND_PDU:
		put32(u, 0, m->nm_sid); put32(u, 4, m->nm_cid);
		put32(u, 8, m->nm_hdr_size); put32(u, 12, m->nm_data_size);
		break;
	case NL_SET_HOST_PARAM:
		put32(u, 0, m->nm_host_no); put32(u, 4, m->nm_param);
		break;
	default:  /* CREATE_CONN, DESTROY_CONN, START_CONN, GET_STATS, ... */
		put32(u, 0, m->nm_sid); put32(u, 4, m->nm_cid);
		break;
	}
}

size_t nl_encode(const struct nl_msg *m, const void *payload, size_t plen,
		 uint32_t seq, uint32_t portid, uint8_t *buf, size_t cap)
{
	size_t len = NL_HDR_LEN + NL_UEVENT_LEN + plen;
	size_t total = (len + 3) & ~(size_t)3;
	uint8_t *e = buf + NL_HDR_LEN;

	if (!m || total > cap || (plen && !payload) || len > UINT32_MAX)
		return 0;
	memset(buf, 0, total);
	put32(buf, 0, (uint32_t)len);
	put16(buf, 4, (uint16_t)m->nm_type);  /* the kernel dispatches on this */
	put16(buf, 6, NLM_F_REQUEST);
	put32(buf, 8, seq);
	put32(buf, 12, portid);
	put32(e, NL_OFF_TYPE, m->nm_type);
	put64(e, NL_OFF_HANDLE, m->nm_handle);
	encode_u(m, e);
	if (m->nm_type == NL_SET_PARAM)
		put32(e, NL_OFF_U + 12, (uint32_t)plen);
	else if (m->nm_type == NL_SET_HOST_PARAM)
		put32(e, NL_OFF_U + 8, (uint32_t)plen);
	if (plen)
		memcpy(e + NL_UEVENT_LEN, payload, plen);
	return total;
}

/* union r: which ids an event or reply carries depends on its type. */
static void decode_r(const uint8_t *e, struct nl_event *ev)
{
	const uint8_t *r = e + NL_OFF_R;

	ev->ne_retcode = (int32_t)get32(r, 0);
	switch (ev->ne_type) {
	case NL_CREATE_SESSION: case NL_K_CREATE_SESSION: case NL_K_UNBIND_SESSION:
		ev->ne_sid = get32(r, 0); ev->ne_host_no = get32(r, 4);
		break;
	case NL_CREATE_CONN:
		ev->ne_sid = get32(r, 0); ev->ne_cid = get32(r, 4);
		break;
	case NL_K_RECV_PDU:
		ev->ne_sid = get32(r, 0); ev->ne_cid = get32(r, 4);
		ev->ne_recv_handle = get64(r, 8);
		break;
	case NL_K_CONN_ERROR:
		ev->ne_sid = get32(r, 0); ev->ne_cid = get32(r, 4);
		ev->ne_error = get32(r, 8);
		break;
	case NL_K_CONN_LOGIN_STATE:
		ev->ne_sid = get32(r, 0); ev->ne_cid = get32(r, 4);
		ev->ne_state = get32(r, 8);
		break;
	case NL_K_DESTROY_SESSION:   /* host first, then sid */
		ev->ne_host_no = get32(r, 0); ev->ne_sid = get32(r, 4);
		break;
	case NL_K_PATH_REQ: case NL_K_IF_DOWN: case NL_K_HOST_EVENT: case NL_K_PING_COMP:
		ev->ne_host_no = get32(r, 0);
		break;
	default:  /* a reply to a request: ids come back in union u */
		ev->ne_sid = get32(e, NL_OFF_U);
		ev->ne_cid = get32(e, NL_OFF_U + 4);
		break;
	}
}

int nl_decode(const uint8_t *buf, size_t len, struct nl_event *ev)
{
	uint32_t mlen;
	const uint8_t *e;

	memset(ev, 0, sizeof(*ev));
	if (!buf || len < NL_HDR_LEN)
		return -EBADMSG;
	mlen = get32(buf, 0);
	if (mlen < NL_HDR_LEN + NL_UEVENT_LEN || mlen > len)
		return -EBADMSG;
	ev->ne_nl_type = get16(buf, 4);
	ev->ne_seq = get32(buf, 8);
	ev->ne_pid = get32(buf, 12);
	e = buf + NL_HDR_LEN;
	ev->ne_type = get32(e, NL_OFF_TYPE);
	ev->ne_iferror = (int32_t)get32(e, NL_OFF_IFERROR);
	decode_r(e, ev);
	ev->ne_data_len = mlen - NL_HDR_LEN - NL_UEVENT_LEN;
	ev->ne_data = ev->ne_data_len ? e + NL_UEVENT_LEN : NULL;
	return 0;
}

const char *nl_type_name(uint32_t type)
{
	switch (type) {
	case NL_CREATE_SESSION: return "CREATE_SESSION";
	case NL_DESTROY_SESSION: return "DESTROY_SESSION";
	case NL_DESTROY_SESSION_ASYNC: return "DESTROY_SESSION_ASYNC";
	case NL_CREATE_CONN: return "CREATE_CONN";
	case NL_DESTROY_CONN: return "DESTROY_CONN";
	case NL_BIND_CONN: return "BIND_CONN";
	case NL_SET_PARAM: return "SET_PARAM";
	case NL_START_CONN: return "START_CONN";
	case NL_STOP_CONN: return "STOP_CONN";
	case NL_SEND_PDU: return "SEND_PDU";
	case NL_SET_HOST_PARAM: return "SET_HOST_PARAM";
	case NL_K_RECV_PDU: return "RECV_PDU";
	case NL_K_CONN_ERROR: return "CONN_ERROR";
	case NL_K_IF_ERROR: return "IF_ERROR";
	case NL_K_DESTROY_SESSION: return "SESSION_DESTROYED";
	case NL_K_UNBIND_SESSION: return "SESSION_UNBOUND";
	case NL_K_CREATE_SESSION: return "SESSION_CREATED";
	case NL_K_CONN_LOGIN_STATE: return "CONN_LOGIN_STATE";
	default: return "UNKNOWN";
	}
}

const char *nl_err_name(uint32_t err)
{
	static const char *const names[] = {
		"ISCSI_OK", "DATASN", "DATA_OFFSET", "MAX_CMDSN", "EXP_CMDSN",
		"BAD_OPCODE", "DATALEN", "AHSLEN", "PROTO", "LUN", "BAD_ITT",
		"CONN_FAILED", "R2TSN", "SESSION_FAILED", "HDR_DGST", "DATA_DGST",
		"PARAM_NOT_FOUND", "NO_SCSI_CMD", "INVALID_HOST", "XMIT_FAILED",
		"TCP_CONN_CLOSE", "SCSI_EH_SESSION_RST",
	};
	uint32_t i = err == 0 ? 0 : err - NL_ERR_BASE;

	if (err != 0 && (err <= NL_ERR_BASE || i >= sizeof(names) / sizeof(names[0])))
		return "UNKNOWN";
	return names[i];
}
