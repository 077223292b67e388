/* Telling systemd about iscsid's state without libsystemd: the sd_notify
 * protocol is one datagram of "KEY=VALUE\n" lines sent to the AF_UNIX
 * socket named by $NOTIFY_SOCKET (a path, or "@name" for an abstract one). */
#ifndef DAEMON_NOTIFY_H
#define DAEMON_NOTIFY_H

#include <sys/socket.h>
#include <sys/un.h>

/* Fills sa/len from a $NOTIFY_SOCKET value (pure). 0 on success, -1 when
 * the value is not an absolute path or "@name", or does not fit. */
int notify_addr(const char *value, struct sockaddr_un *sa, socklen_t *len);

/* Sends state (e.g. "READY=1\nSTATUS=...") to $NOTIFY_SOCKET. Returns 1
 * when sent, 0 when iscsid does not run under systemd (no $NOTIFY_SOCKET),
 * -1 on error (logged; the caller goes on: notification is best effort). */
int notify_send(const char *state);

#endif
