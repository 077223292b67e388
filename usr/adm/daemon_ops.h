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
/* -m node [-T -p -I] --logout: sessions matching any of recs. */
int adm_node_logout(const struct adm_opts *o, struct rec *const *recs, size_t n);
/* -m node -L all|manual|automatic|onboot */
int adm_login_all(const struct adm_opts *o);
/* -m node -U all|manual|automatic */
int adm_logout_all(const struct adm_opts *o);
/* -m session -r SID -u */
int adm_session_logout(const struct adm_opts *o);
/* -m session [-r SID] -R|--rescan [--lun N] */
int adm_session_rescan(const struct adm_opts *o);

#endif
