/* iscsiadm's side of the iscsid protocol: connecting as stock does (with
 * its messages when iscsid is down), sending requests, and the session list
 * iscsid reports. Used by daemon_ops.c. */
#ifndef ADM_DAEMON_REQ_H
#define ADM_DAEMON_REQ_H

#include "ipc.h"

struct rec;

/* A session as iscsid reports it (IPC_OP_SESSION_INFO). */
struct adm_sess {
	int  as_sid;
	int  as_port;
	int  as_tpgt;
	char as_target[256];
	char as_addr[256];
	char as_iface[64];
	char as_state[32];
};

/* Connect to iscsid. On ECONNREFUSED runs iscsid.startup once, as stock
 * does, and tries again a second later. fd >= 0, or -RC_ISCSID_NOTCONN
 * after printing stock's messages. */
int adm_req_connect(void);
/* Connect, send, and keep the socket for a later adm_req_wait(). Returns
 * RC_OK with *fd set, or an rc (fd closed). */
int adm_req_start(const struct ipc_msg *req, int *fd);
/* Wait for the answer to a started request, close fd; the result is the
 * daemon's rc (or a communication error). rsp may be NULL. */
int adm_req_wait(int fd, uint16_t op, struct ipc_msg *rsp);
/* Both in one. */
int adm_req_call(const struct ipc_msg *req, struct ipc_msg *rsp);

/* "iscsiadm: initiator reported error (N - text)" */
void adm_req_report(int rc);

/* Login request for a node record (identity fields + the record text). */
int adm_req_login_msg(const struct rec *r, struct ipc_msg *m);
/* Identity of a node record for the progress lines. */
void adm_req_rec_id(const struct rec *r, const char **target,
		    const char **addr, int *port, const char **iface);

/* Sessions the kernel has (sysfs via libopeniscsiusr), as stock lists them
 * for logout and rescan: right even when iscsid is down or restarting. */
int adm_sysfs_sessions(struct adm_sess **out, size_t *n);
/* Pure: decode an IPC_OP_SESSION_INFO answer. */
int adm_sess_decode(const struct ipc_msg *m, struct adm_sess **out, size_t *n);

#endif
