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
	return T_DONE();
}
