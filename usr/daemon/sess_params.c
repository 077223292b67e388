/* Node record -> login parameters and kernel settings (see sess_params.h). */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "keys.h"
#include "log.h"
#include "rec.h"
#include "sess_params.h"
#include "scan.h"

/* The record's value, else the key table's default (rec_get_int). Keys
 * are ids, so a failure is a key of another record kind: said loudly, and
 * the table's default is used. */
static long long rec_num(const struct rec *r, enum key_id key)
{
	long long v;

	if (rec_get_int(r, key, &v) != RC_OK) {
		log_error("internal: no integer value for %s", keys_name(key));
		v = keys_default_num(key);
	}
	return v;
}

static int rec_yes(const struct rec *r, enum key_id key)
{
	int v = 0;

	if (rec_get_bool(r, key, &v) != RC_OK)
		log_error("internal: no Yes/No value for %s", keys_name(key));
	return v;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static enum digest_pref rec_digest(const struct rec *r, enum key_id key)
{
	enum digest_pref d = DIGEST_NONE;
	const char *s = rec_get(r, key);

	if (s && neg_digest_parse(s, &d) != 0)
		d = DIGEST_NONE;
	return d;
}

static void params_operational(const struct rec *r, struct iscsi_params *p)
{
	neg_params_default(p);
	p->ip_max_recv_dlen = (uint32_t)rec_num(r,
		K_NODE_CONN_0_ISCSI_MAXRECVDATASEGMENTLENGTH);
	p->ip_max_burst = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_MAXBURSTLENGTH);
	p->ip_first_burst = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_FIRSTBURSTLENGTH);
	p->ip_max_conns = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_MAXCONNECTIONS);
	p->ip_max_r2t = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_MAXOUTSTANDINGR2T);
	p->ip_erl = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_ERL);
	p->ip_time2wait = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_DEFAULTTIME2WAIT);
	p->ip_time2retain = (uint32_t)rec_num(r, K_NODE_SESSION_ISCSI_DEFAULTTIME2RETAIN);
	p->ip_initial_r2t = rec_yes(r, K_NODE_SESSION_ISCSI_INITIALR2T);
	p->ip_immediate_data = rec_yes(r, K_NODE_SESSION_ISCSI_IMMEDIATEDATA);
	p->ip_ifmarker = rec_yes(r, K_NODE_CONN_0_ISCSI_IFMARKER);
	p->ip_ofmarker = rec_yes(r, K_NODE_CONN_0_ISCSI_OFMARKER);
	p->ip_hdig = rec_digest(r, K_NODE_CONN_0_ISCSI_HEADERDIGEST);
	p->ip_ddig = rec_digest(r, K_NODE_CONN_0_ISCSI_DATADIGEST);
}

static void params_kernel(const struct rec *r, struct ksess_conf *k)
{
	ksess_conf_init(k);
	copy_str(k->kc_target, sizeof(k->kc_target), rec_get(r, K_NODE_NAME));
	copy_str(k->kc_address, sizeof(k->kc_address), rec_get(r, K_NODE_CONN_0_ADDRESS));
	copy_str(k->kc_iface, sizeof(k->kc_iface), rec_get(r, K_IFACE_ISCSI_IFACENAME));
	if (!k->kc_iface[0])
		copy_str(k->kc_iface, sizeof(k->kc_iface), IFACE_DEFAULT);
	k->kc_port = (uint16_t)rec_num(r, K_NODE_CONN_0_PORT);
	k->kc_initial_cmdsn = (uint32_t)rec_num(r, K_NODE_SESSION_INITIAL_CMDSN);
	k->kc_cmds_max = (uint16_t)rec_num(r, K_NODE_SESSION_CMDS_MAX);
	k->kc_queue_depth = (uint16_t)rec_num(r, K_NODE_SESSION_QUEUE_DEPTH);
	k->kc_recovery_tmo = (int)rec_num(r, K_NODE_SESSION_TIMEO_REPLACEMENT_TIMEOUT);
	k->kc_noop_interval = (int)rec_num(r, K_NODE_CONN_0_TIMEO_NOOP_OUT_INTERVAL);
	k->kc_noop_timeout = (int)rec_num(r, K_NODE_CONN_0_TIMEO_NOOP_OUT_TIMEOUT);
	k->kc_abort_tmo = (int)rec_num(r, K_NODE_SESSION_ERR_TIMEO_ABORT_TIMEOUT);
	k->kc_lu_reset_tmo = (int)rec_num(r, K_NODE_SESSION_ERR_TIMEO_LU_RESET_TIMEOUT);
	k->kc_tgt_reset_tmo = (int)rec_num(r, K_NODE_SESSION_ERR_TIMEO_TGT_RESET_TIMEOUT);
	k->kc_fast_abort = rec_yes(r, K_NODE_SESSION_ISCSI_FASTABORT);
}

/* CHAP when authmethod says so and a user name is set; None otherwise. */
static void params_auth(const struct rec *r, struct sess_cfg *c)
{
	struct login_params *p = &c->sc_login;
	struct ksess_conf *k = &c->sc_kern;
	const char *m = rec_get(r, K_NODE_SESSION_AUTH_AUTHMETHOD);

	if (!m || strcmp(m, "CHAP") != 0)
		return;
	copy_str(k->kc_username, sizeof(k->kc_username), rec_get(r, K_NODE_SESSION_AUTH_USERNAME));
	copy_str(k->kc_password, sizeof(k->kc_password), rec_get(r, K_NODE_SESSION_AUTH_PASSWORD));
	copy_str(k->kc_username_in, sizeof(k->kc_username_in),
		 rec_get(r, K_NODE_SESSION_AUTH_USERNAME_IN));
	copy_str(k->kc_password_in, sizeof(k->kc_password_in),
		 rec_get(r, K_NODE_SESSION_AUTH_PASSWORD_IN));
	if (!k->kc_username[0])
		return;
	p->lp_username = k->kc_username;
	p->lp_password = k->kc_password;
	if (k->kc_username_in[0]) {
		p->lp_username_in = k->kc_username_in;
		p->lp_password_in = k->kc_password_in;
	}
	p->lp_n_chap_algs = chap_algs_parse(rec_get(r, K_NODE_SESSION_AUTH_CHAP_ALGS),
					    p->lp_chap_algs);
}

int sess_cfg_build(const struct rec *r, const char *iname, const uint8_t isid[6],
		   struct sess_cfg *c)
{
	struct login_params *p = &c->sc_login;
	long long tmo;

	memset(c, 0, sizeof(*c));
	if (!iname || !*iname) {
		log_error("no initiator name set (initiatorname.iscsi)");
		return RC_INVAL;
	}
	params_kernel(r, &c->sc_kern);
	copy_str(c->sc_kern.kc_initiator, sizeof(c->sc_kern.kc_initiator), iname);
	memcpy(c->sc_kern.kc_isid, isid, 6);
	login_params_init(p);
	p->lp_initiator_name = c->sc_kern.kc_initiator;
	p->lp_target_name = c->sc_kern.kc_target;
	memcpy(p->lp_isid, isid, 6);
	p->lp_cmdsn = c->sc_kern.kc_initial_cmdsn;
	params_operational(r, &p->lp_mine);
	params_auth(r, c);
	tmo = rec_num(r, K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT);
	/* 0 or less: login.c's own default */
	if (tmo > 0)
		p->lp_timeout_ms = (int)(tmo * 1000);
	c->sc_login_retry_max = (int)rec_num(r, K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX);
	c->sc_replacement_tmo = c->sc_kern.kc_recovery_tmo;
	if (!c->sc_kern.kc_target[0] || !c->sc_kern.kc_address[0]) {
		log_error("record has no target name or portal address");
		return RC_INVAL;
	}
	return RC_OK;
}

void sess_scan_settings(const struct rec *r, const struct conf *conf,
			struct scan_settings *s)
{
	scan_settings_from(r, conf, s);	/* shared with iscsiadm's sysfs rescan */
}

void sess_scan_settings_now(const struct rec *login, const struct rec *disk,
			    const struct conf *conf, struct scan_settings *s)
{
	sess_scan_settings(disk ? disk : login, conf, s);
}

void sess_isid(uint32_t n, uint8_t isid[6])
{
	isid[0] = 0x00;
	isid[1] = 0x02;
	isid[2] = 0x3d;
	isid[3] = (uint8_t)(n >> 16);
	isid[4] = (uint8_t)(n >> 8);
	isid[5] = (uint8_t)n;
}
