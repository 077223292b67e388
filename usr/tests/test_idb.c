/* Record database on a temporary directory: layout, round trip, matching,
 * deletion with links, discovery and iface records, modes, concurrency. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "idb.h"
#include "log.h"

static char root[64];

static struct rec *mknode(const char *t, const char *a, const char *port, const char *tpgt)
{
	struct rec *r = rec_new_default(REC_NODE);

	rec_set(r, K_NODE_NAME, t);
	rec_set(r, K_NODE_CONN_0_ADDRESS, a);
	rec_set(r, K_NODE_CONN_0_PORT, port);
	rec_set(r, K_NODE_TPGT, tpgt);
	return r;
}

static int exists(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &st) == 0;
}

static int mode_of(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return stat(p, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

static void test_portal_parse(void)
{
	char a[256];
	int port, tpgt;

	T_INTEQ(idb_portal_parse("10.0.0.1:3261,5", a, sizeof(a), &port, &tpgt), RC_OK);
	T_STREQ(a, "10.0.0.1");
	T_INTEQ(port, 3261);
	T_INTEQ(tpgt, 5);
	T_INTEQ(idb_portal_parse("10.0.0.1", a, sizeof(a), &port, &tpgt), RC_OK);
	T_INTEQ(port, -1);
	T_INTEQ(tpgt, -1);
	T_INTEQ(idb_portal_parse("[fe80::1]:3260", a, sizeof(a), &port, &tpgt), RC_OK);
	T_STREQ(a, "fe80::1");
	T_INTEQ(port, 3260);
	T_INTEQ(idb_portal_parse("::1", a, sizeof(a), &port, &tpgt), RC_OK);
	T_STREQ(a, "::1");
	T_INTEQ(port, -1);
	T_INTEQ(idb_portal_parse("1.2.3.4:x", a, sizeof(a), &port, &tpgt), RC_INVAL);
	T_INTEQ(idb_portal_parse("1.2.3.4:99999", a, sizeof(a), &port, &tpgt), RC_INVAL);
	T_INTEQ(idb_portal_parse("[::1", a, sizeof(a), &port, &tpgt), RC_INVAL);
	T_INTEQ(idb_portal_parse("", a, sizeof(a), &port, &tpgt), RC_INVAL);
}

static void test_node_layout_and_roundtrip(void)
{
	struct idb *db;
	struct rec *r = mknode("iqn.a:t1", "127.0.0.1", "3360", "1");
	struct rec *flat = mknode("iqn.a:t2", "::1", "3260", "-1");
	struct rec **got = NULL;
	struct idb_match m = IDB_MATCH_ANY;
	size_t n = 0;

	T_INTEQ(idb_open(root, &db), RC_OK);
	rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, "pw");
	rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "No");
	T_INTEQ(idb_node_write(db, r), RC_OK);
	T_INTEQ(idb_node_write(db, flat), RC_OK);
	T_CHECK(exists("nodes/iqn.a:t1/127.0.0.1,3360,1/default"));
	T_INTEQ(mode_of("nodes/iqn.a:t1/127.0.0.1,3360,1/default"), 0600);
	T_CHECK(exists("static/iqn.a:t1,127.0.0.1,3360,1,default"));
	T_CHECK(exists("nodes/iqn.a:t2/::1,3260"));
	/* our own key lives in the sidecar, never in the file stock reads */
	T_CHECK(exists("nodes_ext/iqn.a:t1,127.0.0.1,3360,1,default"));
	T_CHECK(!exists("nodes_ext/iqn.a:t2,::1,3260,-1,default"));
	{
		char p[512], *text = NULL;

		snprintf(p, sizeof(p), "%s/nodes/iqn.a:t1/127.0.0.1,3360,1/default", root);
		T_INTEQ(idb_file_read(p, &text), RC_OK);
		T_CHECK(text && !strstr(text, "autoscan_en"));
		free(text);
	}
	T_INTEQ(idb_node_find(db, &m, &got, &n), RC_OK);
	T_INTEQ(n, 2);
	if (n == 2) {
		T_STREQ(rec_get(got[0], K_NODE_NAME), "iqn.a:t1");
		T_STREQ(rec_get(got[0], K_NODE_SESSION_AUTH_PASSWORD), "pw");
		T_STREQ(rec_get_raw(got[0], K_NODE_SESSION_AUTOSCAN_EN), "No");
		T_CHECK(!rec_is_set(got[1], K_NODE_SESSION_AUTOSCAN_EN));
	}
	idb_recs_free(got, n);
	m.m_addr = "::1";
	T_INTEQ(idb_node_find(db, &m, &got, &n), RC_OK);
	T_INTEQ(n, 1);
	idb_recs_free(got, n);
	m.m_addr = "10.9.9.9";
	T_INTEQ(idb_node_find(db, &m, &got, &n), RC_NO_OBJS_FOUND);
	T_INTEQ(idb_node_delete(db, r), RC_OK);
	T_CHECK(!exists("nodes/iqn.a:t1"));
	T_CHECK(!exists("static/iqn.a:t1,127.0.0.1,3360,1,default"));
	T_CHECK(!exists("nodes_ext/iqn.a:t1,127.0.0.1,3360,1,default"));
	T_INTEQ(idb_node_delete(db, flat), RC_OK);
	T_CHECK(!exists("nodes/iqn.a:t2"));
	{
		/* names are path components: no way out of the database */
		struct rec *evil = mknode("../../escape", "127.0.0.1", "3260", "1");

		T_INTEQ(idb_node_write(db, evil), RC_INVAL);
		rec_set(evil, K_NODE_NAME, "iqn.a:ok");
		rec_set(evil, K_IFACE_ISCSI_IFACENAME, "..");
		T_INTEQ(idb_node_write(db, evil), RC_INVAL);
		rec_free(evil);
	}
	idb_close(db);
	rec_free(r);
	rec_free(flat);
}

static void test_discovery(void)
{
	struct idb *db;
	struct rec *d = rec_new_default(REC_DISC), *back = NULL;
	struct rec *node = mknode("iqn.a:d1", "127.0.0.1", "3362", "1");
	struct rec **got = NULL;
	size_t n = 0;

	idb_open(root, &db);
	rec_set(d, K_DISCOVERY_SENDTARGETS_ADDRESS, "127.0.0.1");
	rec_set(d, K_DISCOVERY_SENDTARGETS_PORT, "3362");
	rec_set(node, K_NODE_DISCOVERY_TYPE, "send_targets");
	T_INTEQ(idb_disc_write(db, d), RC_OK);
	T_INTEQ(mode_of("send_targets/127.0.0.1,3362/st_config"), 0600);
	T_INTEQ(idb_disc_read(db, "127.0.0.1", 3362, &back), RC_OK);
	T_STREQ(back ? rec_get(back, K_DISCOVERY_SENDTARGETS_PORT) : NULL, "3362");
	rec_free(back);
	T_INTEQ(idb_node_write(db, node), RC_OK);
	T_CHECK(!exists("static/iqn.a:d1,127.0.0.1,3362,1,default"));
	T_INTEQ(idb_node_link_discovery(db, node, "127.0.0.1", 3362), RC_OK);
	T_CHECK(exists("send_targets/127.0.0.1,3362/iqn.a:d1,127.0.0.1,3362,1,default"));
	T_INTEQ(idb_disc_nodes(db, "127.0.0.1", 3362, &got, &n), RC_OK);
	T_INTEQ(n, 1);
	idb_recs_free(got, n);
	T_INTEQ(idb_node_delete(db, node), RC_OK);
	T_CHECK(!exists("send_targets/127.0.0.1,3362/iqn.a:d1,127.0.0.1,3362,1,default"));
	T_INTEQ(idb_disc_delete(db, "127.0.0.1", 3362), RC_OK);
	T_CHECK(!exists("send_targets/127.0.0.1,3362"));
	T_INTEQ(idb_disc_read(db, "127.0.0.1", 3362, &back), RC_NO_OBJS_FOUND);
	idb_close(db);
	rec_free(d);
	rec_free(node);
}

static int count_cb(struct rec *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void test_iface(void)
{
	struct idb *db;
	struct rec *i = rec_new_default(REC_IFACE), *back = NULL;
	int cnt = 0;
	size_t n = 0;

	idb_open(root, &db);
	T_INTEQ(idb_iface_read(db, "default", &back), RC_OK);
	T_STREQ(back ? rec_get(back, K_IFACE_TRANSPORT_NAME) : NULL, "tcp");
	rec_free(back);
	rec_set(i, K_IFACE_ISCSI_IFACENAME, "eth0i");
	T_INTEQ(idb_iface_write(db, i), RC_OK);
	T_INTEQ(idb_iface_read(db, "eth0i", &back), RC_OK);
	rec_free(back);
	T_INTEQ(idb_iface_foreach(db, count_cb, &cnt, &n), 0);
	T_INTEQ(cnt, 3);
	T_INTEQ(idb_iface_delete(db, "eth0i"), RC_OK);
	T_INTEQ(idb_iface_read(db, "eth0i", &back), RC_NO_OBJS_FOUND);
	idb_close(db);
	rec_free(i);
}

/* Many processes rewriting one record: every read sees a whole record. */
static void test_concurrent_writers(void)
{
	struct rec *r = mknode("iqn.a:c", "127.0.0.1", "3360", "1");
	int status, bad = 0;

	for (int k = 0; k < 8; k++) {
		if (fork() == 0) {
			struct idb *db;
			char v[16];

			idb_open(root, &db);
			for (int j = 0; j < 20; j++) {
				snprintf(v, sizeof(v), "%d", 10 + k);
				rec_set(r, K_NODE_SESSION_QUEUE_DEPTH, v);
				if (idb_node_write(db, r) != RC_OK)
					_exit(1);
			}
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	T_INTEQ(bad, 0);
	{
		struct idb *db;
		struct rec **got = NULL;
		struct idb_match m = IDB_MATCH_ANY;
		size_t n = 0;
		long long q = 0;

		idb_open(root, &db);
		m.m_target = "iqn.a:c";
		T_INTEQ(idb_node_find(db, &m, &got, &n), RC_OK);
		T_INTEQ(n, 1);
		if (n == 1) {
			T_INTEQ(rec_get_int(got[0], K_NODE_SESSION_QUEUE_DEPTH, &q), RC_OK);
			T_CHECK(q >= 10 && q < 18);
			T_STREQ(rec_get(got[0], K_NODE_CONN_0_ISCSI_OFMARKER), "No");
		}
		idb_recs_free(got, n);
		idb_close(db);
	}
	rec_free(r);
}

int main(void)
{
	char cmd[128];

	log_set_prog("test_idb");
	snprintf(root, sizeof(root), "/tmp/test_idb.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	T_RUN(test_portal_parse);
	T_RUN(test_node_layout_and_roundtrip);
	T_RUN(test_discovery);
	T_RUN(test_iface);
	T_RUN(test_concurrent_writers);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd))
		return 1;
	return T_DONE();
}
