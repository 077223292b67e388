/* iscsiadm -m fw [-l] and firmware discovery (-m discovery -t fw,
 * -m discoverydb -t fw -D): the boot targets of the iBFT (fw_ibft.c)
 * printed, logged in to, or turned into node records with
 * node.discovery_type = fw, as stock 2.1.8 does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon_ops.h"
#include "err.h"
#include "fw.h"
#include "fw_ibft.h"
#include "idb.h"
#include "keys.h"
#include "log.h"
#include "print.h"
#include "rec.h"
#include "usr_sysfs.h"

#define NODE_OPS (ADM_OP_NEW | ADM_OP_DELETE | ADM_OP_UPDATE)

static int fw_targets(struct fw_boot **v, size_t *n)
{
	int rc = fw_ibft_read(usr_sysfs_root(), v, n);

	if (rc != RC_OK)
		log_error("Could not get list of targets from firmware. (err %d)", rc);
	return rc;
}

/* A node record for one firmware target: built-in defaults, iscsid.conf,
 * then what the firmware says. NULL when out of memory or unusable. */
static struct rec *fw_node(const struct conf *c, const struct fw_boot *b)
{
	struct rec *r = rec_new_default(REC_NODE);

	if (!r)
		return NULL;
	if (c)
		conf_apply_node(c, r);
	if (fw_boot_to_node(b, r) != RC_OK) {
		log_error("Could not convert firmware info to node record.");
		rec_free(r);
		return NULL;
	}
	return r;
}

/* The interface keys come from the firmware and cannot be overridden. */
static int fw_params_allowed(const struct adm_opts *o)
{
	for (size_t i = 0; i < o->o_nname; i++)
		if (!strcmp(o->o_names[i], keys_name(K_IFACE_NET_IFACENAME)) ||
		    !strcmp(o->o_names[i], keys_name(K_IFACE_HWADDRESS)) ||
		    !strcmp(o->o_names[i], keys_name(K_IFACE_TRANSPORT_NAME))) {
			log_error("Cannot override interface parameters for firmware logins");
			return 0;
		}
	return 1;
}

/* -n/-v over the record, then stock's boot defaults for what the user
 * left alone: 30 initial login retries, no NOPs, scan auto. */
static int fw_login_params(const struct adm_opts *o, struct rec *r)
{
	static const struct { enum key_id key; const char *val; } boot[] = {
		{ K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX, "30" },
		{ K_NODE_CONN_0_TIMEO_NOOP_OUT_INTERVAL, "0" },
		{ K_NODE_CONN_0_TIMEO_NOOP_OUT_TIMEOUT, "0" },
		{ K_NODE_SESSION_SCAN, "auto" },
	};
	size_t pairs = o->o_nname < o->o_nvalue ? o->o_nname : o->o_nvalue;

	if (!fw_params_allowed(o))
		return RC_INVAL;
	for (size_t i = 0; i < sizeof(boot) / sizeof(boot[0]); i++)
		rec_set(r, boot[i].key, boot[i].val);
	for (size_t i = 0; i < pairs; i++)
		if (rec_set_name(r, o->o_names[i], o->o_values[i]) != RC_OK)
			return RC_INVAL;
	return RC_OK;
}

/* -m fw -l: one login per target; stock's exit code reflects only the
 * building of the records, not the logins. */
static int fw_login(const struct adm_opts *o, const struct fw_boot *v, size_t n)
{
	struct conf *c = NULL;
	int rc = RC_OK;

	conf_load(NULL, &c);
	for (size_t i = 0; i < n && rc == RC_OK; i++) {
		struct rec *r = fw_node(c, &v[i]);

		if (!r) {
			rc = RC_NOMEM;
			break;
		}
		rc = fw_login_params(o, r);
		if (rc != RC_OK)
			log_error("Could not merge user params");
		else
			adm_login_each(&r, 1);
		rec_free(r);
	}
	conf_free(c);
	return rc;
}

int adm_fw_run(const struct adm_opts *o)
{
	struct fw_boot *v = NULL;
	size_t n = 0;
	int rc = fw_targets(&v, &n);

	if (rc != RC_OK)
		return rc;
	if (o->o_login)
		rc = fw_login(o, v, n);
	else
		for (size_t i = 0; i < n; i++)
			fw_boot_print(stdout, &v[i]);
	free(v);
	return rc;
}

struct fw_auto {
	struct rec **fa_out;
	size_t fa_n;
	int fa_tcp;	/* the tcp transport is loaded */
};

/* Software (tcp) ifaces of ifaces/, the built-ins aside. */
static int fw_auto_cb(struct rec *r, void *arg)
{
	struct fw_auto *a = arg;
	const char *name = rec_get(r, K_IFACE_ISCSI_IFACENAME);
	const char *t = rec_get(r, K_IFACE_TRANSPORT_NAME);

	if (a->fa_n < ADM_MAX_IFACES && a->fa_tcp && name && !idb_iface_is_builtin(name) &&
	    t && !strcmp(t, "tcp"))
		a->fa_out[a->fa_n++] = rec_dup(r);
	return 0;
}

/* The ifaces -I names that can be read (stock drops the others with a
 * message). When none is left, every software iface of ifaces/ (as a
 * SendTargets discovery binds them); none there means the default. */
static size_t fw_ifaces(struct idb *db, const struct adm_opts *o, struct rec **out)
{
	size_t k = 0;
	char *dir = NULL;

	/* stock's iface lookup leaves an (empty) ifaces directory behind */
	if (o->o_niface && asprintf(&dir, "%s/ifaces", db->db_root) >= 0)
		idb_mkdirs(dir);
	free(dir);
	for (size_t i = 0; i < o->o_niface; i++) {
		if (idb_iface_read(db, o->o_ifaces[i], &out[k]) == RC_OK) {
			k++;
			continue;
		}
		log_error("Could not read iface info for %s. Make sure an iface config with the "
			  "file name and %s %s is in %s/ifaces.", o->o_ifaces[i],
			  keys_name(K_IFACE_ISCSI_IFACENAME), o->o_ifaces[i], db->db_root);
	}
	if (!k) {
		struct fw_auto a = { out, 0, usr_sysfs_exists(usr_sysfs_root(),
							    "class/iscsi_transport/tcp") };
		size_t seen = 0;

		idb_iface_foreach(db, fw_auto_cb, &a, &seen);
		k = a.fa_n;
	}
	return k;
}

/* Every (target, iface) record, discovery source "fw". */
static int fw_disc_recs(struct rec **ifs, size_t nif, const struct fw_boot *v,
			size_t n, struct rec ***out, size_t *nout)
{
	size_t k = 0;
	struct conf *c = NULL;
	struct rec **recs = calloc(n * (nif ? nif : 1), sizeof(*recs));
	int rc = recs ? RC_OK : RC_NOMEM;

	conf_load(NULL, &c);
	for (size_t i = 0; i < n && rc == RC_OK; i++)
		for (size_t f = 0; f < (nif ? nif : 1) && rc == RC_OK; f++) {
			struct rec *r = fw_node(c, &v[i]);

			if (!r) {
				rc = RC_NOMEM;
				break;
			}
			if (nif)
				rec_copy_iface(r, ifs[f]);
			rec_set(r, K_NODE_DISCOVERY_TYPE, "fw");
			rec_set(r, K_NODE_DISCOVERY_PORT, "0");
			recs[k++] = r;
		}
	conf_free(c);
	*out = recs;
	*nout = k;
	return rc;
}

static int fw_same_node(const struct rec *a, const struct rec *b)
{
	static const enum key_id keys[] = { K_NODE_NAME, K_NODE_CONN_0_ADDRESS,
					    K_NODE_CONN_0_PORT, K_IFACE_ISCSI_IFACENAME };

	for (size_t i = 0; i < 4; i++)
		if (strcmp(rec_get(a, keys[i]), rec_get(b, keys[i])))
			return 0;
	return 1;
}

/* Firmware records the firmware no longer names. */
static void fw_delete_stale(struct idb *db, struct rec **fresh, size_t n)
{
	struct idb_match m = IDB_MATCH_ANY;
	struct rec **old = NULL;
	size_t nold = 0;

	if (idb_node_find(db, &m, &old, &nold) != RC_OK)
		return;
	for (size_t i = 0; i < nold; i++) {
		const char *t = rec_get(old[i], K_NODE_DISCOVERY_TYPE);
		size_t j = 0;

		if (!t || strcmp(t, "fw"))
			continue;
		while (j < n && !fw_same_node(old[i], fresh[j]))
			j++;
		if (j == n)
			idb_node_delete(db, old[i]);
	}
	idb_recs_free(old, nold);
}

/* New records are added; existing ones are replaced only with update,
 * and then start at boot (stock's rule for firmware records). */
static void fw_store(struct idb *db, struct rec **recs, size_t n, unsigned ops)
{
	for (size_t i = 0; i < n; i++) {
		int exists = idb_node_exists(db, recs[i]) == 1;

		if (exists && !(ops & ADM_OP_UPDATE))
			continue;
		if (exists) {
			rec_set(recs[i], K_NODE_STARTUP, "onboot");
			rec_set(recs[i], K_NODE_CONN_0_STARTUP, "onboot");
		}
		if (idb_node_write(db, recs[i]) != RC_OK)
			log_error("Could not add/update [%s:[hw=%s,ip=%s,net_if=%s,iscsi_if=%s] %s,%s,1 %s]",
				  rec_get(recs[i], K_IFACE_TRANSPORT_NAME),
				  rec_get(recs[i], K_IFACE_HWADDRESS), rec_get(recs[i], K_IFACE_IPADDRESS),
				  rec_get(recs[i], K_IFACE_NET_IFACENAME),
				  rec_get(recs[i], K_IFACE_ISCSI_IFACENAME),
				  rec_get(recs[i], K_NODE_CONN_0_ADDRESS),
				  rec_get(recs[i], K_NODE_CONN_0_PORT), rec_get(recs[i], K_NODE_NAME));
	}
}

static void fw_disc_print(const struct adm_opts *o, struct rec **recs, size_t n)
{
	if (o->o_print <= 0)
		for (size_t i = 0; i < n; i++)
			adm_print_node_flat(stdout, recs[i]);
	else if (o->o_print == 1)
		adm_print_node_tree(stdout, recs, n, 0);
}

int adm_fw_discover(const struct adm_opts *o)
{
	unsigned ops = o->o_ops ? o->o_ops : NODE_OPS;	/* none given: all three */
	struct rec *ifs[ADM_MAX_IFACES], **recs = NULL;
	struct fw_boot *v = NULL;
	struct idb *db = NULL;
	size_t n = 0, nrec = 0, nif;
	int rc = idb_open(NULL, &db);

	if (rc != RC_OK)
		return rc;
	nif = fw_ifaces(db, o, ifs);	/* stock reads -I before the firmware */
	rc = fw_targets(&v, &n);
	if (rc != RC_OK && o->o_niface)
		log_error("Could not perform fw discovery.");
	if (rc == RC_OK)
		rc = fw_disc_recs(ifs, nif, v, n, &recs, &nrec);
	if (rc == RC_OK && idb_lock(db) == RC_OK) {
		if (ops & ADM_OP_DELETE)
			fw_delete_stale(db, recs, nrec);
		if (ops & (ADM_OP_NEW | ADM_OP_UPDATE))
			fw_store(db, recs, nrec, ops);
		idb_unlock(db);
	}
	if (rc == RC_OK) {
		fw_disc_print(o, recs, nrec);
		if (o->o_login)
			rc = adm_login_each(recs, nrec);
	}
	idb_recs_free(recs, nrec);
	for (size_t f = 0; f < nif; f++)
		rec_free(ifs[f]);
	free(v);
	idb_close(db);
	return rc;
}

int adm_fw_discoverydb(const struct adm_opts *o)
{
	if (o->o_discover)
		return adm_fw_discover(o);
	log_error("Invalid command. Possibly missing --discover argument.");
	return RC_INVAL;
}
