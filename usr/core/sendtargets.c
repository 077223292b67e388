/* SendTargets answer parsing (pure) and the discovery session (edge). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "keys.h"
#include "sendtargets.h"
#include "net.h"
#include "err.h"

void st_result_free(struct st_result *r)
{
	for (size_t i = 0; i < r->sr_n; i++)
		free(r->sr_targets[i].stt_portals);
	free(r->sr_targets);
	memset(r, 0, sizeof(*r));
}

/* domainname[:port][,tpgt]; an IPv6 address is in brackets. */
int st_parse_address(const char *val, uint16_t default_port, struct st_portal *out)
{
	char buf[LOGIN_ADDR_MAX];
	const char *close = strrchr(val, ']');
	const char *comma = strchr(close ? close : val, ',');

	if (strlen(val) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, val, strlen(val) + 1);
	out->sp_tpgt = ST_TPGT_UNKNOWN;
	if (comma) {
		char *end;
		unsigned long t = strtoul(comma + 1, &end, 10);
		if (!comma[1] || *end || t > 65535)
			return -EINVAL;
		out->sp_tpgt = (int)t;
		buf[comma - val] = '\0';
	}
	return net_portal_parse(buf, default_port, out->sp_host, sizeof(out->sp_host),
				&out->sp_port) ? -EINVAL : 0;
}

static int st_add_portal(struct st_target *t, const struct st_portal *p)
{
	struct st_portal *np = realloc(t->stt_portals, (t->stt_n + 1) * sizeof(*np));

	if (!np)
		return -ENOMEM;
	t->stt_portals = np;
	np[t->stt_n++] = *p;
	return 0;
}

static int st_add_target(struct st_result *r, const char *name)
{
	struct st_target *nt;

	if (strlen(name) == 0 || strlen(name) >= LOGIN_NAMELEN)
		return -EBADMSG;
	nt = realloc(r->sr_targets, (r->sr_n + 1) * sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	r->sr_targets = nt;
	memset(&nt[r->sr_n], 0, sizeof(nt[0]));
	snprintf(nt[r->sr_n].stt_name, LOGIN_NAMELEN, "%s", name);
	r->sr_n++;
	return 0;
}

/* The last target, or NULL while a skipped TargetName's keys go by. */
static struct st_target *st_cur(struct st_result *out, bool skipping)
{
	return out->sr_n && !skipping ? &out->sr_targets[out->sr_n - 1] : NULL;
}

/* RFC 7143 C.1: no TargetAddress means the discovery portal itself. */
static int st_close_target(struct st_result *out, bool skipping, const struct st_portal *def,
			   size_t *total)
{
	struct st_target *t = st_cur(out, skipping);

	if (!t || t->stt_n || t->stt_addr_keys)
		return 0;
	++*total;
	return st_add_portal(t, def);
}

static int st_take_address(struct st_result *out, bool skipping, const char *v, size_t *total)
{
	struct st_target *t = st_cur(out, skipping);
	struct st_portal p;

	if (!t)
		return 0;	/* belongs to a skipped name */
	t->stt_addr_keys++;
	if (st_parse_address(v, ISCSI_PORT_DEFAULT, &p)) {
		out->sr_skipped++;
		return 0;
	}
	++*total;
	return st_add_portal(t, &p);
}

int st_parse_response(const struct text_list *kv, const struct st_portal *def,
		      struct st_result *out)
{
	bool skipping = false, named = false;
	size_t total = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < kv->tl_n && !rc; i++) {
		const char *k = kv->tl_kv[i].tk_key, *v = kv->tl_kv[i].tk_val;
		if (strcmp(k, "TargetName") == 0) {
			rc = st_close_target(out, skipping, def, &total);
			named = true;
			if (!rc) {
				int a = st_add_target(out, v);

				skipping = a == -EBADMSG;
				out->sr_skipped += skipping;
				rc = skipping ? 0 : a;
			}
		} else if (strcmp(k, "TargetAddress") == 0) {
			rc = named ? st_take_address(out, skipping, v, &total) : -EBADMSG;
		}
		if (!rc && total > ST_MAX_PORTALS)
			rc = -E2BIG;
	}
	if (!rc)
		rc = st_close_target(out, skipping, def, &total);
	if (!rc && total > ST_MAX_PORTALS)
		rc = -E2BIG;
	if (rc)
		st_result_free(out);
	return rc;
}

/* ---- discovery session ---- */
struct st_conn {
	int fd;
	bool hdig, ddig;
	size_t max_rx;
	uint32_t cmdsn, exp_statsn;
	int64_t deadline;
};

static int st_send_text(struct st_conn *c, uint32_t itt, uint32_t ttt, const void *data, size_t len)
{
	struct pdu p;
	struct pdu_text_req h = { .tq_final = true, .tq_itt = itt, .tq_ttt = ttt,
				  .tq_cmdsn = c->cmdsn, .tq_exp_statsn = c->exp_statsn };
	pdu_init(&p);
	int rc = pdu_set_data(&p, data, len) ? RC_NOMEM : RC_OK;
	pdu_text_req_encode(&p, &h);
	if (rc == RC_OK)
		rc = net_send_pdu(c->fd, &p, c->hdig, c->ddig, c->deadline);
	pdu_free(&p);
	return rc;
}

/* A target ping (NOP-In with a TTT) wants a NOP-Out back; a NOP-In
 * without one, or an asynchronous message, needs nothing. Returns true if
 * the PDU was one of those and has been dealt with. */
static bool st_side_pdu(struct st_conn *c, const struct pdu *p)
{
	struct pdu_nop n;

	if (pdu_opcode(p) == OP_ASYNC)
		return true;
	if (pdu_nop_in_decode(p, &n))
		return false;
	if (n.np_ttt != PDU_RSVD_TAG) {
		struct pdu out;
		struct pdu_nop o = { .np_immediate = true, .np_itt = PDU_RSVD_TAG, .np_ttt = n.np_ttt,
				     .np_sn = c->cmdsn, .np_exp_sn = n.np_sn + 1 };
		memcpy(o.np_lun, n.np_lun, 8);
		pdu_init(&out);
		pdu_nop_out_encode(&out, &o);
		net_send_pdu(c->fd, &out, c->hdig, c->ddig, c->deadline);
		pdu_free(&out);
	}
	return true;
}

/* One text response; *more when F=0 (target has more to say). */
static int st_recv_text(struct st_conn *c, uint32_t itt, struct text_buf *tb, uint32_t *ttt,
			bool *more, char *err, size_t errcap)
{
	struct pdu p;
	struct pdu_text_rsp h;
	const char *why = "";
	int rc;

	for (;;) {
		rc = net_recv_pdu(c->fd, &p, c->hdig, c->ddig, c->max_rx, c->deadline, &why);
		if (rc != RC_OK) {
			snprintf(err, errcap, "%s", why);
			return rc;
		}
		if (!st_side_pdu(c, &p))
			break;
		pdu_free(&p);
	}
	if (pdu_text_rsp_decode(&p, &h) || h.tr_itt != itt) {
		snprintf(err, errcap, "unexpected %s in answer to SendTargets", pdu_op_name(pdu_opcode(&p)));
		pdu_free(&p);
		return RC_TRANS;
	}
	c->exp_statsn = h.tr_statsn + 1;
	*ttt = h.tr_ttt;
	*more = !h.tr_final;
	rc = text_buf_append(tb, p.pdu_data, p.pdu_data_len) ? RC_TRANS : RC_OK;
	if (rc)
		snprintf(err, errcap, "SendTargets answer too long");
	pdu_free(&p);
	return rc;
}

/* SendTargets=All, then empty requests carrying the target's TTT until
 * it sets the F bit (RFC 7143 11.10.2). */
static int st_exchange(struct st_conn *c, struct text_buf *tb, char *err, size_t errcap)
{
	static const char req[] = "SendTargets=All";
	const uint32_t itt = 1;
	uint32_t ttt = PDU_RSVD_TAG;
	bool more = true;
	int rc = st_send_text(c, itt, ttt, req, sizeof(req));

	for (int rounds = 0; rc == RC_OK && more; rounds++) {
		if (rounds > 4096) {
			snprintf(err, errcap, "SendTargets answer never ends");
			return RC_TRANS;
		}
		if (rounds) {
			c->cmdsn++;
			rc = st_send_text(c, itt, ttt, NULL, 0);
			if (rc)
				break;
		}
		rc = st_recv_text(c, itt, tb, &ttt, &more, err, errcap);
	}
	if (rc != RC_OK && !*err)
		snprintf(err, errcap, "SendTargets exchange failed");
	c->cmdsn++;
	return rc;
}

static int st_connect_login(const struct st_request *rq, struct login_params *lp,
			    struct login_result *res, int *fd, char *err, size_t errcap)
{
	int e = 0;
	int rc = net_connect(rq->sq_host, rq->sq_port, rq->sq_conn_timeout_ms, fd, &e);

	if (rc != RC_OK) {
		snprintf(err, errcap, "%s", rc == RC_TRANS_TIMEOUT ? "timed out" : strerror(e));
		*fd = -2;   /* tells the caller the connect itself failed */
		return rc;
	}
	rc = login_run(*fd, lp, res);
	if (rc != RC_OK) {
		snprintf(err, errcap, "%s", res->lr_msg);
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* Turns the gathered answer into targets. */
static int st_collect(const struct text_buf *tb, const struct st_request *rq,
		      struct st_result *out, char *err, size_t errcap)
{
	struct st_portal def = { .sp_port = rq->sq_port, .sp_tpgt = ST_TPGT_UNKNOWN };
	struct text_list kv;
	int rc = RC_OK;

	snprintf(def.sp_host, sizeof(def.sp_host), "%s", rq->sq_host);
	int prc = text_parse(tb->tb_data, tb->tb_len, &kv);

	if (!prc)
		prc = st_parse_response(&kv, &def, out);
	if (prc == -E2BIG)
		snprintf(err, errcap, "SendTargets answer names more than %d portals", ST_MAX_PORTALS);
	else if (prc)
		snprintf(err, errcap, "malformed SendTargets answer");
	if (prc)
		rc = RC_TRANS;
	text_free(&kv);
	return rc;
}

int st_discover(const struct st_request *rq, struct st_result *out,
		struct login_result *res, char *err, size_t errcap)
{
	struct login_params lp = rq->sq_login;
	struct text_buf tb;
	int fd = -1, rc;

	memset(out, 0, sizeof(*out));
	*err = '\0';
	lp.lp_discovery = true;
	lp.lp_target_name = NULL;
	rc = st_connect_login(rq, &lp, res, &fd, err, errcap);
	if (rc != RC_OK) {
		out->sr_failed = fd == -2 ? ST_PHASE_CONNECT : ST_PHASE_LOGIN;
		return rc;
	}
	struct st_conn c = {
		.fd = fd, .hdig = res->lr_params.ip_hdig == DIGEST_CRC32C,
		.ddig = res->lr_params.ip_ddig == DIGEST_CRC32C,
		.max_rx = lp.lp_mine.ip_max_recv_dlen < 8192 ? 8192 : lp.lp_mine.ip_max_recv_dlen,
		.cmdsn = res->lr_cmdsn, .exp_statsn = res->lr_exp_statsn,
		.deadline = net_now_ms() + (rq->sq_reply_timeout_ms > 0 ? rq->sq_reply_timeout_ms : 30000),
	};
	text_buf_init(&tb);
	rc = st_exchange(&c, &tb, err, errcap);
	if (rc == RC_OK)
		rc = st_collect(&tb, rq, out, err, errcap);
	text_buf_free(&tb);
	if (rc != RC_OK)
		out->sr_failed = ST_PHASE_TEXT;
	/* the answer is what counts: a failed logout only gets a close */
	if (rc == RC_OK)
		login_logout(fd, res, 2, c.cmdsn, c.exp_statsn, lp.lp_cid, 5000);
	close(fd);
	return rc;
}
