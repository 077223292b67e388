/* Login state machine (RFC 7143 section 6.3). Pure: it reads login
 * response PDUs and writes login request PDUs; login_io.c moves them.
 * Phases: security (AuthMethod, then CHAP_A -> CHAP_C -> CHAP_R), then the
 * operational stage (negotiate.c), then full feature phase. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "keys.h"
#include "login.h"
#include "err.h"
#include "net.h"

#define LOGIN_MAX_PDUS 64   /* a login longer than this is a broken peer */

void login_params_init(struct login_params *p)
{
	memset(p, 0, sizeof(*p));
	p->lp_isid[0] = 0x00;   /* OUI format, open-iscsi's 00:02:3d prefix */
	p->lp_isid[1] = 0x02;
	p->lp_isid[2] = 0x3d;
	p->lp_cmdsn = 1;
	p->lp_n_chap_algs = chap_algs_parse(NULL, p->lp_chap_algs);
	neg_params_default(&p->lp_mine);
	p->lp_timeout_ms = LOGIN_TIMEOUT_MS_DEFAULT;
}

static bool has_chap(const struct login_params *p)
{
	return p->lp_username && *p->lp_username;
}

static bool has_mutual(const struct login_params *p)
{
	return has_chap(p) && p->lp_username_in && *p->lp_username_in;
}

static enum login_step fail(struct login_result *res, int rc, const char *fmt, const char *arg)
{
	res->lr_rc = rc;
	snprintf(res->lr_msg, sizeof(res->lr_msg), fmt, arg ? arg : "");
	return LOGIN_FAIL;
}

/* Builds a login request carrying kv in req. */
static int build_req(struct login_sm *sm, const struct text_list *kv, bool transit,
		     uint8_t nsg, struct pdu *req)
{
	const struct login_params *p = sm->sm_p;
	struct pdu_login_req h = {
		.lq_transit = transit, .lq_csg = sm->sm_csg, .lq_nsg = transit ? nsg : 0,
		.lq_tsih = p->lp_tsih, .lq_cid = p->lp_cid, .lq_itt = p->lp_itt,
		.lq_cmdsn = p->lp_cmdsn, .lq_exp_statsn = sm->sm_statsn,
	};
	size_t n = kv ? text_encoded_len(kv) : 0;
	uint8_t *buf = n ? malloc(n) : NULL;
	int rc = 0;

	memcpy(h.lq_isid, p->lp_isid, 6);
	if (n && (!buf || text_encode(kv, buf, n) != n))
		rc = -ENOMEM;
	pdu_free(req);
	if (!rc)
		rc = pdu_set_data(req, buf, n);
	free(buf);
	pdu_login_req_encode(req, &h);
	sm->sm_nsg = nsg;
	return rc;
}

int login_sm_start(struct login_sm *sm, const struct login_params *p, struct pdu *req)
{
	struct text_list kv;
	int rc;

	memset(sm, 0, sizeof(*sm));
	sm->sm_p = p;
	sm->sm_phase = LP_SEC_START;
	sm->sm_csg = STAGE_SECURITY;
	sm->sm_statsn = p->lp_exp_statsn;
	text_buf_init(&sm->sm_rx);
	text_init(&sm->sm_declared);
	neg_begin(&sm->sm_neg, &p->lp_mine, p->lp_discovery);
	text_init(&kv);
	rc = text_add(&kv, "InitiatorName", p->lp_initiator_name ? p->lp_initiator_name : "");
	if (!rc && p->lp_initiator_alias && *p->lp_initiator_alias)
		rc = text_add(&kv, "InitiatorAlias", p->lp_initiator_alias);
	if (!rc)
		rc = text_add(&kv, "SessionType", p->lp_discovery ? "Discovery" : "Normal");
	if (!rc && !p->lp_discovery)
		rc = text_add(&kv, "TargetName", p->lp_target_name ? p->lp_target_name : "");
	/* mutual CHAP must not fall back to None; one-way may */
	if (!rc)
		rc = text_add(&kv, "AuthMethod",
			      has_mutual(p) ? "CHAP" : has_chap(p) ? "CHAP,None" : "None");
	if (!rc)
		rc = build_req(sm, &kv, !has_chap(p), STAGE_OPERATIONAL, req);
	text_free(&kv);
	return rc;
}

void login_sm_free(struct login_sm *sm)
{
	text_buf_free(&sm->sm_rx);
	text_free(&sm->sm_declared);
}

/* Keys a target declares about itself in any stage. */
static void keep_declared(struct login_sm *sm, const struct text_list *kv)
{
	static const char *keys[] = { "TargetAlias", "TargetPortalGroupTag" };

	for (size_t i = 0; i < 2; i++) {
		const char *v = text_get(kv, keys[i]);
		if (v)
			text_add(&sm->sm_declared, keys[i], v);
	}
}

/* ---- CHAP ---- */
static enum login_step chap_send_a(struct login_sm *sm, struct pdu *req, struct login_result *res)
{
	struct text_list kv;
	char algs[32];

	chap_algs_format(sm->sm_p->lp_chap_algs, sm->sm_p->lp_n_chap_algs, algs, sizeof(algs));
	text_init(&kv);
	int rc = text_add(&kv, "CHAP_A", algs);
	if (!rc)
		rc = build_req(sm, &kv, false, 0, req);
	text_free(&kv);
	if (rc)
		return fail(res, RC_NOMEM, "out of memory%s", NULL);
	sm->sm_phase = LP_SEC_CHAP_A;
	return LOGIN_SEND;
}

/* Adds CHAP_N/CHAP_R answering the target's challenge, and our own
 * challenge for mutual CHAP. */
static int chap_answer(struct login_sm *sm, const struct text_list *in, struct text_list *kv,
		       struct login_result *res)
{
	const struct login_params *p = sm->sm_p;
	uint8_t chal[CHAP_CHALLENGE_MAX], r[HASH_MAX_LEN];
	char hex[2 * CHAP_CHALLENGE_MAX + 3], *end;
	const char *a = text_get(in, "CHAP_A"), *id = text_get(in, "CHAP_I");
	const char *c = text_get(in, "CHAP_C");

	if (!a || !id || !c)
		return fail(res, RC_LOGIN, "target sent no CHAP challenge%s", NULL), -1;
	/* RFC 7143 12.1.3: one secret for both directions lets a target
	 * reflect our own challenge back; refuse before answering anything. */
	if (has_mutual(p) && p->lp_password && p->lp_password_in &&
	    strcmp(p->lp_password, p->lp_password_in) == 0)
		return fail(res, RC_LOGIN_AUTH_FAILED,
			    "mutual CHAP needs two different secrets (password and password_in are equal)%s", NULL), -1;
	long alg = strtol(a, &end, 10);
	if (*end || !chap_alg_offered(p->lp_chap_algs, p->lp_n_chap_algs, (int)alg) ||
	    !chap_alg_hash((int)alg, &sm->sm_alg))
		return fail(res, RC_LOGIN_AUTH_FAILED, "target chose CHAP_A=%s, which we did not offer", a), -1;
	/* CHAP_I is decimal or 0x-hex; a leading 0 does not make it octal */
	bool is_hex = id[0] == '0' && (id[1] == 'x' || id[1] == 'X');
	const char *digits = is_hex ? id + 2 : id;
	long idv = strtol(digits, &end, is_hex ? 16 : 10);
	long clen = chap_value_decode(c, chal, sizeof(chal));
	/* an empty CHAP_I (or "0x") is malformed, not identifier 0 */
	if (*end || end == digits || idv < 0 || idv > 255 || clen <= 0)
		return fail(res, RC_LOGIN, "malformed CHAP challenge from target%s", NULL), -1;
	size_t n = chap_response(sm->sm_alg, (uint8_t)idv, p->lp_password ? p->lp_password : "",
				 p->lp_password ? strlen(p->lp_password) : 0, chal, (size_t)clen, r);
	chap_value_encode_hex(r, n, hex, sizeof(hex));
	if (text_add(kv, "CHAP_N", p->lp_username) || text_add(kv, "CHAP_R", hex))
		return fail(res, RC_NOMEM, "out of memory%s", NULL), -1;
	if (!has_mutual(p))
		return 0;
	if (getrandom(sm->sm_my_chal, sizeof(sm->sm_my_chal), 0) != (ssize_t)sizeof(sm->sm_my_chal) ||
	    getrandom(&sm->sm_my_id, 1, 0) != 1)
		return fail(res, RC_INTERNAL, "no randomness for the CHAP challenge%s", NULL), -1;
	chap_value_encode_hex(sm->sm_my_chal, sizeof(sm->sm_my_chal), hex, sizeof(hex));
	if (text_addf(kv, "CHAP_I", "%u", sm->sm_my_id) || text_add(kv, "CHAP_C", hex))
		return fail(res, RC_NOMEM, "out of memory%s", NULL), -1;
	return 0;
}

static enum login_step chap_send_r(struct login_sm *sm, const struct text_list *in,
				   struct pdu *req, struct login_result *res)
{
	struct text_list kv;

	text_init(&kv);
	int rc = chap_answer(sm, in, &kv, res);
	if (!rc && build_req(sm, &kv, true, STAGE_OPERATIONAL, req)) {
		fail(res, RC_NOMEM, "out of memory%s", NULL);
		rc = -1;
	}
	text_free(&kv);
	if (rc)
		return LOGIN_FAIL;
	sm->sm_phase = LP_SEC_CHAP_R;
	return LOGIN_SEND;
}

/* Mutual CHAP: the target's CHAP_N/CHAP_R must answer our challenge. */
static int chap_verify_target(struct login_sm *sm, const struct text_list *in,
			      struct login_result *res)
{
	const struct login_params *p = sm->sm_p;
	const char *n = text_get(in, "CHAP_N"), *r = text_get(in, "CHAP_R");
	uint8_t got[HASH_MAX_LEN + 1], want[HASH_MAX_LEN];

	if (!n || !r)
		return fail(res, RC_LOGIN_AUTH_FAILED, "target did not answer our CHAP challenge%s", NULL), -1;
	if (strcmp(n, p->lp_username_in) != 0)
		return fail(res, RC_LOGIN_AUTH_FAILED, "target CHAP name %s is not the one configured", n), -1;
	size_t wl = chap_response(sm->sm_alg, sm->sm_my_id, p->lp_password_in ? p->lp_password_in : "",
				  p->lp_password_in ? strlen(p->lp_password_in) : 0,
				  sm->sm_my_chal, sizeof(sm->sm_my_chal), want);
	long gl = chap_value_decode(r, got, sizeof(got));
	if (gl != (long)wl || memcmp(got, want, wl) != 0)
		return fail(res, RC_LOGIN_AUTH_FAILED, "target failed mutual CHAP authentication%s", NULL), -1;
	sm->sm_peer_verified = true;
	return 0;
}

/* ---- stage transitions ---- */
static enum login_step send_operational(struct login_sm *sm, const struct text_list *extra,
					struct pdu *req, struct login_result *res)
{
	struct text_list kv;
	int rc = 0;

	text_init(&kv);
	for (size_t i = 0; extra && i < extra->tl_n && !rc; i++)
		rc = text_add(&kv, extra->tl_kv[i].tk_key, extra->tl_kv[i].tk_val);
	if (!rc)
		rc = neg_offer(&sm->sm_neg, &kv);
	if (!rc)
		rc = build_req(sm, &kv, true, STAGE_FFP, req);
	text_free(&kv);
	if (rc)
		return fail(res, RC_NOMEM, "out of memory%s", NULL);
	sm->sm_phase = LP_OPERATIONAL;
	return LOGIN_SEND;
}

static enum login_step finish(struct login_sm *sm, const struct pdu_login_rsp *h,
			      struct login_result *res)
{
	const char *v;

	neg_finish(&sm->sm_neg);
	if ((v = neg_required_missing(&sm->sm_neg)) != NULL)
		return fail(res, RC_LOGIN, "target did not agree to %s=CRC32C, which the record requires", v);
	if (has_mutual(sm->sm_p) && !sm->sm_peer_verified)	/* checked at transit too */
		return fail(res, RC_LOGIN_AUTH_FAILED, "target reached full feature phase without mutual CHAP%s", NULL);
	res->lr_rc = RC_OK;
	res->lr_params = sm->sm_neg.ns_active;
	res->lr_tsih = h->ls_tsih;
	res->lr_cmdsn = h->ls_exp_cmdsn;
	res->lr_max_cmdsn = h->ls_max_cmdsn;
	res->lr_statsn = h->ls_statsn;
	res->lr_exp_statsn = h->ls_statsn + 1;
	if ((v = text_get(&sm->sm_declared, "TargetPortalGroupTag")))
		res->lr_tpgt = (uint16_t)strtoul(v, NULL, 0);
	if ((v = text_get(&sm->sm_declared, "TargetAlias")))
		snprintf(res->lr_target_alias, sizeof(res->lr_target_alias), "%s", v);
	snprintf(res->lr_msg, sizeof(res->lr_msg), "login successful");
	sm->sm_phase = LP_DONE;
	return LOGIN_DONE;
}

/* The target moved to stage nsg (T bit in its response). */
static enum login_step transit(struct login_sm *sm, const struct pdu_login_rsp *h,
			       const struct text_list *extra, struct pdu *req,
			       struct login_result *res)
{
	if (has_mutual(sm->sm_p) && !sm->sm_peer_verified)
		return fail(res, RC_LOGIN_AUTH_FAILED, "target left security negotiation without mutual CHAP%s", NULL);
	if (h->ls_nsg == STAGE_FFP)
		return finish(sm, h, res);
	if (h->ls_nsg != STAGE_OPERATIONAL || sm->sm_csg == STAGE_OPERATIONAL)
		return fail(res, RC_LOGIN, "target asked for an invalid stage transition%s", NULL);
	sm->sm_csg = STAGE_OPERATIONAL;
	return send_operational(sm, extra, req, res);
}

static enum login_step step_security(struct login_sm *sm, const struct pdu_login_rsp *h,
				     const struct text_list *in, struct pdu *req,
				     struct login_result *res)
{
	const char *am = text_get(in, "AuthMethod");

	switch (sm->sm_phase) {
	case LP_SEC_START:
		if (am && strcmp(am, "CHAP") == 0 && has_chap(sm->sm_p))
			return chap_send_a(sm, req, res);
		if (am && strcmp(am, "None") != 0)
			return fail(res, RC_LOGIN_AUTH_FAILED, "target requires AuthMethod=%s", am);
		if (has_mutual(sm->sm_p))
			return fail(res, RC_LOGIN_AUTH_FAILED, "target refused CHAP%s", NULL);
		break;
	case LP_SEC_CHAP_A:
		return chap_send_r(sm, in, req, res);
	case LP_SEC_CHAP_R:
		if (has_mutual(sm->sm_p) && !sm->sm_peer_verified && chap_verify_target(sm, in, res))
			return LOGIN_FAIL;
		break;
	default:
		return fail(res, RC_LOGIN, "unexpected security stage response%s", NULL);
	}
	if (h->ls_transit)
		return transit(sm, h, NULL, req, res);
	/* target wants another round with nothing new from us: ask to move on */
	if (build_req(sm, NULL, true, STAGE_OPERATIONAL, req))
		return fail(res, RC_NOMEM, "out of memory%s", NULL);
	return LOGIN_SEND;
}

static enum login_step step_operational(struct login_sm *sm, const struct pdu_login_rsp *h,
					const struct text_list *in, struct pdu *req,
					struct login_result *res)
{
	struct text_list reply;
	enum login_step st;

	text_init(&reply);
	if (neg_process(&sm->sm_neg, in, &reply, res->lr_msg, sizeof(res->lr_msg))) {
		text_free(&reply);
		res->lr_rc = RC_LOGIN;
		return LOGIN_FAIL;
	}
	if (h->ls_transit && h->ls_nsg == STAGE_FFP) {
		text_free(&reply);
		return finish(sm, h, res);
	}
	st = send_operational(sm, &reply, req, res);
	text_free(&reply);
	return st;
}

/* Class 1: TargetAddress says where to go. */
static enum login_step redirect(const struct pdu_login_rsp *h, const struct text_list *in,
				struct login_result *res)
{
	const char *addr = text_get(in, "TargetAddress");
	char host[LOGIN_ADDR_MAX];

	res->lr_redirect = true;
	res->lr_redirect_permanent = h->ls_detail == 0x02;
	if (!addr)
		return fail(res, RC_LOGIN, "target redirected without TargetAddress%s", NULL);
	snprintf(host, sizeof(host), "%s", addr);
	host[strcspn(host, ",")] = '\0';   /* drop ",tpgt" */
	if (net_portal_parse(host, ISCSI_PORT_DEFAULT, res->lr_redirect_host, sizeof(res->lr_redirect_host),
			     &res->lr_redirect_port))
		return fail(res, RC_LOGIN, "target redirected to a malformed address %s", addr);
	return fail(res, RC_LOGIN, "target redirected to %s", addr);
}

/* Status class 1-3: redirection or rejection ends the login. */
static enum login_step step_status(const struct pdu_login_rsp *h, const struct text_list *in,
				   struct login_result *res)
{
	if (h->ls_class == 1)
		return redirect(h, in, res);
	res->lr_rc = login_status_rc(h->ls_class, h->ls_detail);
	snprintf(res->lr_msg, sizeof(res->lr_msg), "target rejected login: %s (0x%02x%02x)",
		 login_status_str(h->ls_class, h->ls_detail), h->ls_class, h->ls_detail);
	return LOGIN_FAIL;
}

/* Checks a response belongs to this login and gathers its text; returns
 * LOGIN_SEND with req set when the text continues (C bit), LOGIN_DONE
 * when the whole text is in sm_rx, LOGIN_FAIL otherwise. */
static enum login_step take_rsp(struct login_sm *sm, const struct pdu *rsp,
				struct pdu_login_rsp *h, struct pdu *req,
				struct login_result *res)
{
	if (++sm->sm_pdus > LOGIN_MAX_PDUS)
		return fail(res, RC_LOGIN, "login did not converge%s", NULL);
	if (pdu_login_rsp_decode(rsp, h))
		return fail(res, RC_LOGIN, "target sent %s during login", pdu_op_name(pdu_opcode(rsp)));
	/* a rejection counts even when the target did not echo our ITT/ISID */
	if (h->ls_class == 0 &&
	    (h->ls_itt != sm->sm_p->lp_itt || memcmp(h->ls_isid, sm->sm_p->lp_isid, 6) != 0))
		return fail(res, RC_LOGIN, "login response for another task or session%s", NULL);
	res->lr_class = h->ls_class;
	res->lr_detail = h->ls_detail;
	/* we offer version 0 only (VersionMin = VersionMax = 0): an accepting
	 * target must settle on it (RFC 7143 11.13.4) */
	if (h->ls_class == 0 && h->ls_ver_active != 0) {
		char v[8];

		snprintf(v, sizeof(v), "0x%02x", h->ls_ver_active);
		return fail(res, RC_LOGIN, "target chose unsupported iSCSI version %s", v);
	}
	sm->sm_statsn = h->ls_statsn + 1;
	if (text_buf_append(&sm->sm_rx, rsp->pdu_data, rsp->pdu_data_len))
		return fail(res, RC_LOGIN, "login response text too long%s", NULL);
	if (h->ls_continue && h->ls_class == 0) {
		/* more text follows: an empty request fetches it */
		if (build_req(sm, NULL, false, 0, req))
			return fail(res, RC_NOMEM, "out of memory%s", NULL);
		return LOGIN_SEND;
	}
	return LOGIN_DONE;
}

enum login_step login_sm_step(struct login_sm *sm, const struct pdu *rsp,
			      struct pdu *req, struct login_result *res)
{
	struct pdu_login_rsp h;
	struct text_list in;
	enum login_step st = take_rsp(sm, rsp, &h, req, res);

	if (st != LOGIN_DONE)
		return st;
	int prc = text_parse(sm->sm_rx.tb_data, sm->sm_rx.tb_len, &in);
	sm->sm_rx.tb_len = 0;
	if (prc)
		return fail(res, RC_LOGIN, "malformed login response text%s", NULL);
	if (h.ls_class != 0)
		st = step_status(&h, &in, res);
	else if (h.ls_csg != sm->sm_csg)
		st = fail(res, RC_LOGIN, "target answered in the wrong login stage%s", NULL);
	else {
		keep_declared(sm, &in);
		st = sm->sm_csg == STAGE_SECURITY ? step_security(sm, &h, &in, req, res)
						  : step_operational(sm, &h, &in, req, res);
	}
	text_free(&in);
	return st;
}
