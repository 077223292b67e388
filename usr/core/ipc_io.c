/* iscsiadm <-> iscsid protocol: the socket edge (abstract unix socket). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "ipc.h"
#include "net.h"

const char *ipc_name(void)
{
	const char *n = getenv(IPC_NAME_ENV);

	return (n && *n) ? n : IPC_DEFAULT_NAME;
}

/* Abstract address: sun_path[0] is NUL, the name follows without one. */
static socklen_t ipc_addr(struct sockaddr_un *a)
{
	const char *n = ipc_name();
	size_t len = strlen(n);

	if (len > sizeof(a->sun_path) - 1)
		len = sizeof(a->sun_path) - 1;
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_LOCAL;
	memcpy(a->sun_path + 1, n, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

/* Backlog full (EAGAIN once SO_SNDTIMEO runs out): iscsid is busy, a
 * 1024-record "-L all" say, not gone. Stock backs off 1 s, 2 s, ... 64 s
 * and so does this; any other error returns at once. */
#define IPC_CONNECT_BACKOFF_MAX_S 64

int ipc_client_connect(void)
{
	/* a peer that never reads must not block a send for ever */
	struct timeval snd = { .tv_sec = IPC_SEND_TMO_MS / 1000 };
	struct sockaddr_un a;
	socklen_t alen = ipc_addr(&a);

	for (unsigned nsec = 1;; nsec <<= 1) {
		int fd = socket(AF_LOCAL, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

		if (fd < 0)
			return -errno;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof(snd));
		if (connect(fd, (struct sockaddr *)&a, alen) == 0)
			return fd;
		e = errno;
		close(fd);
		if (e != EAGAIN || nsec > IPC_CONNECT_BACKOFF_MAX_S)
			return -e;
		sleep(nsec);
	}
}

int ipc_server_listen(void)
{
	struct sockaddr_un a;
	socklen_t alen = ipc_addr(&a);
	int fd = socket(AF_LOCAL, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, alen) < 0 || listen(fd, 64) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int ipc_peer_uid(int fd, uid_t *uid, pid_t *pid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 ||
	    len != sizeof(cr))
		return -1;
	*uid = cr.uid;
	if (pid)
		*pid = cr.pid;
	return 0;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return RC_ISCSID_COMM_ERR;
		p += w;
		n -= (size_t)w;
	}
	return RC_OK;
}

/* Read exactly n bytes; the whole message shares one deadline (< 0: none). */
static int read_all(int fd, void *buf, size_t n, int64_t deadline)
{
	uint8_t *p = buf;

	while (n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - net_now_ms();
		int r = poll(&pfd, 1, deadline < 0 ? -1 : left > 0 ? (int)left : 0);
		ssize_t got;

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return RC_REQ_TIMEDOUT;
		if (r < 0)
			return RC_ISCSID_COMM_ERR;
		got = recv(fd, p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return RC_ISCSID_COMM_ERR;
		p += got;
		n -= (size_t)got;
	}
	return RC_OK;
}

static int64_t deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : net_now_ms() + timeout_ms;
}

int ipc_req_send(int fd, const struct ipc_abi_req *r)
{
	return write_all(fd, r, sizeof(*r));
}

int ipc_rsp_send(int fd, const struct ipc_abi_rsp *r)
{
	return write_all(fd, r, sizeof(*r));
}

int ipc_req_recv(int fd, struct ipc_abi_req *r, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	uint8_t junk[4096];
	size_t left;
	int rc = read_all(fd, r, sizeof(*r), deadline);

	if (rc || r->ar_payload_len > IPC_PAYLOAD_MAX)
		return rc;
	/* notifications carry strings we have no use for */
	for (left = r->ar_payload_len; left && !rc; ) {
		size_t n = left < sizeof(junk) ? left : sizeof(junk);

		rc = read_all(fd, junk, n, deadline);
		left -= n;
	}
	return rc;
}

int ipc_rsp_recv(int fd, struct ipc_abi_rsp *r, int timeout_ms)
{
	return read_all(fd, r, sizeof(*r), deadline_of(timeout_ms));
}
