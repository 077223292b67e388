/* iscsid's poll loop and request handling (see daemon.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "err.h"
#include "kernel.h"
#include "log.h"
#include "sess.h"
#include "sess_events.h"

struct daemon {
	int d_listen;
	int d_sigfd;
	struct sess_table d_sess;
	struct sess_events *d_events;  /* kernel event socket, may be NULL */
};

struct client {
	struct daemon *c_d;
	int c_fd;
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

void daemon_dispatch(struct sess_table *t, const struct ipc_msg *req,
		     struct ipc_msg *rsp)
{
	uint32_t sid = 0, lun = 0;
	int rc;

	ipc_msg_init(rsp, req->im_op);
	switch (req->im_op) {
	case IPC_OP_PING:
		rc = RC_OK;
		break;
	case IPC_OP_LOGIN:
		rc = sess_login(t, req, rsp);
		break;
	case IPC_OP_LOGOUT:
		rc = ipc_get_u32(req, IPC_T_SID, &sid);
		rc = rc ? RC_INVALID_MGMT_REQ : sess_logout(t, (int)sid);
		break;
	case IPC_OP_RESCAN:
		rc = ipc_get_u32(req, IPC_T_SID, &sid);
		/* every u32 is a LUN; only an absent LUN means all of them */
		rc = rc ? RC_INVALID_MGMT_REQ
			: sess_rescan(t, (int)sid, ipc_get_u32(req, IPC_T_LUN, &lun) == RC_OK ? (int64_t)lun : -1);
		break;
	case IPC_OP_SESSION_INFO:
		rc = ipc_get_u32(req, IPC_T_SID, &sid);
		rc = sess_info_put(t, rc ? -1 : (int)sid, rsp);
		break;
	case IPC_OP_CONFIG:
		rc = ipc_put_str(rsp, IPC_T_INAME, t->st_iname ? t->st_iname : "");
		if (!rc && t->st_config)
			rc = ipc_put_str(rsp, IPC_T_CONFIG, t->st_config);
		break;
	default:
		rc = RC_INVALID_MGMT_REQ;
	}
	rsp->im_rc = rc;
}

/* Answers a refused request so the client sees why instead of a hang. */
static void client_refuse(int fd, int rc)
{
	struct ipc_msg *m = malloc(sizeof(*m));

	if (!m)
		return;
	ipc_msg_init(m, IPC_OP_PING);
	m->im_rc = rc;
	ipc_send(fd, m);
	free(m);
	/* unread input at close would reset the connection before the client
	 * reads our answer: say we are done, then drain a little */
	shutdown(fd, SHUT_WR);
	for (int i = 0; i < 16; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char junk[4096];

		if (poll(&p, 1, 200) <= 0 || recv(fd, junk, sizeof(junk), 0) <= 0)
			break;
	}
}

static void client_serve(struct daemon *d, int fd)
{
	struct ipc_msg *req = malloc(sizeof(*req)), *rsp = malloc(sizeof(*rsp));
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;
	int rc;

	if (!req || !rsp)
		goto out;
	if (ipc_peer_uid(fd, &uid, &pid) < 0 || uid != 0) {
		log_warn("refusing request from non-root peer (uid %d, pid %d)",
			 (int)uid, (int)pid);
		client_refuse(fd, RC_ACCESS);
		goto out;
	}
	rc = ipc_recv(fd, req, DAEMON_REQ_TIMEOUT_MS);
	if (rc) {
		log_error("refusing malformed request from pid %d: %s", (int)pid,
			  rc == RC_ISCSID_NOTCONN ? "incomplete after the time allowed" :
			  rc == RC_INVALID_MGMT_REQ ? "bad magic, version, op, length or field" :
			  "connection closed mid-request");
		client_refuse(fd, RC_INVALID_MGMT_REQ);
		goto out;
	}
	log_debug("request %s from pid %d", ipc_op_name(req->im_op), (int)pid);
	daemon_dispatch(&d->d_sess, req, rsp);
	if (ipc_send(fd, rsp) != RC_OK)
		log_warn("pid %d went away before its %s answer", (int)pid,
			 ipc_op_name(req->im_op));
out:
	free(req);
	free(rsp);
	close(fd);
}

static void *client_thread(void *arg)
{
	struct client *c = arg;

	client_serve(c->c_d, c->c_fd);
	free(c);
	return NULL;
}

static void daemon_accept(struct daemon *d)
{
	int fd = accept4(d->d_listen, NULL, NULL, SOCK_CLOEXEC);
	struct client *c;
	pthread_attr_t a;
	pthread_t th;

	if (fd < 0)
		return;
	c = malloc(sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->c_d = d;
	c->c_fd = fd;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &a, client_thread, c) != 0) {
		log_error("cannot start a thread for a request: %s", strerror(errno));
		close(fd);
		free(c);
	}
	pthread_attr_destroy(&a);
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

	if (!strcmp(kernel_sysfs_root(NULL), "/sys"))
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

int daemon_run(struct daemon *d)
{
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = d->d_listen, .events = POLLIN },
			{ .fd = d->d_sigfd, .events = POLLIN },
			{ .fd = sess_events_fd(d->d_events), .events = POLLIN },
		};
		/* without the kernel's event socket yet (transport loaded
		 * later, e.g. by the first login), look again every 5 s */
		int r = poll(p, 3, d->d_events ? -1 : 5000);

		if (r == 0 && !d->d_events) {
			d->d_events = sess_events_open(&d->d_sess, 1);
			if (d->d_events)
				log_info("kernel iSCSI transport appeared: watching its events");
			continue;
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
			sess_events_handle(d->d_events);
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
