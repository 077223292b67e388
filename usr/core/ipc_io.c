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

int ipc_client_connect(void)
{
	/* a peer that never reads must not block a send for ever */
	struct timeval snd = { .tv_sec = IPC_SEND_TMO_MS / 1000 };
	struct sockaddr_un a;
	socklen_t alen = ipc_addr(&a);
	int fd = socket(AF_LOCAL, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof(snd));
	if (connect(fd, (struct sockaddr *)&a, alen) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
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

static int write_all(int fd, const uint8_t *p, size_t n)
{
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
static int read_all(int fd, uint8_t *p, size_t n, int64_t deadline)
{
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

int ipc_send(int fd, const struct ipc_msg *m)
{
	static const size_t cap = IPC_HDR_LEN + IPC_MAX_PAYLOAD;
	uint8_t *buf = malloc(cap);
	size_t n;
	int rc;

	if (!buf)
		return RC_NOMEM;
	n = ipc_encode(m, buf, cap);
	rc = n ? write_all(fd, buf, n) : RC_INVAL;
	free(buf);
	return rc;
}

int ipc_recv(int fd, struct ipc_msg *m, int timeout_ms)
{
	uint8_t hdr[IPC_HDR_LEN];
	uint8_t *buf;
	uint32_t len;
	uint16_t op;
	int32_t res;
	int64_t deadline = timeout_ms < 0 ? -1 : net_now_ms() + timeout_ms;
	int rc;

	rc = read_all(fd, hdr, sizeof(hdr), deadline);
	if (rc)
		return rc;
	if (ipc_decode_hdr(hdr, &op, &res, &len))
		return RC_INVALID_MGMT_REQ;
	buf = malloc(IPC_HDR_LEN + len);
	if (!buf)
		return RC_NOMEM;
	memcpy(buf, hdr, sizeof(hdr));
	rc = read_all(fd, buf + IPC_HDR_LEN, len, deadline);
	if (!rc)
		rc = ipc_decode(buf, IPC_HDR_LEN + len, m);
	free(buf);
	return rc;
}

int ipc_call_fd(int fd, const struct ipc_msg *req, struct ipc_msg *rsp,
		int timeout_ms)
{
	int rc = ipc_send(fd, req);

	if (rc)
		return rc;
	rc = ipc_recv(fd, rsp, timeout_ms);
	if (rc == RC_INVALID_MGMT_REQ)
		return RC_ISCSID_COMM_ERR;
	if (!rc && rsp->im_op != req->im_op)
		return RC_ISCSID_COMM_ERR;
	return rc;
}
