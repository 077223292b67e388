/* -m session [-r SID] -R and -m node [-T -p -I] -R: rescans of sessions.
 * Stock rescans from iscsiadm itself through sysfs, whether iscsid runs,
 * is down or does not answer; so does this, each scan decided by the scan
 * policy (usr/core/scan_policy.c) and carried out by the executor iscsid
 * uses (usr/core/scan.c). -d 1 shows the policy's decision. */
#include <stdio.h>
#include <stdlib.h>
#include "conf.h"
#include "daemon_ops.h"
#include "daemon_req.h"
#include "err.h"
#include "idb.h"
#include "log.h"
#include "opts.h"
#include "rec.h"
#include "scan.h"
#include "libopeniscsiusr/libopeniscsiusr.h"

/* The session's node record (target, persistent portal, iface), or NULL. */
static struct rec *session_record(const struct adm_sess *s)
{
	struct idb_match m = { s->as_target, s->as_addr, s->as_port, -1, s->as_iface };
	struct rec **recs = NULL, *r = NULL;
	struct idb *db = NULL;
	size_t n = 0;

	if (idb_open(NULL, &db) != RC_OK)
		return NULL;
	if (idb_node_find(db, &m, &recs, &n) == RC_OK && n > 0) {
		r = recs[0];
		recs[0] = NULL;
	}
	idb_recs_free(recs, n);
	idb_close(db);
	return r;
}

static int host_of(int sid, uint32_t *host)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_session *se = NULL;
	int rc = RC_SYSFS_LOOKUP;

	if (!ctx)
		return RC_NOMEM;
	iscsi_context_log_priority_set(ctx, 0);
	if (iscsi_session_get(ctx, (uint32_t)sid, &se) == LIBISCSI_OK) {
		*host = iscsi_session_host_no_get(se);
		rc = RC_OK;
	}
	iscsi_session_free(se);
	iscsi_context_free(ctx);
	return rc;
}

/* As stock: every device of the session is refreshed, then the host is
 * scanned as the policy says ("- - -" for autoscan on, nothing more for a
 * manual scan or autoscan off, one LUN for --lun). */
static int rescan_sysfs(const struct adm_sess *s, int lun)
{
	struct rec *r = session_record(s);
	struct conf *c = NULL;
	struct scan_settings ss;
	struct scan_plan plan;
	uint32_t host;
	int rc = host_of(s->as_sid, &host);

	if (conf_load(NULL, &c) != RC_OK)
		c = NULL;
	scan_settings_from(r, c, &ss);
	conf_free(c);
	rec_free(r);
	plan = scan_plan(lun >= 0 ? SCAN_EV_RESCAN_LUN : SCAN_EV_RESCAN, &ss,
			 lun >= 0 ? (uint64_t)lun : 0);
	log_info("session %d: %s scan, row \"%s\": %s", s->as_sid,
		 scan_action_name(plan.sp_action), plan.sp_row ? plan.sp_row : "",
		 plan.sp_why ? plan.sp_why : "");
	if (rc == RC_OK)
		rc = scan_refresh_host(NULL, host, NULL);
	if (rc == RC_OK && plan.sp_action != SCAN_REFRESH)
		rc = scan_run(NULL, host, &plan, NULL);
	return rc;
}

int adm_rescan_sessions(const struct adm_sess *v, size_t n, int lun)
{
	int ret = RC_OK;

	for (size_t i = 0; i < n; i++) {
		int rc;

		printf("Rescanning session [sid: %d, target: %s, portal: %s,%d]\n",
		       v[i].as_sid, v[i].as_target, v[i].as_addr, v[i].as_port);
		fflush(stdout);
		rc = rescan_sysfs(&v[i], lun);
		if (rc) {
			log_error("Could not rescan session sid %d.", v[i].as_sid);
			adm_req_report(rc);
			ret = ret ? ret : rc;
		}
	}
	return ret;
}

int adm_session_rescan(const struct adm_opts *o)
{
	struct adm_sess *v = NULL;
	size_t n = 0, k = 0;
	int rc = adm_sysfs_sessions_pick(adm_sess_sid_selected, o, &v, &n, &k);

	if (rc == RC_OK && o->o_sid >= 0 && k == 0) {
		log_error("could not read session targetname: %d", 5);
		log_error("Could not get session info for sid %d", o->o_sid);
		rc = RC_SYSFS_LOOKUP;
	} else if (rc == RC_OK && k == 0) {
		log_error("No session found.");
		rc = RC_NO_OBJS_FOUND;
	}
	if (rc == RC_OK)
		rc = adm_rescan_sessions(v, k, o->o_lun);
	free(v);
	return rc;
}

int adm_node_rescan(const struct adm_opts *o)
{
	struct adm_sess *v = NULL;
	size_t n = 0, k = 0;
	int rc = adm_sysfs_sessions_pick(adm_sess_selected, o, &v, &n, &k);

	if (rc == RC_OK && k == 0) {
		log_error("No session found.");
		rc = RC_NO_OBJS_FOUND;
	}
	if (rc == RC_OK)
		rc = adm_rescan_sessions(v, k, o->o_lun);
	free(v);
	return rc;
}
