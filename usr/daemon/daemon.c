/* iscsid's poll loop and request handling (see daemon.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "err.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "sysfs_root.h"
#include "sess.h"
#include "sess_events.h"
#include "thread.h"

/* At most burst lines per window for messages a local flood can cause;
 * only the poll loop's thread uses it. */
struct log_limit {
	int64_t ll_start;
	int ll_lines;
	int ll_dropped;
};

struct daemon {
	int d_listen;
	int d_sigfd;
	int d_clients;                 /* request threads alive (atomic) */
	int64_t d_accept_resume;       /* accept paused until (fd limit) */
	int64_t d_events_retry;        /* next look for the kernel's events */
	int64_t d_events_rest;         /* after a burst, events wait until then */
	int64_t d_events_last;         /* when events were last read */
	struct log_limit d_limit;
	struct sess_table d_sess;
	struct sess_events *d_events;  /* kernel event socket, may be NULL */
};

struct client {
	struct daemon *c_d;
	int c_fd;
	pid_t c_pid;
};

int daemon_listen_fds(const char *listen_pid, const char *listen_fds, pid_t self)
{
	char *end;
	long pid, n;

	if (!listen_pid || !listen_fds)
		return 0;
	pid = strtol(listen_pid, &end, 10);
	if (*listen_pid == '\0' || *end != '\0' || pid != (long)self)
		return 0;
	n = strtol(listen_fds, &end, 10);
	if (*listen_fds == '\0' || *end != '\0' || n < 0 || n > 64)
		return 0;
	return (int)n;
}

/* Answers a refused request so the client sees why instead of a hang.
 * Never blocks: the answer fits an empty socket buffer, and on a unix
 * socket what we sent stays readable after close even when the client's
 * request was not read. */
static void client_refuse(int fd, int cmd, int rc)
{
	struct ipc_abi_rsp m;

	ipc_rsp_init(&m, cmd);
	m.ap_err = rc;
	send(fd, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
}

/* Rate-limited log line for what any local user can provoke. */
static void daemon_log_limited(struct daemon *d, const char *fmt, ...)
{
	struct log_limit *l = &d->d_limit;
	int64_t now = net_now_ms();
	char line[256];
	va_list ap;

	if (now - l->ll_start >= DAEMON_LOG_WINDOW_MS) {
		if (l->ll_dropped)
			log_warn("%d similar messages suppressed", l->ll_dropped);
		l->ll_start = now;
		l->ll_lines = l->ll_dropped = 0;
	}
	if (l->ll_lines >= DAEMON_LOG_BURST) {
		l->ll_dropped++;
		return;
	}
	l->ll_lines++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_warn("%s", line);
}

static void client_serve(struct daemon *d, int fd, pid_t pid)
{
	struct ipc_abi_req *req = malloc(sizeof(*req));
	struct ipc_abi_rsp *rsp = malloc(sizeof(*rsp));
	int rc;

	if (!req || !rsp)
		goto out;
	rc = ipc_req_recv(fd, req, DAEMON_REQ_TIMEOUT_MS);
	if (rc) {
		log_error("refusing request from pid %d: %s", (int)pid,
			  rc == RC_REQ_TIMEDOUT ? "incomplete after the time allowed" :
			  "connection closed mid-request");
		client_refuse(fd, 0, RC_INVALID_MGMT_REQ);
		goto out;
	}
	if (ipc_req_check(req)) {
		log_error("refusing malformed request from pid %d: command %d, "
			  "payload %u bytes", (int)pid, req->ar_cmd, req->ar_payload_len);
		client_refuse(fd, req->ar_cmd, RC_INVALID_MGMT_REQ);
		goto out;
	}
	log_debug("request %s from pid %d", ipc_cmd_name(req->ar_cmd), (int)pid);
	daemon_dispatch(&d->d_sess, req, rsp);
	if (ipc_rsp_send(fd, rsp) != RC_OK)
		log_warn("pid %d went away before its %s answer", (int)pid,
			 ipc_cmd_name(req->ar_cmd));
	/* stock's -k: answered first, then the poll loop stops as on SIGTERM */
	if (req->ar_cmd == IPC_CMD_STOP && rsp->ap_err == RC_OK)
		kill(getpid(), SIGTERM);
out:
	free(req);
	free(rsp);
	close(fd);
}

static void *client_thread(void *arg)
{
	struct client *c = arg;

	client_serve(c->c_d, c->c_fd, c->c_pid);
	__atomic_sub_fetch(&c->c_d->d_clients, 1, __ATOMIC_SEQ_CST);
	free(c);
	return NULL;
}

/* Credentials are checked here, in the poll loop, so a non-root flood
 * costs an accept and a close, never a thread. */
static int client_admit(struct daemon *d, int fd, pid_t *pid)
{
	uid_t uid = (uid_t)-1;

	*pid = 0;
	if (ipc_peer_uid(fd, &uid, pid) == 0 && uid == 0)
		return 1;
	daemon_log_limited(d, "refusing request from non-root peer (uid %d, pid %d)",
			   (int)uid, (int)*pid);
	client_refuse(fd, 0, RC_ACCESS);
	close(fd);
	return 0;
}

static void daemon_accept(struct daemon *d)
{
	int fd = accept4(d->d_listen, NULL, NULL, SOCK_CLOEXEC);
	struct client *c;
	pid_t pid;
	int e;

	if (fd < 0) {
		/* out of fds: leave the client in the backlog for a while
		 * instead of polling a listener that stays readable */
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			d->d_accept_resume = net_now_ms() + DAEMON_ACCEPT_PAUSE_MS;
			daemon_log_limited(d, "cannot accept a request: %s",
					   strerror(errno));
		}
		return;
	}
	if (!client_admit(d, fd, &pid))
		return;
	c = malloc(sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->c_d = d;
	c->c_fd = fd;
	c->c_pid = pid;
	__atomic_add_fetch(&d->d_clients, 1, __ATOMIC_SEQ_CST);
	e = thread_detached(client_thread, c);
	if (e) {
		daemon_log_limited(d, "cannot start a thread for a request: %s",
				   strerror(e));
		__atomic_sub_fetch(&d->d_clients, 1, __ATOMIC_SEQ_CST);
		close(fd);
		free(c);
	}
}

/* Whether the poll loop should look at the listener now: not while the
 * fd limit was hit a moment ago, nor with DAEMON_MAX_CLIENTS requests in
 * progress (further clients wait in the backlog, bounded by their own
 * timeouts). Sets *tmo to when to look again. */
static int daemon_accepting(struct daemon *d, int *tmo)
{
	int64_t left = d->d_accept_resume - net_now_ms();

	if (left > 0) {
		if (*tmo < 0 || left < *tmo)
			*tmo = (int)left;
		return 0;
	}
	if (__atomic_load_n(&d->d_clients, __ATOMIC_SEQ_CST) >= DAEMON_MAX_CLIENTS) {
		if (*tmo < 0 || *tmo > 50)
			*tmo = 50;
		return 0;
	}
	return 1;
}

static int daemon_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* blocked in every thread created from now on */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static char *daemon_iname(const struct daemon_cfg *cfg)
{
	char *name = NULL;

	if (conf_initiator_load(cfg->dc_iname, &name) != RC_OK)
		return NULL;
	return name;
}

/* Load iscsi_tcp (and with it NETLINK_ISCSI) before subscribing to kernel
 * events, as a login would; on a test sysfs tree nothing is loaded. */
static void daemon_transport_load(void)
{
	uint64_t h;

	if (!strcmp(sysfs_root_of(NULL), SYSFS_ROOT_DEFAULT))
		kernel_transport_handle(NULL, "tcp", &h);
}

int daemon_new(const struct daemon_cfg *cfg, struct daemon **out)
{
	struct daemon *d = calloc(1, sizeof(*d));
	char *iname;
	int rc;

	if (!d)
		return RC_NOMEM;
	d->d_listen = cfg->dc_listen_fd;
	if (d->d_listen < 0)
		d->d_listen = ipc_server_listen();
	if (d->d_listen < 0) {
		log_error("can not create IPC socket @%s: %s", ipc_name(),
			  strerror(-d->d_listen));
		free(d);
		return RC_ISCSID_COMM_ERR;
	}
	d->d_sigfd = daemon_signals();
	iname = daemon_iname(cfg);
	if (!iname)
		log_warn("no initiator name: logins will fail until one is set");
	rc = sess_table_init(&d->d_sess, cfg->dc_config, iname);
	free(iname);
	if (rc) {
		daemon_free(d);
		return rc;
	}
	daemon_transport_load();
	d->d_events = sess_events_open(&d->d_sess, 0);
	d->d_events_retry = net_now_ms() + 5000;
	if (d->d_events)
		sess_takeover(&d->d_sess);
	*out = d;
	return RC_OK;
}

/* Returns 1 when a stop signal arrived. */
static int daemon_signal_read(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->d_sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			log_info("signal %u: stopping (sessions stay up)", si.ssi_signo);
			return 1;
		}
	}
	return 0;
}

/* After a burst of kernel events (an AEN storm: a target repeating
 * "REPORTED LUNS DATA HAS CHANGED" to every session) the event socket rests
 * this long, so the next wake-up reads tens of events per system call
 * instead of one each; a lone event is still handled at once. The kernel's
 * queue (NL_EVENT_RCVBUF) must never overflow meanwhile: an Asynchronous
 * Message it cannot deliver to any listener fails that session's
 * connection (libiscsi treats the failed multicast as a connection error).
 * 50 ms of 1024 sessions at 100 AENs/s is about 5000 messages, some 6 MiB.
 * Waits for Login and Logout responses (kwait.h) see the same delay during
 * a burst, nothing more. */
#define EVENTS_REST_MS 50

static void daemon_events(struct daemon *d)
{
	unsigned n = sess_events_handle(d->d_events);
	int64_t now = net_now_ms();

	/* several at once, or again soon after the last read: a burst */
	if (n > 1 || now - d->d_events_last < EVENTS_REST_MS)
		d->d_events_rest = now + EVENTS_REST_MS;
	d->d_events_last = now;
}

int daemon_run(struct daemon *d)
{
	for (;;) {
		int sink_due = sess_events_tick(d->d_events);
		int64_t now = net_now_ms();
		int resting = d->d_events && now < d->d_events_rest;
		int tmo = d->d_events ? (resting ? (int)(d->d_events_rest - now) : -1) :
			  (int)(d->d_events_retry > now ? d->d_events_retry - now : 0);
		int listening;

		if (sink_due >= 0 && (tmo < 0 || sink_due < tmo))
			tmo = sink_due;
		listening = daemon_accepting(d, &tmo);
		struct pollfd p[3] = {
			{ .fd = listening ? d->d_listen : -1, .events = POLLIN },
			{ .fd = d->d_sigfd, .events = POLLIN },
			{ .fd = resting ? -1 : sess_events_fd(d->d_events), .events = POLLIN },
		};
		/* without the kernel's event socket yet (transport loaded
		 * later, e.g. by the first login), look again every 5 s */
		int r = poll(p, 3, tmo);

		if (!d->d_events && net_now_ms() >= d->d_events_retry) {
			d->d_events_retry = net_now_ms() + 5000;
			d->d_events = sess_events_open(&d->d_sess, 1);
			if (d->d_events)
				log_info("kernel iSCSI transport appeared: watching its events");
		}

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			log_error("poll: %s", strerror(errno));
			return RC_INTERNAL;
		}
		if (p[1].revents && daemon_signal_read(d))
			return RC_OK;
		if (p[0].revents & POLLIN)
			daemon_accept(d);
		if (p[2].revents)
			daemon_events(d);
	}
}

void daemon_free(struct daemon *d)
{
	if (!d)
		return;
	sess_events_close(d->d_events);
	if (d->d_listen >= 0)
		close(d->d_listen);
	if (d->d_sigfd >= 0)
		close(d->d_sigfd);
	sess_table_fini(&d->d_sess);
	free(d);
}
