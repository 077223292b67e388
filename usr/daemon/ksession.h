/* A kernel session's life as iscsid drives it: a connected, logged-in TCP
 * socket plus the negotiated values (struct login_result, usr/core/login.h) become an
 * operational iscsi_tcp session; logout tears it down; recovery rebinds a
 * new connection to the same kernel session; adoption finds a session that
 * exists already (iscsid restart) in sysfs. Every step logs with the sid. */
#ifndef DAEMON_KSESSION_H
#define DAEMON_KSESSION_H
#include <stdint.h>
#include "kernel.h"
#include "login.h"

/* What the kernel is told besides the negotiated values. Fill with
 * ksess_conf_init (stock 2.1.8's iscsid.conf defaults), then set fields from
 * the record. Strings are copied by the caller into these arrays. */
struct ksess_conf {
	char kc_target[LOGIN_NAMELEN];
	char kc_initiator[LOGIN_NAMELEN];
	char kc_iface[64];                /* "default" */
	char kc_address[LOGIN_ADDR_MAX];  /* portal address as connected */
	uint16_t kc_port;
	uint8_t kc_isid[6];
	uint32_t kc_initial_cmdsn;        /* CmdSN the login starts with (lp_cmdsn);
					   * the kernel session starts at lr_cmdsn */
	uint16_t kc_cmds_max, kc_queue_depth;  /* node.session.cmds_max / queue_depth */
	int kc_recovery_tmo;              /* node.session.timeo.replacement_timeout */
	int kc_noop_interval, kc_noop_timeout; /* node.conn[0].timeo.noop_out_* */
	int kc_abort_tmo, kc_lu_reset_tmo, kc_tgt_reset_tmo;
	int kc_fast_abort;                /* node.session.iscsi.FastAbort */
	char kc_username[LOGIN_NAMELEN], kc_username_in[LOGIN_NAMELEN];
	char kc_password[LOGIN_SECRET_MAX], kc_password_in[LOGIN_SECRET_MAX];
};
void ksess_conf_init(struct ksess_conf *c);

/* One kernel session as iscsid holds it. */
struct ksess {
	uint32_t ks_sid, ks_cid, ks_host_no;
	int ks_fd;          /* our copy of the bound socket, -1 if none (adopted) */
	uint16_t ks_tsih;   /* for re-login (session reinstatement keeps it) */
	uint8_t ks_isid[6];
};

/* Creates session and connection, binds fd (leading), sets every parameter
 * and starts the connection. On success ks is filled and fd is kept in
 * ks->ks_fd (closed by ksession_stop / ksession_suspend). On failure
 * everything created is destroyed again, fd is left to the caller. */
int ksession_start(struct kern *k, const struct ksess_conf *c,
		   const struct login_result *lr, int fd, struct ksess *ks);

/* Logout: sends a Logout request (reason: close the session) through the
 * kernel and waits up to timeout_ms for the response (a RECV_PDU event on a
 * private event socket; other listeners see it too and must ignore it for
 * a session being logged out). Then stops the connection (TERM), destroys
 * connection and session (async destroy, then waits until the session is
 * gone from sysfs). A target that does not answer does not block teardown.
 * Returns RC_OK, or RC_LOGOUT if the target refused (teardown still done). */
int ksession_stop(struct kern *k, struct ksess *ks, int timeout_ms);

/* Recovery, step 1: on a connection error, stop the connection in recovery
 * mode (the kernel queues I/O until recovery_tmo). Closes ks->ks_fd. */
int ksession_suspend(struct kern *k, struct ksess *ks);
/* Step 2 is sess_klogin (sess_klogin.h): the re-login must travel through
 * the kernel connection. A login run in user space announces a CmdSN behind
 * the kernel's once any command went through, and the target then holds
 * every command (I/O hangs after recovery, seen in the lab, 6.1 kernel). */

/* Adoption after an iscsid restart: fills ks (sid, cid, host_no; fd -1)
 * from $sysfs_root/class/iscsi_session/session<sid> and its connection.
 * RC_SESS_NOT_FOUND if it does not exist. */
int ksession_adopt(const char *sysfs_root, uint32_t sid, struct ksess *ks);

/* Tears down whatever is left of a session without talking to the target
 * (failed start, target gone past recovery): stop TERM, destroy conn and
 * session. Safe on partly created sessions. */
int ksession_destroy(struct kern *k, struct ksess *ks);

#endif
