/* The session state machine (see sess_fsm.h): the table, its pure step,
 * and the dispatcher that applies a step to a session of the table under
 * st_lock and logs it. */
#include <pthread.h>

#include "log.h"
#include "sess.h"
#include "sess_fsm.h"

#define M(st) (1u << (st))
#define ANY   (M(SESS_NSTATES) - 1)
#define SAME  (-1)

/* When a row applies, besides event and state. */
enum guard {
	G_ANY,
	G_HELD,            /* busy: a thread holds it */
	G_IN_USE,          /* held, or shared by a rescan */
	G_USED,            /* shared by a rescan */
	G_STOPPING,        /* a logout told the holder to stop */
	G_LOGOUT_PENDING,  /* a target's logout request waits (and no stop) */
	G_ERR_PENDING      /* a connection error waits (and no stop) */
};

struct sess_row {
	enum sess_ev r_ev;
	unsigned r_states;
	enum guard r_guard;
	enum sess_act r_act;
	int r_next;        /* enum sess_state, or SAME */
};

#define ACTIVE (M(SESS_LOGGED_IN) | M(SESS_RECOVERING) | M(SESS_FAILED))
#define NOT_OUT (ANY & ~M(SESS_LOGGING_OUT))

/* First matching row wins; an event in a state no row names is illegal. */
static const struct sess_row rows[] = {
	{ SEV_LOGIN_OK,       M(SESS_LOGGING_IN), G_HELD,    SACT_NONE,   SESS_LOGGED_IN },
	{ SEV_ADOPT_OK,       M(SESS_LOGGING_IN), G_HELD,    SACT_NONE,   SESS_LOGGED_IN },
	{ SEV_ADOPT_FAILED,   M(SESS_LOGGING_IN), G_HELD,    SACT_NONE,   SESS_RECOVERING },

	/* logout: stop whoever holds it, wait, take it */
	{ SEV_LOGOUT_TAKE,    ANY,                G_IN_USE,  SACT_WAIT,   SAME },
	{ SEV_LOGOUT_TAKE,    ANY,                G_ANY,     SACT_CLAIM,  SAME },
	{ SEV_LOGOUT_START,   ACTIVE | M(SESS_LOGGING_OUT), G_HELD, SACT_NONE, SESS_LOGGING_OUT },

	/* rescans share a running session */
	{ SEV_SCAN_BEGIN,     M(SESS_LOGGED_IN),  G_ANY,     SACT_USE,    SAME },
	{ SEV_SCAN_BEGIN,     ANY,                G_ANY,     SACT_REFUSE, SAME },
	{ SEV_SCAN_END,       ANY,                G_USED,    SACT_UNUSE,  SAME },

	/* kernel events: nothing once logout started; kept for the release
	 * when another thread holds it (an AEN scan is not: the holder's own
	 * scan or recovery scans anyway) */
	{ SEV_CONN_ERR,       M(SESS_LOGGING_OUT), G_ANY,    SACT_DROP,   SAME },
	{ SEV_CONN_ERR,       NOT_OUT,            G_STOPPING, SACT_DROP,  SAME },
	{ SEV_CONN_ERR,       NOT_OUT,            G_HELD,    SACT_DEFER_ERR, SAME },
	{ SEV_CONN_ERR,       NOT_OUT,            G_ANY,     SACT_CLAIM,  SESS_RECOVERING },
	{ SEV_AEN_SCAN,       M(SESS_LOGGING_OUT), G_ANY,    SACT_DROP,   SAME },
	{ SEV_AEN_SCAN,       NOT_OUT,            G_STOPPING, SACT_DROP,  SAME },
	{ SEV_AEN_SCAN,       NOT_OUT,            G_HELD,    SACT_BUSY,   SAME },
	{ SEV_AEN_SCAN,       NOT_OUT,            G_ANY,     SACT_CLAIM,  SAME },
	{ SEV_AEN_LOGOUT,     M(SESS_LOGGING_OUT), G_ANY,    SACT_DROP,   SAME },
	{ SEV_AEN_LOGOUT,     NOT_OUT,            G_STOPPING, SACT_DROP,  SAME },
	{ SEV_AEN_LOGOUT,     NOT_OUT,            G_HELD,    SACT_DEFER_LOGOUT, SAME },
	{ SEV_AEN_LOGOUT,     NOT_OUT,            G_ANY,     SACT_CLAIM,  SAME },

	/* recovery (held by its thread) */
	{ SEV_RECOVER_TRY,    M(SESS_RECOVERING), G_HELD,    SACT_CLEAR_ERR, SAME },
	{ SEV_RECOVER_OK,     M(SESS_RECOVERING), G_HELD,    SACT_NONE,   SESS_LOGGED_IN },
	{ SEV_RECOVER_GIVEUP, M(SESS_RECOVERING), G_HELD,    SACT_NONE,   SESS_FAILED },

	/* release: a pending target logout wins over a pending recovery */
	{ SEV_RELEASE,        M(SESS_LOGGED_IN),  G_LOGOUT_PENDING, SACT_SPAWN_LOGOUT, SAME },
	{ SEV_RELEASE,        M(SESS_LOGGED_IN),  G_ERR_PENDING, SACT_SPAWN_RECOVER, SESS_RECOVERING },
	{ SEV_RELEASE,        ANY,                G_HELD,    SACT_RELEASE, SAME },
};

static int guard_holds(enum guard g, const struct sess_life *l)
{
	switch (g) {
	case G_ANY:            return 1;
	case G_HELD:           return l->l_busy;
	case G_IN_USE:         return l->l_busy || l->l_users > 0;
	case G_USED:           return l->l_users > 0;
	case G_STOPPING:       return l->l_stop;
	case G_LOGOUT_PENDING: return l->l_logout_pending && !l->l_stop;
	case G_ERR_PENDING:    return l->l_err_pending && !l->l_stop;
	}
	return 0;
}

static void act_apply(enum sess_act a, struct sess_life *l)
{
	switch (a) {
	case SACT_CLAIM:        l->l_busy = 1; break;
	case SACT_WAIT:         l->l_stop = 1; break;
	case SACT_USE:          l->l_users++; break;
	case SACT_UNUSE:        l->l_users--; break;
	case SACT_DEFER_ERR:    l->l_err_pending = 1; break;
	case SACT_DEFER_LOGOUT: l->l_logout_pending = 1; break;
	case SACT_CLEAR_ERR:    l->l_err_pending = 0; break;
	case SACT_RELEASE:      l->l_busy = 0; /* fall through */
	case SACT_SPAWN_RECOVER:
	case SACT_SPAWN_LOGOUT:
		l->l_err_pending = 0;
		l->l_logout_pending = 0;
		break;
	case SACT_NONE: case SACT_ILLEGAL: case SACT_REFUSE: case SACT_DROP:
	case SACT_BUSY:
		break;
	}
}

void sess_life_init(struct sess_life *l)
{
	*l = (struct sess_life){ .l_state = SESS_LOGGING_IN, .l_busy = 1 };
}

enum sess_act sess_fsm_step(struct sess_life *l, enum sess_ev ev)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct sess_row *r = &rows[i];

		if (r->r_ev != ev || !(r->r_states & M(l->l_state)) ||
		    !guard_holds(r->r_guard, l))
			continue;
		act_apply(r->r_act, l);
		if (r->r_next != SAME)
			l->l_state = (enum sess_state)r->r_next;
		return r->r_act;
	}
	return SACT_ILLEGAL;
}

enum sess_act sess_fsm_locked(struct sess_table *t, struct sess *s, enum sess_ev ev)
{
	enum sess_state from = s->s_life.l_state;
	enum sess_act a = sess_fsm_step(&s->s_life, ev);

	(void)t;
	if (a == SACT_ILLEGAL)
		log_error("session %d [%s %s,%d]: %s refused in state %s",
			  s->s_sid, s->s_key.sk_target, s->s_key.sk_addr,
			  s->s_key.sk_port, sess_ev_name(ev), sess_state_name(from));
	else
		log_debug("session %d [%s %s,%d]: %s: %s -> %s, %s", s->s_sid,
			  s->s_key.sk_target, s->s_key.sk_addr, s->s_key.sk_port,
			  sess_ev_name(ev), sess_state_name(from),
			  sess_state_name(s->s_life.l_state), sess_act_name(a));
	/* whoever waits for the session (logout) looks again; a scan's
	 * hold-off ends when the session is to stop */
	if (a == SACT_RELEASE || a == SACT_UNUSE || a == SACT_WAIT)
		pthread_cond_broadcast(&t->st_cond);
	return a;
}

enum sess_act sess_fsm(struct sess_table *t, struct sess *s, enum sess_ev ev)
{
	enum sess_act a;

	pthread_mutex_lock(&t->st_lock);
	a = sess_fsm_locked(t, s, ev);
	pthread_mutex_unlock(&t->st_lock);
	return a;
}

int sess_stopping(struct sess_table *t, const struct sess *s)
{
	int stop;

	pthread_mutex_lock(&t->st_lock);
	stop = s->s_life.l_stop;
	pthread_mutex_unlock(&t->st_lock);
	return stop;
}

const char *sess_state_name(enum sess_state st)
{
	static const char *const n[SESS_NSTATES] = {
		"LOGGING_IN", "LOGGED_IN", "RECOVERING", "FAILED", "LOGGING_OUT"
	};

	return (unsigned)st < SESS_NSTATES ? n[st] : "UNKNOWN";
}

const char *sess_ev_name(enum sess_ev ev)
{
	static const char *const n[SESS_NEVENTS] = {
		"login-ok", "adopt-ok", "adopt-failed", "logout-take", "logout-start",
		"scan-begin", "scan-end", "conn-error", "aen-scan", "aen-logout",
		"recover-try", "recover-ok", "recover-giveup", "release"
	};

	return (unsigned)ev < SESS_NEVENTS ? n[ev] : "?";
}

const char *sess_act_name(enum sess_act a)
{
	static const char *const n[] = {
		"none", "illegal", "refuse", "drop", "busy", "defer-error", "defer-logout",
		"wait", "claim", "use", "unuse", "clear-error", "release",
		"spawn-recover", "spawn-logout"
	};

	return (unsigned)a < sizeof(n) / sizeof(n[0]) ? n[a] : "?";
}
