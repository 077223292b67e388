/* Record database: naming (paths, portals), matching and node records.
 * Discovery and iface records are in idb_disc.c, file I/O in idb_io.c. */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
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

const char *idb_default_root(void)
{
	const char *env = getenv("ISCSI_ETC_DIR");

	return env && *env ? env : ISCSI_ETC_DEFAULT;
}

int idb_open(const char *root, struct idb **out)
{
	struct idb *db = calloc(1, sizeof(*db));

	if (!db)
		return RC_NOMEM;
	db->db_root = strdup(root ? root : idb_default_root());
	if (!db->db_root) {
		free(db);
		return RC_NOMEM;
	}
	db->db_lockfd = -1;
	*out = db;
	return RC_OK;
}

void idb_close(struct idb *db)
{
	if (!db)
		return;
	while (db->db_locks > 0)
		idb_unlock(db);
	free(db->db_root);
	free(db);
}

static int parse_num(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return RC_INVAL;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return RC_INVAL;
	*out = (int)v;
	return RC_OK;
}

/* "[v6]:port,tpgt", "v4:port,tpgt", bare "v6" (more than one colon). */
int idb_portal_parse(const char *text, char *addr, size_t addrlen, int *port, int *tpgt)
{
	char buf[300], *p, *colon = NULL, *comma;

	*port = -1;
	*tpgt = -1;
	if (!text || !*text || strlen(text) >= sizeof(buf))
		return RC_INVAL;
	strcpy(buf, text);
	comma = strchr(buf, ',');
	if (comma) {
		*comma = '\0';
		if (parse_num(comma + 1, 0, 65535, tpgt))
			return RC_INVAL;
	}
	p = buf;
	if (*p == '[') {
		char *close = strchr(p, ']');

		if (!close || (close[1] && close[1] != ':'))
			return RC_INVAL;
		*close = '\0';
		colon = close[1] ? close + 1 : NULL;
		p++;
	} else if (strchr(p, ':') == strrchr(p, ':')) {
		colon = strchr(p, ':');	/* v4 or host name: one colon at most */
	}
	if (colon) {
		*colon = '\0';
		if (parse_num(colon + 1, 0, 65535, port))
			return RC_INVAL;
	}
	if (!*p || strlen(p) >= addrlen)
		return RC_INVAL;
	strcpy(addr, p);
	return RC_OK;
}

static int rec_int(const struct rec *r, enum key_id key)
{
	long long v = -1;

	rec_get_int(r, key, &v);
	return (int)v;
}

static const char *rec_str(const struct rec *r, enum key_id key)
{
	const char *v = rec_get(r, key);

	return v ? v : "";
}

static const char *rec_iface(const struct rec *r)
{
	const char *v = rec_str(r, K_IFACE_ISCSI_IFACENAME);

	return *v ? v : IFACE_DEFAULT;
}

char *idb_node_path(const struct idb *db, const struct rec *r)
{
	char *path = NULL;
	int tpgt = rec_int(r, K_NODE_TPGT), n;

	/* tpgt unknown (-1): stock's flat layout, one file per portal */
	if (tpgt < 0)
		n = asprintf(&path, "%s/nodes/%s/%s,%d", db->db_root,
			     rec_str(r, K_NODE_NAME), rec_str(r, K_NODE_CONN_0_ADDRESS),
			     rec_int(r, K_NODE_CONN_0_PORT));
	else
		n = asprintf(&path, "%s/nodes/%s/%s,%d,%d/%s", db->db_root,
			     rec_str(r, K_NODE_NAME), rec_str(r, K_NODE_CONN_0_ADDRESS),
			     rec_int(r, K_NODE_CONN_0_PORT), tpgt, rec_iface(r));
	return n < 0 ? NULL : path;
}

/* "<target>,<addr>,<port>,<tpgt>,<iface>": name of static/ and
 * send_targets/ links. */
static char *node_link_name(const struct rec *r)
{
	char *s = NULL;

	if (asprintf(&s, "%s,%s,%d,%d,%s", rec_str(r, K_NODE_NAME),
		     rec_str(r, K_NODE_CONN_0_ADDRESS), rec_int(r, K_NODE_CONN_0_PORT),
		     rec_int(r, K_NODE_TPGT), rec_iface(r)) < 0)
		return NULL;
	return s;
}

char *idb_node_ext_path(const struct idb *db, const struct rec *r)
{
	char *name = node_link_name(r), *p = NULL;

	if (name && asprintf(&p, "%s/nodes_ext/%s", db->db_root, name) < 0)
		p = NULL;
	free(name);
	return p;
}

/* Merges the sidecar of our own keys, if any, into a record just read. */
static void read_ext(const struct idb *db, struct rec *r)
{
	char *p = idb_node_ext_path(db, r), *text = NULL;

	if (p && idb_file_read(p, &text) == RC_OK)
		rec_parse(r, text);
	free(text);
	free(p);
}

/* Writes the sidecar when the record sets one of our own keys, else
 * removes a stale one. */
static int write_ext(struct idb *db, const struct rec *r)
{
	char *p = idb_node_ext_path(db, r), *text = rec_format(r, REC_FMT_EXT), *dir = NULL;
	int rc = RC_NOMEM;

	if (p && text && asprintf(&dir, "%s/nodes_ext", db->db_root) >= 0) {
		rc = RC_OK;
		if (strchr(text, '=')) {
			rc = idb_mkdirs(dir);
			if (rc == RC_OK)
				rc = idb_file_write(db, p, text);
		} else if (unlink(p) && errno != ENOENT) {
			rc = RC_IDBM;
		}
	}
	free(p);
	free(text);
	free(dir);
	return rc;
}

const char *idb_name_problem(const char *s)
{
	size_t n = strlen(s);

	if (!n)
		return "it is empty";
	if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return "it is not a file name (\"/\", \".\" or \"..\")";
	if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]))
		return "it begins or ends with a blank";
	for (size_t i = 0; i < n; i++)
		if (iscntrl((unsigned char)s[i]))
			return "it holds a control character";
	if (n > NAME_MAX)
		return "it is longer than 255 bytes";
	return NULL;
}

const char *idb_node_problem(const struct rec *r)
{
	const char *why;
	char *link;
	size_t n;

	if ((why = idb_name_problem(rec_str(r, K_NODE_NAME))) ||
	    (why = idb_name_problem(rec_str(r, K_NODE_CONN_0_ADDRESS))) ||
	    (why = idb_name_problem(rec_iface(r))))
		return why;
	/* the sidecar and the static/ and send_targets/ links carry all of it */
	if (!(link = node_link_name(r)))
		return "out of memory";
	n = strlen(link);
	free(link);
	return n > NAME_MAX ? "target, portal and iface together are longer than 255 bytes" : NULL;
}

static int node_names_ok(const struct rec *r)
{
	return idb_node_problem(r) == NULL;
}

/* Deleting only needs names that stay inside the database: a record an
 * older tool wrote with a name we would refuse must still go. */
static int path_safe(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

static int node_paths_safe(const struct rec *r)
{
	return path_safe(rec_str(r, K_NODE_NAME)) && path_safe(rec_str(r, K_NODE_CONN_0_ADDRESS)) &&
	       path_safe(rec_iface(r));
}

int idb_match_node(const struct idb_match *m, const struct rec *r)
{
	if (m->m_target && strcmp(m->m_target, rec_str(r, K_NODE_NAME)))
		return 0;
	if (m->m_addr && strcmp(m->m_addr, rec_str(r, K_NODE_CONN_0_ADDRESS)))
		return 0;
	if (m->m_port >= 0 && m->m_port != rec_int(r, K_NODE_CONN_0_PORT))
		return 0;
	if (m->m_tpgt >= 0 && m->m_tpgt != rec_int(r, K_NODE_TPGT))
		return 0;
	if (m->m_iface && strcmp(m->m_iface, rec_iface(r)))
		return 0;
	return 1;
}

static int read_node_file(const struct idb *db, const char *path, struct rec **out)
{
	int rc = idb_rec_read(path, REC_NODE, out);

	if (rc == RC_OK)
		read_ext(db, *out);
	return rc;
}

struct visit {
	const struct idb *v_db;
	const struct idb_match *v_m;
	idb_node_fn v_fn;
	void *v_arg;
	size_t v_found;
	int v_stop;
};

static void visit_file(struct visit *v, const char *path)
{
	struct rec *r = NULL;

	if (v->v_stop || read_node_file(v->v_db, path, &r) != RC_OK)
		return;
	if (idb_match_node(v->v_m, r)) {
		v->v_found++;
		if (v->v_fn)
			v->v_stop = v->v_fn(r, v->v_arg);
	}
	rec_free(r);
}

/* One portal entry: a flat record file, or a directory of iface files. */
static void visit_portal(struct visit *v, const char *path)
{
	struct stat st;
	struct dirent **ents;
	int n;

	if (stat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		visit_file(v, path);
		return;
	}
	n = idb_list_dir(path, &ents);
	for (int i = 0; i < n; i++) {
		char *p = NULL;

		if (asprintf(&p, "%s/%s", path, ents[i]->d_name) >= 0)
			visit_file(v, p);
		free(p);
	}
	idb_ents_free(ents, n);
}

static int visit_target(struct visit *v, const char *tdir)
{
	struct dirent **ents;
	int n = idb_list_dir(tdir, &ents);

	if (n < 0)
		return RC_IDBM;
	for (int i = 0; i < n; i++) {
		char *p = NULL;

		if (asprintf(&p, "%s/%s", tdir, ents[i]->d_name) >= 0)
			visit_portal(v, p);
		free(p);
	}
	idb_ents_free(ents, n);
	return RC_OK;
}

int idb_node_foreach(struct idb *db, const struct idb_match *m,
		     idb_node_fn fn, void *arg, size_t *nfound)
{
	struct visit v = { db, m, fn, arg, 0, 0 };
	struct dirent **ents;
	char *nodes = NULL;
	int n, rc = RC_OK;

	if (asprintf(&nodes, "%s/nodes", db->db_root) < 0)
		return RC_NOMEM;
	n = idb_list_dir(nodes, &ents);
	if (n < 0)
		rc = RC_IDBM;
	for (int i = 0; i < n; i++) {
		char *p = NULL;

		if (m->m_target && strcmp(m->m_target, ents[i]->d_name))
			continue;
		if (asprintf(&p, "%s/%s", nodes, ents[i]->d_name) >= 0)
			visit_target(&v, p);
		free(p);
	}
	idb_ents_free(ents, n > 0 ? n : 0);
	free(nodes);
	if (nfound)
		*nfound = v.v_found;
	return v.v_stop ? v.v_stop : rc;
}

struct collect {
	struct rec **c_recs;
	size_t c_n;
	int c_oom;
};

static int collect_one(struct rec *r, void *arg)
{
	struct collect *c = arg;
	struct rec **nr = realloc(c->c_recs, (c->c_n + 1) * sizeof(*nr));
	struct rec *copy = rec_dup(r);

	if (!nr || !copy) {
		free(copy);
		if (nr)
			c->c_recs = nr;
		c->c_oom = 1;
		return RC_NOMEM;
	}
	c->c_recs = nr;
	c->c_recs[c->c_n++] = copy;
	return 0;
}

int idb_node_find(struct idb *db, const struct idb_match *m, struct rec ***out, size_t *n)
{
	struct collect c = { NULL, 0, 0 };
	int rc = idb_node_foreach(db, m, collect_one, &c, NULL);

	if (rc == RC_OK && c.c_n == 0)
		rc = RC_NO_OBJS_FOUND;
	if (rc != RC_OK) {
		idb_recs_free(c.c_recs, c.c_n);
		return rc;
	}
	*out = c.c_recs;
	*n = c.c_n;
	return RC_OK;
}

void idb_recs_free(struct rec **recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rec_free(recs[i]);
	free(recs);
}

int idb_node_exists(struct idb *db, const struct rec *r)
{
	char *path = idb_node_path(db, r);
	int ok = path && access(path, F_OK) == 0;

	free(path);
	return ok;
}

/* Absolute symlink <dir>/<link name> -> the record's portal directory, as
 * stock makes them (only for the tpgt layout). */
static int make_link(struct idb *db, const char *dir, const struct rec *r)
{
	char *name = node_link_name(r), *link = NULL, *target = NULL;
	int rc = RC_NOMEM;

	if (name && asprintf(&link, "%s/%s", dir, name) >= 0 &&
	    asprintf(&target, "%s/nodes/%s/%s,%d,%d", db->db_root, rec_str(r, K_NODE_NAME),
		     rec_str(r, K_NODE_CONN_0_ADDRESS), rec_int(r, K_NODE_CONN_0_PORT),
		     rec_int(r, K_NODE_TPGT)) >= 0) {
		rc = idb_mkdirs(dir);
		if (rc == RC_OK && symlink(target, link) && errno != EEXIST)
			rc = RC_IDBM;
	}
	free(name);
	free(link);
	free(target);
	return rc;
}

static int write_node_locked(struct idb *db, const struct rec *r)
{
	char *path = idb_node_path(db, r), *text = NULL, *slash;
	int rc = RC_NOMEM;

	if (!path)
		return RC_NOMEM;
	text = rec_format(r, REC_FMT_FILE);
	slash = strrchr(path, '/');
	if (text && slash) {
		*slash = '\0';
		rc = idb_mkdirs(path);
		*slash = '/';
		if (rc == RC_OK)
			rc = idb_file_write(db, path, text);
		if (rc == RC_OK)
			rc = write_ext(db, r);
	}
	free(path);
	free(text);
	return rc;
}

int idb_node_write(struct idb *db, const struct rec *r)
{
	const char *type = rec_get(r, K_NODE_DISCOVERY_TYPE);
	char *dir = NULL;
	int rc;

	if (!node_names_ok(r)) {
		log_error("Cannot store a record for this target: %s", idb_node_problem(r));
		return RC_INVAL;
	}
	rc = idb_lock(db);
	if (rc != RC_OK)
		return rc;
	rc = write_node_locked(db, r);
	/* static and firmware records get a link in static/ or fw/ */
	if (rc == RC_OK && rec_int(r, K_NODE_TPGT) >= 0 && type &&
	    (!strcmp(type, "static") || !strcmp(type, "fw")) &&
	    asprintf(&dir, "%s/%s", db->db_root, type) >= 0)
		rc = make_link(db, dir, r);
	free(dir);
	idb_unlock(db);
	return rc;
}

int idb_node_link_discovery(struct idb *db, const struct rec *node, const char *daddr, int dport)
{
	char *dir = NULL;
	int rc;

	if (rec_int(node, K_NODE_TPGT) < 0)
		return RC_OK;	/* flat records have no directory to point at */
	if (asprintf(&dir, "%s/send_targets/%s,%d", db->db_root, daddr, dport) < 0)
		return RC_NOMEM;
	rc = idb_lock(db);
	if (rc == RC_OK) {
		rc = make_link(db, dir, node);
		idb_unlock(db);
	}
	free(dir);
	return rc;
}

/* Drops the record's links: static/<name>, fw/<name> and
 * send_targets/<any>/<name>. */
static void unlink_links(struct idb *db, const char *name)
{
	struct dirent **ents;
	char *dir = NULL, *p = NULL;
	int n;

	if (asprintf(&p, "%s/static/%s", db->db_root, name) >= 0)
		unlink(p);
	free(p);
	p = NULL;
	if (asprintf(&p, "%s/fw/%s", db->db_root, name) >= 0)
		unlink(p);
	free(p);
	if (asprintf(&dir, "%s/send_targets", db->db_root) < 0)
		return;
	n = idb_list_dir(dir, &ents);
	for (int i = 0; i < n; i++) {
		p = NULL;
		if (asprintf(&p, "%s/%s/%s", dir, ents[i]->d_name, name) >= 0)
			unlink(p);
		free(p);
	}
	idb_ents_free(ents, n > 0 ? n : 0);
	free(dir);
}

int idb_node_delete(struct idb *db, const struct rec *r)
{
	char *path, *name, *slash, *ext;
	int rc;

	if (!node_paths_safe(r))
		return RC_INVAL;
	path = idb_node_path(db, r);
	name = node_link_name(r);
	if (!path || !name) {
		free(path);
		free(name);
		return RC_NOMEM;
	}
	rc = idb_lock(db);
	if (rc == RC_OK) {
		if (unlink(path) && errno != ENOENT)
			rc = RC_IDBM;
		/* drop now-empty portal and target directories */
		for (int up = 0; rc == RC_OK && up < 2 && (slash = strrchr(path, '/')); up++) {
			*slash = '\0';
			if (!strstr(path + strlen(db->db_root), "/nodes/") || rmdir(path))
				break;
		}
		if (rec_int(r, K_NODE_TPGT) >= 0)
			unlink_links(db, name);
		ext = idb_node_ext_path(db, r);
		if (ext)
			unlink(ext);
		free(ext);
		idb_unlock(db);
	}
	free(path);
	free(name);
	return rc;
}
