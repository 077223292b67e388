/* iscsiadm's client side of the iscsid protocol (see daemon_req.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libopeniscsiusr/libopeniscsiusr.h>

#include "conf.h"
#include "daemon_req.h"
#include "err.h"
#include "log.h"
#include "login.h"
#include "rec.h"

/* Stock runs iscsid.startup (e.g. "systemctl start iscsid.socket") when
 * nobody listens, and explains itself when it cannot. */
static void req_startup(void)
{
	const char *key = keys_conf_name(K_ISCSID_STARTUP);
	char *path = conf_etc_path(CONF_FILE);
	struct conf *c = NULL;
	const char *cmd = NULL;

	if (path && access(path, R_OK) != 0)
		log_error("can't open %s configuration file %s", key, path);
	else if (path && conf_load(path, &c) == RC_OK)
		cmd = conf_get(c, key);
	if (!cmd || !*cmd)
		log_error("iscsid is not running. Could not start it up "
			  "automatically using the startup command in the "
			  "%s %s setting. Please check "
			  "that the file exists or that your init scripts "
			  "have started iscsid.", CONF_FILE, key);
	else if (system(cmd) < 0)
		log_error("Could not execute '%s' (err %d)", cmd, errno);
	conf_free(c);
	free(path);
}

/* Only root may hold iscsid's name: anyone else who bound it first would
 * otherwise receive node records with their CHAP secrets. */
int adm_req_peer_root(int fd)
{
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;

	if (ipc_peer_uid(fd, &uid, &pid) == 0 && uid == 0)
		return 1;
	log_error("the process holding @%s (pid %d, uid %d) is not a root "
		  "iscsid: not sending it anything", ipc_name(), (int)pid, (int)uid);
	return 0;
}

enum iscsi_rc adm_req_connect(int *fd)
{
	/* -errno from the socket edge stays here */
	int s = ipc_client_connect();

	*fd = -1;
	if (s == -ECONNREFUSED) {
		req_startup();
		sleep(1);
		s = ipc_client_connect();
	}
	if (s < 0) {
		log_error("can not connect to iSCSI daemon (%d)!", -s);
		return RC_ISCSID_NOTCONN;
	}
	if (!adm_req_peer_root(s)) {
		close(s);
		return RC_ISCSID_NOTCONN;
	}
	*fd = s;
	return RC_OK;
}

int adm_req_start(const struct ipc_abi_req *req, int *fd)
{
	enum iscsi_rc rc = adm_req_connect(fd);

	if (rc != RC_OK)
		return rc;
	if (ipc_req_send(*fd, req)) {
		log_error("got write error on cmd %d, daemon died?", req->ar_cmd);
		close(*fd);
		*fd = -1;
		return RC_ISCSID_COMM_ERR;
	}
	return RC_OK;
}

/* $ISCSIADM_IPC_TIMEOUT_MS caps every wait (tests of unanswering peers). */
static int req_tmo(int timeout_ms)
{
	const char *env = getenv(ADM_REQ_TMO_ENV);
	char *end;
	long cap;

	if (!env || !*env)
		return timeout_ms;
	cap = strtol(env, &end, 10);
	if (*end || cap <= 0 || cap > 86400000L)
		return timeout_ms;
	return timeout_ms < 0 || cap < timeout_ms ? (int)cap : timeout_ms;
}

int adm_req_wait(int fd, int cmd, struct ipc_abi_rsp *rsp, int timeout_ms)
{
	struct ipc_abi_rsp *m = rsp ? rsp : malloc(sizeof(*m));
	int rc;

	if (!m) {
		close(fd);
		return RC_NOMEM;
	}
	timeout_ms = req_tmo(timeout_ms);
	rc = ipc_rsp_recv(fd, m, timeout_ms);
	close(fd);
	if (rc == RC_ISCSID_COMM_ERR) {
		log_error("read error on cmd %s, daemon died?", ipc_cmd_name(cmd));
	} else if (rc == RC_REQ_TIMEDOUT) {
		log_error("no answer from iscsid to %s within %d ms", ipc_cmd_name(cmd),
			  timeout_ms);
	} else if (!rc && ipc_rsp_check(m, cmd)) {
		log_error("iscsid answered %s with something that is not an "
			  "answer to it (another version?)", ipc_cmd_name(cmd));
		rc = RC_ISCSID_COMM_ERR;
	}
	if (!rc)
		rc = m->ap_err;
	if (!rsp)
		free(m);
	return rc;
}

int adm_req_call(const struct ipc_abi_req *req, struct ipc_abi_rsp *rsp, int timeout_ms)
{
	int fd, rc = adm_req_start(req, &fd);

	if (rc)
		return rc;
	return adm_req_wait(fd, req->ar_cmd, rsp, timeout_ms);
}

int adm_req_login_tmo(const struct rec *r)
{
	long long login = 0;
	long long retry = keys_default_num(K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX);

	rec_get_int(r, K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT, &login);
	rec_get_int(r, K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX, &retry);
	/* iscsid's login bound for a value of 0 or less; nonsense is the same */
	if (login < 1 || login > 3600)
		login = LOGIN_TIMEOUT_MS_DEFAULT / 1000;
	if (retry < 0 || retry > 100)
		retry = keys_default_num(K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX);
	/* each try: connect + login, then the retry pause; plus the scan */
	return (int)((login + 3) * (retry + 1) * 1000 + ADM_REQ_SCAN_TMO_MS);
}

void adm_req_report(int rc)
{
	log_error("initiator reported error (%d - %s)", rc, rc_str(rc));
}

int adm_req_login_msg(const struct rec *r, struct ipc_abi_req *m)
{
	ipc_req_init(m, IPC_CMD_LOGIN);
	return ipc_node_from_rec(r, &m->ar_u.ar_session.as_rec);
}

void adm_req_sid_msg(int cmd, int sid, struct ipc_abi_req *m)
{
	ipc_req_init(m, cmd);
	m->ar_u.ar_session.as_sid = sid;
}

static void sess_from_sysfs(struct iscsi_session *se, struct adm_sess *a)
{
	struct iscsi_iface *ifc = iscsi_session_iface_get(se);
	const char *iface = ifc ? iscsi_iface_name_get(ifc) : NULL;
	const char *st = iscsi_session_state_get(se);

	memset(a, 0, sizeof(*a));
	a->as_sid = (int)iscsi_session_sid_get(se);
	a->as_port = iscsi_session_persistent_port_get(se);
	a->as_tpgt = iscsi_session_tpgt_get(se);
	snprintf(a->as_target, sizeof(a->as_target), "%s", iscsi_session_target_name_get(se));
	snprintf(a->as_addr, sizeof(a->as_addr), "%s", iscsi_session_persistent_address_get(se));
	snprintf(a->as_iface, sizeof(a->as_iface), "%s", iface && *iface ? iface : IFACE_DEFAULT);
	snprintf(a->as_state, sizeof(a->as_state), "%s", st ? st : "");
}

int adm_sysfs_sessions_pick(int (*match)(const struct adm_sess *, const void *),
			    const void *arg, struct adm_sess **out, size_t *n, size_t *k)
{
	struct adm_sess *v = NULL, *sorted;
	size_t m = 0, front = 0, back;
	int rc = adm_sysfs_sessions(&v, &m);

	*out = NULL;
	*n = *k = 0;
	if (rc)
		return rc;
	sorted = calloc(m ? m : 1, sizeof(*sorted));
	if (!sorted) {
		free(v);
		return RC_NOMEM;
	}
	for (size_t i = 0; i < m; i++)
		front += match(&v[i], arg) != 0;
	back = front;
	*k = front;
	front = 0;
	for (size_t i = 0; i < m; i++)
		sorted[match(&v[i], arg) ? front++ : back++] = v[i];
	free(v);
	*out = sorted;
	*n = m;
	return RC_OK;
}

int adm_sess_matches_rec(const struct adm_sess *s, const struct rec *r)
{
	const char *target, *addr, *iface;
	int port;

	rec_node_id(r, &target, &addr, &port, &iface);
	return !strcmp(s->as_target, target) && !strcmp(s->as_addr, addr) &&
	       s->as_port == port && !strcmp(s->as_iface, iface);
}

int adm_sysfs_sessions(struct adm_sess **out, size_t *n)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_session **ses = NULL;
	uint32_t cnt = 0;
	int rc = RC_SYSFS_LOOKUP;

	*out = NULL;
	*n = 0;
	if (!ctx)
		return RC_NOMEM;
	/* a missing class directory just means no sessions */
	iscsi_context_log_priority_set(ctx, LIBISCSI_LOG_PRIORITY_ERROR);
	if (iscsi_sessions_get(ctx, &ses, &cnt) == LIBISCSI_OK) {
		rc = RC_OK;
		*out = calloc(cnt ? cnt : 1, sizeof(**out));
		if (!*out)
			rc = RC_NOMEM;
		for (uint32_t i = 0; rc == RC_OK && i < cnt; i++)
			sess_from_sysfs(ses[i], &(*out)[i]);
		if (rc == RC_OK)
			*n = cnt;
		iscsi_sessions_free(ses, cnt);
	}
	iscsi_context_free(ctx);
	return rc;
}
