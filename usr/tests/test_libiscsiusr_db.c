/* libopeniscsiusr over the record database: ifaces (built-in and
 * <etc>/ifaces files) and node records, in a temporary ISCSI_ETC_DIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "idb.h"
#include "rec.h"
#include "libopeniscsiusr/libopeniscsiusr.h"

static char etc[64];

static void write_file(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", etc, rel);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void add_node(struct idb *db, const char *t, const char *a, const char *port)
{
	struct rec *r = rec_new_default(REC_NODE);

	rec_set(r, K_NODE_NAME, t);
	rec_set(r, K_NODE_CONN_0_ADDRESS, a);
	rec_set(r, K_NODE_CONN_0_PORT, port);
	rec_set(r, K_NODE_TPGT, "1");
	rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, "s3cret");
	T_INTEQ(idb_node_write(db, r), RC_OK);
	rec_free(r);
}

static void test_ifaces(void)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_iface **v = NULL, *f = NULL;
	uint32_t n = 0;
	char p[128];
	const char *dump;

	snprintf(p, sizeof(p), "%s/ifaces", etc);
	T_INTEQ(iscsi_default_iface_setup(ctx), LIBISCSI_OK);
	T_CHECK(access(p, F_OK) == 0);
	write_file("ifaces/eth1", "iface.iscsi_ifacename = eth1\n"
		   "iface.transport_name = tcp\niface.net_ifacename = eth1\n");
	T_INTEQ(iscsi_ifaces_get(ctx, &v, &n), LIBISCSI_OK);
	T_INTEQ(n, 3);
	if (n == 3) {
		T_STREQ(iscsi_iface_name_get(v[0]), "default");
		T_STREQ(iscsi_iface_transport_name_get(v[0]), "tcp");
		T_CHECK(iscsi_is_default_iface(v[0]));
		T_STREQ(iscsi_iface_name_get(v[1]), "iser");
		T_STREQ(iscsi_iface_name_get(v[2]), "eth1");
		T_STREQ(iscsi_iface_netdev_get(v[2]), "eth1");
		T_CHECK(!iscsi_is_default_iface(v[2]));
	}
	iscsi_ifaces_free(v, n);
	T_INTEQ(iscsi_iface_get(ctx, "eth1", &f), LIBISCSI_OK);
	if (f) {
		dump = iscsi_iface_dump_config(f);
		T_CHECK(dump && strstr(dump, "iface.net_ifacename = eth1"));
		T_CHECK(dump && !strstr(dump, "<empty>"));
		free((void *)dump);
	}
	iscsi_iface_free(f);
	f = (struct iscsi_iface *)1;
	T_INTEQ(iscsi_iface_get(ctx, "nope", &f), LIBISCSI_ERR_INVAL);
	T_CHECK(f == NULL);
	T_INTEQ(iscsi_iface_get(ctx, "../nodes", &f), LIBISCSI_ERR_INVAL);
	iscsi_context_free(ctx);
}

static void test_nodes(void)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_node **v = NULL;
	struct idb *db = NULL;
	uint32_t n = 7;
	const char *dump;

	T_INTEQ(iscsi_nodes_get(ctx, &v, &n), LIBISCSI_OK);	/* none yet */
	T_INTEQ(n, 0);
	T_INTEQ(idb_open(etc, &db), RC_OK);
	if (!db)
		return;
	add_node(db, "iqn.2003-01.org.example:b", "10.0.2.2", "3260");
	add_node(db, "iqn.2003-01.org.example:a", "fd00::2", "3261");
	add_node(db, "iqn.2003-01.org.example:a", "10.0.2.2", "3262");
	idb_close(db);
	T_INTEQ(iscsi_nodes_get(ctx, &v, &n), LIBISCSI_OK);
	T_INTEQ(n, 3);
	if (n == 3) {
		/* sorted: target, then address as text, then port */
		T_STREQ(iscsi_node_target_name_get(v[0]), "iqn.2003-01.org.example:a");
		T_STREQ(iscsi_node_portal_get(v[0]), "10.0.2.2:3262");
		T_CHECK(!iscsi_node_conn_is_ipv6(v[0]));
		T_STREQ(iscsi_node_portal_get(v[1]), "[fd00::2]:3261");
		T_CHECK(iscsi_node_conn_is_ipv6(v[1]));
		T_INTEQ(iscsi_node_conn_port_get(v[1]), 3261);
		T_STREQ(iscsi_node_target_name_get(v[2]), "iqn.2003-01.org.example:b");
		T_INTEQ(iscsi_node_tpgt_get(v[2]), 1);
		T_STREQ(iscsi_node_iface_name_get(v[2]), "default");
		T_STREQ(iscsi_node_conn_address_get(v[2]), "10.0.2.2");
		dump = iscsi_node_dump_config(v[2], false);
		T_CHECK(dump && strstr(dump, "node.name = iqn.2003-01.org.example:b\n"));
		T_CHECK(dump && !strstr(dump, "s3cret") && !strstr(dump, "<empty>"));
		free((void *)dump);
		dump = iscsi_node_dump_config(v[2], true);
		T_CHECK(dump && strstr(dump, "node.session.auth.password = s3cret"));
		free((void *)dump);
	}
	iscsi_nodes_free(v, n);
	iscsi_context_free(ctx);
}

int main(void)
{
	char cmd[128];
	int rc;

	snprintf(etc, sizeof(etc), "/tmp/test_libiscsiusr_db.XXXXXX");
	if (!mkdtemp(etc))
		return 1;
	setenv("ISCSI_ETC_DIR", etc, 1);
	T_RUN(test_ifaces);
	T_RUN(test_nodes);
	rc = T_DONE();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", etc);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
