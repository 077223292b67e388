/* iscsiadm option parsing: stock's long and short spellings, our --lun. */
#include "t.h"
#include "err.h"
#include "log.h"
#include "../adm/opts.h"

static int parse(struct adm_opts *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	adm_opts_init(o);
	return adm_opts_parse(o, argc, argv);
}

static void test_node_update_long(void)
{
	struct adm_opts o;
	char *argv[] = { "iscsiadm", "--mode", "node", "--targetname", "iqn.a:b",
			 "--portal", "[fe80::1]:3261,7", "--interface", "default",
			 "--op", "update", "-n", "node.startup", "-v", "automatic",
			 "--name", "node.session.scan", "--value", "manual", NULL };

	T_INTEQ(parse(&o, argv), RC_OK);
	T_INTEQ(o.o_mode, ADM_MODE_NODE);
	T_INTEQ(o.o_ops, ADM_OP_UPDATE);
	T_STREQ(o.o_target, "iqn.a:b");
	T_STREQ(o.o_addr, "fe80::1");
	T_INTEQ(o.o_port, 3261);
	T_INTEQ(o.o_tpgt, 7);
	T_STREQ(adm_opts_iface(&o), "default");
	T_INTEQ(o.o_nname, 2);
	T_INTEQ(o.o_nvalue, 2);
	T_STREQ(o.o_values[1], "manual");
}

static void test_session_short(void)
{
	struct adm_opts o;
	char *argv[] = { "iscsiadm", "-m", "session", "-r",
			 "usr/tests/data/session12", "-R", "--lun", "2",
			 "-P", "3", "-d", "4", NULL };

	T_INTEQ(parse(&o, argv), RC_OK);
	T_INTEQ(o.o_mode, ADM_MODE_SESSION);
	T_INTEQ(o.o_sid, 12);
	T_INTEQ(o.o_rescan, 1);
	T_INTEQ(o.o_lun, 2);
	T_INTEQ(o.o_print, 3);
	T_INTEQ(o.o_debug, 4);
}

/* Numbers never wrap: -r 4294967297 is no session 1, --lun -1 or 2^32 is
 * no whole-target scan; every u32 is a LUN. */
static void test_number_ranges(void)
{
	struct adm_opts o;
	char *wrap_sid[] = { "iscsiadm", "-m", "session", "-r", "4294967297", NULL };
	char *neg_lun[] = { "iscsiadm", "-m", "session", "-r", "1", "-R", "--lun", "-1", NULL };
	char *big_lun[] = { "iscsiadm", "-m", "session", "-r", "1", "-R", "--lun", "4294967296", NULL };
	char *huge_lun[] = { "iscsiadm", "-m", "session", "-r", "1", "-R", "--lun", "99999999999999999999", NULL };
	char *top_lun[] = { "iscsiadm", "-m", "session", "-r", "1", "-R", "--lun", "4294967295", NULL };
	char *mid_lun[] = { "iscsiadm", "-m", "session", "-r", "1", "-R", "--lun", "2147483648", NULL };
	char *wrap_p[] = { "iscsiadm", "-m", "session", "-P", "4294967297", NULL };

	log_set_level(-1);
	T_INTEQ(parse(&o, wrap_sid), RC_ERR);	/* "invalid session ID or path", exit 1 */
	T_INTEQ(o.o_sid, -1);
	T_INTEQ(parse(&o, neg_lun), RC_INVAL);
	T_INTEQ(parse(&o, big_lun), RC_INVAL);
	T_INTEQ(parse(&o, huge_lun), RC_INVAL);
	T_INTEQ(parse(&o, wrap_p), RC_INVAL);
	T_INTEQ(parse(&o, top_lun), RC_OK);
	T_INTEQ(o.o_lun, 4294967295LL);
	T_INTEQ(parse(&o, mid_lun), RC_OK);
	T_INTEQ(o.o_lun, 2147483648LL);
	log_set_level(0);
}

static void test_defaults_and_errors(void)
{
	struct adm_opts o;
	char *plain[] = { "iscsiadm", "-m", "node", "-p", "10.0.0.1", NULL };
	char *badmode[] = { "iscsiadm", "-m", "nodes", NULL };
	char *badop[] = { "iscsiadm", "-m", "node", "-o", "frob", NULL };
	char *badopt[] = { "iscsiadm", "-m", "node", "-Z", NULL };
	char *badp[] = { "iscsiadm", "-m", "node", "-p", "1.2.3.4:notaport", NULL };
	char *extra[] = { "iscsiadm", "-m", "node", "stray", NULL };
	char *multi[] = { "iscsiadm", "-m", "discoverydb", "-o", "new", "-o", "update", "-D", NULL };

	T_INTEQ(parse(&o, plain), RC_OK);
	T_INTEQ(o.o_port, -1);
	T_INTEQ(adm_opts_port(&o), 3260);
	T_INTEQ(o.o_sid, -1);
	T_INTEQ(o.o_lun, -1);
	T_STREQ(adm_opts_iface(&o), "default");
	T_INTEQ(parse(&o, badmode), RC_INVAL);
	T_INTEQ(parse(&o, badop), RC_INVAL);
	T_INTEQ(parse(&o, badopt), RC_INVAL);
	T_INTEQ(parse(&o, badp), RC_INVAL);
	T_INTEQ(parse(&o, extra), RC_INVAL);
	{
		char *nopath[] = { "iscsiadm", "-m", "session", "-r", "/nonexistent/session3", NULL };

		T_INTEQ(parse(&o, nopath), RC_ERR);	/* stock: exit 1 */
	}
	T_INTEQ(parse(&o, multi), RC_OK);
	T_INTEQ(o.o_ops, ADM_OP_NEW | ADM_OP_UPDATE);
	T_INTEQ(o.o_discover, 1);
}

int main(void)
{
	log_set_prog("test_opts");
	T_RUN(test_node_update_long);
	T_RUN(test_session_short);
	T_RUN(test_defaults_and_errors);
	T_RUN(test_number_ranges);
	return T_DONE();
}
