/* libopeniscsiusr on the fake sysfs trees of usr/tests/data/sysfs (run from
 * the top directory, as make check does): context and logging, sessions of
 * a healthy machine, a session in recovery, no session at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "libopeniscsiusr/libopeniscsiusr.h"
#include "usr_sysfs.h"

#define TREES "usr/tests/data/sysfs/"

static struct iscsi_context *ctx_on(const char *tree)
{
	setenv("ISCSI_SYSFS_ROOT", tree, 1);
	return iscsi_context_new();
}

static int logged;
static void count_log(struct iscsi_context *ctx, int priority, const char *file,
		      int line, const char *func, const char *fmt, va_list ap)
{
	(void)ctx; (void)priority; (void)file; (void)line; (void)func; (void)fmt; (void)ap;
	logged++;
}

static void test_context(void)
{
	struct iscsi_context *ctx = ctx_on(TREES "two-sessions");
	int x;

	T_CHECK(ctx != NULL);
	T_INTEQ(iscsi_context_log_priority_get(ctx), LIBISCSI_LOG_PRIORITY_WARNING);
	iscsi_context_userdata_set(ctx, &x);
	T_CHECK(iscsi_context_userdata_get(ctx) == &x);
	T_STREQ(iscsi_log_priority_str(LIBISCSI_LOG_PRIORITY_DEBUG), "DEBUG");
	T_STREQ(iscsi_log_priority_str(42), "Invalid argument");
	T_STREQ(iscsi_strerror(LIBISCSI_OK), "OK");
	T_STREQ(iscsi_strerror(LIBISCSI_ERR_SYSFS_LOOKUP), "Could not lookup object in sysfs");
	T_STREQ(iscsi_strerror(-5), "Invalid argument");
	iscsi_context_free(ctx);
	iscsi_context_free(NULL);
}

/* Messages below the priority never reach the log function. */
static void test_log_priority(void)
{
	struct iscsi_context *ctx = ctx_on(TREES "two-sessions");
	struct iscsi_session *se = (struct iscsi_session *)1;

	iscsi_context_log_func_set(ctx, count_log);
	logged = 0;
	T_INTEQ(iscsi_session_get(ctx, 77, &se), LIBISCSI_ERR_SESS_NOT_FOUND);
	T_CHECK(se == NULL);
	T_INTEQ(logged, 0);	/* "does not exist" is INFO, default is WARNING */
	iscsi_context_log_priority_set(ctx, LIBISCSI_LOG_PRIORITY_DEBUG);
	T_INTEQ(iscsi_session_get(ctx, 77, &se), LIBISCSI_ERR_SESS_NOT_FOUND);
	T_CHECK(logged > 0);
	iscsi_context_free(ctx);
}

static void check_healthy(struct iscsi_session *se, uint32_t sid, const char *iqn,
			  int32_t port, uint32_t host)
{
	struct iscsi_iface *f = iscsi_session_iface_get(se);

	T_INTEQ(iscsi_session_sid_get(se), sid);
	T_STREQ(iscsi_session_target_name_get(se), iqn);
	T_STREQ(iscsi_session_address_get(se), "10.0.2.2");
	T_STREQ(iscsi_session_persistent_address_get(se), "10.0.2.2");
	T_INTEQ(iscsi_session_port_get(se), port);
	T_INTEQ(iscsi_session_persistent_port_get(se), port);
	T_INTEQ(iscsi_session_tpgt_get(se), 1);
	T_INTEQ(iscsi_session_host_no_get(se), host);
	T_STREQ(iscsi_session_state_get(se), "LOGGED_IN");
	T_STREQ(iscsi_session_conn_state_get(se), "up");
	T_INTEQ(iscsi_session_recovery_tmo_get(se), 120);
	T_INTEQ(iscsi_session_abort_tmo_get(se), 15);
	T_INTEQ(iscsi_session_creator_get(se), 412);
	T_INTEQ(iscsi_session_nego_get(se, ISCSI_NEGO_MAX_BURST_LEN), 262144);
	T_INTEQ(iscsi_session_nego_get(se, ISCSI_NEGO_HEADER_DIGEST), 0);
	T_INTEQ(iscsi_session_nego_get(se, ISCSI_NEGO_IMMEDIATE_DATA), 1);
	T_INTEQ(iscsi_session_nego_get(se, ISCSI_NEGO_COUNT), -1);
	T_CHECK(f != NULL);
	if (!f)
		return;
	T_STREQ(iscsi_iface_name_get(f), "default");
	T_STREQ(iscsi_iface_transport_name_get(f), "tcp");
	T_STREQ(iscsi_iface_ipaddress_get(f), "10.0.2.15");
	T_STREQ(iscsi_iface_hwaddress_get(f), "default");
	T_STREQ(iscsi_iface_netdev_get(f), "default");
	T_STREQ(iscsi_iface_iname_get(f), "iqn.1993-08.org.debian:01:5f1e2d3c4b5a");
	T_STREQ(iscsi_iface_port_state_get(f), "unknown");	/* "Unknown!" */
	T_STREQ(iscsi_iface_port_speed_get(f), "unknown");
	T_CHECK(iscsi_is_default_iface(f));
}

static void test_two_sessions(void)
{
	struct iscsi_context *ctx = ctx_on(TREES "two-sessions");
	struct iscsi_session **ses = NULL, *one = NULL;
	uint32_t n = 0;

	T_INTEQ(iscsi_sessions_get(ctx, &ses, &n), LIBISCSI_OK);
	T_INTEQ(n, 2);
	if (n == 2) {
		check_healthy(ses[0], 1, "iqn.2003-01.org.example:disk1", 3260, 0);
		check_healthy(ses[1], 2, "iqn.2003-01.org.example:disk2", 3261, 1);
		T_STREQ(iscsi_session_username_get(ses[0]), "");	/* kernel's "(null)" */
		T_STREQ(iscsi_session_password_in_get(ses[0]), "");
		T_STREQ(iscsi_session_username_get(ses[1]), "alice");	/* mutual CHAP */
		T_STREQ(iscsi_session_password_get(ses[1]), "alice-secret");
		T_STREQ(iscsi_session_username_in_get(ses[1]), "disk2");
		T_STREQ(iscsi_session_password_in_get(ses[1]), "target-secret");
	}
	iscsi_sessions_free(ses, n);
	T_INTEQ(iscsi_session_get(ctx, 2, &one), LIBISCSI_OK);
	if (one)
		check_healthy(one, 2, "iqn.2003-01.org.example:disk2", 3261, 1);
	iscsi_session_free(one);
	iscsi_sessions_free(NULL, 0);
	iscsi_context_free(ctx);
}

/* Session 7 is being recovered: kernel state FAILED, connection failed,
 * its disks blocked. Listing order is stock's: by name, 10 and 12 before
 * 5. */
static void test_recovery(void)
{
	struct iscsi_context *ctx = ctx_on(TREES "recovery");
	struct iscsi_session **ses = NULL, *s5, *s7;
	uint32_t n = 0;

	T_INTEQ(iscsi_sessions_get(ctx, &ses, &n), LIBISCSI_OK);
	T_INTEQ(n, 4);
	if (n != 4)
		goto out;
	T_INTEQ(iscsi_session_sid_get(ses[0]), 10);
	T_INTEQ(iscsi_session_sid_get(ses[1]), 12);
	T_INTEQ(iscsi_session_sid_get(ses[2]), 5);
	T_INTEQ(iscsi_session_sid_get(ses[3]), 7);
	s5 = ses[2];
	s7 = ses[3];
	T_STREQ(iscsi_session_address_get(ses[0]), "fd00::2");
	T_STREQ(iscsi_session_state_get(s7), "FAILED");
	T_STREQ(iscsi_session_conn_state_get(s7), "failed");
	T_STREQ(iscsi_session_state_get(s5), "LOGGED_IN");
	T_STREQ(iscsi_session_target_name_get(s5), iscsi_session_target_name_get(s7));
	T_INTEQ(iscsi_session_host_no_get(s7), 6);
	/* the kernel refuses address/port reads while the link is down:
	 * current portal falls back to the persistent one, the host's
	 * address to "default" (stock prints "[default]") */
	T_INTEQ(iscsi_session_port_get(s7), 3262);
	T_STREQ(iscsi_session_address_get(s7), "10.0.2.2");
	T_STREQ(iscsi_iface_ipaddress_get(iscsi_session_iface_get(s7)), "default");
out:
	iscsi_sessions_free(ses, n);
	iscsi_context_free(ctx);
}

static void test_empty(void)
{
	struct iscsi_context *ctx = ctx_on(TREES "empty");
	struct iscsi_session **ses = (struct iscsi_session **)1;
	uint32_t n = 9;

	T_INTEQ(iscsi_sessions_get(ctx, &ses, &n), LIBISCSI_OK);
	T_INTEQ(n, 0);
	T_CHECK(ses == NULL);
	iscsi_context_free(ctx);
	/* a root that does not exist at all: no iSCSI module, no session */
	ctx = ctx_on(TREES "no-such-tree");
	T_INTEQ(iscsi_sessions_get(ctx, &ses, &n), LIBISCSI_OK);
	T_INTEQ(n, 0);
	iscsi_context_free(ctx);
}

static void test_sysfs_edge(void)
{
	const char *root = TREES "recovery";
	char buf[64];
	uint32_t *ids = NULL, host = 0;
	size_t n = 0;
	struct usr_lun *luns = NULL;
	long long v;

	T_INTEQ(usr_sysfs_read(root, "class/iscsi_session/session7/state", buf, sizeof(buf)), 0);
	T_STREQ(buf, "FAILED");
	T_INTEQ(usr_sysfs_read(root, "class/iscsi_session/session7/username", buf, sizeof(buf)), 0);
	T_STREQ(buf, "");
	T_CHECK(usr_sysfs_read(root, "class/iscsi_session/session7/nope", buf, sizeof(buf)) != 0);
	T_INTEQ(usr_sysfs_read_ll(root, "class/iscsi_session/session7/recovery_tmo", &v), 0);
	T_INTEQ(v, 120);
	T_CHECK(usr_sysfs_read_ll(root, "class/iscsi_session/session7/state", &v) != 0);
	T_INTEQ(usr_sysfs_list_ids(root, "class/iscsi_session", "session", &ids, &n), 0);
	T_INTEQ(n, 4);
	if (n == 4)
		T_CHECK(ids[0] == 10 && ids[1] == 12 && ids[2] == 5 && ids[3] == 7);
	free(ids);
	T_INTEQ(usr_sysfs_session_host(root, 10, &host), 0);
	T_INTEQ(host, 9);
	T_CHECK(usr_sysfs_session_host(root, 11, &host) != 0);
	T_INTEQ(usr_sysfs_session_luns(root, 7, 6, &luns, &n), 0);
	T_INTEQ(n, 3);
	if (n == 3) {
		T_STREQ(luns[0].l_disk, "");	/* tgt's controller LUN 0 */
		T_STREQ(luns[0].l_state, "blocked");
		T_STREQ(luns[1].l_disk, "sdb");
		T_STREQ(luns[2].l_disk, "sdc");
		T_INTEQ(luns[2].l_lun, 2);
		T_INTEQ(luns[2].l_host, 6);
	}
	free(luns);
	T_INTEQ(usr_sysfs_session_luns(root, 10, 9, &luns, &n), 0);
	T_INTEQ(n, 0);	/* logged in, never scanned */
	T_INTEQ(usr_sysfs_transport_version(root, buf, sizeof(buf)), 0);
	T_STREQ(buf, "2.0-870");
}

/* A copy of two-sessions without session1's creator (the kernel cannot
 * tell: userspace, 0), initiator name (the host's then) and iface name
 * ("default"), and without session2's targetname (not usable). */
static void test_missing_attrs(void)
{
	char dir[] = "/tmp/usrtest.XXXXXX", cmd[512], tree[64];
	struct iscsi_context *ctx;
	struct iscsi_session *se = NULL;

	T_CHECK(mkdtemp(dir) != NULL);
	snprintf(tree, sizeof(tree), "%s/t", dir);
	snprintf(cmd, sizeof(cmd), "cp -a " TREES "two-sessions %s && cd %s/class/iscsi_session && "
		 "rm session1/creator session1/initiatorname session1/ifacename session2/targetname && "
		 "echo iqn.2026-01.test:host0 > ../iscsi_host/host0/initiatorname", tree, tree);
	T_INTEQ(system(cmd), 0);
	ctx = ctx_on(tree);
	T_INTEQ(iscsi_session_get(ctx, 1, &se), LIBISCSI_OK);
	if (se) {
		T_INTEQ(iscsi_session_creator_get(se), 0);
		T_STREQ(iscsi_iface_iname_get(iscsi_session_iface_get(se)), "iqn.2026-01.test:host0");
		T_STREQ(iscsi_iface_name_get(iscsi_session_iface_get(se)), "default");
	}
	iscsi_session_free(se);
	se = (struct iscsi_session *)1;
	T_INTEQ(iscsi_session_get(ctx, 2, &se), LIBISCSI_ERR_SYSFS_LOOKUP);
	T_CHECK(se == NULL);
	iscsi_context_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_INTEQ(system(cmd), 0);
}

int main(void)
{
	T_RUN(test_context);
	T_RUN(test_log_priority);
	T_RUN(test_two_sessions);
	T_RUN(test_recovery);
	T_RUN(test_empty);
	T_RUN(test_sysfs_edge);
	T_RUN(test_missing_attrs);
	return T_DONE();
}
