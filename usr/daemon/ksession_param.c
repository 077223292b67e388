/* Negotiated and configured values -> the iscsi_tcp parameters. Only
 * parameters the software transport shows in sysfs are sent; markers are
 * never negotiated on, so they are left at the kernel's "off". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ksession_param.h"
#include "err.h"
#include "log.h"

struct plist {
	struct kparam *pl_out;
	int pl_n, pl_max;
};

static void add(struct plist *l, enum nl_param p, int optional, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct plist *l, enum nl_param p, int optional, const char *fmt, ...)
{
	struct kparam *kp;
	va_list ap;

	if (l->pl_n >= l->pl_max)
		return;
	kp = &l->pl_out[l->pl_n++];
	kp->kp_param = p;
	kp->kp_optional = optional;
	va_start(ap, fmt);
	vsnprintf(kp->kp_value, sizeof(kp->kp_value), fmt, ap);
	va_end(ap);
}

static void add_str(struct plist *l, enum nl_param p, const char *s)
{
	if (s && *s)
		add(l, p, 1, "%s", s);
}

/* RFC 7143: a peer that never declared MaxRecvDataSegmentLength has 8192. */
static uint32_t xmit_dlen(const struct iscsi_params *a)
{
	return a->ip_max_xmit_dlen ? a->ip_max_xmit_dlen : 8192;
}

static void add_negotiated(struct plist *l, const struct login_result *lr)
{
	const struct iscsi_params *a = &lr->lr_params;

	add(l, NLP_MAX_RECV_DLENGTH, 0, "%u", a->ip_max_recv_dlen);
	add(l, NLP_MAX_XMIT_DLENGTH, 0, "%u", xmit_dlen(a));
	add(l, NLP_HDRDGST_EN, 0, "%d", a->ip_hdig == DIGEST_CRC32C);
	add(l, NLP_DATADGST_EN, 0, "%d", a->ip_ddig == DIGEST_CRC32C);
	add(l, NLP_INITIAL_R2T_EN, 0, "%d", a->ip_initial_r2t);
	add(l, NLP_MAX_R2T, 0, "%u", a->ip_max_r2t ? a->ip_max_r2t : 1);
	add(l, NLP_IMM_DATA_EN, 0, "%d", a->ip_immediate_data);
	add(l, NLP_FIRST_BURST, 0, "%u", a->ip_first_burst);
	add(l, NLP_MAX_BURST, 0, "%u", a->ip_max_burst);
	add(l, NLP_PDU_INORDER_EN, 0, "%d", a->ip_data_pdu_in_order);
	add(l, NLP_DATASEQ_INORDER_EN, 0, "%d", a->ip_data_seq_in_order);
	add(l, NLP_ERL, 0, "%u", a->ip_erl);
	add(l, NLP_EXP_STATSN, 0, "%u", lr->lr_exp_statsn);
}

int ksession_param_list(const struct ksess_conf *c, const struct login_result *lr,
			struct kparam *out, int max)
{
	struct plist l = { out, 0, max };

	add_negotiated(&l, lr);
	add(&l, NLP_TARGET_NAME, 0, "%s", c->kc_target);
	add(&l, NLP_TPGT, 0, "%u", lr->lr_tpgt);
	add(&l, NLP_PERSISTENT_ADDRESS, 0, "%s", c->kc_address);
	add(&l, NLP_PERSISTENT_PORT, 0, "%u", c->kc_port);
	add(&l, NLP_SESS_RECOVERY_TMO, 0, "%d", c->kc_recovery_tmo);
	add(&l, NLP_PING_TMO, 0, "%d", c->kc_noop_timeout);
	add(&l, NLP_RECV_TMO, 0, "%d", c->kc_noop_interval);
	add(&l, NLP_FAST_ABORT, 1, "%d", c->kc_fast_abort);
	add(&l, NLP_ABORT_TMO, 1, "%d", c->kc_abort_tmo);
	add(&l, NLP_LU_RESET_TMO, 1, "%d", c->kc_lu_reset_tmo);
	add(&l, NLP_TGT_RESET_TMO, 1, "%d", c->kc_tgt_reset_tmo);
	add_str(&l, NLP_IFACE_NAME, c->kc_iface);
	add_str(&l, NLP_INITIATOR_NAME, c->kc_initiator);
	add_str(&l, NLP_TARGET_ALIAS, lr->lr_target_alias);
	add_str(&l, NLP_USERNAME, c->kc_username);
	add_str(&l, NLP_PASSWORD, c->kc_password);
	add_str(&l, NLP_USERNAME_IN, c->kc_username_in);
	add_str(&l, NLP_PASSWORD_IN, c->kc_password_in);
	return l.pl_n;
}

int ksession_set_params(struct kern *k, const struct ksess *ks,
			const struct ksess_conf *c, const struct login_result *lr)
{
	struct kparam list[KPARAM_MAX];
	int n = ksession_param_list(c, lr, list, KPARAM_MAX);

	for (int i = 0; i < n; i++) {
		int rc = kernel_set_param(k, ks->ks_sid, ks->ks_cid, list[i].kp_param,
					  list[i].kp_value);
		if (rc == RC_OK)
			continue;
		if (list[i].kp_optional) {
			log_debug("session %u: kernel ignored parameter %d", ks->ks_sid,
				  list[i].kp_param);
			continue;
		}
		log_error("session %u: kernel refused parameter %d = \"%s\"", ks->ks_sid,
			  list[i].kp_param, list[i].kp_param >= NLP_USERNAME &&
			  list[i].kp_param <= NLP_PASSWORD_IN ? "***" : list[i].kp_value);
		return rc;
	}
	return RC_OK;
}
