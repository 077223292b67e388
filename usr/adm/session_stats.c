/* iscsiadm requests that name a session: statistics (-m session [-r SID]
 * -s, -m node [-T -p] -s), one more session to a session's target
 * (-m session -r SID -o new) and stopping iscsid (-k 0). Lines, order and
 * exit codes are stock 2.1.8's. */
#include <inttypes.h>
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
#include "session_stats.h"

void adm_stats_print(FILE *f, const struct adm_sess *s, const struct ipc_abi_rsp *rsp)
{
	const struct ipc_abi_stats *st = &rsp->ap_u.ap_stats.ag_stats;
	uint32_t ncustom = st->st_custom_length;

	fprintf(f, "Stats for session [sid: %d, target: %s, portal: %s,%d]\n",
		s->as_sid, s->as_target, s->as_addr, s->as_port);
	fprintf(f, "iSCSI SNMP:\n");
	fprintf(f, "\ttxdata_octets: %lld\n\trxdata_octets: %lld\n",
		(long long)st->st_txdata_octets, (long long)st->st_rxdata_octets);
	fprintf(f, "\tnoptx_pdus: %u\n\tscsicmd_pdus: %u\n\ttmfcmd_pdus: %u\n"
		"\tlogin_pdus: %u\n\ttext_pdus: %u\n\tdataout_pdus: %u\n"
		"\tlogout_pdus: %u\n\tsnack_pdus: %u\n",
		st->st_noptx_pdus, st->st_scsicmd_pdus, st->st_tmfcmd_pdus,
		st->st_login_pdus, st->st_text_pdus, st->st_dataout_pdus,
		st->st_logout_pdus, st->st_snack_pdus);
	fprintf(f, "\tnoprx_pdus: %u\n\tscsirsp_pdus: %u\n\ttmfrsp_pdus: %u\n"
		"\ttextrsp_pdus: %u\n\tdatain_pdus: %u\n\tlogoutrsp_pdus: %u\n"
		"\tr2t_pdus: %u\n\tasync_pdus: %u\n\trjt_pdus: %u\n",
		st->st_noprx_pdus, st->st_scsirsp_pdus, st->st_tmfrsp_pdus,
		st->st_textrsp_pdus, st->st_datain_pdus, st->st_logoutrsp_pdus,
		st->st_r2t_pdus, st->st_async_pdus, st->st_rjt_pdus);
	fprintf(f, "\tdigest_err: %u\n\ttimeout_err: %u\n",
		st->st_digest_err, st->st_timeout_err);
	if (ncustom > IPC_ABI_CUSTOM_MAX)
		ncustom = IPC_ABI_CUSTOM_MAX;
	if (ncustom)
		fprintf(f, "iSCSI Extended:\n");
	for (uint32_t i = 0; i < ncustom; i++) {
		const struct ipc_abi_custom *c = &rsp->ap_u.ap_stats.ag_custom[i];

		fprintf(f, "\t%.*s: %" PRIu64 "\n", (int)sizeof(c->cu_desc),
			c->cu_desc, c->cu_value);
	}
}

static int stats_one(const struct adm_sess *s)
{
	struct ipc_abi_req *req = malloc(sizeof(*req));
	struct ipc_abi_rsp *rsp = malloc(sizeof(*rsp));
	int rc = RC_NOMEM;

	if (req && rsp) {
		adm_req_sid_msg(IPC_CMD_STATS, s->as_sid, req);
		rc = adm_req_call(req, rsp, ADM_REQ_QUERY_TMO_MS);
		if (!rc)
			adm_stats_print(stdout, s, rsp);
	}
	free(req);
	free(rsp);
	fflush(stdout);
	return rc;
}

/* Stock's for_each_session: the first failure ends the walk. */
static int stats_picked(const struct adm_sess *v, size_t n)
{
	int rc = RC_OK;

	for (size_t i = 0; i < n && !rc; i++)
		rc = stats_one(&v[i]);
	if (rc)
		log_error("Could not execute operation on all sessions: %s", rc_str(rc));
	else if (!n) {
		log_error("No session found.");
		rc = RC_NO_OBJS_FOUND;
	}
	return rc;
}

/* The session -r names, in stock's words when sysfs does not have it. */
static int sess_by_sid(const struct adm_sess *v, size_t n, int sid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].as_sid == sid)
			return (int)i;
	log_error("could not read session targetname: %d", 5);
	log_error("Could not get session info for sid %d", sid);
	return -1;
}

/* Statistics of the sessions sel picks from sysfs (as stock: iscsid being
 * down shows up in the requests, not in the selection). */
static int stats_where(int (*sel)(const struct adm_sess *, const void *),
		       const struct adm_opts *o)
{
	struct adm_sess *v = NULL;
	size_t n = 0, k = 0;
	int rc = adm_sysfs_sessions_pick(sel, o, &v, &n, &k);

	if (rc)
		return rc;
	/* -r names a session sysfs does not have: stock's words */
	if (o->o_sid >= 0 && sess_by_sid(v, n, o->o_sid) < 0)
		rc = RC_SYSFS_LOOKUP;
	if (!rc)
		rc = stats_picked(v, k);
	free(v);
	return rc;
}

int adm_session_stats(const struct adm_opts *o)
{
	return stats_where(adm_sess_sid_selected, o);
}

/* -m node -s: the sessions -T / -p / -I select, with a record or not
 * (stock walks sessions here, not records). */
int adm_node_stats(const struct adm_opts *o)
{
	return stats_where(adm_sess_selected, o);
}

/* The session's node record from the database: stock logs in one more
 * session only for a target it has a record of. */
static int new_rec(const struct adm_sess *s, struct rec **out)
{
	struct idb_match m = { s->as_target, s->as_addr, s->as_port, -1, s->as_iface };
	struct rec **recs = NULL;
	struct idb *db;
	size_t n = 0;
	int rc = idb_open(NULL, &db);

	*out = NULL;
	if (rc)
		return rc;
	rc = idb_node_find(db, &m, &recs, &n);
	if (rc == RC_OK && n == 0)
		rc = RC_NO_OBJS_FOUND;
	if (rc == RC_OK && !(*out = rec_dup(recs[0])))
		rc = RC_NOMEM;
	idb_recs_free(recs, n);
	idb_close(db);
	if (rc == RC_NO_OBJS_FOUND)
		log_error("No records found");
	return rc;
}

static int new_login(const struct adm_sess *s, struct rec *r)
{
	struct ipc_abi_req *req = malloc(sizeof(*req));
	int rc = req ? adm_req_login_msg(r, req) : RC_NOMEM;

	printf("Logging in to [iface: %s, target: %s, portal: %s,%d] (multiple)\n",
	       s->as_iface, s->as_target, s->as_addr, s->as_port);
	fflush(stdout);
	if (!rc) {
		/* stock's session.multiple: one more session, not "exists" */
		req->ar_u.ar_session.as_rec.an_session.as_multiple = 1;
		rc = adm_req_call(req, NULL, adm_req_login_tmo(r));
	}
	free(req);
	if (rc) {
		log_error("Could not login to [iface: %s, target: %s, portal: %s,%d].",
			  s->as_iface, s->as_target, s->as_addr, s->as_port);
		adm_req_report(rc);
		log_error("Could not log into all portals");
	} else {
		printf("Login to [iface: %s, target: %s, portal: %s,%d] successful.\n",
		       s->as_iface, s->as_target, s->as_addr, s->as_port);
	}
	fflush(stdout);
	return rc;
}

int adm_session_new(const struct adm_opts *o)
{
	struct adm_sess *v = NULL;
	size_t n = 0;
	struct rec *r;
	int i, rc;

	if (o->o_sid < 0) {
		log_error("session mode: Operation 'new' only allowed with "
			  "specific session IDs");
		return RC_INVAL;
	}
	rc = adm_sysfs_sessions(&v, &n);
	if (rc)
		return rc;
	i = sess_by_sid(v, n, o->o_sid);
	if (i < 0) {
		free(v);
		return RC_SYSFS_LOOKUP;
	}
	rc = new_rec(&v[i], &r);
	if (!rc)
		rc = new_login(&v[i], r);
	rec_free(r);
	free(v);
	return rc;
}

int adm_kill_iscsid(int priority)
{
	struct ipc_abi_req *req;
	struct ipc_abi_rsp *rsp;
	int fd, rc;

	if (priority != 0) {
		log_error("Invalid iscsid priority %d. Priority must be 0.", priority);
		return RC_OK;  /* stock exits 0 */
	}
	req = malloc(sizeof(*req));
	rsp = malloc(sizeof(*rsp));
	rc = req && rsp ? RC_OK : RC_NOMEM;
	/* no iscsid.startup: starting iscsid to stop it makes no sense */
	fd = rc ? -1 : ipc_client_connect();
	if (!rc && fd < 0) {
		log_error("can not connect to iSCSI daemon (%d)!", -fd);
		rc = RC_ISCSID_NOTCONN;
	} else if (!rc && !adm_req_peer_root(fd)) {
		rc = RC_ISCSID_NOTCONN;
	} else if (!rc) {
		ipc_req_init(req, IPC_CMD_STOP);
		rc = ipc_req_send(fd, req) ? RC_ISCSID_COMM_ERR : RC_OK;
		if (!rc) {
			rc = adm_req_wait(fd, IPC_CMD_STOP, rsp, ADM_REQ_CONFIG_TMO_MS);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	if (rc) {
		adm_req_report(rc);
		log_error("Could not stop iscsid. Trying sending iscsid SIGTERM "
			  "or SIGKILL signals manually");
	}
	free(req);
	free(rsp);
	return RC_OK;  /* stock exits 0 whatever happened */
}
