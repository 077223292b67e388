/* Free TCP ports for tests that start a target of their own: the range
 * 3300-3309 on the loopback, tried from a random start so test runs
 * started together rarely collide. */
#ifndef T_PORT_H
#define T_PORT_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* Non-zero when nothing listens on 127.0.0.1:port (it can be bound). */
static int t_port_free(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	int ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

/* A free port of the range other than avoid (-1: none), or -1. */
static int t_free_port(int avoid)
{
	int first = rand() % 10;
	for (int i = 0; i < 10; i++) {
		int p = 3300 + (first + i) % 10;
		if (p != avoid && t_port_free(p))
			return p;
	}
	return -1;
}

#endif
