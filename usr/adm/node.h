/* iscsiadm -m node: listing, show, -o new|update|delete|show, and the
 * hand-off of --login/--logout/-L/-U to the daemon operations. */
#ifndef ADM_NODE_H
#define ADM_NODE_H
#include <stddef.h>
#include "opts.h"

struct rec;
struct idb;
struct conf;

int adm_node_run(const struct adm_opts *o);

/* Node records selected by -T / -p / -I (stock: a -p without port means
 * 3260). RC_NO_OBJS_FOUND when none. Free with idb_recs_free. */
int adm_node_select(struct idb *db, const struct adm_opts *o, struct rec ***recs, size_t *n);
/* A new node record as -o new builds it: built-in defaults, iscsid.conf,
 * the iface record, then identity. RC_NOMEM (stock's exit 3) when the
 * iface cannot be read. Exposed for discovery (H2). */
int adm_node_build(struct idb *db, const struct conf *c, const char *target,
		   const char *addr, int port, int tpgt, const char *iface, struct rec **out);
/* The sessions sysfs shows right now (node_sess.c); NULL when unknown,
 * which counts as none. */
struct adm_sessions;
struct adm_sessions *adm_sessions_load(void);
void adm_sessions_free(struct adm_sessions *s);
/* Is a session using this record (same target, persistent portal, iface)? */
int adm_sessions_use(const struct adm_sessions *s, const struct rec *r);

/* For printing: a copy whose unset autoscan_en shows iscsid.conf's value. */
struct rec *adm_node_effective(const struct conf *c, const struct rec *r);

#endif
