/* Socket edge for iSCSI: non-blocking connect with a timeout (IPv4 and
 * IPv6), and sending / receiving whole PDUs against a deadline. Every wait
 * is a poll() with the time left, so a silent peer costs no CPU. */
#ifndef CORE_NET_H
#define CORE_NET_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "pdu.h"

/* Monotonic clock in milliseconds; deadlines are absolute values of it. */
int64_t net_now_ms(void);
/* Raises this process's soft limit on open files towards 16384, as far as
 * the hard limit allows: iscsid keeps a socket per session and iscsiadm
 * one per request in flight, 1024 of them at once on a large host. Stock
 * raises the hard limit too; an operator's hard limit is kept here. */
void net_raise_fd_limit(void);

/* Connects to host (numeric IPv4/IPv6 or a name) and port within
 * timeout_ms. Returns an enum iscsi_rc: RC_OK with *fd set (blocking mode
 * off, close-on-exec), RC_TRANS on refusal/unreachable (errno kept in
 * *err), RC_TRANS_TIMEOUT when the time ran out. */
int net_connect(const char *host, uint16_t port, int timeout_ms, int *fd, int *err);

/* Whole-PDU I/O. Return RC_OK, RC_TRANS (peer closed, reset, garbage
 * framing or digest error; *why says which), RC_TRANS_TIMEOUT (deadline). */
int net_send_pdu(int fd, const struct pdu *p, bool hdig, bool ddig, int64_t deadline);
int net_recv_pdu(int fd, struct pdu *p, bool hdig, bool ddig, size_t max_dlen,
		 int64_t deadline, const char **why);

/* Splits "IP", "IP:PORT", "[V6]", "[V6]:PORT", "V6" (no brackets, no
 * port) into host and port (default_port if none), as idb_portal_parse
 * does (port 0 taken, as stock takes it); a ",TPGT" is refused. Returns
 * 0 / -EINVAL. */
int net_portal_parse(const char *s, uint16_t default_port, char *host, size_t cap,
		     uint16_t *port);

#endif
