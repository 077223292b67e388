/* The kernel's software iSCSI initiator (iscsi_tcp) driven over NETLINK_ISCSI:
 * one verb per kernel operation. Each thread that talks to the kernel owns a
 * struct kern (its own request socket, so replies never cross threads);
 * kernel events come in on one struct kevents read by the main loop.
 * Every function returns an enum iscsi_rc and logs the kernel's errno. */
#ifndef DAEMON_KERNEL_H
#define DAEMON_KERNEL_H
#include <stdint.h>
#include <stddef.h>
#include "netlink.h"

#define KERNEL_TIMEOUT_MS 30000  /* one netlink round trip, generous:
				  * destroying a session waits for SCSI teardown */

struct kroute;

struct kern {
	struct nl_sock k_nl;
	struct kroute *k_route;   /* iscsid's PDU router (kwait.h); NULL: none */
	uint64_t k_handle;        /* tcp transport handle */
	int k_timeout_ms;
	int k_errno;              /* last kernel error (positive errno), 0 if none */
	uint8_t *k_buf;           /* reply buffer, KERNEL_RBUF bytes */
};
#define KERNEL_RBUF 4096

/* Reads $sysfs_root/class/iscsi_transport/<name>/handle; runs
 * "modprobe iscsi_<name>" once when it is missing (only when sysfs_root is
 * "/sys"). RC_TRANS_NOT_FOUND if it still is not there. */
int kernel_transport_handle(const char *sysfs_root, const char *name, uint64_t *handle);

/* Opens a request socket and finds the tcp transport. sysfs_root NULL means
 * $ISCSI_SYSFS_ROOT or "/sys". */
int kernel_open(struct kern *k, const char *sysfs_root);
void kernel_close(struct kern *k);

/* CREATE_SESSION: the kernel allocates a SCSI host and a session id. */
int kernel_create_session(struct kern *k, uint32_t initial_cmdsn, uint16_t cmds_max,
			  uint16_t queue_depth, uint32_t *sid, uint32_t *host_no);
/* DESTROY_SESSION (sync: returns after the SCSI host is gone) or, with
 * async set, DESTROY_SESSION_ASYNC (returns at once; the teardown runs in a
 * kernel work queue and never holds the netlink mutex other sessions need). */
int kernel_destroy_session(struct kern *k, uint32_t sid, int async);
int kernel_create_conn(struct kern *k, uint32_t sid, uint32_t cid, uint32_t *cid_out);
int kernel_destroy_conn(struct kern *k, uint32_t sid, uint32_t cid);
/* BIND_CONN: hands the connected, logged-in TCP socket fd to the kernel
 * (it takes its own reference; fd must belong to this process). */
int kernel_bind_conn(struct kern *k, uint32_t sid, uint32_t cid, int fd, int leading);
/* SET_PARAM with the value as text, as the kernel parses it. */
int kernel_set_param(struct kern *k, uint32_t sid, uint32_t cid, enum nl_param p,
		     const char *value);
int kernel_start_conn(struct kern *k, uint32_t sid, uint32_t cid);
/* flag: NL_STOP_TERM (teardown) or NL_STOP_RECOVER (keep the session,
 * queue I/O until a new connection is started or recovery_tmo expires). */
int kernel_stop_conn(struct kern *k, uint32_t sid, uint32_t cid, uint32_t flag);
/* SEND_PDU: the kernel fills ITT, CmdSN and ExpStatSN of hdr itself. */
int kernel_send_pdu(struct kern *k, uint32_t sid, uint32_t cid,
		    const uint8_t hdr[NL_ISCSI_HDR_LEN], const uint8_t *data, size_t dlen);

/* ---- events (main loop) ---- */
struct kevents {
	struct nl_sock ke_nl;
	uint8_t *ke_buf;          /* NL_BUF_MAX bytes */
	uint8_t *ke_batch;        /* KEVENTS_BATCH slots of NL_BUF_MAX, on first use */
};
#define KEVENTS_BATCH 64
int kevents_open(struct kevents *ke);
void kevents_close(struct kevents *ke);
static inline int kevents_fd(const struct kevents *ke) { return ke->ke_nl.ns_fd; }
/* Reads one event (timeout_ms 0 = poll, -1 = wait). ev's data pointer is
 * valid until the next call. RC_OK, RC_TRANS_TIMEOUT (none), RC_AGAIN
 * (events lost: resynchronise from sysfs), RC_TRANS. */
int kevents_read(struct kevents *ke, struct nl_event *ev, int timeout_ms);
/* The main loop's read: up to KEVENTS_BATCH waiting events in one system
 * call, without waiting (*n = 0: none). Data pointers stay valid until the
 * next call. Same results as kevents_read, never RC_TRANS_TIMEOUT. */
int kevents_read_batch(struct kevents *ke, struct nl_event ev[KEVENTS_BATCH], unsigned *n);
/* Reads events until session sid receives a PDU with opcode op (RC_OK, ev
 * holds it) or the kernel reports its connection failed (RC_TRANS); other
 * events are dropped. RC_TRANS_TIMEOUT once end (net_now_ms()) passes. */
int kevents_wait_pdu(struct kevents *ke, uint32_t sid, uint8_t op, int64_t end,
		     struct nl_event *ev);

#endif
