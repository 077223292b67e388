/* The session state table (usr/daemon/sess_fsm.c), pure: the life cycles
 * iscsid runs, the events it must refuse, and what a busy session keeps
 * for its release. */
#include "../daemon/sess_fsm.h"
#include "t.h"

/* A fresh reservation that logged in and was let go. */
static struct sess_life running(void)
{
	struct sess_life l;

	sess_life_init(&l);
	sess_fsm_step(&l, SEV_LOGIN_OK);
	sess_fsm_step(&l, SEV_RELEASE);
	return l;
}

static void test_login_logout(void)
{
	struct sess_life l;

	sess_life_init(&l);
	T_INTEQ(l.l_state, SESS_LOGGING_IN);
	T_INTEQ(l.l_busy, 1);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGIN_OK), SACT_NONE);
	T_INTEQ(l.l_state, SESS_LOGGED_IN);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_RELEASE);
	T_INTEQ(l.l_busy, 0);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_TAKE), SACT_CLAIM);
	T_INTEQ(l.l_busy, 1);
	T_INTEQ(l.l_stop, 0);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_START), SACT_NONE);
	T_INTEQ(l.l_state, SESS_LOGGING_OUT);
	/* logging out: kernel events are dropped, rescans refused */
	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_DROP);
	T_INTEQ(sess_fsm_step(&l, SEV_AEN_LOGOUT), SACT_DROP);
	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_BEGIN), SACT_REFUSE);
	T_INTEQ(l.l_err_pending + l.l_logout_pending + l.l_users, 0);
}

static void test_illegal(void)
{
	struct sess_life l = running(), before;

	before = l;
	T_INTEQ(sess_fsm_step(&l, SEV_LOGIN_OK), SACT_ILLEGAL);      /* twice */
	T_INTEQ(sess_fsm_step(&l, SEV_RECOVER_OK), SACT_ILLEGAL);    /* not recovering */
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_START), SACT_ILLEGAL);  /* not held */
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_ILLEGAL);       /* not held */
	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_END), SACT_ILLEGAL);      /* no scan */
	T_INTEQ(sess_fsm_step(&l, (enum sess_ev)99), SACT_ILLEGAL);
	T_CHECK(memcmp(&l, &before, sizeof(l)) == 0);  /* refused: nothing changed */
	sess_life_init(&l);
	T_INTEQ(sess_fsm_step(&l, SEV_RECOVER_TRY), SACT_ILLEGAL);
	T_INTEQ(l.l_state, SESS_LOGGING_IN);
}

/* conn error -> recovery thread -> logged in again, or failed */
static void test_recovery(void)
{
	struct sess_life l = running();

	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_CLAIM);
	T_INTEQ(l.l_state, SESS_RECOVERING);
	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_DEFER_ERR);  /* while held */
	T_INTEQ(l.l_err_pending, 1);
	T_INTEQ(sess_fsm_step(&l, SEV_RECOVER_TRY), SACT_CLEAR_ERR);
	T_INTEQ(l.l_err_pending, 0);
	T_INTEQ(sess_fsm_step(&l, SEV_RECOVER_OK), SACT_NONE);
	T_INTEQ(l.l_state, SESS_LOGGED_IN);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_RELEASE);
	T_INTEQ(l.l_busy, 0);

	l = running();
	sess_fsm_step(&l, SEV_CONN_ERR);
	T_INTEQ(sess_fsm_step(&l, SEV_RECOVER_GIVEUP), SACT_NONE);
	T_INTEQ(l.l_state, SESS_FAILED);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_RELEASE);
	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_BEGIN), SACT_REFUSE);
	/* a failed session still recovers on the next error, and logs out */
	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_CLAIM);
	T_INTEQ(l.l_state, SESS_RECOVERING);
}

/* what arrives while a thread holds the session waits for its release */
static void test_release_pending(void)
{
	struct sess_life l = running();

	T_INTEQ(sess_fsm_step(&l, SEV_AEN_SCAN), SACT_CLAIM);
	T_INTEQ(sess_fsm_step(&l, SEV_AEN_SCAN), SACT_BUSY);
	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_DEFER_ERR);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_SPAWN_RECOVER);
	T_INTEQ(l.l_state, SESS_RECOVERING);
	T_INTEQ(l.l_busy, 1);
	T_INTEQ(l.l_err_pending, 0);

	/* the target's logout request wins over a pending error */
	l = running();
	sess_fsm_step(&l, SEV_AEN_SCAN);
	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_DEFER_ERR);
	T_INTEQ(sess_fsm_step(&l, SEV_AEN_LOGOUT), SACT_DEFER_LOGOUT);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_SPAWN_LOGOUT);
	T_INTEQ(l.l_state, SESS_LOGGED_IN);
	T_INTEQ(l.l_busy, 1);
	T_INTEQ(l.l_err_pending + l.l_logout_pending, 0);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_RELEASE);
}

/* a logout waits for rescans and tells a recovery to stop */
static void test_logout_waits(void)
{
	struct sess_life l = running();

	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_BEGIN), SACT_USE);
	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_BEGIN), SACT_USE);
	T_INTEQ(l.l_users, 2);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_TAKE), SACT_WAIT);
	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_END), SACT_UNUSE);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_TAKE), SACT_WAIT);
	T_INTEQ(sess_fsm_step(&l, SEV_SCAN_END), SACT_UNUSE);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_TAKE), SACT_CLAIM);

	l = running();
	sess_fsm_step(&l, SEV_CONN_ERR);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_TAKE), SACT_WAIT);
	T_INTEQ(l.l_stop, 1);
	/* stopping: new kernel events are not acted on, no recovery pends */
	T_INTEQ(sess_fsm_step(&l, SEV_CONN_ERR), SACT_DROP);
	T_INTEQ(sess_fsm_step(&l, SEV_AEN_LOGOUT), SACT_DROP);
	T_INTEQ(sess_fsm_step(&l, SEV_RELEASE), SACT_RELEASE);  /* recovery gave up */
	T_INTEQ(l.l_state, SESS_RECOVERING);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_TAKE), SACT_CLAIM);
	T_INTEQ(sess_fsm_step(&l, SEV_LOGOUT_START), SACT_NONE);
	T_INTEQ(l.l_state, SESS_LOGGING_OUT);
}

static void test_takeover(void)
{
	struct sess_life l;

	sess_life_init(&l);
	T_INTEQ(sess_fsm_step(&l, SEV_ADOPT_OK), SACT_NONE);
	T_INTEQ(l.l_state, SESS_LOGGED_IN);
	sess_life_init(&l);
	T_INTEQ(sess_fsm_step(&l, SEV_ADOPT_FAILED), SACT_NONE);
	T_INTEQ(l.l_state, SESS_RECOVERING);
	T_INTEQ(sess_fsm_step(&l, SEV_RECOVER_TRY), SACT_CLEAR_ERR);
}

static void test_names(void)
{
	T_STREQ(sess_state_name(SESS_LOGGING_OUT), "LOGGING_OUT");
	T_STREQ(sess_state_name((enum sess_state)42), "UNKNOWN");
	T_STREQ(sess_ev_name(SEV_RELEASE), "release");
	T_STREQ(sess_act_name(SACT_SPAWN_LOGOUT), "spawn-logout");
}

int main(void)
{
	T_RUN(test_login_logout);
	T_RUN(test_illegal);
	T_RUN(test_recovery);
	T_RUN(test_release_pending);
	T_RUN(test_logout_waits);
	T_RUN(test_takeover);
	T_RUN(test_names);
	return T_DONE();
}
