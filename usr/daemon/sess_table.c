/* iscsid's session table: reservation, lookup and the session list answer
 * (see sess.h). Callers hold no lock; these functions take st_lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "rec.h"
#include "sess.h"
#include "sess_events.h"

int sess_table_init(struct sess_table *t, const char *config, const char *iname)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->st_lock, NULL);
	pthread_cond_init(&t->st_cond, NULL);
	kroute_init(&t->st_route);
	aen_sink_init(&t->st_sink);
	t->st_config = config ? strdup(config) : NULL;
	t->st_iname = iname ? strdup(iname) : NULL;
	/* ISIDs must not repeat those of sessions an earlier iscsid left
	 * behind (same ISID to the same target = session reinstatement) */
	t->st_isid_next = ((uint32_t)time(NULL) ^ ((uint32_t)getpid() << 12)) & 0xffffff;
	if ((config && !t->st_config) || (iname && !t->st_iname))
		return RC_NOMEM;
	return RC_OK;
}

void sess_table_fini(struct sess_table *t)
{
	struct sess *s = t->st_head, *n;

	for (; s; s = n) {
		n = s->s_next;
		rec_free(s->s_rec);
		scanset_free(&s->s_scanset);
		free(s);
	}
	t->st_head = NULL;
	free(t->st_config);
	free(t->st_iname);
	free(t->st_ialias);
	pthread_mutex_destroy(&t->st_lock);
	pthread_cond_destroy(&t->st_cond);
	kroute_fini(&t->st_route);
	aen_sink_main(&t->st_sink, -1);
}

int sess_key_from_rec(const struct rec *r, struct sess_key *k)
{
	const char *target, *addr, *iface;
	int port;

	memset(k, 0, sizeof(*k));
	rec_node_id(r, &target, &addr, &port, &iface);
	if (!*target || !*addr || port <= 0 || port > 65535 ||
	    strlen(target) >= sizeof(k->sk_target) || strlen(addr) >= sizeof(k->sk_addr))
		return RC_INVALID_MGMT_REQ;
	strcpy(k->sk_target, target);
	strcpy(k->sk_addr, addr);
	k->sk_port = port;
	snprintf(k->sk_iface, sizeof(k->sk_iface), "%s", iface);
	return RC_OK;
}

int sess_key_eq(const struct sess_key *a, const struct sess_key *b)
{
	return a->sk_port == b->sk_port && !strcmp(a->sk_target, b->sk_target) &&
	       !strcmp(a->sk_addr, b->sk_addr) && !strcmp(a->sk_iface, b->sk_iface);
}

struct sess *sess_reserve(struct sess_table *t, const struct sess_key *k,
			  int multiple, int *rc)
{
	struct sess *s;

	pthread_mutex_lock(&t->st_lock);
	for (s = t->st_head; s && !multiple; s = s->s_next) {
		if (sess_key_eq(&s->s_key, k)) {
			pthread_mutex_unlock(&t->st_lock);
			*rc = RC_SESS_EXISTS;
			return NULL;
		}
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		pthread_mutex_unlock(&t->st_lock);
		*rc = RC_NOMEM;
		return NULL;
	}
	s->s_key = *k;
	s->s_sid = -1;
	s->s_ks.ks_fd = -1;
	s->s_tpgt = -1;
	sess_life_init(&s->s_life);
	s->s_next = t->st_head;
	t->st_head = s;
	pthread_mutex_unlock(&t->st_lock);
	*rc = RC_OK;
	return s;
}

/* Caller holds st_lock. */
struct sess *sess_find_sid(struct sess_table *t, int sid)
{
	for (struct sess *s = t->st_head; s; s = s->s_next)
		if (s->s_sid == sid && sid >= 0)
			return s;
	return NULL;
}

void sess_unlink(struct sess_table *t, struct sess *s)
{
	pthread_mutex_lock(&t->st_lock);
	for (struct sess **pp = &t->st_head; *pp; pp = &(*pp)->s_next) {
		if (*pp == s) {
			*pp = s->s_next;
			break;
		}
	}
	pthread_cond_broadcast(&t->st_cond);
	pthread_mutex_unlock(&t->st_lock);
	rec_free(s->s_rec);
	scanset_free(&s->s_scanset);
	free(s);
}

void sess_release(struct sess_table *t, struct sess *s)
{
	sess_release_then(t, s, sess_fsm(t, s, SEV_RELEASE));
}

void sess_release_then(struct sess_table *t, struct sess *s, enum sess_act a)
{
	switch (a) {
	case SACT_SPAWN_LOGOUT:
		if (sess_spawn(t, s, sess_logout_requested) != RC_OK)
			sess_release(t, s);
		break;
	case SACT_SPAWN_RECOVER:
		if (sess_spawn(t, s, sess_recover) != RC_OK)
			sess_release(t, s);
		break;
	default:
		break;
	}
}

/* iscsid's state of a session in stock's numbers (conn state, r_stage). */
static void state_wire(enum sess_state st, int *conn, int *stage)
{
	switch (st) {
	case SESS_LOGGING_IN:
		*conn = IPC_CONN_IN_LOGIN, *stage = IPC_R_NO_CHANGE;
		return;
	case SESS_LOGGED_IN:
		*conn = IPC_CONN_LOGGED_IN, *stage = IPC_R_NO_CHANGE;
		return;
	case SESS_RECOVERING:
		*conn = IPC_CONN_XPT_WAIT, *stage = IPC_R_REOPEN;
		return;
	case SESS_FAILED:
		*conn = IPC_CONN_FREE, *stage = IPC_R_CLEANUP;
		return;
	case SESS_LOGGING_OUT:
		*conn = IPC_CONN_IN_LOGOUT, *stage = IPC_R_CLEANUP;
		return;
	}
	*conn = -1, *stage = -1;
}

int sess_state_get(struct sess_table *t, int sid, int *conn, int *stage)
{
	struct sess *s;

	pthread_mutex_lock(&t->st_lock);
	s = sess_find_sid(t, sid);
	if (s)
		state_wire(s->s_life.l_state, conn, stage);
	pthread_mutex_unlock(&t->st_lock);
	return s ? RC_OK : RC_SESS_NOT_FOUND;
}
