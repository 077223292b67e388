/* iscsiadm -m session: which sessions to show and how, plus -r SID without
 * -P, which stock treats as a node operation on the session's record. */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "session.h"
#include "daemon_req.h"
#include "session_stats.h"
#include "opts.h"
#include "err.h"
#include "log.h"
#include "ipc.h"
#include "daemon_ops.h"
#include "node.h"
#include "libopeniscsiusr/libopeniscsiusr.h"
#include "usr_sysfs.h"

/* iscsid's view of a session in stock's words (iscsiadm -P 3 prints
 * iscsid's connection and internal session states, as numbers iscsid
 * answers SESSION_INFO with); the kernel's connection state refines
 * "logged in" when iscsid has not reacted to a drop yet. */
void adm_session_state_words(int conn, int stage, const char *kconn,
			     struct adm_sess_daemon *st)
{
	st->sd_conn = ipc_conn_state_name(conn);
	st->sd_internal = ipc_r_stage_name(stage);
	if (conn == IPC_CONN_LOGGED_IN && kconn &&
	    (strcmp(kconn, "failed") == 0 || strcmp(kconn, "down") == 0)) {
		st->sd_conn = ipc_conn_state_name(IPC_CONN_XPT_WAIT);
		st->sd_internal = ipc_r_stage_name(IPC_R_REOPEN);
	}
}

/* Asks iscsid for its state of one session; RC_OK when iscsid manages it. */
static int daemon_query(uint32_t sid, int *conn, int *stage)
{
	struct ipc_abi_req *req = malloc(sizeof(*req));
	struct ipc_abi_rsp *rsp = malloc(sizeof(*rsp));
	int fd = -1, rc = RC_NOMEM;

	if (!req || !rsp)
		goto out;
	/* no iscsid.startup here: a listing must not start the daemon */
	fd = ipc_client_connect();
	if (fd < 0)
		log_error("can not connect to iSCSI daemon (%d)!", -fd);
	if (fd < 0 || !adm_req_peer_root(fd)) {
		if (fd >= 0)
			close(fd);
		rc = RC_ISCSID_NOTCONN;
		goto out;
	}
	adm_req_sid_msg(IPC_CMD_SESSION_INFO, (int)sid, req);
	rc = ipc_req_send(fd, req);
	if (rc == RC_OK)
		rc = adm_req_wait(fd, IPC_CMD_SESSION_INFO, rsp, ADM_REQ_QUERY_TMO_MS);
	else
		close(fd);
	if (rc == RC_OK) {
		*conn = rsp->ap_u.ap_state.ss_conn_state;
		*stage = rsp->ap_u.ap_state.ss_session_state;
	}
out:
	free(req);
	free(rsp);
	return rc;
}

void adm_session_daemon_state(struct iscsi_session *se, struct adm_sess_daemon *st)
{
	int conn = -1, stage = -1;

	if (daemon_query(iscsi_session_sid_get(se), &conn, &stage) != RC_OK) {
		adm_session_state_words(-1, -1, NULL, st);	/* stock: Unknown */
		return;
	}
	adm_session_state_words(conn, stage, iscsi_session_conn_state_get(se), st);
}

/* The session id asked for with -r: 1 and *sid set, 0 when there is no
 * -r, -1 after stock's message for session id 0 (opts.c has already
 * turned a sysfs path into its id and refused anything else). */
static int wanted_sid(const struct adm_opts *o, uint32_t *sid)
{
	if (o->o_sid > 0) {
		*sid = (uint32_t)o->o_sid;
		return 1;
	}
	if (!o->o_sid_text)
		return 0;
	log_error("%s is an invalid session ID or path", o->o_sid_text);
	return -1;
}

static int lib_rc(int rc)
{
	/* LIBISCSI_* numbers are iscsiadm's exit codes already. */
	return rc == LIBISCSI_ERR_BUG ? RC_INTERNAL : rc;
}

/* -r SID without -P: stock runs the node operation (show by default,
 * -o update/delete, ...) on the records of the session's target,
 * persistent portal and iface, so -m node does the work here too. */
static int node_op_for_session(const struct adm_opts *o, struct iscsi_session *se)
{
	struct iscsi_iface *f = iscsi_session_iface_get(se);
	const char *a = iscsi_session_persistent_address_get(se);
	struct adm_opts no = *o;
	char portal[300];

	snprintf(portal, sizeof(portal), strchr(a, ':') ? "[%s]:%d" : "%s:%d", a,
		 (int)iscsi_session_persistent_port_get(se));
	no.o_mode = ADM_MODE_NODE;
	no.o_target = iscsi_session_target_name_get(se);
	no.o_portal = portal;
	snprintf(no.o_addr, sizeof(no.o_addr), "%s", a);
	no.o_port = iscsi_session_persistent_port_get(se);
	no.o_tpgt = -1;		/* stock does not match on the tag here */
	no.o_ifaces[0] = f ? iscsi_iface_name_get(f) : IFACE_DEFAULT;
	no.o_niface = 1;
	no.o_sid = -1;
	no.o_sid_text = NULL;
	return adm_node_run(&no);
}

/* Checked once there is something to print, as stock does (no sessions
 * wins over a bad level). */
static int level_ok(const struct adm_opts *o)
{
	if (o->o_print <= 3 && o->o_print >= -1)
		return 1;
	log_error("Invalid info level %d. Try 0 - 3.", o->o_print);
	return 0;
}

static int run_one(const struct adm_opts *o, struct iscsi_context *ctx, uint32_t sid)
{
	struct iscsi_session *se = NULL;
	int rc = iscsi_session_get(ctx, sid, &se);

	if (rc != LIBISCSI_OK) {
		/* stock's two lines; its sysfs reader reports EIO (5) */
		log_error("could not read session targetname: 5");
		log_error("Could not get session info for sid %" PRIu32, sid);
		return RC_SYSFS_LOOKUP;
	}
	if (o->o_print > 0 && o->o_ops == ADM_OP_NONE) {
		if (level_ok(o))
			adm_session_print_tree(&se, 1, o->o_print, o->o_show_secrets,
					       usr_sysfs_root());
		else
			rc = RC_INVAL;
	} else
		rc = node_op_for_session(o, se);
	iscsi_session_free(se);
	return rc;
}

static int run_all(const struct adm_opts *o, struct iscsi_context *ctx)
{
	struct iscsi_session **ses = NULL;
	uint32_t n = 0;
	int rc;

	if (o->o_print <= 0 && level_ok(o) && adm_session_list_flat(usr_sysfs_root()) == 0)
		return RC_OK;
	rc = iscsi_sessions_get(ctx, &ses, &n);
	if (rc != LIBISCSI_OK) {
		log_error("Can not get list of active sessions (%d)", rc);
		return lib_rc(rc);
	}
	if (n == 0) {
		log_error("No active sessions.");
		return RC_NO_OBJS_FOUND;
	}
	if (!level_ok(o))
		rc = RC_INVAL;
	else if (o->o_print > 0)
		adm_session_print_tree(ses, n, o->o_print, o->o_show_secrets,
				       usr_sysfs_root());
	else
		adm_session_print_flat(ses, n, usr_sysfs_root());
	iscsi_sessions_free(ses, n);
	return rc;
}

/* Library messages become iscsiadm's own (-d shows the debug ones). */
static void lib_log(struct iscsi_context *ctx, int priority, const char *file,
		    int line, const char *func, const char *fmt, va_list ap)
{
	char msg[512];

	(void)ctx; (void)file; (void)line;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (priority <= LIBISCSI_LOG_PRIORITY_WARNING)
		log_warn("%s: %s", func, msg);
	else
		log_debug("%s: %s", func, msg);
}

/* Options session mode refuses (stock accepts only -P -i -R -d -r -m -u
 * -s -o -n -S -v here). Stock names the first one on the command line;
 * without argv order we name the first of this list that was given. */
static int refused_option(const struct adm_opts *o)
{
	const struct { char letter; int given; } opt[] = {
		{ 'T', o->o_target != NULL },	{ 'p', o->o_portal != NULL },
		{ 'I', o->o_niface > 0 },	{ 't', o->o_type != NULL },
		{ 'l', o->o_login },		{ 'L', o->o_loginall != NULL },
		{ 'U', o->o_logoutall != NULL },	{ 'D', o->o_discover },
		{ 'H', o->o_host != NULL },	{ 'C', o->o_submode != NULL },
		{ 'W', o->o_no_wait },		{ 'k', o->o_killiscsid >= 0 },
	};

	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (opt[i].given) {
			log_error("session mode: option '-%c' is not allowed/supported",
				  opt[i].letter);
			return 1;
		}
	return 0;
}

int adm_session_run(const struct adm_opts *o)
{
	struct iscsi_context *ctx;
	uint32_t sid = 0;
	int want, rc;

	if (refused_option(o))
		return RC_INVAL;
	if ((o->o_ops & ADM_OP_NEW) && o->o_sid < 0 && !o->o_sid_text) {
		log_error("session mode: Operation 'new' only allowed with specific session IDs");
		return RC_INVAL;
	}
	if (o->o_logout)
		return adm_session_logout(o);
	if (o->o_rescan)
		return adm_session_rescan(o);
	if (o->o_stats)
		return adm_session_stats(o);
	if (o->o_ops & ADM_OP_NEW)
		return adm_session_new(o);
	if ((want = wanted_sid(o, &sid)) < 0)
		return RC_ERR;
	if (!(ctx = iscsi_context_new()))
		return RC_NOMEM;
	/* silent by default as stock; -d 2 and up shows the library's view */
	iscsi_context_log_func_set(ctx, lib_log);
	iscsi_context_log_priority_set(ctx, log_get_level() >= LOG_LVL_DEBUG ?
				       LIBISCSI_LOG_PRIORITY_DEBUG : LIBISCSI_LOG_PRIORITY_ERROR - 1);
	rc = want ? run_one(o, ctx, sid) : run_all(o, ctx);
	iscsi_context_free(ctx);
	return rc;
}
