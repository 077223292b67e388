/* Session statistics from the kernel (see sess_stats.h). The kernel sends
 * the numbers to the iscsid multicast group, not as the reply: the group
 * socket is opened before asking, so the message waits there for us. */
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

/* Waits on the group socket for sid's statistics. */
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
		if (ev.ne_type == NL_GET_STATS && ev.ne_sid == sid && ev.ne_data)
			return sess_stats_fill(ev.ne_data - NL_UEVENT_LEN,
					       NL_UEVENT_LEN + ev.ne_data_len, rsp);
	}
}

static int stats_ask(uint32_t sid, uint32_t cid, struct ipc_abi_rsp *rsp)
{
	static const size_t cap = NL_HDR_LEN + sizeof(rsp->ap_u.ap_stats) + 64;
	struct nl_sock g;
	struct kern k;
	struct nl_event ev;
	struct nl_msg m = { .nm_type = NL_GET_STATS, .nm_sid = sid, .nm_cid = cid };
	uint8_t buf[NL_HDR_LEN + sizeof(rsp->ap_u.ap_stats) + 64];
	int rc = nl_open(&g, NL_ISCSI_GRP);

	if (rc)
		return RC_INTERNAL;
	rc = kernel_open(&k, NULL);
	if (!rc) {
		m.nm_handle = k.k_handle;
		rc = nl_request(&k.k_nl, &m, NULL, 0, k.k_buf, KERNEL_RBUF, &ev,
				STATS_TMO_MS);
		if (!rc && (ev.ne_type == NL_K_IF_ERROR || ev.ne_retcode))
			rc = RC_INTERNAL;
		kernel_close(&k);
	}
	if (!rc)
		rc = stats_wait(&g, buf, cap, sid, rsp);
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
