/* sd_notify datagram: $NOTIFY_SOCKET parsing and what reaches the socket. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "../daemon/notify.h"

static void test_addr_path(void)
{
	struct sockaddr_un sa;
	socklen_t len = 0;
	T_INTEQ(notify_addr("/run/systemd/notify", &sa, &len), 0);
	T_INTEQ(sa.sun_family, AF_UNIX);
	T_STREQ(sa.sun_path, "/run/systemd/notify");
	T_INTEQ(len, offsetof(struct sockaddr_un, sun_path) + strlen("/run/systemd/notify") + 1);
}

static void test_addr_abstract(void)
{
	struct sockaddr_un sa;
	socklen_t len = 0;
	T_INTEQ(notify_addr("@sd-notify-x", &sa, &len), 0);
	T_INTEQ(sa.sun_path[0], 0);
	T_CHECK(memcmp(sa.sun_path + 1, "sd-notify-x", 11) == 0);
	/* no terminating NUL counted: the name is exactly its bytes */
	T_INTEQ(len, offsetof(struct sockaddr_un, sun_path) + 12);
}

static void test_addr_rejects(void)
{
	struct sockaddr_un sa;
	socklen_t len = 0;
	char big[sizeof(sa.sun_path) + 2];
	T_INTEQ(notify_addr(NULL, &sa, &len), -1);
	T_INTEQ(notify_addr("", &sa, &len), -1);
	T_INTEQ(notify_addr("relative/path", &sa, &len), -1);
	T_INTEQ(notify_addr("@", &sa, &len), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	T_INTEQ(notify_addr(big, &sa, &len), -1);
	big[sizeof(sa.sun_path)] = '\0';  /* path filling sun_path: no room for NUL */
	T_INTEQ(notify_addr(big, &sa, &len), -1);
	big[0] = '@';                     /* abstract of the same size fits */
	T_INTEQ(notify_addr(big, &sa, &len), 0);
}

static void test_send_unset(void)
{
	unsetenv("NOTIFY_SOCKET");
	T_INTEQ(notify_send("READY=1"), 0);
}

/* the datagram arrives whole, on an abstract socket as systemd may use */
static void test_send_abstract(void)
{
	char name[64], env[80], buf[128];
	struct sockaddr_un sa;
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	snprintf(name, sizeof(name), "@test_notify_%d", (int)getpid());
	T_INTEQ(notify_addr(name, &sa, &len), 0);
	T_INTEQ(bind(fd, (struct sockaddr *)&sa, len), 0);
	snprintf(env, sizeof(env), "%s", name);
	setenv("NOTIFY_SOCKET", env, 1);
	T_INTEQ(notify_send("READY=1\nSTATUS=serving"), 1);
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	T_INTEQ(n, 22);
	buf[n > 0 ? n : 0] = '\0';
	T_STREQ(buf, "READY=1\nSTATUS=serving");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void test_send_nobody(void)
{
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	T_INTEQ(notify_send("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	T_RUN(test_addr_path);
	T_RUN(test_addr_abstract);
	T_RUN(test_addr_rejects);
	T_RUN(test_send_unset);
	T_RUN(test_send_abstract);
	T_RUN(test_send_nobody);
	return T_DONE();
}
