/* Session statistics from the kernel (see sess_stats.h). On success the
 * kernel sends the numbers to the iscsid multicast group and no reply; on
 * failure an IF_ERROR reply to the asking socket. So we ask from a socket
 * that is in the group and read both from it. */
#include <string.h>

#include "err.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "netlink.h"
#include "sess.h"
#include "sess_stats.h"

#define STATS_TMO_MS 5000

_Static_assert(IPC_ABI_UEVENT_LEN == NL_UEVENT_LEN, "struct iscsi_uevent size");

int sess_stats_fill(const uint8_t *uevent, size_t len, struct ipc_abi_rsp *rsp)
{
	const size_t head = IPC_ABI_UEVENT_LEN + sizeof(struct ipc_abi_stats);
	size_t n = len < sizeof(rsp->ap_u.ap_stats) ? len : sizeof(rsp->ap_u.ap_stats);
	struct ipc_abi_stats *st = &rsp->ap_u.ap_stats.ag_stats;
	size_t have;

	if (len < head)
		return RC_INTERNAL;
	memset(&rsp->ap_u.ap_stats, 0, sizeof(rsp->ap_u.ap_stats));
	memcpy(&rsp->ap_u.ap_stats, uevent, n);
	have = (n - head) / sizeof(struct ipc_abi_custom);
	if (st->st_custom_length > have)
		st->st_custom_length = (uint32_t)have;
	return RC_OK;
}

/* Waits on the group socket for sid's statistics (or the error reply). */
static int stats_wait(struct nl_sock *g, uint8_t *buf, size_t cap, uint32_t sid,
		      struct ipc_abi_rsp *rsp)
{
	int64_t end = net_now_ms() + STATS_TMO_MS;
	struct nl_event ev;

	for (;;) {
		int64_t left = end - net_now_ms();
		int rc = nl_recv(g, buf, cap, &ev, left > 0 ? (int)left : 0);

		if (rc == RC_AGAIN)
			continue;
		if (rc)
			return RC_INTERNAL;
		if (ev.ne_type == NL_K_IF_ERROR && ev.ne_nl_type == NL_GET_STATS)
			return RC_INTERNAL;
		if (ev.ne_type == NL_GET_STATS && ev.ne_sid == sid && ev.ne_data)
			return sess_stats_fill(ev.ne_data - NL_UEVENT_LEN,
					       NL_UEVENT_LEN + ev.ne_data_len, rsp);
	}
}

static int stats_ask(uint32_t sid, uint32_t cid, struct ipc_abi_rsp *rsp)
{
	struct nl_msg m = { .nm_type = NL_GET_STATS, .nm_sid = sid, .nm_cid = cid };
	uint8_t buf[NL_HDR_LEN + sizeof(rsp->ap_u.ap_stats) + 64];
	struct nl_sock g;
	int rc = kernel_transport_handle(NULL, "tcp", &m.nm_handle);

	if (rc == RC_OK)
		rc = nl_open(&g, NL_ISCSI_GRP);
	if (rc) {
		log_error("get_stats(): no kernel transport for session [%02u]", sid);
		return RC_INTERNAL;
	}
	rc = nl_send(&g, &m);
	if (!rc)
		rc = stats_wait(&g, buf, sizeof(buf), sid, rsp);
	nl_close(&g);
	if (rc)
		log_error("get_stats(): kernel error for session [%02u]", sid);
	return rc ? RC_INTERNAL : RC_OK;
}

int sess_stats_get(struct sess_table *t, int sid, struct ipc_abi_rsp *rsp)
{
	struct sess *s;
	uint32_t cid = 0;

	pthread_mutex_lock(&t->st_lock);
	s = sess_find_sid(t, sid);
	if (s)
		cid = s->s_ks.ks_cid;
	pthread_mutex_unlock(&t->st_lock);
	if (!s)
		return RC_SESS_NOT_FOUND;
	return stats_ask((uint32_t)sid, cid, rsp);
}
