/* iscsid's answers to the management requests (see daemon.h): stock
 * 2.1.8's commands, in stock's answer format and error codes, and ours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon.h"
#include "err.h"
#include "idb.h"
#include "log.h"
#include "rec.h"
#include "sess.h"
#include "sess_stats.h"

/* The record to log in with: the database's (its secrets and our sidecar
 * keys, whichever tool asked), else the request's own copy. */
static struct rec *login_rec(const struct ipc_abi_node *n, int *rc)
{
	struct ipc_node_id id;
	struct idb_match m;
	struct rec *r;

	*rc = ipc_node_id(n, &id);
	if (*rc) {
		log_error("refusing malformed request (login): no target or portal");
		return NULL;
	}
	m = (struct idb_match){ id.ni_target, id.ni_addr, id.ni_port, -1, id.ni_iface };
	r = sess_rec_find(&m);
	if (r) {
		log_debug("login %s %s,%d: record from the database", id.ni_target,
			  id.ni_addr, id.ni_port);
		return r;
	}
	log_info("login %s %s,%d: no record in the database, using the request's",
		 id.ni_target, id.ni_addr, id.ni_port);
	r = rec_new_default(REC_NODE);
	*rc = r ? ipc_node_to_rec(n, r) : RC_NOMEM;
	if (*rc) {
		rec_free(r);
		return NULL;
	}
	return r;
}

static int do_login(struct sess_table *t, const struct ipc_abi_req *req)
{
	const struct ipc_abi_node *n = &req->ar_u.ar_session.as_rec;
	int rc;
	struct rec *r = login_rec(n, &rc);

	if (!r)
		return rc;
	return sess_login(t, r, n->an_session.as_multiple != 0);
}

static int put_config(struct ipc_abi_rsp *rsp, const char *v)
{
	snprintf(rsp->ap_u.ap_config, sizeof(rsp->ap_u.ap_config), "%s", v ? v : "");
	return RC_OK;
}

static int put_config_file(const struct sess_table *t, struct ipc_abi_rsp *rsp)
{
	char *path = t->st_config ? NULL : conf_etc_path(CONF_FILE);
	int rc = put_config(rsp, t->st_config ? t->st_config : path);

	free(path);
	return rc;
}

static int do_info(struct sess_table *t, int sid, struct ipc_abi_rsp *rsp)
{
	int conn, stage, rc = sess_state_get(t, sid, &conn, &stage);

	if (!rc) {
		rsp->ap_u.ap_state.ss_conn_state = conn;
		rsp->ap_u.ap_state.ss_session_state = stage;
	}
	return rc;
}

static int do_rescan(struct sess_table *t, const struct ipc_abi_req *req)
{
	int sid = req->ar_u.ar_rescan.ax_sid;
	uint64_t lun = req->ar_u.ar_rescan.ax_lun;

	/* every u32 is a LUN; only an absent LUN means all of them */
	if (req->ar_u.ar_rescan.ax_has_lun && lun > UINT32_MAX)
		return RC_INVAL;
	return sess_rescan(t, sid, req->ar_u.ar_rescan.ax_has_lun ? (int64_t)lun : -1);
}

void daemon_dispatch(struct sess_table *t, const struct ipc_abi_req *req,
		     struct ipc_abi_rsp *rsp)
{
	int sid = req->ar_u.ar_session.as_sid;
	int rc;

	ipc_rsp_init(rsp, req->ar_cmd);
	switch (req->ar_cmd) {
	case IPC_CMD_LOGIN:
		rc = do_login(t, req);
		break;
	case IPC_CMD_LOGOUT:
		rc = sess_logout(t, sid);
		break;
	case IPC_CMD_STATS:
		rc = sess_stats_get(t, sid, rsp);
		break;
	case IPC_CMD_SESSION_INFO:
		rc = do_info(t, sid, rsp);
		break;
	case IPC_CMD_CONFIG_INAME:
		rc = put_config(rsp, t->st_iname);
		break;
	case IPC_CMD_CONFIG_IALIAS:
		rc = put_config(rsp, t->st_ialias);
		break;
	case IPC_CMD_CONFIG_FILE:
		rc = put_config_file(t, rsp);
		break;
	case IPC_CMD_STOP:
		rc = RC_OK;
		break;
	case IPC_CMD_CONN_ADD:
	case IPC_CMD_CONN_REMOVE:
		rc = RC_ERR;  /* stock: one connection per session */
		break;
	case IPC_CMD_SEND_TARGETS:
		rc = RC_TRANS_CAPS;  /* offload hosts only; iscsi_tcp has none */
		break;
	case IPC_CMD_X_RESCAN:
		rc = do_rescan(t, req);
		break;
	default:
		/* stock accepts the discovery notifications and does nothing */
		rc = req->ar_cmd >= IPC_CMD_NOTIFY_FIRST &&
		     req->ar_cmd <= IPC_CMD_NOTIFY_LAST ? RC_OK : RC_INVALID_MGMT_REQ;
	}
	rsp->ap_err = rc;
}
