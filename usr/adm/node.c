/* iscsiadm -m node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "daemon_ops.h"
#include "err.h"
#include "idb.h"
#include "log.h"
#include "node.h"
#include "session_stats.h"
#include "print.h"
#include "rec.h"
#include "recupd.h"

/* Node records selected by -T / -p / -I (stock: a -p without port means
 * 3260). RC_NO_OBJS_FOUND when none. Free with idb_recs_free. */
static int adm_node_select(struct idb *db, const struct adm_opts *o, struct rec ***recs, size_t *n)
{
	struct idb_match m = IDB_MATCH_ANY;

	m.m_target = o->o_target;
	if (o->o_portal) {
		m.m_addr = o->o_addr;
		m.m_port = adm_opts_port(o);	/* a ",tpgt" in -p selects nothing */
	}
	if (o->o_niface)
		m.m_iface = o->o_ifaces[0];
	return idb_node_find(db, &m, recs, n);
}

/* A new node record as -o new builds it: built-in defaults, iscsid.conf,
 * the iface record, then identity. RC_NOMEM (stock's exit 3) when the
 * iface cannot be read. */
static int adm_node_build(struct idb *db, const struct conf *c, const char *target,
			  const char *addr, int port, int tpgt, const char *iface, struct rec **out)
{
	struct rec *r = rec_new_default(REC_NODE), *ir = NULL;
	char num[16];

	if (!r)
		return RC_NOMEM;
	if (c)
		conf_apply_node(c, r);
	if (idb_iface_read(db, iface, &ir) != RC_OK) {
		log_error("Could not read iface info for %s.", iface);
		rec_free(r);
		return RC_NOMEM;	/* stock exits 3 here */
	}
	rec_copy_iface(r, ir);
	rec_free(ir);
	if (rec_set(r, K_NODE_NAME, target) != RC_OK ||
	    rec_set(r, K_NODE_CONN_0_ADDRESS, addr) != RC_OK) {
		rec_free(r);
		return RC_INVAL;
	}
	snprintf(num, sizeof(num), "%d", port);
	rec_set(r, K_NODE_CONN_0_PORT, num);
	snprintf(num, sizeof(num), "%d", tpgt);
	rec_set(r, K_NODE_TPGT, num);
	*out = r;
	return RC_OK;
}

/* For printing: a copy whose unset autoscan_en shows iscsid.conf's value. */
static struct rec *adm_node_effective(const struct conf *c, const struct rec *r)
{
	struct rec *e = rec_dup(r);

	if (e && !rec_is_set(e, K_NODE_SESSION_AUTOSCAN_EN))
		rec_set(e, K_NODE_SESSION_AUTOSCAN_EN, conf_autoscan_default(c) ? "Yes" : "No");
	return e;
}

static const char *g(const struct rec *r, enum key_id key)
{
	const char *v = rec_get(r, key);

	return v ? v : "";
}

static int node_add(struct idb *db, const struct conf *c, const char *target,
		    const char *addr, int port, int tpgt, const char *iface)
{
	struct rec *r = NULL;
	int rc = adm_node_build(db, c, target, addr, port, tpgt, iface, &r);

	if (rc != RC_OK)
		return rc;
	rc = idb_node_write(db, r);
	if (rc == RC_OK)
		printf("New iSCSI node [%s:[hw=%s,ip=%s,net_if=%s,iscsi_if=%s] %s,%s,%s %s] added\n",
		       g(r, K_IFACE_TRANSPORT_NAME), g(r, K_IFACE_HWADDRESS),
		       g(r, K_IFACE_IPADDRESS), g(r, K_IFACE_NET_IFACENAME),
		       g(r, K_IFACE_ISCSI_IFACENAME), g(r, K_NODE_CONN_0_ADDRESS),
		       g(r, K_NODE_CONN_0_PORT), g(r, K_NODE_TPGT), g(r, K_NODE_NAME));
	else
		log_error("Error while adding record: %s", rc_str(rc));
	rec_free(r);
	return rc;
}

/* -I must name an interface, or stock stops before looking at records. */
static int iface_exists(struct idb *db, const char *name)
{
	struct rec *ir = NULL;

	if (idb_iface_read(db, name, &ir) != RC_OK) {
		log_error("Could not read iface info for %s.", name);
		return RC_NOMEM;	/* stock exits 3 here */
	}
	rec_free(ir);
	return RC_OK;
}

/* Without -T and -p, stock re-creates every record the other options
 * select, from defaults (same identity); with none, it is an error. */
/* An earlier record has the same target, portal and tag. */
static int seen_portal(struct rec **recs, size_t i)
{
	static const enum key_id id[] = { K_NODE_NAME, K_NODE_CONN_0_ADDRESS,
					  K_NODE_CONN_0_PORT, K_NODE_TPGT };

	for (size_t j = 0; j < i; j++) {
		size_t k = 0;

		while (k < 4 && !strcmp(g(recs[j], id[k]), g(recs[i], id[k])))
			k++;
		if (k == 4)
			return 1;
	}
	return 0;
}

static int node_renew(struct idb *db, const struct adm_opts *o, const struct conf *c)
{
	struct rec **recs = NULL;
	size_t n = 0;
	int rc = o->o_niface ? iface_exists(db, o->o_ifaces[0]) : RC_OK;

	if (rc != RC_OK)
		return rc;
	rc = adm_node_select(db, o, &recs, &n);
	if (rc == RC_NO_OBJS_FOUND) {
		log_error("Error while adding record: %s", rc_str(RC_NO_OBJS_FOUND));
		return RC_INVAL;	/* stock says so but exits 0 */
	}
	/* as stock: each target portal once, bound to -I's iface (default
	 * without -I), whatever ifaces its records were bound to */
	for (size_t i = 0; rc == RC_OK && i < n; i++) {
		long long port = ISCSI_PORT_DEFAULT, tpgt = -1;

		if (seen_portal(recs, i))
			continue;
		rec_get_int(recs[i], K_NODE_CONN_0_PORT, &port);
		rec_get_int(recs[i], K_NODE_TPGT, &tpgt);
		rc = node_add(db, c, g(recs[i], K_NODE_NAME), g(recs[i], K_NODE_CONN_0_ADDRESS),
			      (int)port, (int)tpgt, adm_opts_iface(o));
	}
	idb_recs_free(recs, n);
	return rc;
}

static int node_new(struct idb *db, const struct adm_opts *o, const struct conf *c)
{
	if (!o->o_target || !o->o_portal)
		return node_renew(db, o, c);
	return node_add(db, c, o->o_target, o->o_addr, adm_opts_port(o), o->o_tpgt,
			adm_opts_iface(o));
}

/* All records are checked first, then written: all or nothing. A record
 * the update leaves as it was is not rewritten (its file keeps its bytes
 * and mtime). The caller holds the database lock. */
static int node_update(struct idb *db, const struct adm_opts *o, struct rec **recs, size_t n)
{
	int args = adm_update_args(o), rc = args, tail = 0;
	char *changed = calloc(n ? n : 1, 1);

	if (!changed)
		return RC_NOMEM;
	/* every record is checked, so that a refusal is printed once per
	 * record as stock does; nothing is written if any is refused */
	for (size_t i = 0; args == RC_OK && i < n; i++) {
		struct rec *before = rec_dup(recs[i]);
		int t = 0, r = before ? adm_update_apply(recs[i], o, ADM_MODE_NODE, &t) : RC_NOMEM;

		changed[i] = before && !rec_same(before, recs[i]);
		rec_free(before);
		tail |= t;
		if (r != RC_OK && rc == RC_OK)
			rc = r;
	}
	if (rc != RC_OK) {
		free(changed);
		if (tail)
			log_error("Could not execute operation on all records: %s", rc_str(rc));
		return rc;
	}
	for (size_t i = 0; rc == RC_OK && i < n; i++)
		if (changed[i])
			rc = idb_node_write(db, recs[i]);
	free(changed);
	if (rc != RC_OK)
		log_error("Could not execute operation on all records: %s", rc_str(rc));
	return rc;
}

/* A record a session is using stays, with stock's message and code. */
static int node_delete(struct idb *db, struct rec **recs, size_t n)
{
	struct adm_sessions *ses = adm_sessions_load();
	int rc = RC_OK;

	for (size_t i = 0; i < n; i++) {
		int r;

		if (adm_sessions_use(ses, recs[i])) {
			log_error("This command will remove the record [iface: %s, target: %s, "
				  "portal: %s,%s], but a session is using it. Logout session then "
				  "rerun command to remove record.", g(recs[i], K_IFACE_ISCSI_IFACENAME),
				  g(recs[i], K_NODE_NAME), g(recs[i], K_NODE_CONN_0_ADDRESS),
				  g(recs[i], K_NODE_CONN_0_PORT));
			rc = RC_SESS_EXISTS;
			continue;
		}
		r = idb_node_delete(db, recs[i]);
		if (r != RC_OK)
			rc = r;
	}
	adm_sessions_free(ses);
	if (rc != RC_OK)
		log_error("Could not execute operation on all records: %s", rc_str(rc));
	return rc;
}

static void node_show(const struct adm_opts *o, const struct conf *c, struct rec **recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct rec *e = adm_node_effective(c, recs[i]);

		if (e)
			adm_print_record(stdout, e, o->o_show_secrets, NULL, 0);	/* -n ignored */
		rec_free(e);
	}
}

static int node_list(const struct adm_opts *o, struct rec **recs, size_t n)
{
	if (o->o_print > 1) {
		log_error("Invalid info level %d. Try 0 or 1.", o->o_print);
		return RC_INVAL;
	}
	for (size_t i = 0; o->o_print < 1 && i < n; i++)
		adm_print_node_flat(stdout, recs[i]);
	if (o->o_print == 1)
		adm_print_node_tree(stdout, recs, n, 1);
	return RC_OK;
}

/* Everything that acts on the records -T/-p/-I select. */
static int node_on_records(struct idb *db, const struct adm_opts *o, const struct conf *c)
{
	struct rec **recs = NULL;
	size_t n = 0;
	int filtered = o->o_target || o->o_portal || o->o_niface;
	int writes = o->o_ops & (ADM_OP_UPDATE | ADM_OP_DELETE);
	int rc = writes ? idb_lock(db) : RC_OK;

	/* read-modify-write under the lock: concurrent runs lose no update */
	if (rc == RC_OK && o->o_niface)
		rc = iface_exists(db, o->o_ifaces[0]);
	if (rc == RC_OK)
		rc = adm_node_select(db, o, &recs, &n);
	if (rc == RC_NO_OBJS_FOUND)
		log_error("No records found");
	if (rc != RC_OK) {
		idb_recs_free(recs, n);
		if (writes)
			idb_unlock(db);
		return rc;
	}
	if (o->o_login)
		rc = adm_node_login(o, recs, n);
	else if (o->o_ops & ADM_OP_UPDATE)
		rc = node_update(db, o, recs, n);
	else if (o->o_ops & ADM_OP_DELETE)
		rc = node_delete(db, recs, n);
	else if ((o->o_ops & ADM_OP_SHOW) || filtered)
		node_show(o, c, recs, n);
	else
		rc = node_list(o, recs, n);
	idb_recs_free(recs, n);
	if (writes)
		idb_unlock(db);
	return rc;
}

/* Whether the operation needs iscsid.conf: -o new (defaults of a new
 * record) and showing records (effective values); update and delete work
 * on the records alone. */
static int node_reads_conf(const struct adm_opts *o)
{
	return (o->o_ops & ADM_OP_NEW) || !(o->o_ops & (ADM_OP_UPDATE | ADM_OP_DELETE));
}

int adm_node_run(const struct adm_opts *o)
{
	struct idb *db = NULL;
	struct conf *c = NULL;
	int rc;

	if (o->o_loginall)
		return adm_login_all(o);
	if (o->o_logoutall)
		return adm_logout_all(o);
	/* sessions, selected by -T -p -I whether they have a record or not */
	if (o->o_stats)
		return adm_node_stats(o);
	if (o->o_logout)
		return adm_node_logout(o);
	if (o->o_rescan)
		return adm_node_rescan(o);
	rc = idb_open(NULL, &db);
	/* iscsid.conf is read only by what shows or creates records (its
	 * defaults); an unreadable one: carry on with built-in defaults */
	if (rc == RC_OK && node_reads_conf(o) && conf_load(NULL, &c) != RC_OK)
		c = conf_new();
	/* its notes only on request: stock is silent, os-brick reads stderr */
	if (c && log_get_level() >= LOG_LVL_INFO)
		conf_report(c);
	if (rc == RC_OK && node_reads_conf(o) && !c)
		rc = RC_NOMEM;
	/* as stock: -I is checked first, then the operation, which must be one
	 * of new, delete, update, show (or none); nonpersistent, apply,
	 * applyall and any two together are refused before records are read */
	if (rc == RC_OK && o->o_niface)
		rc = iface_exists(db, o->o_ifaces[0]);
	if (rc == RC_OK && (o->o_ops & (o->o_ops - 1) ||
			    o->o_ops & ~(unsigned)(ADM_OP_NEW | ADM_OP_DELETE | ADM_OP_UPDATE | ADM_OP_SHOW))) {
		log_error("operation is not supported.");
		rc = RC_INVAL;
	}
	if (rc == RC_OK) {
		if (o->o_ops & ADM_OP_NEW)
			rc = node_new(db, o, c);
		else
			rc = node_on_records(db, o, c);
	}
	conf_free(c);
	idb_close(db);
	return rc;
}
