/* The iscsiadm <-> iscsid request protocol: open-iscsi 2.1.8's management
 * IPC, so that stock's iscsiadm drives our iscsid and ours drives stock's
 * iscsid (see doc/HACKING.md, "One protocol").
 *
 * One connection carries one request and one answer, both fixed-size
 * native structs (ipc_abi.h): the request (16104 bytes) names a command
 * and, for session commands, a sid and a whole node record; the answer
 * (2464 bytes) echoes the command, carries an enum iscsi_rc and the
 * command's data (statistics, a config string, session state). Commands
 * our tools need and stock never sends use numbers stock does not know
 * (IPC_CMD_X_*); stock's iscsid answers them with RC_INVALID_MGMT_REQ.
 *
 * Building and checking messages is pure (ipc.c, ipc_rec.c); ipc_io.c is
 * the socket edge over the abstract unix socket
 * "@ISCSIADM_ABSTRACT_NAMESPACE" ($ISCSID_IPC_NAME overrides the name).
 */
#ifndef CORE_IPC_H
#define CORE_IPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipc_abi.h"

#define IPC_DEFAULT_NAME "ISCSIADM_ABSTRACT_NAMESPACE"
#define IPC_NAME_ENV     "ISCSID_IPC_NAME"
#define IPC_SEND_TMO_MS  10000  /* bound on writing one message */
#define IPC_PAYLOAD_MAX  65536  /* extra request bytes stock accepts */

enum ipc_cmd {
	IPC_CMD_LOGIN = 1,          /* rec [, session.multiple] -> rc */
	IPC_CMD_LOGOUT = 2,         /* sid -> rc */
	IPC_CMD_ACTIVESTAT = 4,
	IPC_CMD_CONN_ADD = 5,
	IPC_CMD_CONN_REMOVE = 6,
	IPC_CMD_STATS = 7,          /* sid -> uevent + stats + custom */
	IPC_CMD_CONFIG_INAME = 8,   /* -> initiator name */
	IPC_CMD_CONFIG_IALIAS = 9,  /* -> initiator alias */
	IPC_CMD_CONFIG_FILE = 10,   /* -> iscsid.conf path */
	IPC_CMD_STOP = 11,          /* -> rc, then iscsid exits */
	IPC_CMD_SYNC = 12,
	IPC_CMD_SESSION_INFO = 13,  /* sid -> r_stage, conn state */
	IPC_CMD_ISNS_QUERY = 14,
	IPC_CMD_SEND_TARGETS = 15,
	IPC_CMD_NOTIFY_FIRST = 16,  /* 16-19: notifications with a payload */
	IPC_CMD_NOTIFY_LAST = 19,
	IPC_CMD_STOCK_MAX = 20,
	/* ours, past anything stock defines */
	IPC_CMD_X_RESCAN = 0x6901   /* sid [lun] -> rc once the scan is done */
};

/* Session state words stock's iscsiadm -P 3 prints from SESSION_INFO. */
enum ipc_conn_state {
	IPC_CONN_FREE, IPC_CONN_XPT_WAIT, IPC_CONN_IN_LOGIN, IPC_CONN_LOGGED_IN,
	IPC_CONN_IN_LOGOUT, IPC_CONN_LOGOUT_REQUESTED, IPC_CONN_CLEANUP_WAIT
};
enum ipc_r_stage {
	IPC_R_NO_CHANGE, IPC_R_CLEANUP, IPC_R_REOPEN, IPC_R_REDIRECT
};

/* Identity of the node record in a request (pointers into it). */
struct ipc_node_id {
	const char *ni_target;
	const char *ni_addr;
	int ni_port;
	int ni_tpgt;
	const char *ni_iface;      /* "default" when empty */
};

struct rec;

/* --- pure --- */
void ipc_req_init(struct ipc_abi_req *r, int cmd);
void ipc_rsp_init(struct ipc_abi_rsp *r, int cmd);
/* A request as read: RC_OK, or RC_INVALID_MGMT_REQ for an unknown command
 * or a payload length over IPC_PAYLOAD_MAX. */
int ipc_req_check(const struct ipc_abi_req *r);
/* An answer to cmd: RC_OK when it is one (same command, or command 0 with
 * a failure; an rc in range), else RC_ISCSID_COMM_ERR. */
int ipc_rsp_check(const struct ipc_abi_rsp *r, int cmd);
const char *ipc_cmd_name(int cmd);
const char *ipc_conn_state_name(int st);
const char *ipc_r_stage_name(int st);
/* Whole record <-> wire form (keys stock's node_rec holds). from_rec:
 * RC_INVAL when a value does not fit. to_rec: sets every field's key in r,
 * RC_INVALID_MGMT_REQ when a string lacks its NUL or an enum is unknown. */
int ipc_node_from_rec(const struct rec *r, struct ipc_abi_node *n);
int ipc_node_to_rec(const struct ipc_abi_node *n, struct rec *r);
/* Target, portal and iface of a request's record; RC_INVALID_MGMT_REQ
 * when unterminated or empty. */
int ipc_node_id(const struct ipc_abi_node *n, struct ipc_node_id *id);

/* --- edge: sockets --- */
const char *ipc_name(void);
/* Connect to iscsid; fd >= 0, or -errno. No retries, no messages. */
int ipc_client_connect(void);
/* Bind + listen on the abstract name; fd or -errno. */
int ipc_server_listen(void);
/* uid (and pid) of the peer of a connected socket (SO_PEERCRED), or -1. */
int ipc_peer_uid(int fd, uid_t *uid, pid_t *pid);
/* Write a whole message: RC_OK or RC_ISCSID_COMM_ERR. */
int ipc_req_send(int fd, const struct ipc_abi_req *r);
int ipc_rsp_send(int fd, const struct ipc_abi_rsp *r);
/* Read a whole message within timeout_ms (< 0: no bound): RC_OK,
 * RC_REQ_TIMEDOUT, or RC_ISCSID_COMM_ERR (closed before the end). A
 * request's payload (notifications) is read and dropped. */
int ipc_req_recv(int fd, struct ipc_abi_req *r, int timeout_ms);
int ipc_rsp_recv(int fd, struct ipc_abi_rsp *r, int timeout_ms);

#endif
