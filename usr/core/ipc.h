/* The iscsiadm <-> iscsid request protocol (ours, not open-iscsi's).
 *
 * A message is a 16-byte header followed by a payload of tagged fields:
 *
 *   header (all big-endian):
 *     u32 magic    IPC_MAGIC
 *     u16 version  IPC_VERSION
 *     u16 op       enum ipc_op
 *     i32 rc       enum iscsi_rc (0 in requests, the result in responses)
 *     u32 len      payload length, at most IPC_MAX_PAYLOAD
 *   field: u16 tag, u16 len, len bytes of value
 *
 * Integers are u32 big-endian fields; strings are sent without their NUL
 * and must not contain one. A message whose fields do not exactly fill the
 * payload, or that has an unknown version, op or an oversized length, is
 * refused: the daemon answers RC_INVALID_MGMT_REQ and logs it.
 *
 * Encoding and decoding are pure (bytes in, bytes out); ipc_client_* and
 * ipc_server_* are the thin socket edge over the abstract unix socket
 * "@ISCSIADM_ABSTRACT_NAMESPACE" ($ISCSID_IPC_NAME overrides the name).
 */
#ifndef CORE_IPC_H
#define CORE_IPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IPC_MAGIC        0x69534944u /* "iSID" */
#define IPC_VERSION      1
#define IPC_HDR_LEN      16
#define IPC_MAX_PAYLOAD  65536
#define IPC_DEFAULT_NAME "ISCSIADM_ABSTRACT_NAMESPACE"
#define IPC_NAME_ENV     "ISCSID_IPC_NAME"
#define IPC_SEND_TMO_MS  10000  /* bound on writing one request */

enum ipc_op {
	IPC_OP_PING = 1,      /* -> rc only; used to see iscsid is alive */
	IPC_OP_LOGIN,         /* TARGET ADDR PORT [TPGT] [IFACE] [REC] -> SID HOST */
	IPC_OP_LOGOUT,        /* SID, or TARGET ADDR PORT [IFACE] -> rc */
	IPC_OP_RESCAN,        /* SID [LUN] -> rc, after the scan is finished */
	IPC_OP_SESSION_INFO,  /* [SID] -> per session: SID TARGET ADDR PORT STATE */
	IPC_OP_CONFIG,        /* -> INAME CONFIG (what iscsid runs with) */
	IPC_OP_MAX
};

enum ipc_tag {
	IPC_T_SID = 1,   /* u32 session id (sysfs sessionN) */
	IPC_T_LUN,       /* u32 LUN for --rescan --lun N */
	IPC_T_TARGET,    /* str target IQN */
	IPC_T_ADDR,      /* str portal address (IPv4, IPv6 or host name) */
	IPC_T_PORT,      /* u32 portal port */
	IPC_T_TPGT,      /* u32 target portal group tag */
	IPC_T_IFACE,     /* str iface name ("default") */
	IPC_T_REC,       /* str the node record as "key = value" lines */
	IPC_T_HOST,      /* u32 SCSI host number */
	IPC_T_STATE,     /* str session state (LOGGED_IN, FAILED, ...) */
	IPC_T_INAME,     /* str initiator name */
	IPC_T_CONFIG,    /* str iscsid.conf path */
	IPC_T_MSG,       /* str human-readable detail for an error */
	IPC_T_MAX
};

struct ipc_msg {
	uint16_t im_op;
	int32_t  im_rc;
	size_t   im_len;                      /* bytes used in im_buf */
	uint8_t  im_buf[IPC_MAX_PAYLOAD];
};

/* One field found by ipc_field_next(). im_val points into the message. */
struct ipc_field {
	uint16_t       if_tag;
	uint16_t       if_len;
	const uint8_t *if_val;
};

/* --- pure: build and read messages --- */
void ipc_msg_init(struct ipc_msg *m, uint16_t op);
int ipc_put_u32(struct ipc_msg *m, uint16_t tag, uint32_t v);
int ipc_put_str(struct ipc_msg *m, uint16_t tag, const char *s);
/* First field with this tag; RC_OK, or RC_NO_OBJS_FOUND when absent,
 * RC_INVAL when present with the wrong size / too long for buf. */
int ipc_get_u32(const struct ipc_msg *m, uint16_t tag, uint32_t *v);
int ipc_get_str(const struct ipc_msg *m, uint16_t tag, char *buf, size_t size);
/* Iterate fields: *pos starts at 0; returns 1 with *f filled, 0 at end,
 * -1 on a truncated field. */
int ipc_field_next(const struct ipc_msg *m, size_t *pos, struct ipc_field *f);

/* Header + payload into out (size >= IPC_HDR_LEN + m->im_len); returns the
 * byte count or 0 if out is too small. */
size_t ipc_encode(const struct ipc_msg *m, uint8_t *out, size_t size);
/* Check a header; on success *op, *rc and *len are set. RC_OK or
 * RC_INVALID_MGMT_REQ (bad magic, version, op, or len > IPC_MAX_PAYLOAD). */
int ipc_decode_hdr(const uint8_t *hdr, uint16_t *op, int32_t *rc, uint32_t *len);
/* Whole message in buf[0..n): header checked, payload copied, fields walked
 * (must fill the payload exactly, strings NUL-free). RC_OK or
 * RC_INVALID_MGMT_REQ. */
int ipc_decode(const uint8_t *buf, size_t n, struct ipc_msg *m);
const char *ipc_op_name(uint16_t op);

/* --- edge: sockets --- */
/* The socket name in use (env override or default). */
const char *ipc_name(void);
/* Connect to iscsid; fd >= 0, or -errno. No retries, no messages. */
int ipc_client_connect(void);
/* Send a request and wait for the answer (timeout_ms < 0: forever).
 * RC_OK when a well-formed answer for the same op came back (its result is
 * rsp->im_rc), RC_ISCSID_COMM_ERR on I/O or protocol trouble,
 * RC_REQ_TIMEDOUT when the whole message did not arrive in time. Does not
 * close fd. */
int ipc_send(int fd, const struct ipc_msg *m);
int ipc_recv(int fd, struct ipc_msg *m, int timeout_ms);
int ipc_call_fd(int fd, const struct ipc_msg *req, struct ipc_msg *rsp,
		int timeout_ms);

/* Bind + listen on the abstract name; fd or -errno. */
int ipc_server_listen(void);
/* uid of the peer of a connected socket (SO_PEERCRED), or -1. */
int ipc_peer_uid(int fd, uid_t *uid, pid_t *pid);

#endif
