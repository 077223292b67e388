/* iscsiadm -m discoverydb. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "discovery.h"
#include "discoverydb.h"
#include "err.h"
#include "idb.h"
#include "log.h"
#include "print.h"
#include "rec.h"
#include "recupd.h"

static int flat_cb(struct rec *r, void *arg)
{
	long long port = ISCSI_PORT_DEFAULT;

	(void)arg;
	rec_get_int(r, K_DISCOVERY_SENDTARGETS_PORT, &port);
	adm_print_portal(stdout, rec_get(r, K_DISCOVERY_SENDTARGETS_ADDRESS), port);
	printf(" via sendtargets\n");
	return 0;
}

/* All node records, read once for the whole -P 1 listing. */
struct node_set {
	struct rec **ns_recs;
	size_t ns_n;
};

/* Prints the node records whose discovery fields (or a static type) select
 * them; returns how many. */
static int node_tree_where(const struct node_set *ns, const char *type, const char *addr,
			   long long port)
{
	struct rec **keep = calloc(ns->ns_n ? ns->ns_n : 1, sizeof(*keep));
	size_t k = 0;

	for (size_t i = 0; keep && i < ns->ns_n; i++) {
		struct rec *r = ns->ns_recs[i];
		long long p = -1;
		const char *a = rec_get(r, K_NODE_DISCOVERY_ADDRESS);

		rec_get_int(r, K_NODE_DISCOVERY_PORT, &p);
		if (strcmp(rec_get(r, K_NODE_DISCOVERY_TYPE), type))
			continue;
		if (addr && (!a || strcmp(a, addr) || p != port))
			continue;
		keep[k++] = r;
	}
	adm_print_node_tree(stdout, keep, k, 0);
	free(keep);
	return (int)k;
}

static int tree_cb(struct rec *r, void *arg)
{
	long long port = ISCSI_PORT_DEFAULT;
	const char *addr = rec_get(r, K_DISCOVERY_SENDTARGETS_ADDRESS);

	rec_get_int(r, K_DISCOVERY_SENDTARGETS_PORT, &port);
	printf("DiscoveryAddress: %s,%lld\n", addr, port);
	node_tree_where(arg, "send_targets", addr, port);
	return 0;
}

int adm_discoverydb_list(const struct adm_opts *o)
{
	struct idb *db = NULL;
	size_t n = 0, k;
	int rc;

	rc = idb_open(NULL, &db);
	if (rc != RC_OK)
		return rc;
	if (o->o_print >= 1) {	/* stock takes any level above 0 */
		struct idb_match m = IDB_MATCH_ANY;
		struct node_set ns = { NULL, 0 };

		idb_node_find(db, &m, &ns.ns_recs, &ns.ns_n);
		printf("SENDTARGETS:\n");
		idb_disc_foreach(db, tree_cb, &ns, &n);
		if (!n)
			printf("No targets found.\n");
		printf("iSNS:\nNo targets found.\nSTATIC:\n");
		/* stock counts every section: static records alone make it a success */
		k = (size_t)node_tree_where(&ns, "static", NULL, 0);
		if (!k)
			printf("No targets found.\n");
		n += k;
		printf("FIRMWARE:\n");
		k = (size_t)node_tree_where(&ns, "fw", NULL, 0);
		if (!k)
			printf("No targets found.\n");
		n += k;
		idb_recs_free(ns.ns_recs, ns.ns_n);
	} else {
		idb_disc_foreach(db, flat_cb, NULL, &n);
	}
	idb_close(db);
	return n ? RC_OK : RC_NO_OBJS_FOUND;
}

static void not_found(const struct adm_opts *o)
{
	log_error("Discovery record [%s,%d] not found.", o->o_addr, adm_opts_port(o));
}

static int disc_new(struct idb *db, const struct adm_opts *o)
{
	struct rec *r = rec_new_default(REC_DISC);
	struct conf *c = NULL;
	char port[16];
	int rc;

	if (!r)
		return RC_NOMEM;
	if (conf_load(NULL, &c) == RC_OK)
		conf_apply_disc(c, r);
	conf_free(c);
	snprintf(port, sizeof(port), "%d", adm_opts_port(o));
	rec_set(r, K_DISCOVERY_SENDTARGETS_ADDRESS, o->o_addr);
	rec_set(r, K_DISCOVERY_SENDTARGETS_PORT, port);
	rc = idb_disc_write(db, r);
	if (rc == RC_OK)
		printf("New discovery record for [%s,%d] added.\n", o->o_addr, adm_opts_port(o));
	else
		log_error("Error while adding record: %s", rc_str(rc));
	rec_free(r);
	return rc;
}

static int disc_update(struct idb *db, const struct adm_opts *o, struct rec *r)
{
	int tail, rc = adm_update_args(o);

	if (rc == RC_OK)
		rc = adm_update_apply(r, o, ADM_MODE_DISCOVERYDB, &tail);
	if (rc == RC_OK)
		rc = idb_disc_write(db, r);
	return rc;
}

/* Deletes the nodes found through this portal, then the record. */
static int disc_delete(struct idb *db, const struct adm_opts *o)
{
	struct rec **recs = NULL;
	size_t n = 0;
	int rc = idb_lock(db);

	if (rc != RC_OK)
		return rc;
	if (idb_disc_nodes(db, o->o_addr, adm_opts_port(o), &recs, &n) == RC_OK) {
		for (size_t i = 0; i < n; i++)
			idb_node_delete(db, recs[i]);
		idb_recs_free(recs, n);
	}
	rc = idb_disc_delete(db, o->o_addr, adm_opts_port(o));
	idb_unlock(db);
	return rc;
}

static int disc_on_record(struct idb *db, const struct adm_opts *o)
{
	struct rec *r = NULL;
	int rc = idb_lock(db);	/* read-modify-write */

	if (rc != RC_OK)
		return rc;
	rc = idb_disc_read(db, o->o_addr, adm_opts_port(o), &r);
	if (rc == RC_NO_OBJS_FOUND) {
		not_found(o);
		rc = RC_IDBM;	/* stock: exit 6 */
	}
	if (rc != RC_OK) {
		idb_unlock(db);
		return rc;
	}
	if (o->o_ops & ~(unsigned)(ADM_OP_DELETE | ADM_OP_UPDATE | ADM_OP_SHOW)) {
		log_error("Operation is not supported.");	/* stock: once the record is found */
		rc = RC_INVAL;
	} else if (o->o_ops & ADM_OP_UPDATE)
		rc = disc_update(db, o, r);
	else if (o->o_ops & ADM_OP_DELETE)
		rc = disc_delete(db, o);
	else
		adm_print_record(stdout, r, o->o_show_secrets, NULL, 0);	/* -n: ignored, as stock */
	rec_free(r);
	idb_unlock(db);
	return rc;
}

static int is_st(const char *t)
{
	return t && (!strcmp(t, "st") || !strcmp(t, "sendtargets"));
}

/* Stock's argument checks, in stock's order. */
static int check_args(const struct adm_opts *o)
{
	if (!o->o_type && o->o_portal) {
		/* stock's two wordings: with or without an operation */
		log_error("Invalid command. %sPossibly missing discovery --type.",
			  o->o_ops ? "" : "Portal not needed or ");
		return RC_INVAL;
	}
	if (!o->o_type) {
		log_error("Invalid operation. Operation not supported.");
		return RC_INVAL;
	}
	if (!strcmp(o->o_type, "isns") && o->o_portal && !(o->o_ops & ADM_OP_NEW)) {
		not_found(o);	/* no iSNS record is ever kept here */
		return RC_IDBM;
	}
	if (!is_st(o->o_type)) {
		log_error("Discovery type %s is not supported here.", o->o_type);
		return RC_OP_NOT_SUPP;
	}
	if (!o->o_portal) {
		log_error("Please specify portal as <ipaddr>[:<ipport>]");
		return RC_INVAL;
	}
	return RC_OK;
}

int adm_discoverydb_run(const struct adm_opts *o)
{
	struct idb *db = NULL;
	int rc;

	if (o->o_discover)
		return adm_discovery_run(o);
	if (!o->o_type && !o->o_portal && !(o->o_ops & ~ADM_OP_SHOW))
		return adm_discoverydb_list(o);
	rc = check_args(o);
	if (rc != RC_OK)
		return rc;

	rc = idb_open(NULL, &db);
	if (rc != RC_OK)
		return rc;
	if (o->o_ops & ADM_OP_NEW)
		rc = disc_new(db, o);
	else
		rc = disc_on_record(db, o);
	idb_close(db);
	return rc;
}
