/* iscsiadm operations that iscsid carries out (see daemon_ops.h). Lines and
 * exit codes follow stock iscsiadm 2.1.8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon_ops.h"
#include "daemon_req.h"
#include "err.h"
#include "idb.h"
#include "log.h"
#include "opts.h"
#include "rec.h"

static const struct adm_sess *sess_find(const struct adm_sess *v, size_t n,
					const struct rec *r)
{
	for (size_t i = 0; i < n; i++)
		if (adm_sess_matches_rec(&v[i], r))
			return &v[i];
	return NULL;
}

static void login_msg(const struct rec *r, int rc)
{
	const char *target, *addr, *iface;
	int port;

	rec_node_id(r, &target, &addr, &port, &iface);
	if (rc) {
		log_error("Could not login to [iface: %s, target: %s, portal: %s,%d].",
			  iface, target, addr, port);
		adm_req_report(rc);
	} else {
		printf("Login to [iface: %s, target: %s, portal: %s,%d] successful.\n",
		       iface, target, addr, port);
	}
	fflush(stdout);
}

/* Sends one login; *fd is left open for the answer, or -1. */
static int login_start(const struct rec *r, int *fd)
{
	struct ipc_abi_req *m = malloc(sizeof(*m));
	const char *target, *addr, *iface;
	int port, rc;

	*fd = -1;
	rec_node_id(r, &target, &addr, &port, &iface);
	printf("Logging in to [iface: %s, target: %s, portal: %s,%d]\n",
	       iface, target, addr, port);
	fflush(stdout);
	if (!m)
		return RC_NOMEM;
	rc = adm_req_login_msg(r, m);
	if (!rc)
		rc = adm_req_start(m, fd);
	free(m);
	if (rc)
		login_msg(r, rc);
	return rc;
}

/* A session already present is reported as stock does ("default: 1
 * session requested, but 1 already present.", exit 15 unless something
 * worse happened). Returns the login started (fd) or not (-1). */
static int login_one(const struct rec *r, const struct adm_sess *sv, size_t ns,
		     int *ret, int *failed)
{
	const char *iface = rec_get(r, K_IFACE_ISCSI_IFACENAME);
	int fd = -1, rc;

	if (sess_find(sv, ns, r)) {
		size_t have = 0;

		for (size_t i = 0; i < ns; i++)
			have += adm_sess_matches_rec(&sv[i], r);
		log_warn("%s: 1 session requested, but %zu already present.",
			 iface && *iface ? iface : IFACE_DEFAULT, have);
		*failed = 1;
		*ret = *ret ? *ret : RC_SESS_EXISTS;
		return -1;
	}
	rc = login_start(r, &fd);
	if (rc && rc != RC_SESS_EXISTS) {
		/* the first error stays, as in stock: a session already
		 * present (15) is not hidden by iscsid being down (20) */
		*failed = 1;
		*ret = *ret ? *ret : rc;
	}
	return fd;
}

/* Every login is sent before any answer is awaited, so iscsid runs them in
 * parallel; a login another iscsiadm started at the same moment (iscsid
 * answers 15) is left to that iscsiadm. */
static int login_recs(struct rec *const *recs, size_t n, int summary)
{
	int *fds = calloc(n ? n : 1, sizeof(int));
	int ret = RC_OK, failed = 0;
	struct adm_sess *sv;
	size_t ns;

	if (!fds)
		return RC_NOMEM;
	adm_sysfs_sessions(&sv, &ns);
	for (size_t i = 0; i < n; i++)
		fds[i] = login_one(recs[i], sv, ns, &ret, &failed);
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (fds[i] < 0)
			continue;
		rc = adm_req_wait(fds[i], IPC_CMD_LOGIN, NULL,
				  adm_req_login_tmo(recs[i]));
		if (rc == RC_SESS_EXISTS)
			continue;
		login_msg(recs[i], rc);
		if (rc) {
			failed = 1;
			ret = (ret && ret != RC_SESS_EXISTS) ? ret : rc;
		}
	}
	if (failed && summary)
		log_error("Could not log into all portals");
	free(fds);
	free(sv);
	return ret;
}

int adm_node_login(const struct adm_opts *o, struct rec *const *recs, size_t n)
{
	(void)o;
	if (n == 0) {
		log_error("No records found");
		return RC_NO_OBJS_FOUND;
	}
	return login_recs(recs, n, 1);
}

int adm_login_each(struct rec *const *recs, size_t n)
{
	return login_recs(recs, n, 0);
}

/* node.startup (or the first connection's) against -L / -U's mode. */
static int startup_matches(const struct rec *r, const char *mode)
{
	const char *s = rec_get(r, K_NODE_STARTUP);
	const char *c = rec_get(r, K_NODE_CONN_0_STARTUP);

	s = s ? s : "manual";
	if (!strcmp(mode, "onboot"))
		return !strcmp(s, "onboot");
	if (!strcmp(s, "onboot"))
		return 0;
	if (!strcmp(mode, "all"))
		return 1;
	return !strcmp(s, mode) || (c && !strcmp(c, mode));
}

static int mode_valid(const char *mode, int allow_onboot)
{
	return mode && (!strcmp(mode, "all") || !strcmp(mode, "manual") ||
			!strcmp(mode, "automatic") ||
			(allow_onboot && !strcmp(mode, "onboot")));
}

int adm_login_all(const struct adm_opts *o)
{
	struct idb_match any = IDB_MATCH_ANY;
	struct rec **all = NULL, **sel;
	size_t n = 0, k = 0;
	struct idb *db;
	int rc;

	if (!mode_valid(o->o_loginall, 1)) {
		log_error("Invalid loginall option %s.", o->o_loginall ? o->o_loginall : "");
		fprintf(stderr, "Try `iscsiadm --help' for more information.\n");
		return RC_INVAL;
	}
	rc = idb_open(NULL, &db);
	if (rc)
		return rc;
	rc = idb_node_find(db, &any, &all, &n);
	idb_close(db);
	sel = calloc(n ? n : 1, sizeof(*sel));
	if (!sel) {
		idb_recs_free(all, n);
		return RC_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (startup_matches(all[i], o->o_loginall))
			sel[k++] = all[i];
	if (k == 0) {
		log_error("No records found");
		rc = RC_NO_OBJS_FOUND;
	} else {
		rc = login_recs(sel, k, 1);
	}
	free(sel);
	idb_recs_free(all, n);
	return rc;
}

static void logout_msg(const struct adm_sess *s, int rc)
{
	if (rc) {
		log_error("Could not logout of [sid: %d, target: %s, portal: %s,%d].",
			  s->as_sid, s->as_target, s->as_addr, s->as_port);
		adm_req_report(rc);
	} else {
		printf("Logout of [sid: %d, target: %s, portal: %s,%d] successful.\n",
		       s->as_sid, s->as_target, s->as_addr, s->as_port);
	}
	fflush(stdout);
}

static int logout_start(const struct adm_sess *s, int *fd)
{
	struct ipc_abi_req *m = malloc(sizeof(*m));
	int rc;

	*fd = -1;
	printf("Logging out of session [sid: %d, target: %s, portal: %s,%d]\n",
	       s->as_sid, s->as_target, s->as_addr, s->as_port);
	fflush(stdout);
	if (!m)
		return RC_NOMEM;
	adm_req_sid_msg(IPC_CMD_LOGOUT, s->as_sid, m);
	rc = adm_req_start(m, fd);
	free(m);
	if (rc)
		logout_msg(s, rc);
	return rc;
}

/* Logs out of the sessions whose pick[] is set, all requests in flight at
 * once. As stock, a session counts as found once its request is sent: when
 * none could be sent (iscsid unreachable) it is "No matching sessions
 * found" (21), which os-brick accepts. */
static int logout_picked(const struct adm_sess *v, size_t n)
{
	int *fds = calloc(n ? n : 1, sizeof(int));
	int ret = RC_OK, sent = 0, unsent = 0;

	if (!fds)
		return RC_NOMEM;
	for (size_t i = 0; i < n; i++) {
		int rc;

		fds[i] = -1;
		rc = logout_start(&v[i], &fds[i]);
		if (fds[i] >= 0)
			sent++;
		else if (rc && rc != RC_SESS_NOT_FOUND)
			unsent = 1, ret = ret ? ret : rc;
	}
	if (unsent && sent)
		log_error("Could not logout of all requested sessions");
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (fds[i] < 0)
			continue;
		/* a session iscsid does not hold is an error, not a success */
		rc = adm_req_wait(fds[i], IPC_CMD_LOGOUT, NULL,
				  ADM_REQ_LOGOUT_TMO_MS);
		logout_msg(&v[i], rc);
		if (rc)
			ret = ret ? ret : rc;
	}
	free(fds);
	if (!sent) {
		log_error("No matching sessions found");
		return RC_NO_OBJS_FOUND;
	}
	return ret;
}

/* Picks sessions with match(), then logs them out; none -> stock's 21. */
static int logout_where(int (*match)(const struct adm_sess *, const void *),
			const void *arg)
{
	struct adm_sess *v;
	size_t n, k;
	int rc;

	/* from sysfs, as stock: iscsid being down shows up in the requests */
	rc = adm_sysfs_sessions_pick(match, arg, &v, &n, &k);
	if (rc)
		return rc;
	rc = logout_picked(v, k);
	free(v);
	return rc;
}

/* -T, -p (3260 when no port is typed) and -I select sessions, whether a
 * record exists for them or not, as stock does for -u and -R. */
int adm_sess_sid_selected(const struct adm_sess *s, const void *opts)
{
	const struct adm_opts *o = opts;

	return o->o_sid < 0 || s->as_sid == o->o_sid;
}

int adm_sess_selected(const struct adm_sess *s, const void *opts)
{
	const struct adm_opts *o = opts;

	if (o->o_target && strcmp(o->o_target, s->as_target))
		return 0;
	if (o->o_portal && (strcmp(o->o_addr, s->as_addr) || adm_opts_port(o) != s->as_port))
		return 0;
	return !o->o_niface || !strcmp(o->o_ifaces[0], s->as_iface);
}

int adm_node_logout(const struct adm_opts *o)
{
	return logout_where(adm_sess_selected, o);
}

/* -U: the session's record decides by its startup mode; sessions without a
 * record are left alone, as stock does. */
static int match_startup(const struct adm_sess *s, const void *arg)
{
	struct idb_match m = { s->as_target, s->as_addr, s->as_port, -1, NULL };
	struct rec **recs = NULL;
	struct idb *db;
	size_t n = 0;
	int hit = 0;

	if (idb_open(NULL, &db))
		return 0;
	if (idb_node_find(db, &m, &recs, &n) == RC_OK && n > 0)
		hit = startup_matches(recs[0], arg);
	idb_recs_free(recs, n);
	idb_close(db);
	return hit;
}

int adm_logout_all(const struct adm_opts *o)
{
	if (!mode_valid(o->o_logoutall, 0)) {
		log_error("Invalid logoutall option %s.",
			  o->o_logoutall ? o->o_logoutall : "");
		fprintf(stderr, "Try `iscsiadm --help' for more information.\n");
		return RC_INVAL;
	}
	return logout_where(match_startup, o->o_logoutall);
}

/* The one session -r names; stock's wording when it does not exist. */
static int session_by_sid(int sid, struct adm_sess *out)
{
	struct adm_sess *v = NULL;
	size_t n = 0;
	int rc = adm_sysfs_sessions(&v, &n);

	for (size_t i = 0; rc == RC_OK && i < n; i++) {
		if (v[i].as_sid == sid) {
			*out = v[i];
			free(v);
			return RC_OK;
		}
	}
	free(v);
	log_error("could not read session targetname: %d", 5);
	log_error("Could not get session info for sid %d", sid);
	return RC_SYSFS_LOOKUP;
}

/* -m session -u: the session -r names, or every session. */
int adm_session_logout(const struct adm_opts *o)
{
	struct adm_opts all;
	struct adm_sess s;
	int rc;

	if (o->o_sid < 0) {
		adm_opts_init(&all);
		return logout_where(adm_sess_selected, &all);
	}
	rc = session_by_sid(o->o_sid, &s);
	return rc ? rc : logout_picked(&s, 1);
}
