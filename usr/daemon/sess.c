/* The life of a session: login + kernel bring-up + policy scan, logout,
 * rescan (see sess.h). Each runs in the thread of the request that asked. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "err.h"
#include "idb.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "rec.h"
#include "scan.h"
#include "sess.h"
#include "sess_params.h"
#include "thread.h"

#define SESS_MAX_REDIRECTS 5

/* One connect + login, following redirections (RFC 7143 10.13.5 class 1). */
static int login_once(struct sess_cfg *c, int *fd, struct login_result *lr)
{
	char host[LOGIN_ADDR_MAX];
	uint16_t port = c->sc_kern.kc_port;
	int rc = RC_LOGIN, err = 0;

	snprintf(host, sizeof(host), "%s", c->sc_kern.kc_address);
	for (int hop = 0; hop <= SESS_MAX_REDIRECTS; hop++) {
		rc = net_connect(host, port, c->sc_login.lp_timeout_ms, fd, &err);
		if (rc) {
			log_warn("connect to %s,%u failed: %s", host, port,
				 err ? strerror(err) : rc_str(rc));
			return rc;
		}
		memset(lr, 0, sizeof(*lr));
		rc = login_run(*fd, &c->sc_login, lr);
		if (rc == RC_OK)
			return RC_OK;
		close(*fd);
		*fd = -1;
		if (!lr->lr_redirect)
			break;
		log_info("target %s redirects %s to %s,%u", c->sc_kern.kc_target,
			 lr->lr_redirect_permanent ? "permanently" : "temporarily",
			 lr->lr_redirect_host, lr->lr_redirect_port);
		snprintf(host, sizeof(host), "%s", lr->lr_redirect_host);
		port = lr->lr_redirect_port;
	}
	log_error("login to [target: %s, portal: %s,%u] failed: %s",
		  c->sc_kern.kc_target, c->sc_kern.kc_address, c->sc_kern.kc_port,
		  lr->lr_msg[0] ? lr->lr_msg : rc_str(rc));
	return rc;
}

/* Connect + login (redirects followed, transport errors retried
 * retry_max times); *fd is the logged-in socket on RC_OK. */
static int sess_connect_login(struct sess_cfg *c, int retry_max, int *fd,
			      struct login_result *lr)
{
	int rc = RC_TRANS;

	*fd = -1;
	for (int attempt = 0; attempt <= retry_max; attempt++) {
		if (attempt)
			sleep(2);
		rc = login_once(c, fd, lr);
		/* only connection trouble is worth another try; a refusal by
		 * the target (auth, not found) will not change */
		if (rc != RC_TRANS && rc != RC_TRANS_TIMEOUT && rc != RC_PDU_TIMEOUT)
			break;
	}
	/* stock reports a portal it could never log in to over the retries
	 * as "8 - connection timed out", refused or not */
	return rc == RC_TRANS ? RC_TRANS_TIMEOUT : rc;
}

static struct conf *sess_conf_now(const struct sess_table *t)
{
	struct conf *c = NULL;

	if (conf_load(t->st_config, &c) != RC_OK)
		return NULL;
	return c;
}

struct rec *sess_rec_find(const struct idb_match *m)
{
	struct rec **recs = NULL, *r = NULL;
	struct idb *db;
	size_t n = 0;

	if (idb_open(NULL, &db) != RC_OK)
		return NULL;
	if (idb_node_find(db, m, &recs, &n) == RC_OK && n > 0)
		r = rec_dup(recs[0]);
	idb_recs_free(recs, n);
	idb_close(db);
	return r;
}

struct rec *sess_rec_now(const struct sess_key *k, int tpgt)
{
	struct idb_match m = { k->sk_target, k->sk_addr, k->sk_port, tpgt, k->sk_iface };

	return sess_rec_find(&m);
}

/* The record's two files and iscsid.conf, named once per session. */
static void scanset_paths(struct sess_table *t, struct sess *s, char *path[SCANSET_FILES])
{
	struct idb *db;

	memset(path, 0, SCANSET_FILES * sizeof(path[0]));
	if (idb_open(NULL, &db) == RC_OK) {
		path[SCANSET_REC] = idb_node_path(db, s->s_rec);
		path[SCANSET_EXT] = idb_node_ext_path(db, s->s_rec);
		idb_close(db);
	}
	path[SCANSET_CONF] = t->st_config ? strdup(t->st_config) : NULL;
}

/* Settings from the files as they are now (sess_scanset.h): read again
 * only when one changed, or when the record is not where its own keys
 * say (then nothing tells a change, so every time). */
static void sess_scan_settings_for(struct sess_table *t, struct sess *s,
				   struct scan_settings *ss)
{
	struct scanset *c = &s->s_scanset;
	struct file_sig sig[SCANSET_FILES];
	struct conf *conf;
	struct rec *disk;
	const char *path[SCANSET_FILES];
	char *made[SCANSET_FILES] = { NULL };
	long long tpgt;
	int fresh;

	pthread_mutex_lock(&t->st_lock);
	if (!c->ss_path[SCANSET_REC]) {
		pthread_mutex_unlock(&t->st_lock);
		scanset_paths(t, s, made);
		pthread_mutex_lock(&t->st_lock);
	}
	for (int i = 0; i < SCANSET_FILES; i++) {
		if (!c->ss_path[i])   /* set once, then fixed for the session's life */
			c->ss_path[i] = made[i], made[i] = NULL;
		path[i] = c->ss_path[i];
	}
	pthread_mutex_unlock(&t->st_lock);
	for (int i = 0; i < SCANSET_FILES; i++) {
		free(made[i]);
		file_sig_read(path[i], &sig[i]);
	}
	pthread_mutex_lock(&t->st_lock);
	fresh = sig[SCANSET_REC].fs_present && scanset_fresh(c, sig);
	if (fresh)
		*ss = c->ss_set;
	pthread_mutex_unlock(&t->st_lock);
	if (fresh)
		return;
	if (rec_get_int(s->s_rec, K_NODE_TPGT, &tpgt) != RC_OK)
		tpgt = keys_default_num(K_NODE_TPGT);	/* any */
	conf = sess_conf_now(t);
	disk = sess_rec_now(&s->s_key, (int)tpgt);
	sess_scan_settings_now(s->s_rec, disk, conf, ss);
	rec_free(disk);
	conf_free(conf);
	pthread_mutex_lock(&t->st_lock);
	scanset_store(c, sig, ss);
	pthread_mutex_unlock(&t->st_lock);
}

int sess_scan(struct sess_table *t, struct sess *s, enum scan_event ev, uint64_t lun)
{
	struct scan_settings ss;
	struct scan_plan plan;
	int rc;

	sess_scan_settings_for(t, s, &ss);
	plan = scan_plan(ev, &ss, lun);
	/* at every level, as iscsid(8) OPTIONS (-d) promises for policy lines */
	log_report("session %u [%s %s,%d]: %s scan, row \"%s\": %s",
		   s->s_ks.ks_sid, s->s_key.sk_target, s->s_key.sk_addr,
		   s->s_key.sk_port, scan_action_name(plan.sp_action),
		   plan.sp_row ? plan.sp_row : "", plan.sp_why ? plan.sp_why : "");
	rc = scan_run(NULL, s->s_ks.ks_host_no, &plan, NULL);
	if (rc)
		log_warn("session %u: scan failed: %s", s->s_ks.ks_sid, rc_str(rc));
	return rc;
}

static uint32_t sess_isid_take(struct sess_table *t)
{
	uint32_t n;

	pthread_mutex_lock(&t->st_lock);
	n = t->st_isid_next;
	t->st_isid_next = (t->st_isid_next + 1) & 0xffffff;
	pthread_mutex_unlock(&t->st_lock);
	return n;
}

/* Login, then hand the socket to the kernel. */
static int sess_bring_up(struct sess_table *t, struct sess *s)
{
	struct sess_cfg *c = malloc(sizeof(*c));
	struct login_result *lr = malloc(sizeof(*lr));
	struct kern k;
	uint8_t isid[6];
	int fd = -1, rc;

	sess_isid(sess_isid_take(t), isid);
	rc = (c && lr) ? sess_cfg_build(s->s_rec, t->st_iname, isid, c) : RC_NOMEM;
	if (!rc)
		rc = sess_connect_login(c, c->sc_login_retry_max, &fd, lr);
	if (!rc) {
		rc = kernel_open(&k, NULL);
		if (!rc) {
			k.k_route = &t->st_route;
			rc = ksession_start(&k, &c->sc_kern, lr, fd, &s->s_ks);
			kernel_close(&k);
		}
		if (rc) {
			log_error("session to %s could not be started in the kernel: %s",
				  s->s_key.sk_target, rc_str(rc));
			close(fd);
		}
	}
	if (!rc) {
		pthread_mutex_lock(&t->st_lock);
		s->s_sid = (int)s->s_ks.ks_sid;
		s->s_tpgt = lr->lr_tpgt;
		sess_fsm_locked(t, s, SEV_LOGIN_OK);
		pthread_mutex_unlock(&t->st_lock);
		log_info("session %u logged in to [%s %s,%d] on host %u", s->s_ks.ks_sid,
			 s->s_key.sk_target, s->s_key.sk_addr, s->s_key.sk_port,
			 s->s_ks.ks_host_no);
	}
	free(c);
	free(lr);
	return rc;
}

int sess_login(struct sess_table *t, struct rec *r, int multiple)
{
	struct sess_key key;
	struct sess *s;
	int rc;

	if (sess_key_from_rec(r, &key)) {
		log_error("refusing malformed request (login): no target or portal");
		rec_free(r);
		return RC_INVALID_MGMT_REQ;
	}
	s = sess_reserve(t, &key, multiple, &rc);
	if (!s) {
		rec_free(r);
		return rc;
	}
	s->s_rec = r;
	rc = sess_bring_up(t, s);
	if (rc) {
		sess_unlink(t, s);
		return rc;
	}
	/* --login answers once the devices the policy wants exist */
	sess_scan(t, s, SCAN_EV_LOGIN, 0);
	sess_release(t, s);
	return RC_OK;
}

/* Takes the session for a logout: waits while another thread has it (a
 * recovery is told to stop). NULL when sid is unknown. */
static struct sess *sess_take_for_logout(struct sess_table *t, int sid)
{
	struct sess *s;

	pthread_mutex_lock(&t->st_lock);
	while ((s = sess_find_sid(t, sid)) &&
	       sess_fsm_locked(t, s, SEV_LOGOUT_TAKE) == SACT_WAIT)
		pthread_cond_wait(&t->st_cond, &t->st_lock);
	if (s)
		sess_fsm_locked(t, s, SEV_LOGOUT_START);
	pthread_mutex_unlock(&t->st_lock);
	return s;
}

int sess_logout(struct sess_table *t, int sid)
{
	struct sess *s = sess_take_for_logout(t, sid);
	long long tmo = keys_default_num(K_NODE_CONN_0_TIMEO_LOGOUT_TIMEOUT);
	struct kern k;
	int rc;

	if (!s)
		return RC_SESS_NOT_FOUND;
	if (s->s_rec)
		rec_get_int(s->s_rec, K_NODE_CONN_0_TIMEO_LOGOUT_TIMEOUT, &tmo);
	if (tmo <= 0)
		tmo = keys_default_num(K_NODE_CONN_0_TIMEO_LOGOUT_TIMEOUT);
	rc = kernel_open(&k, NULL);
	if (!rc) {
		k.k_route = &t->st_route;
		rc = ksession_stop(&k, &s->s_ks, (int)tmo * 1000);
		kernel_close(&k);
	}
	log_info("session %d [%s %s,%d] logged out%s", sid, s->s_key.sk_target,
		 s->s_key.sk_addr, s->s_key.sk_port, rc ? " (target did not confirm)" : "");
	/* the kernel session is gone even when the target refused */
	if (rc == RC_LOGOUT)
		rc = RC_OK;
	if (rc) {
		sess_release(t, s);
		return rc;
	}
	sess_unlink(t, s);
	return RC_OK;
}

int sess_rescan(struct sess_table *t, int sid, int64_t lun)
{
	struct sess *s;
	int rc;

	/* shared: a scan may run next to another scan */
	pthread_mutex_lock(&t->st_lock);
	s = sess_find_sid(t, sid);
	if (s && sess_fsm_locked(t, s, SEV_SCAN_BEGIN) != SACT_USE)
		s = NULL;
	pthread_mutex_unlock(&t->st_lock);
	if (!s)
		return RC_SESS_NOT_FOUND;
	rc = sess_scan(t, s, lun >= 0 ? SCAN_EV_RESCAN_LUN : SCAN_EV_RESCAN,
		       lun >= 0 ? (uint64_t)lun : 0);
	sess_fsm(t, s, SEV_SCAN_END);
	return rc;
}

struct spawn_arg {
	struct sess_table *sa_t;
	struct sess *sa_s;
	void (*sa_fn)(struct sess_table *, struct sess *);
};

static void *spawn_main(void *arg)
{
	struct spawn_arg a = *(struct spawn_arg *)arg;

	free(arg);
	a.sa_fn(a.sa_t, a.sa_s);
	return NULL;
}

int sess_spawn(struct sess_table *t, struct sess *s,
	       void (*fn)(struct sess_table *, struct sess *))
{
	struct spawn_arg *a = malloc(sizeof(*a));
	int e;

	if (!a)
		return RC_NOMEM;
	a->sa_t = t;
	a->sa_s = s;
	a->sa_fn = fn;
	e = thread_detached(spawn_main, a);
	if (e) {
		free(a);
		log_error("cannot start a session thread: %s", strerror(e));
		return RC_NOMEM;
	}
	return RC_OK;
}
