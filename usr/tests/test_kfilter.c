/* The event socket's AEN filter (kfilter.h), run by the host kernel: a
 * Unix datagram socket takes the same classic BPF and sees the same bytes
 * as a netlink socket would. */
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "pdu.h"
#include "../daemon/kfilter.h"
#include "../daemon/netlink.h"

static int sp[2];

/* nlmsghdr + uevent (type, r.recv_req.sid) + BHS + 18 bytes of sense. */
static int delivered(uint32_t type, uint32_t sid, uint8_t opcode, uint8_t event)
{
	uint8_t m[NL_HDR_LEN + NL_UEVENT_LEN + PDU_BHS_LEN + 18] = { 0 }, in[sizeof(m)];
	uint8_t *bhs = m + NL_HDR_LEN + NL_UEVENT_LEN;

	memcpy(m + NL_HDR_LEN + NL_OFF_TYPE, &type, 4);
	memcpy(m + NL_HDR_LEN + NL_OFF_R, &sid, 4);
	bhs[0] = opcode;
	bhs[36] = event;
	if (send(sp[0], m, sizeof(m), 0) != (ssize_t)sizeof(m))
		return -1;
	return recv(sp[1], in, sizeof(in), MSG_DONTWAIT) == (ssize_t)sizeof(m);
}

static void test_pending_sessions_lose_only_their_scsi_events(void)
{
	const uint32_t muted[] = { 7, 300, 70000 };

	T_INTEQ(kfilter_attach(sp[1], muted, 3), RC_OK);
	T_INTEQ(delivered(NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_SCSI_EVENT), 0);
	T_INTEQ(delivered(NL_K_RECV_PDU, 300, OP_ASYNC | 0x40, ASYNC_SCSI_EVENT), 0);
	T_INTEQ(delivered(NL_K_RECV_PDU, 70000, OP_ASYNC, ASYNC_SCSI_EVENT), 0);
	T_INTEQ(delivered(NL_K_RECV_PDU, 8, OP_ASYNC, ASYNC_SCSI_EVENT), 1);
	T_INTEQ(delivered(NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_LOGOUT_REQUEST), 1);
	T_INTEQ(delivered(NL_K_RECV_PDU, 7, OP_LOGIN_RSP, 0), 1);
	T_INTEQ(delivered(NL_K_RECV_PDU, 7, OP_LOGOUT_RSP, 0), 1);
	T_INTEQ(delivered(NL_K_CONN_ERROR, 7, OP_ASYNC, ASYNC_SCSI_EVENT), 1);
	T_INTEQ(kfilter_attach(sp[1], NULL, 0), RC_OK);
	T_INTEQ(delivered(NL_K_RECV_PDU, 7, OP_ASYNC, ASYNC_SCSI_EVENT), 1);
	T_INTEQ(kfilter_attach(sp[1], NULL, 0), RC_OK);   /* none attached: fine */
}

/* As many sessions as the filter takes; the one past the cap still gets
 * its AENs (unfiltered, never lost). */
static void test_cap(void)
{
	static uint32_t sids[KFILTER_MAX_SIDS + 1];
	static struct sock_filter prog[KFILTER_MAX_INSNS];

	for (uint32_t i = 0; i <= KFILTER_MAX_SIDS; i++)
		sids[i] = i + 1;
	T_INTEQ(kfilter_build(sids, KFILTER_MAX_SIDS + 1, prog), KFILTER_MAX_INSNS);
	T_INTEQ(kfilter_attach(sp[1], sids, KFILTER_MAX_SIDS + 1), RC_OK);
	T_INTEQ(delivered(NL_K_RECV_PDU, 1, OP_ASYNC, ASYNC_SCSI_EVENT), 0);
	T_INTEQ(delivered(NL_K_RECV_PDU, KFILTER_MAX_SIDS, OP_ASYNC, ASYNC_SCSI_EVENT), 0);
	T_INTEQ(delivered(NL_K_RECV_PDU, KFILTER_MAX_SIDS + 1, OP_ASYNC, ASYNC_SCSI_EVENT), 1);
	T_INTEQ(kfilter_attach(sp[1], NULL, 0), RC_OK);
}

int main(void)
{
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) != 0)
		return 1;
	T_RUN(test_pending_sessions_lose_only_their_scsi_events);
	T_RUN(test_cap);
	close(sp[0]);
	close(sp[1]);
	return T_DONE();
}
