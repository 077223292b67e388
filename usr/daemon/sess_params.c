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

/* The record's value, else the key table's default (rec_get_int); the
 * table is the only place defaults live, so a failure here is a key name
 * the table does not know (a typo), said loudly instead of read as 0. */
static long long rec_num(const struct rec *r, const char *key)
{
	long long v = 0;

	if (rec_get_int(r, key, &v) != RC_OK)
		log_error("internal: no integer value for %s", key);
	return v;
}

static int rec_yes(const struct rec *r, const char *key)
{
	int v = 0;

	if (rec_get_bool(r, key, &v) != RC_OK)
		log_error("internal: no Yes/No value for %s", key);
	return v;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static enum digest_pref rec_digest(const struct rec *r, const char *key)
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
		"node.conn[0].iscsi.MaxRecvDataSegmentLength");
	p->ip_max_burst = (uint32_t)rec_num(r, "node.session.iscsi.MaxBurstLength");
	p->ip_first_burst = (uint32_t)rec_num(r, "node.session.iscsi.FirstBurstLength");
	p->ip_max_conns = (uint32_t)rec_num(r, "node.session.iscsi.MaxConnections");
	p->ip_max_r2t = (uint32_t)rec_num(r, "node.session.iscsi.MaxOutstandingR2T");
	p->ip_erl = (uint32_t)rec_num(r, "node.session.iscsi.ERL");
	p->ip_time2wait = (uint32_t)rec_num(r, "node.session.iscsi.DefaultTime2Wait");
	p->ip_time2retain = (uint32_t)rec_num(r, "node.session.iscsi.DefaultTime2Retain");
	p->ip_initial_r2t = rec_yes(r, "node.session.iscsi.InitialR2T");
	p->ip_immediate_data = rec_yes(r, "node.session.iscsi.ImmediateData");
	p->ip_ifmarker = rec_yes(r, "node.conn[0].iscsi.IFMarker");
	p->ip_ofmarker = rec_yes(r, "node.conn[0].iscsi.OFMarker");
	p->ip_hdig = rec_digest(r, "node.conn[0].iscsi.HeaderDigest");
	p->ip_ddig = rec_digest(r, "node.conn[0].iscsi.DataDigest");
}

static void params_kernel(const struct rec *r, struct ksess_conf *k)
{
	ksess_conf_init(k);
	copy_str(k->kc_target, sizeof(k->kc_target), rec_get(r, "node.name"));
	copy_str(k->kc_address, sizeof(k->kc_address), rec_get(r, "node.conn[0].address"));
	copy_str(k->kc_iface, sizeof(k->kc_iface), rec_get(r, "iface.iscsi_ifacename"));
	if (!k->kc_iface[0])
		copy_str(k->kc_iface, sizeof(k->kc_iface), IFACE_DEFAULT);
	k->kc_port = (uint16_t)rec_num(r, "node.conn[0].port");
	k->kc_initial_cmdsn = (uint32_t)rec_num(r, "node.session.initial_cmdsn");
	k->kc_cmds_max = (uint16_t)rec_num(r, "node.session.cmds_max");
	k->kc_queue_depth = (uint16_t)rec_num(r, "node.session.queue_depth");
	k->kc_recovery_tmo = (int)rec_num(r, "node.session.timeo.replacement_timeout");
	k->kc_noop_interval = (int)rec_num(r, "node.conn[0].timeo.noop_out_interval");
	k->kc_noop_timeout = (int)rec_num(r, "node.conn[0].timeo.noop_out_timeout");
	k->kc_abort_tmo = (int)rec_num(r, "node.session.err_timeo.abort_timeout");
	k->kc_lu_reset_tmo = (int)rec_num(r, "node.session.err_timeo.lu_reset_timeout");
	k->kc_tgt_reset_tmo = (int)rec_num(r, "node.session.err_timeo.tgt_reset_timeout");
	k->kc_fast_abort = rec_yes(r, "node.session.iscsi.FastAbort");
}

/* CHAP when authmethod says so and a user name is set; None otherwise. */
static void params_auth(const struct rec *r, struct sess_cfg *c)
{
	struct login_params *p = &c->sc_login;
	struct ksess_conf *k = &c->sc_kern;
	const char *m = rec_get(r, "node.session.auth.authmethod");

	if (!m || strcmp(m, "CHAP") != 0)
		return;
	copy_str(k->kc_username, sizeof(k->kc_username), rec_get(r, "node.session.auth.username"));
	copy_str(k->kc_password, sizeof(k->kc_password), rec_get(r, "node.session.auth.password"));
	copy_str(k->kc_username_in, sizeof(k->kc_username_in),
		 rec_get(r, "node.session.auth.username_in"));
	copy_str(k->kc_password_in, sizeof(k->kc_password_in),
		 rec_get(r, "node.session.auth.password_in"));
	if (!k->kc_username[0])
		return;
	p->lp_username = k->kc_username;
	p->lp_password = k->kc_password;
	if (k->kc_username_in[0]) {
		p->lp_username_in = k->kc_username_in;
		p->lp_password_in = k->kc_password_in;
	}
	p->lp_n_chap_algs = chap_algs_parse(rec_get(r, "node.session.auth.chap_algs"),
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
	tmo = rec_num(r, "node.conn[0].timeo.login_timeout");
	/* 0 or less: login.c's own default */
	if (tmo > 0)
		p->lp_timeout_ms = (int)(tmo * 1000);
	c->sc_login_retry_max = (int)rec_num(r, "node.session.initial_login_retry_max");
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
