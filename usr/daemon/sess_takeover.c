/* Takeover at start-up: the sessions sysfs lists (an earlier iscsid's)
 * become ours without a re-login; the start-up policy row decides their
 * scan, and one the kernel shows FAILED goes straight to recovery (see
 * sess.h). */
#include <stdio.h>
#include <string.h>

#include <libopeniscsiusr/libopeniscsiusr.h>

#include "err.h"
#include "log.h"
#include "rec.h"
#include "sess.h"


static struct rec *takeover_rec(const struct sess_key *k)
{
	struct rec *r = sess_rec_now(k, -1);
	char port[16];

	if (r)
		return r;
	/* no record (deleted meanwhile): defaults keep logout and recovery working */
	r = rec_new_default(REC_NODE);
	snprintf(port, sizeof(port), "%d", k->sk_port);
	if (r && (rec_set(r, K_NODE_NAME, k->sk_target) ||
		  rec_set(r, K_NODE_CONN_0_ADDRESS, k->sk_addr) ||
		  rec_set(r, K_NODE_CONN_0_PORT, port))) {
		rec_free(r);
		r = NULL;
	}
	return r;
}

static void takeover_key(struct iscsi_session *se, struct sess_key *k)
{
	struct iscsi_iface *ifc = iscsi_session_iface_get(se);
	const char *iface = ifc ? iscsi_iface_name_get(ifc) : NULL;

	memset(k, 0, sizeof(*k));
	snprintf(k->sk_target, sizeof(k->sk_target), "%s",
		 iscsi_session_target_name_get(se));
	snprintf(k->sk_addr, sizeof(k->sk_addr), "%s",
		 iscsi_session_persistent_address_get(se));
	k->sk_port = iscsi_session_persistent_port_get(se);
	snprintf(k->sk_iface, sizeof(k->sk_iface), "%s",
		 iface && *iface ? iface : IFACE_DEFAULT);
}

static void takeover_scan(struct sess_table *t, struct sess *s)
{
	sess_scan(t, s, SCAN_EV_STARTUP, 0);
	sess_release(t, s);
}

static int takeover_one(struct sess_table *t, struct iscsi_session *se)
{
	uint32_t sid = iscsi_session_sid_get(se);
	const char *st = iscsi_session_state_get(se);
	struct sess_key key;
	struct sess *s;
	int rc, failed;

	takeover_key(se, &key);
	/* every kernel session is one of ours, even a second one to a portal */
	s = sess_reserve(t, &key, 1, &rc);
	if (!s)
		return 0;
	s->s_rec = takeover_rec(&key);
	if (!s->s_rec || ksession_adopt(NULL, sid, &s->s_ks) != RC_OK) {
		log_warn("session %u [%s]: cannot take it over", sid, key.sk_target);
		sess_unlink(t, s);
		return 0;
	}
	failed = !strcmp(st, "FAILED");
	pthread_mutex_lock(&t->st_lock);
	s->s_sid = (int)sid;
	s->s_tpgt = iscsi_session_tpgt_get(se);
	sess_fsm_locked(t, s, failed ? SEV_ADOPT_FAILED : SEV_ADOPT_OK);
	pthread_mutex_unlock(&t->st_lock);
	log_info("session %u [%s %s,%d] taken over (kernel state %s)", sid,
		 key.sk_target, key.sk_addr, key.sk_port, st[0] ? st : "unknown");
	if (sess_spawn(t, s, failed ? sess_recover : takeover_scan))
		sess_release(t, s);
	return 1;
}

int sess_takeover(struct sess_table *t)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_session **ses = NULL;
	uint32_t n = 0;
	int adopted = 0;

	if (!ctx)
		return 0;
	if (iscsi_sessions_get(ctx, &ses, &n) == LIBISCSI_OK) {
		for (uint32_t i = 0; i < n; i++)
			adopted += takeover_one(t, ses[i]);
		iscsi_sessions_free(ses, n);
	}
	iscsi_context_free(ctx);
	if (adopted)
		log_info("took over %d existing session(s)", adopted);
	return adopted;
}
