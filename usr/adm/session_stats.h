/* iscsiadm requests that name a session: statistics, one more session to
 * the same target, and iscsid's immediate stop (see session_stats.c). */
#ifndef ADM_SESSION_STATS_H
#define ADM_SESSION_STATS_H

#include <stddef.h>
#include <stdio.h>

#include "daemon_req.h"

struct adm_opts;
struct rec;

/* Pure: stock's "Stats for session ..." block for one answer. */
void adm_stats_print(FILE *f, const struct adm_sess *s, const struct ipc_abi_rsp *rsp);
/* -m session [-r SID] -s: RC_NO_OBJS_FOUND ("No session found.") when
 * there is no session, the first failure's rc otherwise. */
int adm_session_stats(const struct adm_opts *o);
/* -m node [-T -p -I] -s: the sessions those options select, with a
 * record or not (none: every session). */
int adm_node_stats(const struct adm_opts *o);
/* -m session -r SID -o new: logs in one more session to the target and
 * portal of session SID (stock's session.multiple). */
int adm_session_new(const struct adm_opts *o);
/* -k PRIORITY: asks iscsid to stop now. Always RC_OK, as stock exits 0;
 * failures are reported with stock's lines. */
int adm_kill_iscsid(int priority);

#endif
