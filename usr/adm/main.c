/* iscsiadm: parse the command line, run the mode's handler, exit with the
 * handler's enum iscsi_rc (stock's exit codes). */
#include <stdio.h>
#include <string.h>
#include "daemon_ops.h"
#include "discovery.h"
#include "discoverydb.h"
#include "err.h"
#include "fw.h"
#include "host.h"
#include "iface.h"
#include "log.h"
#include "net.h"
#include "node.h"
#include "opts.h"
#include "print.h"
#include "session.h"
#include "session_stats.h"

/* -m discovery without -t and -p lists the discovery records, exactly as
 * -m discoverydb does; with them it runs a discovery. */
static int discovery_mode(const struct adm_opts *o)
{
	if (o->o_type && !strcmp(o->o_type, "fw"))
		return adm_fw_discover(o);
	if (!o->o_type && !o->o_portal && !(o->o_ops & ~ADM_OP_SHOW) && !o->o_login)
		return adm_discoverydb_list(o);
	return adm_discovery_run(o);
}

static int discoverydb_mode(const struct adm_opts *o)
{
	if (o->o_type && !strcmp(o->o_type, "fw"))
		return adm_fw_discoverydb(o);
	return adm_discoverydb_run(o);
}

static const struct {
	enum adm_mode mode;
	adm_handler_fn run;
} adm_dispatch[] = {
	{ ADM_MODE_DISCOVERY, discovery_mode },
	{ ADM_MODE_DISCOVERYDB, discoverydb_mode },
	{ ADM_MODE_NODE, adm_node_run },
	{ ADM_MODE_SESSION, adm_session_run },
	{ ADM_MODE_IFACE, adm_iface_run },
	{ ADM_MODE_FW, adm_fw_run },
	{ ADM_MODE_HOST, adm_host_run },
};

int main(int argc, char **argv)
{
	struct adm_opts o;
	int rc;

	log_set_prog("iscsiadm");
	net_raise_fd_limit();   /* "-L all" keeps a socket per record in flight */
	adm_opts_init(&o);
	rc = adm_opts_parse(&o, argc, argv);
	if (rc != RC_OK)
		return rc;
	log_set_level(o.o_debug);
	if (o.o_help) {
		adm_print_usage(stdout);
		return RC_OK;
	}
	if (o.o_version) {
		/* the release whose interface we reproduce, as scripts parse it */
		printf("iscsiadm version 2.1.8\n");
		return RC_OK;
	}
	/* with a mode, the mode refuses -k as stock does */
	if (o.o_killiscsid >= 0 && o.o_mode == ADM_MODE_NONE)
		return adm_kill_iscsid(o.o_killiscsid);
	for (size_t i = 0; i < sizeof(adm_dispatch) / sizeof(adm_dispatch[0]); i++)
		if (adm_dispatch[i].mode == o.o_mode)
			return adm_dispatch[i].run(&o);
	fprintf(stderr, "Try `iscsiadm --help' for more information.\n");
	return RC_INVAL;
}
