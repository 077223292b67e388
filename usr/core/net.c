/* Socket edge: connect with a timeout, whole PDUs in and out against a
 * deadline. The socket stays non-blocking; every wait is poll() with the
 * time left, so a silent peer costs no CPU (open-iscsi issue #155). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "net.h"
#include "err.h"
#include "idb.h"

#define NET_FD_LIMIT 16384

void net_raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want = NET_FD_LIMIT;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		want = rl.rlim_max;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
}

int64_t net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until deadline: 1 ready, 0 timed out, -1 error. */
static int net_wait(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - net_now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = { .fd = fd, .events = events };
		int n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

static int net_try_addr(const struct addrinfo *ai, int64_t deadline, int *fd, int *err)
{
	int s = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (s < 0) {
		*err = errno;
		return RC_TRANS;
	}
	int one = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) {
		*fd = s;
		return RC_OK;
	}
	if (errno != EINPROGRESS) {
		*err = errno;
		close(s);
		return RC_TRANS;
	}
	int w = net_wait(s, POLLOUT, deadline);
	socklen_t len = sizeof(*err);
	if (w <= 0) {
		*err = w == 0 ? ETIMEDOUT : errno;
		close(s);
		return w == 0 ? RC_TRANS_TIMEOUT : RC_TRANS;
	}
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, err, &len) < 0 || *err) {
		close(s);
		return RC_TRANS;
	}
	*fd = s;
	return RC_OK;
}

int net_connect(const char *host, uint16_t port, int timeout_ms, int *fd, int *err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char sport[8];
	int64_t deadline = net_now_ms() + timeout_ms;
	int rc = RC_TRANS;

	*err = 0;
	snprintf(sport, sizeof(sport), "%u", port);
	if (getaddrinfo(host, sport, &hints, &res) != 0) {
		*err = EHOSTUNREACH;
		return RC_TRANS;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		rc = net_try_addr(ai, deadline, fd, err);
		if (rc == RC_OK || rc == RC_TRANS_TIMEOUT)
			break;
	}
	freeaddrinfo(res);
	return rc;
}

static int net_write_all(int fd, const uint8_t *b, size_t n, int64_t deadline)
{
	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return RC_TRANS;
		int r = net_wait(fd, POLLOUT, deadline);
		if (r <= 0)
			return r == 0 ? RC_TRANS_TIMEOUT : RC_TRANS;
	}
	return RC_OK;
}

int net_send_pdu(int fd, const struct pdu *p, bool hdig, bool ddig, int64_t deadline)
{
	size_t n = pdu_wire_len(p, hdig, ddig);
	uint8_t *buf = malloc(n);

	if (!buf)
		return RC_NOMEM;
	int rc = pdu_encode(p, hdig, ddig, buf, n) == n ? net_write_all(fd, buf, n, deadline)
							 : RC_INTERNAL;
	free(buf);
	return rc;
}

/* Reads exactly n bytes; *why says what went wrong. */
static int net_read_all(int fd, uint8_t *b, size_t n, int64_t deadline, const char **why)
{
	while (n > 0) {
		ssize_t r = recv(fd, b, n, 0);
		if (r > 0) {
			b += r;
			n -= (size_t)r;
			continue;
		}
		if (r == 0) {
			*why = "connection closed by peer";
			return RC_TRANS;
		}
		if (errno != EAGAIN && errno != EINTR) {
			*why = strerror(errno);
			return RC_TRANS;
		}
		int w = net_wait(fd, POLLIN, deadline);
		if (w <= 0) {
			*why = w == 0 ? "timed out waiting for the peer" : strerror(errno);
			return w == 0 ? RC_TRANS_TIMEOUT : RC_TRANS;
		}
	}
	return RC_OK;
}

int net_recv_pdu(int fd, struct pdu *p, bool hdig, bool ddig, size_t max_dlen,
		 int64_t deadline, const char **why)
{
	uint8_t bhs[PDU_BHS_LEN];
	const char *dummy;
	int rc;

	if (!why)
		why = &dummy;
	*why = "";
	rc = net_read_all(fd, bhs, sizeof(bhs), deadline, why);
	if (rc)
		return rc;
	long rest = pdu_bhs_rest(bhs, hdig, ddig, max_dlen);
	if (rest < 0) {
		*why = "data segment longer than negotiated";
		return RC_TRANS;
	}
	uint8_t *buf = malloc(PDU_BHS_LEN + (size_t)rest);
	if (!buf)
		return RC_NOMEM;
	memcpy(buf, bhs, PDU_BHS_LEN);
	rc = net_read_all(fd, buf + PDU_BHS_LEN, (size_t)rest, deadline, why);
	if (rc == RC_OK && pdu_decode(buf, PDU_BHS_LEN + (size_t)rest, hdig, ddig, max_dlen, p)) {
		*why = "malformed PDU or digest error";
		rc = RC_TRANS;
	}
	free(buf);
	return rc;
}

/* The one portal parser is iscsiadm's (idb_portal_parse); a target's
 * address has no portal group tag. */
int net_portal_parse(const char *s, uint16_t default_port, char *host, size_t cap,
		     uint16_t *port)
{
	int p, tpgt;

	if (idb_portal_parse(s, host, cap, &p, &tpgt) != RC_OK || tpgt != -1)
		return -EINVAL;
	*port = p >= 0 ? (uint16_t)p : default_port;
	return 0;
}
