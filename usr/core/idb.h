/* Record database on disk, open-iscsi's layout under the etc directory:
 *   nodes/<target>/<addr>,<port>,<tpgt>/<iface>   node records
 *   nodes/<target>/<addr>,<port>                  old flat layout (tpgt -1)
 *   send_targets/<addr>,<port>/st_config          SendTargets discovery record
 *   send_targets/<addr>,<port>/<target>,<addr>,<port>,<tpgt>,<iface> -> node dir
 *   static/<target>,<addr>,<port>,<tpgt>,<iface>  links for static records
 *   ifaces/<name>                                 iface records
 *   nodes_ext/<target>,<addr>,<port>,<tpgt>,<iface>  our own node keys
 * Stock 2.1.8 rejects a record file holding a key it does not know, so
 * keys only we have (node.session.autoscan_en) live in the nodes_ext/
 * sidecar, which stock never looks at; reads merge it back in.
 * Writes are atomic (tmp, fsync, rename, fsync dir), files 0600; a flock on
 * <etc>/.idb.lock serialises writers across processes. */
#ifndef CORE_IDB_H
#define CORE_IDB_H
#include <stddef.h>
#include "rec.h"

struct idb {
	char *db_root;		/* etc directory, e.g. /etc/iscsi */
	int db_lockfd;		/* -1 when not locked */
	int db_locks;		/* nesting depth */
};

/* Directory in use: $ISCSI_ETC_DIR, else ISCSI_ETC_DEFAULT. */
const char *idb_default_root(void);
/* root NULL = idb_default_root(). Does not create anything yet. */
int idb_open(const char *root, struct idb **out);
void idb_close(struct idb *db);
/* Exclusive lock (nests); every write function takes it itself too. */
int idb_lock(struct idb *db);
void idb_unlock(struct idb *db);

/* Portal text as iscsiadm takes it: "1.2.3.4", "1.2.3.4:3260",
 * "1.2.3.4:3260,1", "[fe80::1]:3260", "host:port". port -1 when absent
 * (caller picks 3260), tpgt -1 when absent. RC_INVAL if malformed. */
int idb_portal_parse(const char *text, char *addr, size_t addrlen, int *port, int *tpgt);

/* Selects node records; NULL / -1 fields match anything. */
struct idb_match {
	const char *m_target;
	const char *m_addr;
	int m_port;
	int m_tpgt;
	const char *m_iface;
};
#define IDB_MATCH_ANY { NULL, NULL, -1, -1, NULL }

/* Callback per node record; return non-zero to stop (returned as is). */
typedef int (*idb_node_fn)(struct rec *r, void *arg);
/* Visits matching node records in stable (sorted) order. RC_OK even when
 * nothing matched; *nfound (may be NULL) gets the count visited. */
int idb_node_foreach(struct idb *db, const struct idb_match *m,
		     idb_node_fn fn, void *arg, size_t *nfound);
/* Collects matching records into a malloc'd array (free with
 * idb_recs_free). RC_NO_OBJS_FOUND when none match. */
int idb_node_find(struct idb *db, const struct idb_match *m, struct rec ***out, size_t *n);
void idb_recs_free(struct rec **recs, size_t n);
/* Writes a node record (identity from node.name, node.conn[0].address/port,
 * node.tpgt, iface.iscsi_ifacename), replacing any existing one. */
int idb_node_write(struct idb *db, const struct rec *r);
/* Deletes the record file and its links; empty directories are removed. */
int idb_node_delete(struct idb *db, const struct rec *r);
int idb_node_exists(struct idb *db, const struct rec *r);
/* Adds the send_targets/<portal>/ link for a discovered node record. */
int idb_node_link_discovery(struct idb *db, const struct rec *node, const char *daddr, int dport);

/* SendTargets discovery records. */
int idb_disc_read(struct idb *db, const char *addr, int port, struct rec **out);
int idb_disc_write(struct idb *db, const struct rec *r);
int idb_disc_delete(struct idb *db, const char *addr, int port);
typedef int (*idb_rec_fn)(struct rec *r, void *arg);
int idb_disc_foreach(struct idb *db, idb_rec_fn fn, void *arg, size_t *nfound);
/* Node records discovered through this portal (link directory entries). */
int idb_disc_nodes(struct idb *db, const char *addr, int port, struct rec ***out, size_t *n);

/* Iface records. "default" (tcp) and "iser" are built in, never on disk. */
int idb_iface_read(struct idb *db, const char *name, struct rec **out);
int idb_iface_write(struct idb *db, const struct rec *r);
int idb_iface_delete(struct idb *db, const char *name);
int idb_iface_is_builtin(const char *name);
/* ifaces/ in sorted order, then the built-ins "default" and "iser", as
 * stock lists them. */
int idb_iface_foreach(struct idb *db, idb_rec_fn fn, void *arg, size_t *nfound);

/* Path helpers (malloc'd), exposed for tests and the library. */
char *idb_node_path(const struct idb *db, const struct rec *r);
/* Path of the record's sidecar of our own keys (nodes_ext/), present or not. */
char *idb_node_ext_path(const struct idb *db, const struct rec *r);
char *idb_disc_path(const struct idb *db, const char *addr, int port);

/* Does a node record match m? (pure) */
int idb_match_node(const struct idb_match *m, const struct rec *r);

/* Why a name (target, address, iface) cannot name a record on disk, or
 * NULL when it can (pure): path separators, "." and "..", blanks at either
 * end (they would not survive a read back), control characters, more than
 * NAME_MAX bytes. */
const char *idb_name_problem(const char *name);
/* The same for a whole node record, including the link and sidecar name
 * "<target>,<addr>,<port>,<tpgt>,<iface>" (NAME_MAX). */
const char *idb_node_problem(const struct rec *r);

/* File edge (idb_io.c): whole-file read (RC_NO_OBJS_FOUND if missing,
 * RC_IDBM otherwise), atomic 0600 write (temporary in <root>/.idb.tmp/,
 * swept by the next writer that takes the lock), mkdir -p with 0700 dirs. */
int idb_file_read(const char *path, char **text);
int idb_file_write(const struct idb *db, const char *path, const char *text);
int idb_mkdirs(const char *dir);
/* A record file of that kind, read and parsed (idb_file_read's codes). */
int idb_rec_read(const char *path, enum rec_kind kind, struct rec **out);
/* Sorted entries of a directory without "." and "..";
 * 0 if it does not exist, -1 on other errors (*ents NULL then). */
struct dirent;
int idb_list_dir(const char *dir, struct dirent ***ents);
void idb_ents_free(struct dirent **ents, int n);

#endif
