/* NETLINK_ISCSI encoding, byte for byte. The expected layout is a mirror of
 * the kernel's struct iscsi_uevent built here with the compiler's own
 * struct rules (the same C ABI the kernel uses), so any offset the codec
 * gets wrong shows up as a field mismatch. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "t.h"
#include "../daemon/netlink.h"

struct mirror {
	uint32_t type, iferror;
	uint64_t transport_handle;
	union {
		struct { uint32_t initial_cmdsn; uint16_t cmds_max, queue_depth; } c_session;
		struct { uint64_t ep_handle; uint32_t initial_cmdsn; uint16_t a, b; } c_bound;
		struct { uint32_t sid; } d_session;
		struct { uint32_t sid, cid; } c_conn;
		struct { uint32_t sid, cid; uint64_t transport_eph; uint32_t is_leading; } b_conn;
		struct { uint32_t sid, cid, hdr_size, data_size; } send_pdu;
		struct { uint32_t sid, cid, param, len; } set_param;
		struct { uint32_t sid, cid; uint64_t conn_handle; uint32_t flag; } stop_conn;
		struct { uint32_t host_no, param, len; } set_host_param;
		struct { uint32_t host_no, iface_num, iface_type, payload_size, pid; } ping;
	} u;
	union {
		int retcode;
		struct { uint32_t sid, host_no; } c_session_ret;
		struct { uint32_t sid, cid; } c_conn_ret;
		struct { uint32_t sid, cid; uint64_t recv_handle; } recv_req;
		struct { uint32_t sid, cid, error; } connerror;
		struct { uint32_t host_no, sid; } d_session;
		struct { uint32_t host_no, status, pid, data_size; } ping_comp;
	} r;
} __attribute__((aligned(8)));

static void test_layout(void)
{
	T_INTEQ(sizeof(struct mirror), NL_UEVENT_LEN);
	T_INTEQ(offsetof(struct mirror, transport_handle), NL_OFF_HANDLE);
	T_INTEQ(offsetof(struct mirror, u), NL_OFF_U);
	T_INTEQ(offsetof(struct mirror, r), NL_OFF_R);
	T_INTEQ(offsetof(struct mirror, u.b_conn.transport_eph), NL_OFF_U + 8);
	T_INTEQ(offsetof(struct mirror, u.stop_conn.flag), NL_OFF_U + 16);
}

static const struct mirror *encode(const struct nl_msg *m, const void *pl, size_t plen,
				   uint8_t *buf, size_t cap, size_t *len)
{
	*len = nl_encode(m, pl, plen, 7, 4242, buf, cap);
	return (const struct mirror *)(buf + NL_HDR_LEN);
}

static void test_header(void)
{
	_Alignas(8) uint8_t buf[256];
	struct nl_msg m = { .nm_type = NL_CREATE_SESSION, .nm_handle = 0xffff8881234abcdeULL,
			    .nm_initial_cmdsn = 5, .nm_cmds_max = 128, .nm_queue_depth = 32 };
	size_t len;
	const struct mirror *e = encode(&m, NULL, 0, buf, sizeof(buf), &len);
	uint32_t u32; uint16_t u16;

	T_INTEQ(len, NL_HDR_LEN + NL_UEVENT_LEN);
	memcpy(&u32, buf, 4); T_INTEQ(u32, 72);
	memcpy(&u16, buf + 4, 2); T_INTEQ(u16, 11);          /* nlmsg_type = event type */
	memcpy(&u16, buf + 6, 2); T_INTEQ(u16, 1);           /* NLM_F_REQUEST */
	memcpy(&u32, buf + 8, 4); T_INTEQ(u32, 7);
	memcpy(&u32, buf + 12, 4); T_INTEQ(u32, 4242);
	T_INTEQ(e->type, 11);
	T_INTEQ(e->iferror, 0);
	T_CHECK(e->transport_handle == 0xffff8881234abcdeULL);
	T_INTEQ(e->u.c_session.initial_cmdsn, 5);
	T_INTEQ(e->u.c_session.cmds_max, 128);
	T_INTEQ(e->u.c_session.queue_depth, 32);
	T_INTEQ(e->r.retcode, 0);
	T_INTEQ(nl_encode(&m, NULL, 0, 1, 1, buf, 71), 0);   /* too small */
}

static void test_requests(void)
{
	_Alignas(8) uint8_t buf[256];
	size_t len;
	struct nl_msg m = { .nm_type = NL_BIND_CONN, .nm_sid = 3, .nm_cid = 0,
			    .nm_fd = 9, .nm_is_leading = 1 };
	const struct mirror *e = encode(&m, NULL, 0, buf, sizeof(buf), &len);

	T_INTEQ(e->type, 15);
	T_INTEQ(e->u.b_conn.sid, 3);
	T_INTEQ(e->u.b_conn.transport_eph, 9);
	T_INTEQ(e->u.b_conn.is_leading, 1);

	m = (struct nl_msg){ .nm_type = NL_STOP_CONN, .nm_sid = 4, .nm_cid = 1, .nm_flag = NL_STOP_RECOVER };
	e = encode(&m, NULL, 0, buf, sizeof(buf), &len);
	T_INTEQ(e->type, 18);
	T_INTEQ(e->u.stop_conn.sid, 4);
	T_INTEQ(e->u.stop_conn.cid, 1);
	T_INTEQ(e->u.stop_conn.conn_handle, 0);
	T_INTEQ(e->u.stop_conn.flag, 3);

	m = (struct nl_msg){ .nm_type = NL_DESTROY_SESSION_ASYNC, .nm_sid = 12 };
	e = encode(&m, NULL, 0, buf, sizeof(buf), &len);
	T_INTEQ(e->type, 43);
	T_INTEQ(e->u.d_session.sid, 12);

	m = (struct nl_msg){ .nm_type = NL_START_CONN, .nm_sid = 2, .nm_cid = 0 };
	e = encode(&m, NULL, 0, buf, sizeof(buf), &len);
	T_INTEQ(e->type, 17);
	T_INTEQ(e->u.c_conn.sid, 2);
}

static void test_payloads(void)
{
	_Alignas(8) uint8_t buf[512];
	const char val[] = "iqn.2003-01.org.example:t1";
	uint8_t hdr[48] = { 0x46, 0x80 };
	size_t len;
	uint32_t nlen;
	struct nl_msg m = { .nm_type = NL_SET_PARAM, .nm_sid = 1, .nm_cid = 0,
			    .nm_param = NLP_TARGET_NAME };
	const struct mirror *e = encode(&m, val, sizeof(val), buf, sizeof(buf), &len);

	T_INTEQ(e->u.set_param.param, 15);
	T_INTEQ(e->u.set_param.len, sizeof(val));
	T_STREQ((const char *)(buf + NL_HDR_LEN + NL_UEVENT_LEN), val);
	memcpy(&nlen, buf, 4);
	T_INTEQ(nlen, 72 + sizeof(val));        /* exact length, not padded */
	T_INTEQ(len % 4, 0);
	T_CHECK(len >= nlen);

	m = (struct nl_msg){ .nm_type = NL_SEND_PDU, .nm_sid = 1, .nm_hdr_size = 48, .nm_data_size = 0 };
	e = encode(&m, hdr, sizeof(hdr), buf, sizeof(buf), &len);
	T_INTEQ(e->u.send_pdu.hdr_size, 48);
	T_INTEQ(e->u.send_pdu.data_size, 0);
	T_INTEQ(buf[NL_HDR_LEN + NL_UEVENT_LEN], 0x46);

	m = (struct nl_msg){ .nm_type = NL_SET_HOST_PARAM, .nm_host_no = 6, .nm_param = NLH_INITIATOR_NAME };
	e = encode(&m, "x", 2, buf, sizeof(buf), &len);
	T_INTEQ(e->u.set_host_param.host_no, 6);
	T_INTEQ(e->u.set_host_param.param, 1);
	T_INTEQ(e->u.set_host_param.len, 2);
}

/* Builds a kernel->user message from the mirror and decodes it. */
static size_t make_event(uint8_t *buf, const struct mirror *ev, const void *data, size_t dlen)
{
	uint32_t len = NL_HDR_LEN + NL_UEVENT_LEN + (uint32_t)dlen;

	memset(buf, 0, NL_HDR_LEN);
	memcpy(buf, &len, 4);
	memcpy(buf + NL_HDR_LEN, ev, sizeof(*ev));
	if (dlen)
		memcpy(buf + NL_HDR_LEN + NL_UEVENT_LEN, data, dlen);
	return len;
}

static void test_decode(void)
{
	_Alignas(8) uint8_t buf[512];
	struct mirror m;
	struct nl_event ev;
	uint8_t pdu[52] = { 0x32 };
	size_t len;

	memset(&m, 0, sizeof(m));
	m.type = NL_K_RECV_PDU; m.r.recv_req.sid = 5; m.r.recv_req.cid = 0;
	m.r.recv_req.recv_handle = 77;
	len = make_event(buf, &m, pdu, sizeof(pdu));
	T_INTEQ(nl_decode(buf, len, &ev), 0);
	T_INTEQ(ev.ne_type, NL_K_RECV_PDU);
	T_INTEQ(ev.ne_sid, 5);
	T_INTEQ(ev.ne_recv_handle, 77);
	T_INTEQ(ev.ne_data_len, 52);
	T_CHECK(ev.ne_data && ev.ne_data[0] == 0x32);

	memset(&m, 0, sizeof(m));
	m.type = NL_K_CONN_ERROR; m.r.connerror.sid = 2; m.r.connerror.cid = 0; m.r.connerror.error = 1020;
	T_INTEQ(nl_decode(buf, make_event(buf, &m, NULL, 0), &ev), 0);
	T_INTEQ(ev.ne_sid, 2); T_INTEQ(ev.ne_error, 1020);
	T_STREQ(nl_err_name(ev.ne_error), "TCP_CONN_CLOSE");

	memset(&m, 0, sizeof(m));
	m.type = NL_K_DESTROY_SESSION; m.r.d_session.host_no = 8; m.r.d_session.sid = 3;
	T_INTEQ(nl_decode(buf, make_event(buf, &m, NULL, 0), &ev), 0);
	T_INTEQ(ev.ne_host_no, 8); T_INTEQ(ev.ne_sid, 3);

	memset(&m, 0, sizeof(m));
	m.type = NL_CREATE_SESSION; m.r.c_session_ret.sid = 9; m.r.c_session_ret.host_no = 4;
	T_INTEQ(nl_decode(buf, make_event(buf, &m, NULL, 0), &ev), 0);
	T_INTEQ(ev.ne_sid, 9); T_INTEQ(ev.ne_host_no, 4);

	memset(&m, 0, sizeof(m));
	m.type = NL_K_IF_ERROR; m.iferror = (uint32_t)-EINVAL;
	T_INTEQ(nl_decode(buf, make_event(buf, &m, NULL, 0), &ev), 0);
	T_INTEQ(ev.ne_iferror, -EINVAL);
}

static void test_decode_bad(void)
{
	_Alignas(8) uint8_t buf[128];
	struct nl_event ev;
	struct mirror m;
	uint32_t big = 4096, small = 20;
	size_t len;

	memset(&m, 0, sizeof(m));
	len = make_event(buf, &m, NULL, 0);
	T_CHECK(nl_decode(buf, len - 1, &ev) != 0);    /* shorter than it says */
	memcpy(buf, &big, 4);
	T_CHECK(nl_decode(buf, len, &ev) != 0);
	memcpy(buf, &small, 4);
	T_CHECK(nl_decode(buf, len, &ev) != 0);        /* no room for the uevent */
	T_CHECK(nl_decode(buf, 3, &ev) != 0);
	T_CHECK(nl_decode(NULL, 100, &ev) != 0);
}

int main(void)
{
	T_RUN(test_layout);
	T_RUN(test_header);
	T_RUN(test_requests);
	T_RUN(test_payloads);
	T_RUN(test_decode);
	T_RUN(test_decode_bad);
	return T_DONE();
}
