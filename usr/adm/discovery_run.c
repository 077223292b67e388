/* The SendTargets attempt loop of iscsiadm discovery: login parameters
 * from the discovery record, retries up to reopen_max with stock's
 * messages, and the final error code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "discovery_int.h"
#include "err.h"
#include "log.h"
#include "rec.h"

/* The record's number, else the key table's default. */
static long long drec_int(const struct rec *d, enum key_id key)
{
	long long v;
	return rec_get_int(d, key, &v) == RC_OK ? v : keys_default_num(key);
}

static const char *drec_str(const struct rec *d, enum key_id key)
{
	const char *v = rec_get(d, key);
	return v && *v ? v : NULL;
}

void disc_login_params(const struct rec *d, const char *iname, struct login_params *lp)
{
	login_params_init(lp);
	lp->lp_initiator_name = iname;
	lp->lp_discovery = true;
	lp->lp_itt = 0;
	/* stock puts a session number in the ISID's low bytes; ours is the pid,
	 * so two discoveries running at once are two sessions to the target,
	 * not a reinstatement that kills the other one */
	uint32_t pid = (uint32_t)getpid();
	lp->lp_isid[3] = (uint8_t)(pid >> 16);
	lp->lp_isid[4] = (uint8_t)(pid >> 8);
	lp->lp_isid[5] = (uint8_t)pid;
	const char *am = rec_get(d, K_DISCOVERY_SENDTARGETS_AUTH_AUTHMETHOD);
	if (am && strcmp(am, "CHAP") == 0) {
		lp->lp_username = drec_str(d, K_DISCOVERY_SENDTARGETS_AUTH_USERNAME);
		lp->lp_password = drec_str(d, K_DISCOVERY_SENDTARGETS_AUTH_PASSWORD);
		lp->lp_username_in = drec_str(d, K_DISCOVERY_SENDTARGETS_AUTH_USERNAME_IN);
		lp->lp_password_in = drec_str(d, K_DISCOVERY_SENDTARGETS_AUTH_PASSWORD_IN);
	}
	lp->lp_n_chap_algs = chap_algs_parse(rec_get(d, K_NODE_SESSION_AUTH_CHAP_ALGS),
					     lp->lp_chap_algs);
	lp->lp_mine.ip_max_recv_dlen =
		(uint32_t)drec_int(d, K_DISCOVERY_SENDTARGETS_ISCSI_MAXRECVDATASEGMENTLENGTH);
	lp->lp_timeout_ms = (int)drec_int(d, K_DISCOVERY_SENDTARGETS_TIMEO_LOGIN_TIMEOUT) * 1000;
}

/* Pause before retry number n (1-based), lengthening as stock does:
 * 1 s for the first ten, then 2, 5, 15 and at most 60 s. */
static void disc_backoff(int n)
{
	sleep(n < 10 ? 1 : n < 20 ? 2 : n < 26 ? 5 : n < 34 ? 15 : 60);
}

enum disc_next { DISC_DONE, DISC_RETRY, DISC_GIVE_UP };

/* Stock's internal login outcome numbers, which it prints in "giving up N". */
enum { STOCK_LOGIN_FAILED = 2, STOCK_LOGIN_NEGOTIATION_FAILED = 4,
       STOCK_LOGIN_AUTHENTICATION_FAILED = 5, STOCK_LOGIN_INVALID_PDU = 7 };

/* A failed login: retry when the connection broke and on target errors,
 * give up on a silent target, rejections and protocol errors. */
static enum disc_next disc_judge_login(const struct login_result *lr, int rc, const char *host,
				       const char *err, int tmo_s, int *final)
{
	if (rc == RC_TRANS_TIMEOUT) {
		log_error("Login response timeout. Waited %d seconds and did not get response PDU.",
			  tmo_s);
		log_error("discovery login to %s failed, giving up %d", host, STOCK_LOGIN_FAILED);
		*final = RC_FATAL_LOGIN;
		return DISC_GIVE_UP;
	}
	if (rc == RC_TRANS) {
		/* a reset is the peer closing too (stock says "closed" for both) */
		log_error("Connection to Discovery Address %s %s", host,
			  strstr(err, "closed") || strstr(err, "reset") ? "closed" : "failed");
		log_error("Login I/O error, failed to receive a PDU");
		log_warn("retrying discovery login to %s", host);
		return DISC_RETRY;
	}
	if (lr->lr_class == 2 && rc == RC_LOGIN_AUTH_FAILED) {
		/* stock's login code says this for 0201 alone, naming the
		 * session's target: none in a discovery session */
		if (lr->lr_detail == 0x01)
			log_error("Login failed to authenticate with target ");
		log_error("discovery login to %s rejected: initiator failed authorization", host);
		return DISC_GIVE_UP;
	}
	if (lr->lr_class == 2) {
		log_error("discovery login to %s rejected: initiator error (%02x/%02x), "
			  "non-retryable, giving up", host, lr->lr_class, lr->lr_detail);
		return DISC_GIVE_UP;
	}
	if (lr->lr_class == 3) {
		log_error("discovery login to %s rejected: target error (%02x/%02x)",
			  host, lr->lr_class, lr->lr_detail);
		return DISC_RETRY;
	}
	/* our side ended it: say why, then stock's line */
	log_error("%s", err);
	int code = STOCK_LOGIN_INVALID_PDU;
	if (rc == RC_LOGIN_AUTH_FAILED) {
		log_error("Login failed to authenticate with target");
		code = STOCK_LOGIN_AUTHENTICATION_FAILED;
	} else {
		*final = RC_FATAL_LOGIN;
		if (strstr(err, "answered") || strstr(err, "converge"))
			code = STOCK_LOGIN_NEGOTIATION_FAILED;
	}
	log_error("discovery login to %s failed, giving up %d", host, code);
	return DISC_GIVE_UP;
}

/* Says what a failed attempt means, with stock's words. */
static enum disc_next disc_judge(const struct st_result *r, const struct login_result *lr,
				 int rc, const char *host, int port, const char *err, int tmo_s,
				 int *final)
{
	*final = rc;
	switch (r->sr_failed) {
	case ST_PHASE_NONE:
		return DISC_DONE;
	case ST_PHASE_CONNECT:
		if (rc == RC_TRANS_TIMEOUT)
			log_error("connect to %s timed out", host);
		else
			log_error("cannot make connection to %s: %s", host, err);
		return DISC_RETRY;
	case ST_PHASE_TEXT:
		if (rc == RC_TRANS_TIMEOUT) {
			log_warn("Discovery session to %s:%d timed out.", host, port);
			return DISC_RETRY;
		}
		log_warn("discovery session to %s:%d terminating: %s", host, port, err);
		*final = RC_TRANS;
		return DISC_GIVE_UP;
	case ST_PHASE_LOGIN:
		break;
	}
	return disc_judge_login(lr, rc, host, err, tmo_s, final);
}

int disc_sendtargets(const struct rec *d, const char *iname, const char *host, int port,
		     struct st_result *out)
{
	struct st_request rq = { .sq_port = (uint16_t)port };
	struct login_result lr;
	char err[256], cur_host[LOGIN_ADDR_MAX];
	int reopen = (int)drec_int(d, K_DISCOVERY_SENDTARGETS_REOPEN_MAX);
	int failures = 0, redirects = 0, rc = RC_OK, final = RC_OK;

	snprintf(cur_host, sizeof(cur_host), "%s", host);
	disc_login_params(d, iname, &rq.sq_login);
	rq.sq_conn_timeout_ms = rq.sq_login.lp_timeout_ms;
	rq.sq_reply_timeout_ms =
		(int)drec_int(d, K_DISCOVERY_SENDTARGETS_TIMEO_ACTIVE_TIMEOUT) * 1000;
	for (;;) {
		rq.sq_host = cur_host;
		memset(&lr, 0, sizeof(lr));
		rc = st_discover(&rq, out, &lr, err, sizeof(err));
		if (rc != RC_OK && lr.lr_redirect && lr.lr_redirect_host[0] && redirects++ < 5) {
			log_warn("discovery login %s redirected to %s port %u",
				 lr.lr_redirect_permanent ? "permanently" : "temporarily",
				 lr.lr_redirect_host, lr.lr_redirect_port);
			snprintf(cur_host, sizeof(cur_host), "%s", lr.lr_redirect_host);
			rq.sq_port = lr.lr_redirect_port;
			continue;
		}
		enum disc_next next = disc_judge(out, &lr, rc, cur_host, rq.sq_port, err,
						 rq.sq_login.lp_timeout_ms / 1000, &final);
		if (next == DISC_DONE)
			return RC_OK;
		if (next == DISC_GIVE_UP)
			return final;
		if (--reopen < 0) {
			log_error("connection login retries (reopen_max) %d exceeded",
				  (int)drec_int(d, K_DISCOVERY_SENDTARGETS_REOPEN_MAX));
			return RC_PDU_TIMEOUT;  /* what stock 2.1.8 reports, whatever failed */
		}
		disc_backoff(++failures);
		/* a temporary redirect lasts one attempt (stock restores the address) */
		snprintf(cur_host, sizeof(cur_host), "%s", host);
		rq.sq_port = (uint16_t)port;
	}
}
