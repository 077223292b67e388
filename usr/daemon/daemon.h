/* iscsid's process: start-up settings, the one poll loop over the IPC
 * listener, the kernel's event socket and signals, and the handling of
 * each iscsiadm request (one short-lived thread per client connection, so
 * a slow login never holds up another request; credentials are checked
 * before a thread is spent, and at most DAEMON_MAX_CLIENTS run at once). */
#ifndef DAEMON_DAEMON_H
#define DAEMON_DAEMON_H

#include <sys/types.h>

#include "ipc.h"

#define DAEMON_PIDFILE_DEFAULT "/run/iscsid.pid"
/* How long a client may take to send its request. */
#define DAEMON_REQ_TIMEOUT_MS 5000
/* Requests served at once; more wait in the listen backlog. */
#define DAEMON_MAX_CLIENTS 128
/* Pause before accepting again after accept4 ran out of fds. */
#define DAEMON_ACCEPT_PAUSE_MS 200
/* Lines a local flood may cause: DAEMON_LOG_BURST per window. */
#define DAEMON_LOG_BURST 10
#define DAEMON_LOG_WINDOW_MS 10000

struct daemon_cfg {
	const char *dc_config;     /* iscsid.conf path, NULL = <etc>/iscsid.conf */
	const char *dc_iname;      /* initiatorname.iscsi path, NULL = default */
	const char *dc_pidfile;    /* NULL when -n */
	int dc_foreground;         /* -f */
	int dc_debug;              /* -d */
	int dc_uid, dc_gid;        /* -u / -g, -1 = unchanged */
	int dc_listen_fd;          /* socket from systemd, -1 = bind our own */
};

struct daemon;
struct sess_table;

/* Parses systemd's LISTEN_PID / LISTEN_FDS (pure): the number of sockets
 * handed to process self (they start at fd 3), 0 when none are ours. */
int daemon_listen_fds(const char *listen_pid, const char *listen_fds, pid_t self);

/* Sets up sessions, config and the listener (cfg->dc_listen_fd or a new
 * abstract socket). RC_OK or an rc after logging why. */
int daemon_new(const struct daemon_cfg *cfg, struct daemon **out);
/* Serves until SIGTERM / SIGINT. Returns RC_OK on an orderly stop. */
int daemon_run(struct daemon *d);
void daemon_free(struct daemon *d);

/* One request, already read and checked, answered into rsp (dispatch on
 * the command, daemon_ipc.c; the session work is sess.c's). A login takes
 * the node record from the record database (secrets included) and uses
 * the request's copy only when the database has none. */
void daemon_dispatch(struct sess_table *t, const struct ipc_abi_req *req,
		     struct ipc_abi_rsp *rsp);

#endif
