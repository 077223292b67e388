/* The AEN folding filters (aen_filter.h), run by the host kernel: each
 * program is attached to one end of an AF_UNIX datagram pair and messages
 * shaped like the kernel's RECV_PDU events are sent through it. Whatever
 * the filters say, every message must reach exactly one of the two
 * sockets: an AEN no socket takes fails its connection. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "t.h"
#include "../daemon/aen_filter.h"
#include "../daemon/netlink.h"
#include "pdu.h"

static struct sock_filter prog[AEN_FILTER_LEN(AEN_FILTER_MAX_SIDS)];

/* A message as the kernel multicasts it: nlmsghdr, iscsi_uevent, BHS, sense. */
static size_t message(uint8_t *m, uint32_t type, uint32_t sid, uint8_t op, uint8_t event)
{
	size_t len = NL_HDR_LEN + NL_UEVENT_LEN + PDU_BHS_LEN + 20;
	uint32_t nlen = (uint32_t)len, cid = 0;

	memset(m, 0, len);
	memcpy(m, &nlen, 4);
	memcpy(m + 4, &(uint16_t){ (uint16_t)type }, 2);
	memcpy(m + NL_HDR_LEN + NL_OFF_TYPE, &type, 4);
	memcpy(m + NL_HDR_LEN + NL_OFF_R, &sid, 4);
	memcpy(m + NL_HDR_LEN + NL_OFF_R + 4, &cid, 4);
	m[NL_HDR_LEN + NL_UEVENT_LEN] = op;
	m[NL_HDR_LEN + NL_UEVENT_LEN + 36] = event;
	return len;
}

/* 1 when the program for side over sids passes the message. */
static int passes(enum aen_filter_side side, const uint32_t *sids, unsigned n,
		  const uint8_t *m, size_t len)
{
	struct sock_fprog fp = { .filter = prog };
	uint8_t buf[512];
	int sv[2], got;

	fp.len = (unsigned short)aen_filter_build(side, sids, n, prog);
	T_CHECK(fp.len > 0);
	T_INTEQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	T_INTEQ(setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)), 0);
	T_INTEQ((int)send(sv[0], m, len, 0), (int)len);
	got = (int)recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	T_CHECK(got == (int)len || (got < 0 && errno == EAGAIN));
	close(sv[0]);
	close(sv[1]);
	return got == (int)len;
}

/* main passes exactly what sink drops; returns whether it was folded. */
static int folded(const uint32_t *sids, unsigned n, const uint8_t *m, size_t len)
{
	int main_ok = passes(AEN_FILTER_MAIN, sids, n, m, len);
	int sink_ok = passes(AEN_FILTER_SINK, sids, n, m, len);

	T_INTEQ(main_ok + sink_ok, 1);
	return sink_ok;
}

static void test_offsets_agree_with_the_decoder(void)
{
	uint8_t m[256];
	struct nl_event ev;
	size_t len = message(m, NL_K_RECV_PDU, 77, OP_ASYNC, ASYNC_SCSI_EVENT);

	T_INTEQ(nl_decode(m, len, &ev), 0);
	T_INTEQ(ev.ne_type, NL_K_RECV_PDU);
	T_INTEQ(ev.ne_sid, 77);
	T_INTEQ(ev.ne_data[0], OP_ASYNC);
	T_INTEQ(ev.ne_data[36], ASYNC_SCSI_EVENT);
}

static void test_only_scsi_events_of_named_sessions_fold(void)
{
	uint32_t sids[] = { 7, 0x01020304, 9 };
	uint8_t m[256];
	size_t len;

	len = message(m, NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_SCSI_EVENT);
	T_CHECK(folded(sids, 3, m, len));
	len = message(m, NL_K_RECV_PDU, 0x01020304, OP_ASYNC, ASYNC_SCSI_EVENT);
	T_CHECK(folded(sids, 3, m, len));   /* byte order of a multi-byte id */
	len = message(m, NL_K_RECV_PDU, 0x04030201, OP_ASYNC, ASYNC_SCSI_EVENT);
	T_CHECK(!folded(sids, 3, m, len));
	len = message(m, NL_K_RECV_PDU, 9, OP_ASYNC | 0x40, ASYNC_SCSI_EVENT);
	T_CHECK(folded(sids, 3, m, len));   /* the opcode byte's flag bits */
	len = message(m, NL_K_RECV_PDU, 8, OP_ASYNC, ASYNC_SCSI_EVENT);
	T_CHECK(!folded(sids, 3, m, len));
	/* what the target asks of a folded session is still read */
	len = message(m, NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_LOGOUT_REQUEST);
	T_CHECK(!folded(sids, 3, m, len));
	len = message(m, NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_DROP_CONNECTION);
	T_CHECK(!folded(sids, 3, m, len));
	len = message(m, NL_K_RECV_PDU, 7, OP_LOGOUT_RSP, 0);
	T_CHECK(!folded(sids, 3, m, len));
	len = message(m, NL_K_CONN_ERROR, 7, OP_ASYNC, ASYNC_SCSI_EVENT);
	T_CHECK(!folded(sids, 3, m, len));
	/* too short to hold the event byte: read, never folded */
	len = message(m, NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_SCSI_EVENT);
	T_CHECK(!folded(sids, 3, m, NL_HDR_LEN + NL_UEVENT_LEN + 36));
	T_CHECK(!folded(sids, 3, m, 8));
	T_CHECK(folded(sids, 3, m, NL_HDR_LEN + NL_UEVENT_LEN + 37));
}

static void test_no_sessions_folds_nothing(void)
{
	uint8_t m[256];
	size_t len = message(m, NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_SCSI_EVENT);

	T_CHECK(!folded(NULL, 0, m, len));
}

static void test_the_largest_set(void)
{
	static uint32_t sids[AEN_FILTER_MAX_SIDS + 1];
	uint8_t m[256];
	size_t len;

	for (unsigned i = 0; i <= AEN_FILTER_MAX_SIDS; i++)
		sids[i] = 1000 + i;
	len = message(m, NL_K_RECV_PDU, 1000 + AEN_FILTER_MAX_SIDS - 1, OP_ASYNC, 0);
	T_CHECK(folded(sids, AEN_FILTER_MAX_SIDS, m, len));
	len = message(m, NL_K_RECV_PDU, 1000 + AEN_FILTER_MAX_SIDS, OP_ASYNC, 0);
	T_CHECK(!folded(sids, AEN_FILTER_MAX_SIDS, m, len));
	T_INTEQ(aen_filter_build(AEN_FILTER_MAIN, sids, AEN_FILTER_MAX_SIDS + 1, prog), 0);
}

int main(void)
{
	T_RUN(test_offsets_agree_with_the_decoder);
	T_RUN(test_only_scsi_events_of_named_sessions_fold);
	T_RUN(test_no_sessions_folds_nothing);
	T_RUN(test_the_largest_set);
	return T_DONE();
}
