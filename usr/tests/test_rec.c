/* Record type: defaults, validation, parse/format round trip, stock order. */
#include <stdlib.h>
#include "t.h"
#include "err.h"
#include "log.h"
#include "rec.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct rec *node_t1(void)
{
	struct rec *r = rec_new_default(REC_NODE);

	rec_set(r, K_NODE_NAME, "iqn.2001-04.com.example:t1");
	rec_set(r, K_NODE_CONN_0_ADDRESS, "127.0.0.1");
	rec_set(r, K_NODE_CONN_0_PORT, "3360");
	return r;
}

/* Our show output, minus our one extra line, equals stock's byte for byte. */
static void test_show_matches_stock(void)
{
	struct rec *r = node_t1();
	char *want = slurp("usr/tests/data/golden/stock_node_show_builtin.txt");
	char *got;

	rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "No");
	got = rec_format(r, REC_FMT_SHOW);
	T_CHECK(want && got);
	if (want && got) {
		char *line = strstr(got, "node.session.autoscan_en = No\n");

		T_CHECK(line != NULL);
		/* placed right after node.session.scan */
		T_CHECK(line && strncmp(line - 25, "node.session.scan = auto\n", 25) == 0);
		if (line)
			memmove(line, line + 30, strlen(line + 30) + 1);
		T_STREQ(got, want);
	}
	free(want);
	free(got);
	rec_free(r);
}

static void test_validation(void)
{
	struct rec *r = node_t1();
	char msg[256];

	T_INTEQ(rec_set_msg(r, K_NODE_STARTUP, "bogus", msg, sizeof(msg)), RC_INVAL);
	T_STREQ(msg, "unknown value format 'bogus' for parameter name 'node.startup'");
	T_STREQ(rec_get(r, K_NODE_STARTUP), "manual");
	T_INTEQ(rec_set_name_msg(r, "node.foo", "1", msg, sizeof(msg)), RC_INVAL);
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_CMDS_MAX, "abc", msg, sizeof(msg)), RC_INVAL);
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_CMDS_MAX, "12x", msg, sizeof(msg)), RC_INVAL);
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_ISCSI_INITIALR2T, "yes", msg, sizeof(msg)), RC_INVAL);
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_AUTOSCAN_EN, "maybe", msg, sizeof(msg)), RC_INVAL);
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_AUTH_CHAP_ALGS, "SHA256,MD5", msg, sizeof(msg)), RC_OK);
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_AUTH_CHAP_ALGS, "SHA256,FOO", msg, sizeof(msg)), RC_INVAL);
	T_STREQ(rec_get(r, K_NODE_SESSION_AUTH_CHAP_ALGS), "SHA256,MD5");
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_CMDS_MAX, "64", msg, sizeof(msg)), RC_OK);
	/* discovery keys do not belong to node records */
	T_INTEQ(rec_set_msg(r, K_DISCOVERY_STARTUP, "manual", msg, sizeof(msg)), RC_INVAL);
	rec_free(r);
}

/* A refused value of a password key is not echoed in the error. */
static void test_refused_secret_not_echoed(void)
{
	static const char *keys[] = { "node.session.auth.password", "node.session.auth.password_in",
				      "discovery.sendtargets.auth.password" };
	struct rec *r = rec_new_default(REC_NODE), *d = rec_new_default(REC_DISC);
	char msg[512];

	for (size_t i = 0; i < 3; i++) {
		msg[0] = '\0';
		T_INTEQ(rec_set_name_msg(i < 2 ? r : d, keys[i], "topSECRET\nx", msg, sizeof(msg)), RC_INVAL);
		T_CHECK(strstr(msg, "topSECRET") == NULL);
		T_CHECK(strstr(msg, keys[i]) != NULL);
	}
	msg[0] = '\0';
	T_INTEQ(rec_set_msg(r, K_NODE_SESSION_AUTH_AUTHMETHOD, "bogus", msg, sizeof(msg)), RC_INVAL);
	T_CHECK(strstr(msg, "bogus") != NULL);	/* other values are still quoted, as stock does */
	rec_free(r);
	rec_free(d);
}

static void test_unset_autoscan(void)
{
	struct rec *r = node_t1();
	int b = -1;

	T_CHECK(!rec_is_set(r, K_NODE_SESSION_AUTOSCAN_EN));
	T_CHECK(rec_get(r, K_NODE_SESSION_AUTOSCAN_EN) == NULL);
	T_INTEQ(rec_get_bool(r, K_NODE_SESSION_AUTOSCAN_EN, &b), RC_INVAL);
	T_INTEQ(rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "No"), RC_OK);
	T_INTEQ(rec_get_bool(r, K_NODE_SESSION_AUTOSCAN_EN, &b), RC_OK);
	T_INTEQ(b, 0);
	T_INTEQ(rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, NULL), RC_OK);
	T_CHECK(!rec_is_set(r, K_NODE_SESSION_AUTOSCAN_EN));
	rec_free(r);
}

static void test_roundtrip_file(void)
{
	struct rec *r = node_t1(), *back = rec_new(REC_NODE);
	long long v = 0;
	char *file, *again;

	rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, "s3cret");
	rec_set(r, K_NODE_SESSION_QUEUE_DEPTH, "64");
	file = rec_format(r, REC_FMT_FILE);
	T_CHECK(strstr(file, "node.session.auth.password = s3cret\n") != NULL);
	T_CHECK(strstr(file, "iface.net_ifacename") == NULL);	/* empty: left out */
	T_CHECK(strstr(file, "autoscan_en") == NULL);		/* unset: left out */
	{
		char *ext;

		rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "No");
		ext = rec_format(r, REC_FMT_FILE);
		T_CHECK(strstr(ext, "autoscan_en") == NULL);	/* stock would refuse it */
		free(ext);
		ext = rec_format(r, REC_FMT_EXT);
		T_STREQ(ext, "# BEGIN RECORD 2.1.8\nnode.session.autoscan_en = No\n# END RECORD\n");
		free(ext);
		rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, NULL);
	}
	T_INTEQ(rec_parse(back, file), RC_OK);
	T_INTEQ(rec_get_int(back, K_NODE_SESSION_QUEUE_DEPTH, &v), RC_OK);
	T_INTEQ(v, 64);
	again = rec_format(back, REC_FMT_FILE);
	T_STREQ(again, file);
	free(again);
	again = rec_format(back, REC_FMT_SHOW);
	T_CHECK(strstr(again, "node.session.auth.password = ********\n") != NULL);
	free(again);
	again = rec_format(back, REC_FMT_SHOW | REC_FMT_SECRETS);
	T_CHECK(strstr(again, "node.session.auth.password = s3cret\n") != NULL);
	free(again);
	free(file);
	rec_free(r);
	rec_free(back);
}

static void test_parse_tolerant(void)
{
	struct rec *r = rec_new(REC_NODE);

	T_INTEQ(rec_parse(r, "# BEGIN RECORD 2.1.8\nnode.name = iqn.a:b\n"
			     "node.future_key = 1\nnode.startup = never\n\n"
			     "node.session.auth.username = <empty>\n"), RC_OK);
	T_STREQ(rec_get(r, K_NODE_NAME), "iqn.a:b");
	T_CHECK(!rec_is_set(r, K_NODE_STARTUP));
	T_STREQ(rec_get_raw(r, K_NODE_SESSION_AUTH_USERNAME), "");
	rec_free(r);
}

static void test_disc_and_iface_kinds(void)
{
	struct rec *d = rec_new_default(REC_DISC), *i = rec_new_default(REC_IFACE);
	char *s;

	rec_set(d, K_DISCOVERY_SENDTARGETS_ADDRESS, "127.0.0.1");
	s = rec_format(d, REC_FMT_SHOW);
	T_CHECK(strstr(s, "discovery.sendtargets.auth.password_in = <empty>\n"
			  "node.session.auth.chap_algs = MD5\n"
			  "discovery.sendtargets.timeo.login_timeout = 15\n") != NULL);
	T_CHECK(strstr(s, "node.name") == NULL);
	free(s);
	s = rec_format(i, REC_FMT_SHOW);
	T_CHECK(strncmp(s, "# BEGIN RECORD 2.1.8\niface.iscsi_ifacename = default\n", 52) == 0);
	T_CHECK(strstr(s, "node.") == NULL);
	free(s);
	rec_free(d);
	rec_free(i);
}

int main(void)
{
	log_set_prog("test_rec");
	T_RUN(test_show_matches_stock);
	T_RUN(test_validation);
	T_RUN(test_refused_secret_not_echoed);
	T_RUN(test_unset_autoscan);
	T_RUN(test_roundtrip_file);
	T_RUN(test_parse_tolerant);
	T_RUN(test_disc_and_iface_kinds);
	return T_DONE();
}
