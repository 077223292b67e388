/* iscsiadm -m iface. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "host.h"
#include "iface.h"
#include "idb.h"
#include "log.h"
#include "print.h"
#include "rec.h"
#include "recupd.h"
#include "usr_sysfs.h"

static int flat_cb(struct rec *r, void *arg)
{
	(void)arg;
	adm_print_iface_flat(stdout, r);
	return 0;
}

/* -P 1: each iface with the node records bound to it. */
static int tree_cb(struct rec *r, void *arg)
{
	struct idb_match m = IDB_MATCH_ANY;
	struct rec **recs = NULL;
	const char *name = rec_get(r, K_IFACE_ISCSI_IFACENAME);
	const char *prev = NULL;
	size_t n = 0;

	printf("Iface: %s\n", name);
	m.m_iface = name;
	if (idb_node_find(arg, &m, &recs, &n) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = rec_get(recs[i], K_NODE_NAME);
		long long port = 0, tpgt = -1;

		if (!prev || strcmp(prev, t))
			printf("\tTarget: %s\n", t);
		prev = t;
		rec_get_int(recs[i], K_NODE_CONN_0_PORT, &port);
		rec_get_int(recs[i], K_NODE_TPGT, &tpgt);
		printf("\t\tPortal: ");
		adm_print_portal(stdout, rec_get(recs[i], K_NODE_CONN_0_ADDRESS), port);
		printf(",%lld\n", tpgt);
	}
	idb_recs_free(recs, n);
	return 0;
}

static int iface_list(struct idb *db, const struct adm_opts *o)
{
	size_t n = 0;

	if (o->o_print > 1) {
		log_error("Invalid info level %d. Try 0 - 1.", o->o_print);
		return RC_INVAL;
	}
	if (o->o_print == 1) {
		struct idb_match m = IDB_MATCH_ANY;
		size_t nodes = 0;

		/* stock's tree is empty, without error, when no node exists */
		idb_node_foreach(db, &m, NULL, NULL, &nodes);
		if (!nodes)
			return RC_OK;
	}
	idb_iface_foreach(db, o->o_print == 1 ? tree_cb : flat_cb, db, &n);
	if (!n) {
		log_error("No interfaces found.");
		return RC_NO_OBJS_FOUND;
	}
	return RC_OK;
}

static int iface_new(struct idb *db, const char *name)
{
	struct rec *r;
	int rc;

	if (idb_iface_is_builtin(name)) {
		log_error("iface %s is a special interface and is not stored in %s/ifaces.",
			  name, db->db_root);
		log_error("Could not create new interface %s.", name);
		return RC_INVAL;
	}
	r = rec_new_default(REC_IFACE);
	if (!r)
		return RC_NOMEM;
	rc = rec_set(r, K_IFACE_ISCSI_IFACENAME, name);
	if (rc == RC_OK)
		rc = idb_iface_write(db, r);
	rec_free(r);
	if (rc != RC_OK) {
		log_error("Could not create new interface %s.", name);
		return rc;
	}
	/* stock prints both lines */
	printf("%s updated.\nNew interface %s added\n", name, name);
	return RC_OK;
}

/* Deleting an iface also deletes the node records bound to it. */
static int iface_delete(struct idb *db, const char *name)
{
	struct idb_match m = IDB_MATCH_ANY;
	struct rec **recs = NULL, *r = NULL;
	size_t n = 0;
	int rc;

	if (idb_iface_is_builtin(name)) {
		log_error("iface %s is a special interface and cannot be deleted.", name);
		log_error("Could not delete iface %s: %s", name, rc_str(RC_INVAL));
		return RC_INVAL;
	}
	if (idb_iface_read(db, name, &r) != RC_OK) {
		log_error("Could not read iface info for %s.", name);
		log_error("Could not delete iface %s: %s", name, rc_str(RC_INVAL));
		return RC_INVAL;
	}
	rec_free(r);
	m.m_iface = name;
	if (idb_node_find(db, &m, &recs, &n) == RC_OK) {
		for (size_t i = 0; i < n; i++)
			idb_node_delete(db, recs[i]);
		idb_recs_free(recs, n);
	}
	rc = idb_iface_delete(db, name);
	if (rc != RC_OK) {
		log_error("Could not delete iface %s: %s", name, rc_str(rc));
		return rc;
	}
	printf("%s unbound and deleted.\n", name);
	return RC_OK;
}

/* The node records bound to the iface carry its settings: stock rewrites
 * them with the same -n/-v pairs. */
static int iface_update_nodes(struct idb *db, const struct adm_opts *o, const char *name)
{
	struct idb_match m = IDB_MATCH_ANY;
	struct rec **recs = NULL;
	size_t n = 0;
	int tail, rc;

	m.m_iface = name;
	rc = idb_node_find(db, &m, &recs, &n);
	if (rc == RC_NO_OBJS_FOUND)
		return RC_OK;
	for (size_t i = 0; i < n && rc == RC_OK; i++) {
		rc = adm_update_apply(recs[i], o, ADM_MODE_IFACE, &tail);
		if (rc == RC_OK)
			rc = idb_node_write(db, recs[i]);
	}
	idb_recs_free(recs, n);
	return rc;
}

static int iface_update(struct idb *db, const struct adm_opts *o, struct rec *r, const char *name)
{
	int tail, rc = adm_update_args(o);

	if (rc == RC_OK && idb_iface_is_builtin(name)) {
		log_error("iface %s is a special interface and cannot be modified.", name);
		rc = RC_INVAL;
	}
	if (rc == RC_OK)
		rc = adm_update_apply(r, o, ADM_MODE_IFACE, &tail);
	if (rc == RC_OK)
		rc = idb_iface_write(db, r);
	if (rc == RC_OK)
		rc = iface_update_nodes(db, o, name);
	if (rc == RC_OK)
		printf("%s updated.\n", name);
	else
		log_error("Could not update iface %s: %s", name, rc_str(rc));
	return rc;
}

/* An operation that needs -I without one: stock's words and codes. */
static int iface_no_name(const struct adm_opts *o)
{
	if (o->o_ops & ADM_OP_NEW) {
		log_error("Could not add interface. No interface passed in.");
		return RC_SYSFS_LOOKUP;	/* stock exits 22 (EINVAL's errno) */
	}
	if (o->o_ops & ADM_OP_DELETE)
		log_error("Could not delete interface. No interface passed in.");
	else
		log_error("Update requires name, value, and iface.");
	return RC_INVAL;
}

static int iface_one(struct idb *db, const struct adm_opts *o, const char *name)
{
	struct rec *r = NULL;
	int rc;

	if (o->o_ops & ADM_OP_NEW)
		return iface_new(db, name);
	if (o->o_ops & ADM_OP_DELETE)
		return iface_delete(db, name);
	if (o->o_ops & ADM_OP_NONPERSISTENT)
		return RC_INVAL;	/* stock: no such operation here, exit 7, no message */
	rc = idb_iface_read(db, name, &r);
	if (rc != RC_OK) {
		log_error("Could not read iface info for %s.", name);
		/* stock: show exits 6 (os-brick expects it), update 7 */
		return (o->o_ops & ADM_OP_UPDATE) ? RC_INVAL : RC_IDBM;
	}
	if (o->o_ops & ADM_OP_UPDATE)
		rc = iface_update(db, o, r, name);
	else
		adm_print_record(stdout, r, o->o_show_secrets, NULL, 0);
	rec_free(r);
	return rc;
}

/* Stock makes the ifaces directory first thing in iface mode. */
static void iface_dir(struct idb *db)
{
	char *dir = NULL;

	if (asprintf(&dir, "%s/ifaces", db->db_root) >= 0)
		idb_mkdirs(dir);
	free(dir);
}

/* apply, applyall and ping; -1 when the command is none of them. */
static int iface_netcfg(struct idb *db, const struct adm_opts *o, uint32_t host)
{
	const char *sub = o->o_submode;

	if (sub && !strcmp(sub, "ping"))
		return adm_iface_ping(db, o);
	if (!(o->o_ops & (ADM_OP_APPLY | ADM_OP_APPLY_ALL)))
		return -1;
	if (o->o_ops == ADM_OP_APPLY)
		return adm_iface_apply(db, o);
	if (o->o_ops == ADM_OP_APPLY_ALL)
		return adm_iface_applyall(db, host);
	return RC_INVAL;	/* stock refuses apply mixed with another -o, silently */
}

/* Records and listing: show, new, update, delete. */
static int iface_records(struct idb *db, const struct adm_opts *o)
{
	int rc;

	if (!o->o_niface)
		return (o->o_ops & ~ADM_OP_SHOW) ? iface_no_name(o) : iface_list(db, o);
	if (idb_lock(db) != RC_OK)
		return RC_IDBM;
	rc = iface_one(db, o, o->o_ifaces[0]);
	idb_unlock(db);
	return rc;
}

int adm_iface_run(const struct adm_opts *o)
{
	struct idb *db = NULL;
	uint32_t host = 0;
	int rc = adm_host_parse(usr_sysfs_root(), o->o_host, &host);

	if (rc != RC_OK)
		return rc;
	rc = idb_open(NULL, &db);
	if (rc != RC_OK)
		return rc;
	iface_dir(db);
	rc = iface_netcfg(db, o, host);
	if (rc < 0)	/* neither apply, applyall nor ping */
		rc = iface_records(db, o);
	idb_close(db);
	return rc;
}
