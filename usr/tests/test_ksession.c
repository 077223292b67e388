/* Kernel session pieces that need no kernel: the parameter list handed to
 * iscsi_tcp after a login, and adoption of a session from a fake sysfs. */
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "t.h"
#include "err.h"
#include "../daemon/ksession_param.h"

static const char *find(const struct kparam *l, int n, enum nl_param p)
{
	for (int i = 0; i < n; i++)
		if (l[i].kp_param == p)
			return l[i].kp_value;
	return NULL;
}

static void sample(struct ksess_conf *c, struct login_result *lr)
{
	ksess_conf_init(c);
	snprintf(c->kc_target, sizeof(c->kc_target), "iqn.2024-01.test:t1");
	snprintf(c->kc_initiator, sizeof(c->kc_initiator), "iqn.2024-01.test:init");
	snprintf(c->kc_address, sizeof(c->kc_address), "10.0.2.2");
	c->kc_port = 3350;
	c->kc_recovery_tmo = 17;
	memset(lr, 0, sizeof(*lr));
	neg_params_default(&lr->lr_params);
	lr->lr_params.ip_max_recv_dlen = 262144;
	lr->lr_params.ip_max_xmit_dlen = 0;      /* target never declared it */
	lr->lr_params.ip_hdig = DIGEST_CRC32C;
	lr->lr_params.ip_ddig = DIGEST_NONE;
	lr->lr_params.ip_immediate_data = false;
	lr->lr_tpgt = 1;
	lr->lr_exp_statsn = 0x12345;
}

static void test_param_list(void)
{
	struct ksess_conf c;
	struct login_result lr;
	struct kparam l[KPARAM_MAX];
	int n;

	sample(&c, &lr);
	n = ksession_param_list(&c, &lr, l, KPARAM_MAX);
	T_CHECK(n > 20 && n <= KPARAM_MAX);
	T_STREQ(find(l, n, NLP_MAX_RECV_DLENGTH), "262144");
	T_STREQ(find(l, n, NLP_MAX_XMIT_DLENGTH), "8192");
	T_STREQ(find(l, n, NLP_HDRDGST_EN), "1");
	T_STREQ(find(l, n, NLP_DATADGST_EN), "0");
	T_STREQ(find(l, n, NLP_IMM_DATA_EN), "0");
	T_STREQ(find(l, n, NLP_EXP_STATSN), "74565");
	T_STREQ(find(l, n, NLP_TARGET_NAME), "iqn.2024-01.test:t1");
	T_STREQ(find(l, n, NLP_TPGT), "1");
	T_STREQ(find(l, n, NLP_PERSISTENT_ADDRESS), "10.0.2.2");
	T_STREQ(find(l, n, NLP_PERSISTENT_PORT), "3350");
	T_STREQ(find(l, n, NLP_SESS_RECOVERY_TMO), "17");
	T_STREQ(find(l, n, NLP_INITIATOR_NAME), "iqn.2024-01.test:init");
	T_STREQ(find(l, n, NLP_IFACE_NAME), "default");
	T_CHECK(find(l, n, NLP_USERNAME) == NULL);     /* no CHAP: not sent */
	T_CHECK(find(l, n, NLP_IFMARKER_EN) == NULL);
	/* the digest must come after bind, i.e. anywhere in the list, but the
	 * required values must not be optional */
	for (int i = 0; i < n; i++)
		if (l[i].kp_param <= NLP_SESS_RECOVERY_TMO)
			T_INTEQ(l[i].kp_optional, 0);
	T_INTEQ(ksession_param_list(&c, &lr, l, 3), 3);  /* bounded */
}

static void test_adopt(void)
{
	char root[64], cmd[512];
	struct ksess ks;

	snprintf(root, sizeof(root), "/tmp/test_ksession.%d", (int)getpid());
	snprintf(cmd, sizeof(cmd),
		 "set -e; r=%s; rm -rf $r; mkdir -p $r/devices/platform/host7/session4/iscsi_session/session4 "
		 "$r/class/iscsi_session $r/class/iscsi_connection/connection4:0 $r/class/iscsi_connection/connection14:2; "
		 "ln -s ../../devices/platform/host7/session4/iscsi_session/session4 $r/class/iscsi_session/session4", root);
	T_INTEQ(system(cmd), 0);
	T_INTEQ(ksession_adopt(root, 4, &ks), RC_OK);
	T_INTEQ(ks.ks_sid, 4);
	T_INTEQ(ks.ks_host_no, 7);
	T_INTEQ(ks.ks_cid, 0);
	T_INTEQ(ks.ks_fd, -1);
	T_INTEQ(ksession_adopt(root, 5, &ks), RC_SESS_NOT_FOUND);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	T_INTEQ(system(cmd), 0);
}

/* The tcp transport handle comes from sysfs; a fake root never triggers
 * modprobe, and a missing transport is the stock "driver not found" code. */
static void test_transport_handle(void)
{
	char root[64], cmd[512];
	uint64_t h = 0;
	struct stat st;
	struct nl_sock ns;
	int rc;

	snprintf(root, sizeof(root), "/tmp/test_ktransport.%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s; mkdir -p %s/class/iscsi_transport/tcp && "
		 "echo 18446612687316725760 > %s/class/iscsi_transport/tcp/handle", root, root, root);
	T_INTEQ(system(cmd), 0);
	T_INTEQ(kernel_transport_handle(root, "tcp", &h), RC_OK);
	T_CHECK(h == 18446612687316725760ULL);
	T_INTEQ(kernel_transport_handle(root, "iser", &h), RC_TRANS_NOT_FOUND);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	T_INTEQ(system(cmd), 0);
	/* NETLINK_ISCSI exists exactly when the transport class is loaded */
	rc = nl_open(&ns, 0);
	if (stat("/sys/class/iscsi_transport", &st) == 0)
		T_INTEQ(rc, RC_OK);
	else
		T_INTEQ(rc, RC_TRANS_NOT_FOUND);
	if (rc == RC_OK)
		nl_close(&ns);
}

int main(void)
{
	T_RUN(test_transport_handle);
	T_RUN(test_param_list);
	T_RUN(test_adopt);
	return T_DONE();
}
