/* iscsiadm operations carried out by iscsid: login, logout, rescan.
 *
 * Each call prints what stock iscsiadm 2.1.8 prints (progress lines on
 * stdout, "iscsiadm: ..." errors on stderr) and returns an enum iscsi_rc
 * that main() turns into the exit code. When iscsid cannot be reached the
 * result is RC_ISCSID_NOTCONN (exit 20), with stock's messages.
 *
 * Logins of several records are sent to iscsid all at once (one socket per
 * record) and then collected, so they run in parallel in the daemon.
 */
#ifndef ADM_DAEMON_OPS_H
#define ADM_DAEMON_OPS_H

#include <stddef.h>

struct adm_opts;
struct rec;

/* -m node [-T -p -I] --login: recs[0..n) are the matching records (the
 * array idb_node_find returns). */
int adm_node_login(const struct adm_opts *o, struct rec *const *recs, size_t n);
/* Firmware logins (-m fw -l, -m discovery -t fw -l): as adm_node_login,
 * each failure reported, without the closing "Could not log into all
 * portals" line stock prints only for node records. */
int adm_login_each(struct rec *const *recs, size_t n);
/* -m node [-T -p -I] --logout: the sessions those options select, with a
 * record or not. */
int adm_node_logout(const struct adm_opts *o);
struct adm_sess;
/* Whether -T / -p / -I select session s (opts: const struct adm_opts *;
 * a match function for adm_sysfs_sessions_pick). */
int adm_sess_selected(const struct adm_sess *s, const void *opts);
/* Whether -r SID selects s; every session without -r. */
int adm_sess_sid_selected(const struct adm_sess *s, const void *opts);
/* -m node -L all|manual|automatic|onboot */
int adm_login_all(const struct adm_opts *o);
/* -m node -U all|manual|automatic */
int adm_logout_all(const struct adm_opts *o);
/* -m session [-r SID] -u: that session, or every session. */
int adm_session_logout(const struct adm_opts *o);
/* rescan.c: -m session [-r SID] -R|--rescan [--lun N]; -m node [-T -p -I]
 * -R; and the rescan of sessions v[0..n). Through sysfs, as stock. */
int adm_session_rescan(const struct adm_opts *o);
int adm_node_rescan(const struct adm_opts *o);
int adm_rescan_sessions(const struct adm_sess *v, size_t n, int lun);

#endif
