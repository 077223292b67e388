/* iscsiadm's side of the iscsid protocol (stock's, ipc.h): connecting as
 * stock does (with its messages when iscsid is down), sending requests and
 * waiting for the answers within bounds, and the sessions sysfs lists.
 * Used by daemon_ops.c and session.c. */
#ifndef ADM_DAEMON_REQ_H
#define ADM_DAEMON_REQ_H

#include "err.h"
#include "ipc.h"

struct rec;

/* A session as sysfs lists it. */
struct adm_sess {
	int  as_sid;
	int  as_port;
	int  as_tpgt;
	char as_target[256];
	char as_addr[256];
	char as_iface[64];
	char as_state[32];
};

/* Bounds on the wait for iscsid's answer. Stock waits forever for a login
 * or logout; a daemon that never answers must not hang a script, so ours
 * wait as long as the record's own timeouts allow and a margin. The
 * queries use stock's bounds (ISCSID_REQ_TIMEOUT, ISCSID_RESP_POLL_TIMEOUT). */
#define ADM_REQ_SCAN_TMO_MS    120000  /* a scan after login or a rescan */
#define ADM_REQ_LOGOUT_TMO_MS  120000
#define ADM_REQ_QUERY_TMO_MS   60000   /* session state, statistics */
#define ADM_REQ_CONFIG_TMO_MS  1000
#define ADM_REQ_TMO_ENV        "ISCSIADM_IPC_TIMEOUT_MS"

/* Connect to iscsid. On ECONNREFUSED runs iscsid.startup once, as stock
 * does, and tries again a second later. The peer must be root (checked
 * before anything is sent). RC_OK with the socket in *fd, or
 * RC_ISCSID_NOTCONN (*fd -1) after printing stock's messages (or why the
 * peer was not trusted). */
enum iscsi_rc adm_req_connect(int *fd);
/* 1 when the peer of a connected socket is root; else 0 after saying so. */
int adm_req_peer_root(int fd);
/* Connect, send, and keep the socket for a later adm_req_wait(). Returns
 * RC_OK with *fd set, or an rc (fd closed). */
int adm_req_start(const struct ipc_abi_req *req, int *fd);
/* Wait up to timeout_ms for the answer to a started request, close fd;
 * the result is the daemon's rc, or RC_ISCSID_COMM_ERR (closed, garbage,
 * another protocol) / RC_REQ_TIMEDOUT after a message. rsp may be NULL. */
int adm_req_wait(int fd, int cmd, struct ipc_abi_rsp *rsp, int timeout_ms);
/* Both in one. */
int adm_req_call(const struct ipc_abi_req *req, struct ipc_abi_rsp *rsp, int timeout_ms);
/* How long a login of record r may take in iscsid (its login timeout and
 * retries, and the scan). */
int adm_req_login_tmo(const struct rec *r);

/* "iscsiadm: initiator reported error (N - text)" */
void adm_req_report(int rc);

/* Requests: a login carries the whole record in stock's layout (stock's
 * iscsid logs in with it; ours reads the record database); the others
 * name a session. */
int adm_req_login_msg(const struct rec *r, struct ipc_abi_req *m);
void adm_req_sid_msg(int cmd, int sid, struct ipc_abi_req *m);

/* Sessions the kernel has (sysfs via libopeniscsiusr), as stock lists them
 * for logout and rescan: right even when iscsid is down or restarting. */
int adm_sysfs_sessions(struct adm_sess **out, size_t *n);
/* Same, the sessions match(s, arg) picks first (*k of them, in sysfs
 * order), then the others (*n in all): the one selection loop of logout,
 * rescan and statistics. */
int adm_sysfs_sessions_pick(int (*match)(const struct adm_sess *, const void *),
			    const void *arg, struct adm_sess **out, size_t *n, size_t *k);
/* Whether session s is the one of record r: same target, persistent portal
 * and iface (rec_node_id). The one test of "a record's session" iscsiadm
 * uses (login skips it, delete refuses over it). */
int adm_sess_matches_rec(const struct adm_sess *s, const struct rec *r);

#endif
