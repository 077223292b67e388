/* Record database: SendTargets discovery records (send_targets/) and iface
 * records (ifaces/, plus the two built-ins stock always has). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "keys.h"
#include "err.h"
#include "idb.h"
#include "log.h"

char *idb_disc_path(const struct idb *db, const char *addr, int port)
{
	char *p = NULL;

	if (asprintf(&p, "%s/send_targets/%s,%d/st_config", db->db_root, addr, port) < 0)
		return NULL;
	return p;
}

/* Writes text to path after creating its directory, under the lock. */
static int write_locked(struct idb *db, const char *path, const struct rec *r)
{
	char *dir = strdup(path), *text = rec_format(r, REC_FMT_FILE), *slash;
	int rc = RC_NOMEM;

	if (dir && text && (slash = strrchr(dir, '/'))) {
		*slash = '\0';
		rc = idb_lock(db);
		if (rc == RC_OK) {
			rc = idb_mkdirs(dir);
			if (rc == RC_OK)
				rc = idb_file_write(db, path, text);
			idb_unlock(db);
		}
	}
	free(dir);
	free(text);
	return rc;
}

int idb_disc_read(struct idb *db, const char *addr, int port, struct rec **out)
{
	char *path = idb_disc_path(db, addr, port);
	int rc = path ? idb_rec_read(path, REC_DISC, out) : RC_NOMEM;

	free(path);
	return rc;
}

int idb_disc_write(struct idb *db, const struct rec *r)
{
	const char *addr = rec_get(r, K_DISCOVERY_SENDTARGETS_ADDRESS);
	long long port = ISCSI_PORT_DEFAULT;
	char *path;
	int rc;

	rec_get_int(r, K_DISCOVERY_SENDTARGETS_PORT, &port);
	if (!addr || !*addr || strchr(addr, '/') || !strcmp(addr, ".") || !strcmp(addr, ".."))
		return RC_INVAL;
	path = idb_disc_path(db, addr, (int)port);
	if (!path)
		return RC_NOMEM;
	rc = write_locked(db, path, r);
	free(path);
	return rc;
}

/* Deletes st_config, the links to discovered nodes and the directory; the
 * node records themselves are the caller's business (as in stock). */
int idb_disc_delete(struct idb *db, const char *addr, int port)
{
	char *dir = NULL;
	struct dirent *de;
	DIR *d;
	int rc;

	if (asprintf(&dir, "%s/send_targets/%s,%d", db->db_root, addr, port) < 0)
		return RC_NOMEM;
	rc = idb_lock(db);
	if (rc == RC_OK) {
		d = opendir(dir);
		if (!d)
			rc = errno == ENOENT ? RC_NO_OBJS_FOUND : RC_IDBM;
		while (d && (de = readdir(d))) {
			if (de->d_name[0] != '.')
				unlinkat(dirfd(d), de->d_name, 0);
		}
		if (d) {
			closedir(d);
			if (rmdir(dir))
				rc = RC_IDBM;
		}
		idb_unlock(db);
	}
	free(dir);
	return rc;
}

/* Splits "<addr>,<port>" (addr may hold colons, never commas). */
static int split_portal_dir(const char *name, char *addr, size_t len, int *port)
{
	const char *comma = strrchr(name, ',');

	if (!comma || (size_t)(comma - name) >= len)
		return RC_INVAL;
	memcpy(addr, name, (size_t)(comma - name));
	addr[comma - name] = '\0';
	*port = atoi(comma + 1);
	return RC_OK;
}

/* Reads one entry of a record directory into *out; anything else skips it. */
typedef int (*ent_read_fn)(struct idb *db, const char *name, struct rec **out);

/* Visits the records of <root>/<sub> in name order; counts into *found.
 * Returns the callback's non-zero stop value, else 0. */
static int foreach_ent(struct idb *db, const char *sub, ent_read_fn rd,
		       idb_rec_fn fn, void *arg, size_t *found)
{
	struct dirent **ents = NULL;
	char *dir = NULL;
	int n, stop = 0;

	if (asprintf(&dir, "%s/%s", db->db_root, sub) < 0)
		return RC_NOMEM;
	n = idb_list_dir(dir, &ents);
	for (int i = 0; i < n && !stop; i++) {
		struct rec *r = NULL;

		if (rd(db, ents[i]->d_name, &r) == RC_OK) {
			(*found)++;
			stop = fn ? fn(r, arg) : 0;
			rec_free(r);
		}
	}
	idb_ents_free(ents, n);
	free(dir);
	return stop;
}

static int read_disc_ent(struct idb *db, const char *name, struct rec **out)
{
	char addr[256];
	int port;

	if (split_portal_dir(name, addr, sizeof(addr), &port) != RC_OK)
		return RC_INVAL;
	return idb_disc_read(db, addr, port, out);
}

int idb_disc_foreach(struct idb *db, idb_rec_fn fn, void *arg, size_t *nfound)
{
	size_t found = 0;
	int stop = foreach_ent(db, "send_targets", read_disc_ent, fn, arg, &found);

	if (nfound)
		*nfound = found;
	return stop;
}

/* Link names are "<target>,<addr>,<port>,<tpgt>,<iface>"; the target may
 * hold commas, so fields are taken from the right. */
static int parse_link_name(char *name, struct idb_match *m)
{
	char *f[4];

	for (int i = 3; i >= 0; i--) {
		char *c = strrchr(name, ',');

		if (!c)
			return RC_INVAL;
		*c = '\0';
		f[i] = c + 1;
	}
	m->m_target = name;
	m->m_addr = f[0];
	m->m_port = atoi(f[1]);
	m->m_tpgt = atoi(f[2]);
	m->m_iface = f[3];
	return RC_OK;
}

int idb_disc_nodes(struct idb *db, const char *addr, int port, struct rec ***out, size_t *n)
{
	struct dirent **ents = NULL;
	struct rec **all = NULL;
	char *dir = NULL;
	size_t cnt = 0;
	int ne;

	if (asprintf(&dir, "%s/send_targets/%s,%d", db->db_root, addr, port) < 0)
		return RC_NOMEM;
	ne = idb_list_dir(dir, &ents);
	for (int i = 0; i < ne; i++) {
		struct idb_match m;
		struct rec **got = NULL, **grown;
		size_t ng = 0;

		if (strcmp(ents[i]->d_name, "st_config") &&
		    parse_link_name(ents[i]->d_name, &m) == RC_OK &&
		    idb_node_find(db, &m, &got, &ng) == RC_OK) {
			grown = realloc(all, (cnt + ng) * sizeof(*all));
			if (grown) {
				all = grown;
				memcpy(all + cnt, got, ng * sizeof(*got));
				cnt += ng;
				free(got);
			} else {
				idb_recs_free(got, ng);
			}
		}
	}
	idb_ents_free(ents, ne);
	free(dir);
	*out = all;
	*n = cnt;
	return cnt ? RC_OK : RC_NO_OBJS_FOUND;
}

/* ---- iface records ---- */

int idb_iface_is_builtin(const char *name)
{
	return !strcmp(name, IFACE_DEFAULT) || !strcmp(name, "iser");
}

static struct rec *iface_builtin(const char *name)
{
	struct rec *r;

	if (!idb_iface_is_builtin(name))
		return NULL;
	r = rec_new_default(REC_IFACE);
	if (r) {
		rec_set(r, K_IFACE_ISCSI_IFACENAME, name);
		rec_set(r, K_IFACE_TRANSPORT_NAME, !strcmp(name, "iser") ? "iser" : "tcp");
	}
	return r;
}

int idb_iface_read(struct idb *db, const char *name, struct rec **out)
{
	char *path = NULL;
	int rc;

	*out = iface_builtin(name);
	if (*out)
		return RC_OK;
	if (strchr(name, '/') || asprintf(&path, "%s/ifaces/%s", db->db_root, name) < 0)
		return RC_INVAL;
	rc = idb_rec_read(path, REC_IFACE, out);
	free(path);
	return rc;
}

int idb_iface_write(struct idb *db, const struct rec *r)
{
	const char *name = rec_get(r, K_IFACE_ISCSI_IFACENAME);
	char *path = NULL;
	int rc;

	/* built-ins are fixed, as in stock */
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    idb_iface_is_builtin(name))
		return RC_INVAL;
	if (asprintf(&path, "%s/ifaces/%s", db->db_root, name) < 0)
		return RC_NOMEM;
	rc = write_locked(db, path, r);
	free(path);
	return rc;
}

int idb_iface_delete(struct idb *db, const char *name)
{
	char *path = NULL;
	int rc;

	if (strchr(name, '/') || asprintf(&path, "%s/ifaces/%s", db->db_root, name) < 0)
		return RC_INVAL;
	rc = idb_lock(db);
	if (rc == RC_OK) {
		if (unlink(path))
			rc = errno == ENOENT ? RC_NO_OBJS_FOUND : RC_IDBM;
		idb_unlock(db);
	}
	free(path);
	return rc;
}

/* A file named like a built-in is not listed: the built-in stands for it. */
static int read_iface_ent(struct idb *db, const char *name, struct rec **out)
{
	return idb_iface_is_builtin(name) ? RC_INVAL : idb_iface_read(db, name, out);
}

int idb_iface_foreach(struct idb *db, idb_rec_fn fn, void *arg, size_t *nfound)
{
	static const char *const builtins[] = { IFACE_DEFAULT, "iser" };
	size_t found = 0;
	/* stock lists ifaces/ first, then its two built-ins */
	int stop = foreach_ent(db, "ifaces", read_iface_ent, fn, arg, &found);

	for (size_t i = 0; i < 2 && !stop; i++) {
		struct rec *r = iface_builtin(builtins[i]);

		found++;
		stop = fn && r ? fn(r, arg) : 0;
		rec_free(r);
	}
	if (nfound)
		*nfound = found;
	return stop;
}
