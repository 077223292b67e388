/* iscsid: options, daemonising, pid file, privileges; the work is in
 * daemon.c and sess.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "err.h"
#include "log.h"
#include "net.h"
#include "notify.h"

static const struct option main_longopts[] = {
	{ "config",        required_argument, NULL, 'c' },
	{ "initiatorname", required_argument, NULL, 'i' },
	{ "foreground",    no_argument,       NULL, 'f' },
	{ "debug",         required_argument, NULL, 'd' },
	{ "uid",           required_argument, NULL, 'u' },
	{ "gid",           required_argument, NULL, 'g' },
	{ "no-pid-file",   no_argument,       NULL, 'n' },
	{ "pid",           required_argument, NULL, 'p' },
	{ "help",          no_argument,       NULL, 'h' },
	{ "version",       no_argument,       NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

static void main_usage(int status)
{
	if (status) {
		fprintf(stderr, "Try `iscsid --help' for more information.\n");
		exit(status);
	}
	printf("Usage: iscsid [OPTION]\n"
	       "Open-iSCSI initiator daemon (autoscan control).\n"
	       "  -c, --config=[path]     Execute using the config file (<etc>/iscsid.conf).\n"
	       "  -i, --initiatorname=[path]     read initiatorname from file (<etc>/initiatorname.iscsi).\n"
	       "  -f, --foreground        Make the program run in the foreground\n"
	       "  -d, --debug debuglevel  Print debugging information\n"
	       "  -u, --uid=uid           Run as uid, default is current user\n"
	       "  -g, --gid=gid           Run as gid, default is current user group\n"
	       "  -n, --no-pid-file       Do not use a pid file\n"
	       "  -p, --pid=pidfile       Use pid file (default " DAEMON_PIDFILE_DEFAULT ").\n"
	       "  -h, --help              Display this help and exit\n"
	       "  -v, --version           Display version and exit\n");
	exit(0);
}

static int main_num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 0x7fffffff) {
		fprintf(stderr, "iscsid: invalid number '%s'\n", s);
		main_usage(1);
	}
	return (int)v;
}

static void main_parse(int argc, char **argv, struct daemon_cfg *c)
{
	int ch;

	memset(c, 0, sizeof(*c));
	c->dc_pidfile = DAEMON_PIDFILE_DEFAULT;
	c->dc_uid = c->dc_gid = -1;
	c->dc_listen_fd = -1;
	while ((ch = getopt_long(argc, argv, "c:i:fd:u:g:np:hv", main_longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'c': c->dc_config = optarg; break;
		case 'i': c->dc_iname = optarg; break;
		case 'f': c->dc_foreground = 1; break;
		case 'd': c->dc_debug = main_num(optarg); break;
		case 'u': c->dc_uid = main_num(optarg); break;
		case 'g': c->dc_gid = main_num(optarg); break;
		case 'n': c->dc_pidfile = NULL; break;
		case 'p': c->dc_pidfile = optarg; break;
		case 'h': main_usage(0); break;
		case 'v':
			printf("iscsid version %s\n", PROJECT_VERSION);
			exit(0);
		default: main_usage(1);
		}
	}
	if (optind < argc)
		main_usage(1);
}

/* A locked pid file keeps a second iscsid from starting. */
static int main_pidfile(const char *path)
{
	char buf[32];
	int fd, n;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_error("Unable to create/lock pid file %s: %s", path, strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)n) != n) {
		log_error("Unable to write pid file %s", path);
		return -1;
	}
	return 0;  /* fd stays open: the lock lives as long as we do */
}

/* Fork; the parent exits 0 once the child says it is serving, so
 * "Type=forking" and scripts see a ready daemon. */
static int main_background(int *ready_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	setsid();
	if (chdir("/") < 0)
		return -1;
	int nul = open("/dev/null", O_RDWR);

	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		if (nul > 2)
			close(nul);
	}
	*ready_fd = p[1];
	return 0;
}

/* Root's supplementary groups (disk, shadow, ...) must not survive the
 * drop: the user's own groups when it has a passwd entry, else only gid. */
static int main_groups(const struct daemon_cfg *c)
{
	gid_t gid = c->dc_gid >= 0 ? (gid_t)c->dc_gid : getgid();
	struct passwd *pw = c->dc_uid >= 0 ? getpwuid((uid_t)c->dc_uid) : NULL;

	if (c->dc_uid < 0 && c->dc_gid < 0)
		return 0;
	if (pw && c->dc_gid < 0)
		gid = pw->pw_gid;
	if (pw ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) {
		log_error("Unable to set the supplementary groups: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int main_privs(const struct daemon_cfg *c)
{
	if (main_groups(c) < 0)
		return -1;
	if (c->dc_gid >= 0 && setgid((gid_t)c->dc_gid) < 0) {
		log_error("Unable to setgid to %d", c->dc_gid);
		return -1;
	}
	if (c->dc_uid >= 0 && setuid((uid_t)c->dc_uid) < 0) {
		log_error("Unable to setuid to %d", c->dc_uid);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon_cfg cfg;
	struct daemon *d;
	int ready = -1, rc;

	log_set_prog("iscsid");
	net_raise_fd_limit();   /* a socket per session: 1024 sessions and more */
	main_parse(argc, argv, &cfg);
	log_set_level(cfg.dc_debug);
	if (daemon_listen_fds(getenv("LISTEN_PID"), getenv("LISTEN_FDS"), getpid()) > 0)
		cfg.dc_listen_fd = 3;  /* SD_LISTEN_FDS_START */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	if (!cfg.dc_foreground) {
		if (main_background(&ready) < 0) {
			log_error("cannot daemonise: %s", strerror(errno));
			return RC_INTERNAL;
		}
		log_set_syslog(1);
	}
	if (main_pidfile(cfg.dc_pidfile) < 0)
		return RC_INTERNAL;
	rc = daemon_new(&cfg, &d);
	if (rc)
		return rc;
	if (main_privs(&cfg) < 0)
		return RC_INTERNAL;
	log_info("iscsid %s serving @%s", PROJECT_VERSION, ipc_name());
	if (ready >= 0 && (write(ready, "r", 1) != 1 || close(ready) < 0))
		log_warn("could not tell the parent we are ready");
	/* Type=notify: systemd orders iscsiadm calls and boot logins after this */
	notify_send("READY=1\nSTATUS=serving requests");
	rc = daemon_run(d);
	notify_send("STOPPING=1");
	if (cfg.dc_pidfile)
		unlink(cfg.dc_pidfile);
	/* request threads may still hold the table: let exit reclaim it */
	return rc;
}
