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
#include "rec.h"

/* Stock runs iscsid.startup (e.g. "systemctl start iscsid.socket") when
 * nobody listens, and explains itself when it cannot. */
static void req_startup(void)
{
	char *path = conf_etc_path("iscsid.conf");
	struct conf *c = NULL;
	const char *cmd = NULL;

	if (path && access(path, R_OK) != 0)
		log_error("can't open iscsid.startup configuration file %s", path);
	else if (path && conf_load(path, &c) == RC_OK)
		cmd = conf_get(c, "iscsid.startup");
	if (!cmd || !*cmd)
		log_error("iscsid is not running. Could not start it up "
			  "automatically using the startup command in the "
			  "iscsid.conf iscsid.startup setting. Please check "
			  "that the file exists or that your init scripts "
			  "have started iscsid.");
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

int adm_req_connect(void)
{
	int fd = ipc_client_connect();

	if (fd == -ECONNREFUSED) {
		req_startup();
		sleep(1);
		fd = ipc_client_connect();
	}
	if (fd < 0) {
		log_error("can not connect to iSCSI daemon (%d)!", -fd);
		return -RC_ISCSID_NOTCONN;
	}
	if (!adm_req_peer_root(fd)) {
		close(fd);
		return -RC_ISCSID_NOTCONN;
	}
	return fd;
}

int adm_req_start(const struct ipc_msg *req, int *fd)
{
	int rc;

	*fd = adm_req_connect();
	if (*fd < 0)
		return -*fd;
	rc = ipc_send(*fd, req);
	if (rc) {
		log_error("got write error on cmd %s, daemon died?",
			  ipc_op_name(req->im_op));
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

int adm_req_wait(int fd, uint16_t op, struct ipc_msg *rsp, int timeout_ms)
{
	struct ipc_msg *m = rsp ? rsp : malloc(sizeof(*m));
	int rc;

	timeout_ms = req_tmo(timeout_ms);
	if (!m) {
		close(fd);
		return RC_NOMEM;
	}
	rc = ipc_recv(fd, m, timeout_ms);
	close(fd);
	if (rc == RC_INVALID_MGMT_REQ || (!rc && m->im_op != op)) {
		log_error("iscsid answered %s with something that is not an "
			  "answer to it (another version?)", ipc_op_name(op));
		rc = RC_ISCSID_COMM_ERR;
	} else if (rc == RC_ISCSID_COMM_ERR) {
		log_error("read error on cmd %s, daemon died?", ipc_op_name(op));
	} else if (rc == RC_REQ_TIMEDOUT) {
		log_error("no answer from iscsid to %s within %d ms", ipc_op_name(op),
			  timeout_ms);
	}
	if (!rc)
		rc = m->im_rc;
	if (!rsp)
		free(m);
	return rc;
}

int adm_req_call(const struct ipc_msg *req, struct ipc_msg *rsp, int timeout_ms)
{
	int fd, rc = adm_req_start(req, &fd);

	if (rc)
		return rc;
	return adm_req_wait(fd, req->im_op, rsp, timeout_ms);
}

int adm_req_login_tmo(const struct rec *r)
{
	long long login = 15, retry = 8;

	rec_get_int(r, "node.conn[0].timeo.login_timeout", &login);
	rec_get_int(r, "node.session.initial_login_retry_max", &retry);
	if (login < 1 || login > 3600)
		login = 15;
	if (retry < 0 || retry > 100)
		retry = 8;
	/* each try: connect + login, then the retry pause; plus the scan */
	return (int)((login + 3) * (retry + 1) * 1000 + ADM_REQ_SCAN_TMO_MS);
}

void adm_req_report(int rc)
{
	log_error("initiator reported error (%d - %s)", rc, rc_str(rc));
}

void adm_req_rec_id(const struct rec *r, const char **target,
		    const char **addr, int *port, const char **iface)
{
	long long p = 3260;
	const char *s;

	s = rec_get(r, "node.name");
	*target = s ? s : "";
	s = rec_get(r, "node.conn[0].address");
	*addr = s ? s : "";
	rec_get_int(r, "node.conn[0].port", &p);
	*port = (int)p;
	s = rec_get(r, "iface.iscsi_ifacename");
	*iface = (s && *s) ? s : "default";
}

int adm_req_login_msg(const struct rec *r, struct ipc_msg *m)
{
	const char *target, *addr, *iface;
	long long tpgt = -1;
	char *text, *ext, *all;
	int port, rc;

	adm_req_rec_id(r, &target, &addr, &port, &iface);
	rec_get_int(r, "node.tpgt", &tpgt);
	ipc_msg_init(m, IPC_OP_LOGIN);
	rc = ipc_put_str(m, IPC_T_TARGET, target);
	rc = rc ? rc : ipc_put_str(m, IPC_T_ADDR, addr);
	rc = rc ? rc : ipc_put_u32(m, IPC_T_PORT, (uint32_t)port);
	rc = rc ? rc : ipc_put_u32(m, IPC_T_TPGT, (uint32_t)tpgt);
	rc = rc ? rc : ipc_put_str(m, IPC_T_IFACE, iface);
	/* stock's keys as on disk, plus our own (autoscan_en) when set */
	text = rec_format(r, REC_FMT_FILE | REC_FMT_SECRETS);
	ext = rec_format(r, REC_FMT_EXT);
	if (!text || !ext || asprintf(&all, "%s%s", text, ext) < 0)
		all = NULL;
	free(text);
	free(ext);
	if (!all)
		return RC_NOMEM;
	rc = rc ? rc : ipc_put_str(m, IPC_T_REC, all);
	free(all);
	return rc;
}

static void sess_field(struct adm_sess *s, const struct ipc_field *f)
{
	char *dst = NULL;
	size_t cap = 0;

	switch (f->if_tag) {
	case IPC_T_TARGET: dst = s->as_target; cap = sizeof(s->as_target); break;
	case IPC_T_ADDR:   dst = s->as_addr;   cap = sizeof(s->as_addr);   break;
	case IPC_T_IFACE:  dst = s->as_iface;  cap = sizeof(s->as_iface);  break;
	case IPC_T_STATE:  dst = s->as_state;  cap = sizeof(s->as_state);  break;
	case IPC_T_PORT:
	case IPC_T_TPGT: {
		const uint8_t *v = f->if_val;
		int x = (int)(((uint32_t)v[0] << 24) | ((uint32_t)v[1] << 16) |
			      ((uint32_t)v[2] << 8) | v[3]);

		if (f->if_tag == IPC_T_PORT)
			s->as_port = x;
		else
			s->as_tpgt = x;
		return;
	}
	default:
		return;
	}
	if (f->if_len < cap) {
		memcpy(dst, f->if_val, f->if_len);
		dst[f->if_len] = '\0';
	}
}

/* A SID field opens a new session; the fields after it describe it. */
int adm_sess_decode(const struct ipc_msg *m, struct adm_sess **out, size_t *n)
{
	struct adm_sess *v = NULL, *s = NULL;
	struct ipc_field f;
	size_t pos = 0, cnt = 0;
	int r;

	while ((r = ipc_field_next(m, &pos, &f)) == 1) {
		if (f.if_tag == IPC_T_SID && f.if_len == 4) {
			struct adm_sess *nv = realloc(v, (cnt + 1) * sizeof(*v));

			if (!nv) {
				free(v);
				return RC_NOMEM;
			}
			v = nv;
			s = &v[cnt++];
			memset(s, 0, sizeof(*s));
			s->as_sid = (int)(((uint32_t)f.if_val[0] << 24) |
					  ((uint32_t)f.if_val[1] << 16) |
					  ((uint32_t)f.if_val[2] << 8) | f.if_val[3]);
		} else if (s) {
			sess_field(s, &f);
		}
	}
	*out = v;
	*n = cnt;
	return r < 0 ? RC_ISCSID_COMM_ERR : RC_OK;
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
	snprintf(a->as_iface, sizeof(a->as_iface), "%s", iface && *iface ? iface : "default");
	snprintf(a->as_state, sizeof(a->as_state), "%s", st ? st : "");
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
