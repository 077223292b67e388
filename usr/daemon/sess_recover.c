/* Recovery after a connection error: re-login with backoff until it
 * works, a logout stops it, or replacement_timeout (plus grace) is over
 * (see sess.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "idb.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "rec.h"
#include "sess.h"
#include "sess_klogin.h"
#include "sess_params.h"

#define RECOVER_MAX_DELAY_S 30
/* After replacement_timeout the kernel fails I/O; we keep trying a little
 * longer (a target back soon after is still welcome), then stop so a target
 * that is gone for good does not cost retries forever. */
#define RECOVER_GRACE_MIN_S 60
/* A connection that fails again this soon after a recovery is flapping (a
 * target that accepts logins and then breaks): wait longer before each
 * new attempt instead of logging in again and again. */
#define RECOVER_FLAP_WINDOW_MS 10000

/* First delay of a recovery: none normally, growing while flapping. */
static int recover_first_delay(struct sess *s, int64_t now)
{
	if (s->s_recovered_ms && now - s->s_recovered_ms < RECOVER_FLAP_WINDOW_MS)
		s->s_flaps++;
	else
		s->s_flaps = 0;
	if (!s->s_flaps)
		return 0;
	return s->s_flaps >= 5 ? RECOVER_MAX_DELAY_S : 1 << s->s_flaps;
}

static void sleep_unless_stopped(struct sess_table *t, const struct sess *s, int seconds)
{
	for (int i = 0; i < seconds * 5 && !sess_stopping(t, s); i++)
		usleep(200 * 1000);
}

/* One attempt: a new TCP connection, logged in through the kernel so the
 * CmdSN continues where the kernel session stopped; TSIH 0 as stock does
 * (the target reinstates the session whether or not it still has it). */
static int recover_try(struct sess_table *t, struct sess *s, struct kern *k,
		       struct sess_cfg *c, struct login_result *lr)
{
	int fd = -1, err = 0, rc;

	/* errors of the connections before this attempt are history; one
	 * that arrives from here on may be the new connection's own */
	sess_fsm(t, s, SEV_RECOVER_TRY);
	rc = sess_cfg_build(s->s_rec, t->st_iname, s->s_ks.ks_isid, c);
	if (rc)
		return rc;
	c->sc_login.lp_tsih = 0;
	rc = net_connect(c->sc_kern.kc_address, c->sc_kern.kc_port,
			 c->sc_login.lp_timeout_ms, &fd, &err);
	if (rc) {
		log_warn("session %u: reconnect to %s,%u failed: %s", s->s_ks.ks_sid,
			 c->sc_kern.kc_address, c->sc_kern.kc_port,
			 err ? strerror(err) : rc_str(rc));
		return rc;
	}
	rc = sess_klogin(k, &s->s_ks, &c->sc_kern, &c->sc_login, fd, lr);
	if (rc) {
		log_warn("session %u: re-login failed: %s", s->s_ks.ks_sid,
			 lr->lr_msg[0] ? lr->lr_msg : rc_str(rc));
		close(fd);
	}
	return rc;
}

/* Attempts with growing delays until one works, logout stops us, or the
 * time allowed (replacement_timeout plus grace) is over. */
static int recover_loop(struct sess_table *t, struct sess *s, struct kern *k,
			struct sess_cfg *c, struct login_result *lr, int64_t start,
			int *tries)
{
	int64_t giveup = start + 1000LL * (c->sc_replacement_tmo +
		(c->sc_replacement_tmo > RECOVER_GRACE_MIN_S ?
		 c->sc_replacement_tmo : RECOVER_GRACE_MIN_S));
	int delay = 1, rc = RC_LOGOUT;

	log_info("session %u: recovering (replacement_timeout %d s)",
		 s->s_ks.ks_sid, c->sc_replacement_tmo);
	while (!sess_stopping(t, s)) {
		(*tries)++;
		rc = recover_try(t, s, k, c, lr);
		if (rc == RC_OK || sess_stopping(t, s) || net_now_ms() > giveup)
			break;
		sleep_unless_stopped(t, s, delay);
		delay = delay * 2 > RECOVER_MAX_DELAY_S ? RECOVER_MAX_DELAY_S : delay * 2;
	}
	return rc;
}

static void recover_done(struct sess_table *t, struct sess *s, int rc,
			 int tries, int64_t start)
{
	if (rc == RC_OK) {
		sess_fsm(t, s, SEV_RECOVER_OK);
		s->s_recovered_ms = net_now_ms();
		/* an error still pending came from the recovered connection
		 * (the kernel fails it again at once): sess_release recovers
		 * again instead of leaving the session dead */
		/* shown at the default level, as stock shows its "operational
		 * after recovery" line */
		log_warn("session %u: recovered after %d attempt(s), %lld ms",
			 s->s_ks.ks_sid, tries, (long long)(net_now_ms() - start));
		sess_scan(t, s, SCAN_EV_RELOGIN, 0);
	} else if (!sess_stopping(t, s)) {
		sess_fsm(t, s, SEV_RECOVER_GIVEUP);
		log_error("session %u: giving up recovery after %d attempt(s): %s "
			  "(log it out with iscsiadm -m session -r %u -u)",
			  s->s_ks.ks_sid, tries, rc_str(rc), s->s_ks.ks_sid);
	}
}

void sess_recover(struct sess_table *t, struct sess *s)
{
	struct sess_cfg *c = malloc(sizeof(*c));
	struct login_result *lr = malloc(sizeof(*lr));
	int64_t start = net_now_ms();
	int rc = RC_NOMEM, tries = 0;
	struct kern k;

	if (c && lr && kernel_open(&k, NULL) == RC_OK) {
		int wait = recover_first_delay(s, start);

		k.k_route = &t->st_route;
		ksession_suspend(&k, &s->s_ks);
		rc = sess_cfg_build(s->s_rec, t->st_iname, s->s_ks.ks_isid, c);
		/* the kernel fails queued I/O once replacement_timeout runs out:
		 * a flapping connection's back-off must leave most of it for the
		 * login (a quarter: a slow login under load still fits) */
		if (rc == RC_OK && wait > c->sc_replacement_tmo / 4)
			wait = c->sc_replacement_tmo / 4;
		if (wait) {
			log_warn("session %u: connection failed again %d time(s) right after "
				 "recovery; waiting %d s", s->s_ks.ks_sid, s->s_flaps, wait);
			sleep_unless_stopped(t, s, wait);
		}
		if (rc == RC_OK)
			rc = recover_loop(t, s, &k, c, lr, start, &tries);
		kernel_close(&k);
	}
	recover_done(t, s, rc, tries, start);
	free(c);
	free(lr);
	sess_release(t, s);
}
