/* NETLINK_ISCSI: the message layout iscsid and the kernel's iSCSI transport
 * class (scsi_transport_iscsi) exchange. Numbers and offsets follow the
 * kernel's include/scsi/iscsi_if.h (Linux 6.1); we keep our own host-side
 * view (struct nl_msg / struct nl_event) and encode byte-exact, so nothing
 * here depends on a kernel header being installed.
 *
 * Two halves: a pure codec (nl_encode / nl_decode: bytes in, bytes out) and
 * a thin socket edge (nl_open / nl_request / nl_recv). Replies are unicast to
 * the requesting socket, events are multicast to group NL_ISCSI_GRP: so a
 * worker thread owns a request socket (groups 0) and one event socket
 * (groups NL_ISCSI_GRP) feeds the main loop. */
#ifndef DAEMON_NETLINK_H
#define DAEMON_NETLINK_H
#include <stddef.h>
#include <stdint.h>

#define NL_ISCSI_PROTO   8     /* NETLINK_ISCSI */
#define NL_ISCSI_GRP     1     /* ISCSI_NL_GRP_ISCSID: events for iscsid */
#define NL_HDR_LEN       16    /* struct nlmsghdr */
#define NL_UEVENT_LEN    56    /* struct iscsi_uevent (8-byte aligned) */
#define NL_ISCSI_HDR_LEN 48    /* iSCSI BHS carried after a RECV_PDU event */
/* Biggest message we expect: an event carrying a PDU with a data segment
 * up to 256 KiB (MaxRecvDataSegmentLength upper bound we negotiate). */
#define NL_BUF_MAX       (NL_HDR_LEN + NL_UEVENT_LEN + NL_ISCSI_HDR_LEN + 262144 + 64)

/* Offsets inside struct iscsi_uevent. */
#define NL_OFF_TYPE      0
#define NL_OFF_IFERROR   4
#define NL_OFF_HANDLE    8
#define NL_OFF_U         16    /* union u: requests, 24 bytes */
#define NL_OFF_R         40    /* union r: replies and events, 16 bytes */

/* enum iscsi_uevent_e */
enum nl_type {
	NL_UNKNOWN = 0,
	NL_CREATE_SESSION = 11, NL_DESTROY_SESSION = 12,
	NL_CREATE_CONN = 13, NL_DESTROY_CONN = 14, NL_BIND_CONN = 15,
	NL_SET_PARAM = 16, NL_START_CONN = 17, NL_STOP_CONN = 18,
	NL_SEND_PDU = 19, NL_GET_STATS = 20, NL_GET_PARAM = 21,
	NL_SET_HOST_PARAM = 26, NL_UNBIND_SESSION = 27,
	NL_DESTROY_SESSION_ASYNC = 43,
	/* kernel -> user */
	NL_K_RECV_PDU = 101, NL_K_CONN_ERROR = 102, NL_K_IF_ERROR = 103,
	NL_K_DESTROY_SESSION = 104, NL_K_UNBIND_SESSION = 105,
	NL_K_CREATE_SESSION = 106, NL_K_PATH_REQ = 107, NL_K_IF_DOWN = 108,
	NL_K_CONN_LOGIN_STATE = 109, NL_K_HOST_EVENT = 110, NL_K_PING_COMP = 111,
};

/* enum iscsi_param (values the software iscsi_tcp transport accepts are
 * the ones kernel.c sets). */
enum nl_param {
	NLP_MAX_RECV_DLENGTH = 0, NLP_MAX_XMIT_DLENGTH = 1, NLP_HDRDGST_EN = 2,
	NLP_DATADGST_EN = 3, NLP_INITIAL_R2T_EN = 4, NLP_MAX_R2T = 5,
	NLP_IMM_DATA_EN = 6, NLP_FIRST_BURST = 7, NLP_MAX_BURST = 8,
	NLP_PDU_INORDER_EN = 9, NLP_DATASEQ_INORDER_EN = 10, NLP_ERL = 11,
	NLP_IFMARKER_EN = 12, NLP_OFMARKER_EN = 13, NLP_EXP_STATSN = 14,
	NLP_TARGET_NAME = 15, NLP_TPGT = 16, NLP_PERSISTENT_ADDRESS = 17,
	NLP_PERSISTENT_PORT = 18, NLP_SESS_RECOVERY_TMO = 19,
	NLP_CONN_PORT = 20, NLP_CONN_ADDRESS = 21,
	NLP_USERNAME = 22, NLP_USERNAME_IN = 23, NLP_PASSWORD = 24,
	NLP_PASSWORD_IN = 25, NLP_FAST_ABORT = 26, NLP_ABORT_TMO = 27,
	NLP_LU_RESET_TMO = 28, NLP_HOST_RESET_TMO = 29, NLP_PING_TMO = 30,
	NLP_RECV_TMO = 31, NLP_IFACE_NAME = 32, NLP_ISID = 33,
	NLP_INITIATOR_NAME = 34, NLP_TGT_RESET_TMO = 35, NLP_TARGET_ALIAS = 36,
	NLP_DEF_TIME2WAIT = 49, NLP_DEF_TIME2RETAIN = 50,
};

/* enum iscsi_host_param */
enum nl_host_param {
	NLH_HWADDRESS = 0, NLH_INITIATOR_NAME = 1, NLH_NETDEV_NAME = 2,
	NLH_IPADDRESS = 3,
};

/* STOP_CONN flags */
#define NL_STOP_TERM     1
#define NL_STOP_SUSPEND  2
#define NL_STOP_RECOVER  3

/* enum iscsi_err base: connection error codes are 1000 + n. */
#define NL_ERR_BASE      1000

/* A request, host-endian; only the fields its type uses are encoded. */
struct nl_msg {
	uint32_t nm_type;          /* enum nl_type */
	uint64_t nm_handle;        /* transport handle */
	uint32_t nm_sid, nm_cid, nm_host_no;
	uint32_t nm_initial_cmdsn; /* CREATE_SESSION */
	uint16_t nm_cmds_max, nm_queue_depth;
	uint64_t nm_fd;            /* BIND_CONN: the TCP socket's fd */
	uint32_t nm_is_leading;
	uint32_t nm_param;         /* SET_PARAM / SET_HOST_PARAM */
	uint32_t nm_flag;          /* STOP_CONN */
	uint32_t nm_hdr_size, nm_data_size;  /* SEND_PDU */
};

/* A reply or an event, decoded. */
struct nl_event {
	uint32_t ne_type;          /* enum nl_type (NL_K_IF_ERROR on failure) */
	int32_t ne_iferror;        /* negative errno when NL_K_IF_ERROR */
	int32_t ne_retcode;        /* r.retcode (replies without ids) */
	uint32_t ne_sid, ne_cid, ne_host_no;
	uint32_t ne_error;         /* CONN_ERROR: enum iscsi_err */
	uint32_t ne_state;         /* CONN_LOGIN_STATE */
	uint64_t ne_recv_handle;
	const uint8_t *ne_data;    /* bytes after the uevent (RECV_PDU: BHS+data) */
	size_t ne_data_len;
	uint32_t ne_nl_type;       /* nlmsghdr type */
	uint32_t ne_seq, ne_pid;   /* nlmsghdr seq and port id */
};

/* ---- pure codec ---- */
/* Writes nlmsghdr + uevent + payload into buf. Returns the message length
 * (a multiple of 4), or 0 if cap is too small. */
size_t nl_encode(const struct nl_msg *m, const void *payload, size_t plen,
		 uint32_t seq, uint32_t portid, uint8_t *buf, size_t cap);
/* Decodes one message (nlmsghdr first). Pointers in ev point into buf.
 * Returns 0, or -EBADMSG when lengths do not add up. */
int nl_decode(const uint8_t *buf, size_t len, struct nl_event *ev);
/* Short name for logs ("CREATE_SESSION", "CONN_ERROR", ...). */
const char *nl_type_name(uint32_t type);
/* Text for an enum iscsi_err code ("ISCSI_ERR_CONN_FAILED", ...). */
const char *nl_err_name(uint32_t err);

/* ---- socket edge ---- */
struct nl_sock {
	int ns_fd;
	uint32_t ns_portid;        /* assigned by the kernel at bind */
	uint32_t ns_seq;
};

/* groups: 0 for a request socket, NL_ISCSI_GRP for the event socket.
 * Returns an enum iscsi_rc (RC_TRANS_NOT_FOUND if the kernel has no
 * NETLINK_ISCSI, i.e. scsi_transport_iscsi is not loaded). */
int nl_open(struct nl_sock *s, int groups);
void nl_close(struct nl_sock *s);
/* Sends m (+payload) and waits up to timeout_ms for the reply of the same
 * type. rbuf (rcap bytes) holds the reply; *reply points into it.
 * Returns RC_OK (check reply->ne_type/iferror/retcode), RC_TRANS on a
 * socket error, RC_TRANS_TIMEOUT. */
int nl_request(struct nl_sock *s, const struct nl_msg *m, const void *payload,
	       size_t plen, uint8_t *rbuf, size_t rcap, struct nl_event *reply,
	       int timeout_ms);
/* Sends m (no payload) without waiting for anything: for requests whose
 * answer comes as an event (GET_STATS: to the iscsid group on success,
 * an IF_ERROR reply to s on failure). RC_OK or RC_TRANS. */
int nl_send(struct nl_sock *s, const struct nl_msg *m);
/* Receives one message (event) within timeout_ms (-1 = wait). RC_OK,
 * RC_TRANS_TIMEOUT, RC_AGAIN when events were lost (ENOBUFS: the caller
 * should resynchronise from sysfs), RC_TRANS on other errors. */
int nl_recv(struct nl_sock *s, uint8_t *buf, size_t cap, struct nl_event *ev,
	    int timeout_ms);
/* Takes up to max waiting messages from the kernel in one recvmmsg, without
 * waiting: message i lands in buf + i * cap and is decoded into ev[i]; *n
 * of them (0 when none was waiting). Same errors as nl_recv. */
int nl_recv_batch(struct nl_sock *s, uint8_t *buf, size_t cap, struct nl_event *ev,
		  unsigned max, unsigned *n);

#endif
