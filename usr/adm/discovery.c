/* iscsiadm -m discovery -t st -p PORTAL and -m discoverydb ... --discover:
 * run SendTargets (discovery_run.c), then add, update and delete node
 * records as stock does (default: all three), then print what was found.
 * Records are touched only after a complete, successful answer. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "daemon_ops.h"
#include "discovery.h"
#include "discovery_int.h"
#include "discoverydb.h"
#include "err.h"
#include "idb.h"
#include "keys.h"
#include "log.h"
#include "opts.h"
#include "print.h"
#include "rec.h"

#define NODE_OPS (ADM_OP_NEW | ADM_OP_DELETE | ADM_OP_UPDATE)

struct disc_ctx {
	const struct adm_opts *o;
	struct idb *db;
	struct conf *conf;
	struct rec *drec;
	char *iname;
	const char *addr;
	int port;
	unsigned ops;
	bool drec_new;   /* built from iscsid.conf, not read from disk */
};

/* -m discovery -p PORTAL without -t prints that portal's record. */
static int disc_show_record(const struct adm_opts *o)
{
	struct idb *db = NULL;
	struct rec *r = NULL;
	int rc = idb_open(NULL, &db);

	if (rc == RC_OK)
		rc = idb_disc_read(db, o->o_addr, adm_opts_port(o), &r);
	if (rc == RC_OK)
		adm_print_record(stdout, r, o->o_show_secrets, NULL, 0);
	else if (rc == RC_NO_OBJS_FOUND) {
		log_error("Discovery record [%s,%d] not found!", o->o_addr, adm_opts_port(o));
		rc = RC_INVAL;
	}
	rec_free(r);
	if (db)
		idb_close(db);
	return rc;
}

/* RC_OK to go on with SendTargets; anything else is the command's result
 * (*done set when the command was a listing or a show that succeeded). */
static int disc_check_args(const struct adm_opts *o, bool *done)
{
	*done = false;
	if (!o->o_type) {
		*done = true;
		return o->o_addr[0] ? disc_show_record(o) : adm_discoverydb_list(o);
	}
	if (!strcmp(o->o_type, "isns") || !strcmp(o->o_type, "fw")) {
		log_error("%s discovery is not supported by this iscsiadm.",
			  !strcmp(o->o_type, "isns") ? "iSNS" : "Firmware");
		return RC_OP_NOT_SUPP;
	}
	if (!o->o_addr[0]) {
		log_error("Please specify portal as <ipaddr>[:<ipport>]");
		return RC_INVAL;
	}
	if (strcmp(o->o_type, "sendtargets") && strcmp(o->o_type, "st")) {
		/* stock's words for an unknown -t */
		log_error("Discovery record [%s,%d] not found!", o->o_addr, adm_opts_port(o));
		return RC_INVAL;
	}
	return RC_OK;
}

/* The discovery record: the stored one, else built from iscsid.conf. */
static int disc_get_drec(struct disc_ctx *c)
{
	char port[16];
	int rc = idb_disc_read(c->db, c->addr, c->port, &c->drec);

	if (rc == RC_OK)
		return RC_OK;
	if (rc != RC_NO_OBJS_FOUND)
		return rc;
	if (c->o->o_mode == ADM_MODE_DISCOVERYDB && !(c->o->o_ops & ADM_OP_NEW)) {
		log_error("Discovery record [%s,%d] not found.", c->addr, c->port);
		return RC_NO_OBJS_FOUND;
	}
	c->drec = rec_new_default(REC_DISC);
	if (!c->drec)
		return RC_NOMEM;
	conf_apply_disc(c->conf, c->drec);
	snprintf(port, sizeof(port), "%d", c->port);
	if (rec_set(c->drec, K_DISCOVERY_SENDTARGETS_ADDRESS, c->addr) ||
	    rec_set(c->drec, K_DISCOVERY_SENDTARGETS_PORT, port))
		return RC_INVAL;
	c->drec_new = true;
	return RC_OK;
}

static int disc_prepare(struct disc_ctx *c)
{
	int rc = conf_initiator_load(NULL, &c->iname);

	if (rc != RC_OK) {
		log_error("Cannot perform discovery. Initiatorname required.");
		log_error("Could not perform SendTargets discovery: %s", rc_str(RC_INVAL));
		return RC_INVAL;
	}
	rc = conf_load(NULL, &c->conf);
	if (rc != RC_OK)
		return rc;
	rc = idb_open(NULL, &c->db);
	if (rc != RC_OK)
		return rc;
	rc = disc_get_drec(c);
	if (rc != RC_OK)
		return rc;
	/* -m discovery always (re)writes the portal's record first, as stock */
	bool store = (c->drec_new || c->o->o_mode == ADM_MODE_DISCOVERY) &&
		     !(c->o->o_ops & ADM_OP_NONPERSISTENT);
	if (store && (rc = idb_disc_write(c->db, c->drec)) != RC_OK) {
		log_error("Could not add new discovery record.");
		return rc;
	}
	return RC_OK;
}

static int set_int(struct rec *r, enum key_id key, long long v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", v);
	return rec_set(r, key, buf);
}

/* A node record as discovery creates it: identity, discovery source,
 * iface, then iscsid.conf's node defaults for everything else. */
static struct rec *disc_node_new(struct disc_ctx *c, const struct st_target *t,
				 const struct st_portal *p, const char *iface)
{
	struct rec *r = rec_new(REC_NODE), *def = rec_new_default(REC_NODE), *ir = NULL;
	int bad = !r || !def;

	bad = bad || rec_set(r, K_NODE_NAME, t->stt_name) ||
	      set_int(r, K_NODE_TPGT, p->sp_tpgt) ||
	      rec_set(r, K_NODE_CONN_0_ADDRESS, p->sp_host) ||
	      set_int(r, K_NODE_CONN_0_PORT, p->sp_port) ||
	      rec_set(r, K_NODE_DISCOVERY_ADDRESS, c->addr) ||
	      set_int(r, K_NODE_DISCOVERY_PORT, c->port) ||
	      rec_set(r, K_NODE_DISCOVERY_TYPE, "send_targets") ||
	      rec_set(r, K_IFACE_ISCSI_IFACENAME, iface);
	if (!bad && strcmp(iface, IFACE_DEFAULT) && idb_iface_read(c->db, iface, &ir) == RC_OK) {
		rec_copy_iface(r, ir);
		rec_free(ir);
	}
	if (!bad) {
		conf_apply_node(c->conf, def);
		rec_merge_unset(r, def);
	}
	rec_free(def);
	if (bad) {
		rec_free(r);
		return NULL;
	}
	return r;
}

/* One record into *out, or *out NULL when the target's name or portal
 * cannot name a record (said why, and the rest of the answer goes on). */
static int disc_node_add(struct disc_ctx *c, const struct st_target *t,
			 const struct st_portal *p, const char *iface, struct rec **out)
{
	const char *why = idb_name_problem(t->stt_name);

	*out = NULL;
	if (!why)
		why = idb_name_problem(p->sp_host);
	if (!why) {
		if (!(*out = disc_node_new(c, t, p, iface)))
			return RC_NOMEM;
		if ((why = idb_node_problem(*out)) != NULL) {
			rec_free(*out);
			*out = NULL;
		}
	}
	if (why)
		log_warn("Skipping target '%s' at %s,%u: %s", t->stt_name, p->sp_host, p->sp_port, why);
	return RC_OK;
}

/* Builds every (target, portal, iface) record the answer names. */
static int disc_build_nodes(struct disc_ctx *c, const struct st_result *res,
			    struct rec ***out, size_t *n)
{
	size_t nif = c->o->o_niface ? c->o->o_niface : 1, cap = 0, k = 0;
	struct rec **v = NULL;

	for (size_t i = 0; i < res->sr_n; i++)
		cap += res->sr_targets[i].stt_n * nif;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return RC_NOMEM;
	if (res->sr_skipped)
		log_warn("Skipped %zu malformed entries of the SendTargets answer", res->sr_skipped);
	for (size_t i = 0; i < res->sr_n; i++)
		for (size_t j = 0; j < res->sr_targets[i].stt_n; j++)
			for (size_t f = 0; f < nif; f++) {
				const char *ifn = c->o->o_niface ? c->o->o_ifaces[f] : IFACE_DEFAULT;
				int rc = disc_node_add(c, &res->sr_targets[i],
						       &res->sr_targets[i].stt_portals[j], ifn, &v[k]);
				if (rc != RC_OK) {
					idb_recs_free(v, k);
					return rc;
				}
				k += v[k] != NULL;
			}
	*out = v;
	*n = k;
	return RC_OK;
}

static int same_node(const struct rec *a, const struct rec *b)
{
	static const enum key_id keys[] = { K_NODE_NAME, K_NODE_CONN_0_ADDRESS,
				      K_NODE_CONN_0_PORT, K_IFACE_ISCSI_IFACENAME };
	for (size_t i = 0; i < 4; i++)
		if (strcmp(rec_get(a, keys[i]), rec_get(b, keys[i])))
			return 0;
	return 1;
}

/* Node records this portal discovered before but which it no longer names. */
static void disc_delete_stale(struct disc_ctx *c, struct rec **fresh, size_t n)
{
	struct idb_match m = IDB_MATCH_ANY;
	struct rec **old = NULL;
	size_t nold = 0;

	if (idb_node_find(c->db, &m, &old, &nold) != RC_OK)
		return;
	for (size_t i = 0; i < nold; i++) {
		long long port = -1;
		const char *a = rec_get(old[i], K_NODE_DISCOVERY_ADDRESS);
		rec_get_int(old[i], K_NODE_DISCOVERY_PORT, &port);
		if (strcmp(rec_get(old[i], K_NODE_DISCOVERY_TYPE), "send_targets") ||
		    !a || strcmp(a, c->addr) || port != c->port)
			continue;
		size_t j = 0;
		while (j < n && !same_node(old[i], fresh[j]))
			j++;
		if (j == n)
			idb_node_delete(c->db, old[i]);
	}
	idb_recs_free(old, nold);
}

static void disc_store_nodes(struct disc_ctx *c, struct rec **nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int exists = idb_node_exists(c->db, nodes[i]) == 1;
		if (exists ? !(c->ops & ADM_OP_UPDATE) : !(c->ops & ADM_OP_NEW))
			continue;
		if (idb_node_write(c->db, nodes[i]) != RC_OK ||
		    idb_node_link_discovery(c->db, nodes[i], c->addr, c->port) != RC_OK) {
			long long port = 0, tpgt = 0;
			rec_get_int(nodes[i], K_NODE_CONN_0_PORT, &port);
			rec_get_int(nodes[i], K_NODE_TPGT, &tpgt);
			log_error("Could not add/update [tcp:[hw=,ip=,net_if=,iscsi_if=%s] %s,%lld,%lld %s]",
				  rec_get(nodes[i], K_IFACE_ISCSI_IFACENAME),
				  rec_get(nodes[i], K_NODE_CONN_0_ADDRESS), port, tpgt,
				  rec_get(nodes[i], K_NODE_NAME));
		}
	}
}

static void disc_print(const struct adm_opts *o, struct rec **nodes, size_t n)
{
	if (o->o_print >= 1)
		adm_print_node_tree(stdout, nodes, n, 0);
	else
		for (size_t i = 0; i < n; i++)
			adm_print_node_flat(stdout, nodes[i]);
}

static int disc_apply(struct disc_ctx *c, const struct st_result *res)
{
	struct rec **nodes = NULL;
	size_t n = 0;
	int rc = disc_build_nodes(c, res, &nodes, &n);

	if (rc != RC_OK)
		return rc;
	if (!(c->o->o_ops & ADM_OP_NONPERSISTENT)) {
		idb_lock(c->db);
		if (c->ops & ADM_OP_DELETE)
			disc_delete_stale(c, nodes, n);
		disc_store_nodes(c, nodes, n);
		idb_unlock(c->db);
	}
	disc_print(c->o, nodes, n);
	/* -l: log in to what was found, through iscsid like -m node --login */
	if (c->o->o_login)
		rc = adm_node_login(c->o, nodes, n);
	idb_recs_free(nodes, n);
	return rc;
}

static void disc_ctx_free(struct disc_ctx *c)
{
	rec_free(c->drec);
	conf_free(c->conf);
	if (c->db)
		idb_close(c->db);
	free(c->iname);
}

int adm_discovery_run(const struct adm_opts *o)
{
	struct disc_ctx c = { .o = o, .addr = o->o_addr };
	struct st_result res = { 0 };
	bool done;
	int rc = disc_check_args(o, &done);

	if (rc != RC_OK || done)
		return rc;
	c.port = adm_opts_port(o);
	c.ops = o->o_ops & NODE_OPS;
	if (!c.ops)  /* stock: no -o means new, update and delete */
		c.ops = NODE_OPS;
	rc = disc_prepare(&c);
	if (rc == RC_OK) {
		rc = disc_sendtargets(c.drec, c.iname, c.addr, c.port, &res);
		if (rc != RC_OK)
			log_error("Could not perform SendTargets discovery: %s", rc_str(rc));
	}
	if (rc == RC_OK && res.sr_n == 0) {
		log_error("No portals found");
		rc = RC_NO_OBJS_FOUND;
	}
	if (rc == RC_OK)
		rc = disc_apply(&c, &res);
	st_result_free(&res);
	disc_ctx_free(&c);
	return rc;
}
