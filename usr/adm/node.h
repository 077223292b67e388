/* iscsiadm -m node: listing, show, -o new|update|delete|show, and the
 * hand-off of --login/--logout/-L/-U to the daemon operations. */
#ifndef ADM_NODE_H
#define ADM_NODE_H
#include <stddef.h>
#include "opts.h"

struct rec;

int adm_node_run(const struct adm_opts *o);

/* The sessions sysfs shows right now (node_sess.c); NULL when unknown,
 * which counts as none. */
struct adm_sessions;
struct adm_sessions *adm_sessions_load(void);
void adm_sessions_free(struct adm_sessions *s);
/* Is a session using this record (same target, persistent portal, iface)? */
int adm_sessions_use(const struct adm_sessions *s, const struct rec *r);

#endif
