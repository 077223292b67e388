/* The life cycle of one iscsid session as one table: {state, event} ->
 * action, next state (sess_fsm.c). The dispatcher there is the only code
 * that writes a session's state and its coordination flags; everything
 * else asks it with an event and performs the I/O the answer names
 * (start a thread, wait, give up).
 *
 * States follow the session's life: a login reserves it (LOGGING_IN), the
 * kernel runs it (LOGGED_IN), a connection error starts a re-login
 * (RECOVERING, RFC 7143 6.3 "session continuation") that may give up
 * (FAILED), and logout ends it (LOGGING_OUT). The flags say who works on
 * it: one thread at a time holds it busy; rescans share it (users); a
 * logout asks the holder to stop; a connection error or a target's logout
 * request that arrives while it is held is kept pending for the release. */
#ifndef DAEMON_SESS_FSM_H
#define DAEMON_SESS_FSM_H

enum sess_state {
	SESS_LOGGING_IN,   /* reserved by a login in progress */
	SESS_LOGGED_IN,    /* operational */
	SESS_RECOVERING,   /* connection lost, re-login with backoff */
	SESS_FAILED,       /* recovery gave up (replacement_timeout) */
	SESS_LOGGING_OUT
};
#define SESS_NSTATES 5

/* State and flags; written by sess_fsm_step only. */
struct sess_life {
	enum sess_state l_state;
	int l_busy;            /* a thread works on it: others back off */
	int l_stop;            /* logout asked: recovery gives up */
	int l_users;           /* scans in progress (logout waits) */
	int l_err_pending;     /* conn error seen while busy */
	int l_logout_pending;  /* target asked for logout while busy */
};

enum sess_ev {
	SEV_LOGIN_OK,          /* our login's session runs in the kernel */
	SEV_ADOPT_OK,          /* takeover of a kernel session that runs */
	SEV_ADOPT_FAILED,      /* takeover of a kernel session in FAILED */
	SEV_LOGOUT_TAKE,       /* a logout request wants the session */
	SEV_LOGOUT_START,      /* ... and has it */
	SEV_SCAN_BEGIN,        /* a rescan request shares it */
	SEV_SCAN_END,
	SEV_CONN_ERR,          /* the kernel reports a connection error */
	SEV_AEN_SCAN,          /* the target reports changed LUNs */
	SEV_AEN_LOGOUT,        /* the target asks for logout */
	SEV_RECOVER_TRY,       /* a recovery attempt starts */
	SEV_RECOVER_OK,
	SEV_RECOVER_GIVEUP,
	SEV_RELEASE            /* the thread holding it lets go */
};
#define SESS_NEVENTS 14

/* What the caller does after the step (the table already set the flags). */
enum sess_act {
	SACT_NONE,             /* nothing more */
	SACT_ILLEGAL,          /* no row: refused, nothing changed */
	SACT_REFUSE,           /* not in a state for it (e.g. rescan while recovering) */
	SACT_DROP,             /* ignored: logging out, or told to stop */
	SACT_BUSY,             /* ignored: an AEN scan while another thread holds it
				  (the holder's own work ends in a scan or a
				  recovery; a scan gate may fold it in) */
	SACT_DEFER_ERR,        /* held by another thread: the error waits for the release */
	SACT_DEFER_LOGOUT,     /* ... and so does the target's logout request */
	SACT_WAIT,             /* held by another thread, told to stop: wait for st_cond */
	SACT_CLAIM,            /* now held by the caller */
	SACT_USE,              /* now shared by the caller (rescan) */
	SACT_UNUSE,
	SACT_CLEAR_ERR,        /* errors of earlier connections forgotten */
	SACT_RELEASE,          /* no longer held */
	SACT_SPAWN_RECOVER,    /* still held: start the recovery thread */
	SACT_SPAWN_LOGOUT      /* still held: start the target-requested logout */
};

/* Pure: the life a new reservation starts with (LOGGING_IN, held). */
void sess_life_init(struct sess_life *l);
/* Pure: applies ev to l by the table and returns the action; l is left
 * unchanged for SACT_ILLEGAL. */
enum sess_act sess_fsm_step(struct sess_life *l, enum sess_ev ev);

const char *sess_state_name(enum sess_state st);
const char *sess_ev_name(enum sess_ev ev);
const char *sess_act_name(enum sess_act a);

#endif
