/* iscsid.conf and initiatorname.iscsi parsing. */
#include <stdlib.h>
#include "t.h"
#include "conf.h"
#include "err.h"
#include "idb.h"
#include "log.h"

static void test_debian_conf(void)
{
	struct conf *c = NULL;
	struct rec *r = rec_new_default(REC_NODE);
	struct rec *d = rec_new_default(REC_DISC);

	T_INTEQ(conf_load("usr/tests/data/iscsid.conf.debian", &c), RC_OK);
	T_CHECK(c != NULL);
	if (!c)
		return;
	T_INTEQ(c->c_ndiag, 0);		/* Debian's file: nothing to say */
	T_STREQ(conf_get(c, "iscsid.startup"), "/bin/systemctl start iscsid.socket");
	T_STREQ(conf_get(c, "node.session.initial_login_retry_max"), "8");
	conf_apply_node(c, r);
	/* Debian differs from the built-in defaults here */
	T_STREQ(rec_get(r, K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX), "8");
	T_STREQ(rec_get(r, K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT), "15");
	T_STREQ(rec_get(r, K_NODE_SESSION_SCAN), "auto");
	conf_apply_disc(c, d);
	T_STREQ(rec_get(d, K_DISCOVERY_SENDTARGETS_ISCSI_MAXRECVDATASEGMENTLENGTH), "32768");
	/* Debian's file does not set autoscan_en: default Yes */
	T_INTEQ(conf_autoscan_default(c), 1);
	T_CHECK(!rec_is_set(r, K_NODE_SESSION_AUTOSCAN_EN));
	conf_free(c);
	rec_free(r);
	rec_free(d);
}

/* The file we ship parses cleanly and says what the docs say. */
static void test_shipped_conf(void)
{
	struct conf *c = NULL;

	T_INTEQ(conf_load("etc/iscsid.conf", &c), RC_OK);
	if (!c)
		return;
	T_INTEQ(c->c_ndiag, 0);
	T_STREQ(conf_get(c, keys_name(K_NODE_SESSION_AUTOSCAN_EN)), "Yes");
	T_STREQ(conf_get(c, keys_name(K_NODE_SESSION_SCAN)), "auto");
	T_INTEQ(conf_autoscan_default(c), 1);
	for (size_t i = 0; i < c->c_n; i++)
		T_CHECK(keys_find(c->c_ents[i].ce_key) >= 0 ||
			!strncmp(c->c_ents[i].ce_key, "iscsid.", 7));
	conf_free(c);
}

static void test_autoscan_resolution(void)
{
	struct conf *c = NULL;
	struct rec *r = rec_new_default(REC_NODE);

	T_INTEQ(conf_parse("node.session.autoscan_en = No\n", "t", &c), RC_OK);
	T_INTEQ(conf_autoscan_default(c), 0);
	conf_apply_node(c, r);
	T_CHECK(!rec_is_set(r, K_NODE_SESSION_AUTOSCAN_EN));	/* not copied into records */
	T_INTEQ(conf_autoscan_default(NULL), 1);
	conf_free(c);
	rec_free(r);
}

static void test_errors(void)
{
	struct conf *c = NULL;

	/* syntax error: noted with its line, the rest still counts */
	T_INTEQ(conf_parse("# c\nnode.startup = automatic\nthis is junk\n", "t", &c), RC_OK);
	if (c) {
		T_INTEQ(c->c_nsyntax, 1);
		T_INTEQ(c->c_ndiag, 1);
		T_STREQ(c->c_diag[0], "t line 3: syntax error, expected \"name = value\" (line ignored)");
		T_STREQ(rec_get(c->c_node, K_NODE_STARTUP), "automatic");
		T_INTEQ(conf_report(c), RC_INVAL);
	}
	conf_free(c);
	c = NULL;
	/* unknown key and bad value: warned, parse goes on */
	T_INTEQ(conf_parse("foo.bar = 1\nnode.startup = sometimes\nnode.session.scan = manual\n",
			   "t", &c), RC_OK);
	if (c) {
		T_INTEQ(c->c_ndiag, 2);
		T_INTEQ(c->c_nsyntax, 0);
		T_INTEQ(conf_report(c), RC_OK);
		T_CHECK(!rec_is_set(c->c_node, K_NODE_STARTUP));
		T_STREQ(rec_get(c->c_node, K_NODE_SESSION_SCAN), "manual");
		T_STREQ(conf_get(c, "foo.bar"), "1");
	}
	conf_free(c);
}

static void test_initiator(void)
{
	char *n = NULL;

	T_INTEQ(conf_initiator_parse("## comment\nInitiatorName=iqn.1993-08.org.debian:01:abc\n", &n), RC_OK);
	T_STREQ(n, "iqn.1993-08.org.debian:01:abc");
	free(n);
	n = NULL;
	T_INTEQ(conf_initiator_parse("#InitiatorName=iqn.x\n", &n), RC_INVAL);
	T_INTEQ(conf_initiator_load("/nonexistent/initiatorname.iscsi", &n), RC_IDBM);
	T_CHECK(n == NULL);
}

int main(void)
{
	log_set_prog("test_conf");
	T_RUN(test_debian_conf);
	T_RUN(test_shipped_conf);
	T_RUN(test_autoscan_resolution);
	T_RUN(test_errors);
	T_RUN(test_initiator);
	return T_DONE();
}
