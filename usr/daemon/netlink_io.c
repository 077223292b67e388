/* The socket half of netlink.h: open, request/reply, receive. Only the
 * kernel (port id 0) is believed. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "netlink.h"
#include "err.h"
#include "log.h"
#include "net.h"

/* Bursts of events from many sessions. Overflowing is not just lost
 * events: the kernel fails the connection of an AEN it could not deliver. */
#define NL_EVENT_RCVBUF (16 << 20)

int nl_open(struct nl_sock *s, int groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	int fd, sz = NL_EVENT_RCVBUF;

	s->ns_fd = -1;
	s->ns_seq = 0;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NL_ISCSI_PROTO);
	if (fd < 0) {
		log_error("netlink: cannot open NETLINK_ISCSI socket: %s "
			  "(is scsi_transport_iscsi loaded?)", strerror(errno));
		return errno == EPROTONOSUPPORT ? RC_TRANS_NOT_FOUND : RC_TRANS;
	}
	sa.nl_groups = groups ? 1u << (groups - 1) : 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		log_error("netlink: bind: %s", strerror(errno));
		close(fd);
		return RC_TRANS;
	}
	if (groups && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	s->ns_fd = fd;
	s->ns_portid = sa.nl_pid;
	return RC_OK;
}

void nl_close(struct nl_sock *s)
{
	if (s->ns_fd >= 0)
		close(s->ns_fd);
	s->ns_fd = -1;
}

/* Waits for readability until deadline (-1: forever). */
static int wait_readable(int fd, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		int left = deadline < 0 ? -1 : (int)(deadline - net_now_ms());
		int n;

		if (deadline >= 0 && left < 0)
			left = 0;
		n = poll(&p, 1, left);
		if (n > 0)
			return RC_OK;
		if (n == 0)
			return RC_TRANS_TIMEOUT;
		if (errno != EINTR)
			return RC_TRANS;
	}
}

/* One datagram from the kernel (the batch read below, one at a time);
 * others' messages are dropped. */
static int recv_one(struct nl_sock *s, uint8_t *buf, size_t cap, struct nl_event *ev,
		    int64_t deadline)
{
	for (;;) {
		unsigned n = 0;
		int rc = wait_readable(s->ns_fd, deadline);

		if (rc == RC_OK)
			rc = nl_recv_batch(s, buf, cap, ev, 1, &n);
		if (rc != RC_OK || n == 1)
			return rc;
	}
}

static int send_all(struct nl_sock *s, const uint8_t *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	for (;;) {
		ssize_t n = sendto(s->ns_fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
		if (n == (ssize_t)len)
			return RC_OK;
		if (n < 0 && errno == EINTR)
			continue;
		log_error("netlink: send: %s", n < 0 ? strerror(errno) : "short write");
		return RC_TRANS;
	}
}

int nl_send(struct nl_sock *s, const struct nl_msg *m)
{
	uint8_t out[NL_HDR_LEN + NL_UEVENT_LEN + 4];
	size_t len = nl_encode(m, NULL, 0, ++s->ns_seq, s->ns_portid, out, sizeof(out));

	return len ? send_all(s, out, len) : RC_INVAL;
}

int nl_request(struct nl_sock *s, const struct nl_msg *m, const void *payload,
	       size_t plen, uint8_t *rbuf, size_t rcap, struct nl_event *reply,
	       int timeout_ms)
{
	size_t cap = NL_HDR_LEN + NL_UEVENT_LEN + plen + 4;
	uint8_t *out = malloc(cap);
	int64_t deadline = net_now_ms() + timeout_ms;
	size_t len;
	int rc;

	if (!out)
		return RC_NOMEM;
	len = nl_encode(m, payload, plen, ++s->ns_seq, s->ns_portid, out, cap);
	rc = len ? send_all(s, out, len) : RC_INVAL;
	free(out);
	while (rc == RC_OK) {
		rc = recv_one(s, rbuf, rcap, reply, deadline);
		if (rc == RC_OK && reply->ne_nl_type == m->nm_type)
			return RC_OK;
		if (rc == RC_OK)   /* a late reply to an earlier, timed-out request */
			log_debug("netlink: stale %s reply dropped", nl_type_name(reply->ne_nl_type));
	}
	if (rc == RC_TRANS_TIMEOUT) {
		log_error("netlink: no reply to %s in %d ms", nl_type_name(m->nm_type), timeout_ms);
		/* replies carry no sequence number: a late one must not be taken
		 * for the answer to the next request, so start a fresh socket */
		nl_close(s);
		if (nl_open(s, 0) != RC_OK)
			log_error("netlink: cannot reopen the request socket");
	}
	return rc;
}

int nl_recv(struct nl_sock *s, uint8_t *buf, size_t cap, struct nl_event *ev, int timeout_ms)
{
	return recv_one(s, buf, cap, ev, timeout_ms < 0 ? -1 : net_now_ms() + timeout_ms);
}

#define NL_BATCH_MAX 64

int nl_recv_batch(struct nl_sock *s, uint8_t *buf, size_t cap, struct nl_event *ev,
		  unsigned max, unsigned *n)
{
	struct sockaddr_nl from[NL_BATCH_MAX];
	struct iovec iov[NL_BATCH_MAX];
	struct mmsghdr mm[NL_BATCH_MAX];
	int got;

	*n = 0;
	if (max > NL_BATCH_MAX)
		max = NL_BATCH_MAX;
	for (unsigned i = 0; i < max; i++) {
		iov[i].iov_base = buf + i * cap;
		iov[i].iov_len = cap;
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_name = &from[i];
		mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	do
		got = recvmmsg(s->ns_fd, mm, max, MSG_DONTWAIT, NULL);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		if (errno == EAGAIN)
			return RC_OK;
		if (errno == ENOBUFS) {
			log_warn("netlink: kernel events were lost (receive buffer full)");
			return RC_AGAIN;
		}
		log_error("netlink: recv: %s", strerror(errno));
		return RC_TRANS;
	}
	for (int i = 0; i < got; i++) {
		size_t len = mm[i].msg_len;

		if (from[i].nl_pid != 0)
			continue;
		if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
			log_error("netlink: message larger than %zu bytes dropped", cap);
			continue;
		}
		if (nl_decode(iov[i].iov_base, len, &ev[*n]) == 0)
			(*n)++;
		else
			log_warn("netlink: malformed message of %zu bytes ignored", len);
	}
	return RC_OK;
}
