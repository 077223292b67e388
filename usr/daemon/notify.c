/* sd_notify's datagram, written here: iscsid must not depend on libsystemd
 * (the project has no third-party libraries), and the protocol is small. */
#include "notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

int notify_addr(const char *value, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n;

	if (!value || (value[0] != '/' && value[0] != '@'))
		return -1;
	n = strlen(value);
	if (n < 2 || n > sizeof(sa->sun_path))
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, value, n);
	/* abstract: the name starts with a NUL byte and is not terminated */
	if (value[0] == '@')
		sa->sun_path[0] = '\0';
	else if (n == sizeof(sa->sun_path))
		return -1;  /* a path needs its terminating NUL */
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (value[0] == '/'));
	return 0;
}

int notify_send(const char *state)
{
	const char *value = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t len;
	ssize_t n;
	int fd;

	if (!value || !*value)
		return 0;
	if (notify_addr(value, &sa, &len) < 0) {
		log_warn("NOTIFY_SOCKET=%s is not a socket address; systemd not told", value);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("cannot tell systemd %s: socket: %s", state, strerror(errno));
		return -1;
	}
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	if (n < 0)
		log_warn("cannot tell systemd %s: %s", state, strerror(errno));
	close(fd);
	return n < 0 ? -1 : 1;
}
