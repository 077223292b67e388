/* Operational-stage negotiation over one connection: what we offer, how we
 * treat the peer's answers and offers, and the final parameter set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "negotiate.h"

#define BIT(k) (1ull << (k))

/* Keys we offer, in the order open-iscsi sends them. */
static const enum neg_key_id offer_normal[] = {
	K_HEADER_DIGEST, K_DATA_DIGEST, K_MAX_RECV_DLEN, K_MAX_CONNECTIONS,
	K_INITIAL_R2T, K_IMMEDIATE_DATA, K_MAX_BURST, K_FIRST_BURST,
	K_TIME2WAIT, K_TIME2RETAIN, K_MAX_OUTSTANDING_R2T, K_DATA_PDU_IN_ORDER,
	K_DATA_SEQ_IN_ORDER, K_ERL, K_IFMARKER, K_OFMARKER,
};
static const enum neg_key_id offer_discovery[] = {
	K_HEADER_DIGEST, K_DATA_DIGEST, K_MAX_RECV_DLEN, K_TIME2WAIT,
	K_TIME2RETAIN, K_ERL, K_IFMARKER, K_OFMARKER,
};

static const char *yn(bool b) { return b ? "Yes" : "No"; }

/* My value for a key as text; NULL when I have no opinion (use default). */
static const char *mine_str(const struct iscsi_params *m, enum neg_key_id id,
			    char *buf, size_t cap)
{
	uint32_t v;

	switch (id) {
	case K_HEADER_DIGEST: return neg_digest_str(m->ip_hdig);
	case K_DATA_DIGEST: return neg_digest_str(m->ip_ddig);
	case K_INITIAL_R2T: return yn(m->ip_initial_r2t);
	case K_IMMEDIATE_DATA: return yn(m->ip_immediate_data);
	case K_DATA_PDU_IN_ORDER: return yn(m->ip_data_pdu_in_order);
	case K_DATA_SEQ_IN_ORDER: return yn(m->ip_data_seq_in_order);
	case K_IFMARKER: return yn(m->ip_ifmarker);
	case K_OFMARKER: return yn(m->ip_ofmarker);
	case K_MAX_CONNECTIONS: v = m->ip_max_conns; break;
	case K_MAX_RECV_DLEN: v = m->ip_max_recv_dlen; break;
	case K_MAX_BURST: v = m->ip_max_burst; break;
	case K_FIRST_BURST: v = m->ip_first_burst; break;
	case K_TIME2WAIT: v = m->ip_time2wait; break;
	case K_TIME2RETAIN: v = m->ip_time2retain; break;
	case K_MAX_OUTSTANDING_R2T: v = m->ip_max_r2t; break;
	case K_ERL: v = m->ip_erl; break;
	case K_TASK_REPORTING: return "RFC3720";
	case K_PROTOCOL_LEVEL: return "1";
	default: return NULL;
	}
	snprintf(buf, cap, "%u", v);
	return buf;
}

void neg_begin(struct neg_state *s, const struct iscsi_params *mine, bool discovery)
{
	memset(s, 0, sizeof(*s));
	s->ns_discovery = discovery;
	s->ns_mine = *mine;
	if (discovery)  /* digests make no sense for a few text PDUs; stock sends None */
		s->ns_mine.ip_hdig = s->ns_mine.ip_ddig = DIGEST_NONE;
}

int neg_offer(struct neg_state *s, struct text_list *out)
{
	const enum neg_key_id *ids = s->ns_discovery ? offer_discovery : offer_normal;
	size_t n = s->ns_discovery ? sizeof(offer_discovery) / sizeof(ids[0])
				   : sizeof(offer_normal) / sizeof(ids[0]);
	char buf[24];

	for (size_t i = 0; i < n; i++) {
		if (s->ns_sent & BIT(ids[i]))
			continue;
		const char *v = mine_str(&s->ns_mine, ids[i], buf, sizeof(buf));
		int rc = text_add(out, neg_key_get(ids[i])->nk_name, v);
		if (rc)
			return rc;
		s->ns_sent |= BIT(ids[i]);
		if (neg_key_get(ids[i])->nk_kind != NEG_DECLARE_NUM)
			s->ns_offered |= BIT(ids[i]);
	}
	return 0;
}

static void set_val(struct neg_state *s, enum neg_key_id id, const char *v)
{
	snprintf(s->ns_val[id], sizeof(s->ns_val[id]), "%s", v);
	s->ns_done |= BIT(id);
}

/* The peer answered one of our offers. */
static int neg_answer(struct neg_state *s, enum neg_key_id id, const char *his,
		      char *err, size_t errcap)
{
	char buf[24], out[64];
	const char *mine = mine_str(&s->ns_mine, id, buf, sizeof(buf));
	enum neg_result r = neg_resolve(id, mine, his, true, out, sizeof(out));

	if (r == NEG_OK) {
		set_val(s, id, out);
		return 0;
	}
	if (r == NEG_IRRELEVANT || r == NEG_NOT_UNDERSTOOD) {
		s->ns_done |= BIT(id);   /* RFC default stays in force */
		return 0;
	}
	snprintf(err, errcap, "target answered %s=%s to our %s", neg_key_get(id)->nk_name, his, mine);
	return -EPROTO;
}

/* The peer offered a key (or declared one): answer it. */
static int neg_answer_offer(struct neg_state *s, enum neg_key_id id, const char *his,
			    struct text_list *reply)
{
	const struct neg_key *k = neg_key_get(id);
	char buf[24], out[64];

	if (k->nk_normal_only && s->ns_discovery)
		return text_add(reply, k->nk_name, NEG_IRRELEVANT_STR);
	if (k->nk_kind == NEG_DECLARE || k->nk_kind == NEG_DECLARE_NUM) {
		enum neg_result r = neg_resolve(id, "", his, false, out, sizeof(out));

		/* A string declaration longer than ns_val (a 255-byte TargetAlias,
		 * a long TargetAddress) is legal and the login keeps it whole
		 * elsewhere; declarations are never answered, least of all Reject. */
		if (r != NEG_OK && k->nk_kind == NEG_DECLARE) {
			s->ns_done |= BIT(id);
			return 0;
		}
		if (r != NEG_OK)
			return text_add(reply, k->nk_name, NEG_REJECT_STR);
		set_val(s, id, out);
		const char *mine = mine_str(&s->ns_mine, id, buf, sizeof(buf));
		if (mine && !(s->ns_sent & BIT(id))) {  /* declare ours in turn */
			s->ns_sent |= BIT(id);
			return text_add(reply, k->nk_name, mine);
		}
		return 0;
	}
	const char *mine = mine_str(&s->ns_mine, id, buf, sizeof(buf));
	if (!mine)
		mine = k->nk_default ? k->nk_default : "";
	if (neg_resolve(id, mine, his, false, out, sizeof(out)) != NEG_OK)
		return text_add(reply, k->nk_name, NEG_REJECT_STR);
	set_val(s, id, out);
	s->ns_sent |= BIT(id);
	return text_add(reply, k->nk_name, out);
}

int neg_process(struct neg_state *s, const struct text_list *peer,
		struct text_list *reply, char *err, size_t errcap)
{
	for (size_t i = 0; i < peer->tl_n; i++) {
		const char *key = peer->tl_kv[i].tk_key, *val = peer->tl_kv[i].tk_val;
		int id = neg_key_find(key), rc;

		if (id < 0)
			rc = text_add(reply, key, NEG_NOTUNDERSTOOD);
		else if ((s->ns_offered & BIT(id)) && !(s->ns_done & BIT(id)))
			rc = neg_answer(s, (enum neg_key_id)id, val, err, errcap);
		else if (s->ns_done & BIT(id) && !(neg_key_get(id)->nk_kind == NEG_DECLARE ||
						    neg_key_get(id)->nk_kind == NEG_DECLARE_NUM))
			rc = 0;  /* repeated after the outcome: ignore */
		else
			rc = neg_answer_offer(s, (enum neg_key_id)id, val, reply);
		if (rc)
			return rc;
	}
	return 0;
}

static uint32_t val_num(const struct neg_state *s, enum neg_key_id id)
{
	return (uint32_t)strtoul(s->ns_val[id], NULL, 0);
}

static bool val_bool(const struct neg_state *s, enum neg_key_id id)
{
	return strcmp(s->ns_val[id], "Yes") == 0;
}

/* Keys never settled: the outcome of my value against the RFC default
 * (an offer the target ignored cannot have moved it past either). */
static void neg_fill_unsettled(struct neg_state *s)
{
	char buf[24], out[64];

	for (int id = 0; id < K_NKEYS; id++) {
		const struct neg_key *k = neg_key_get((enum neg_key_id)id);
		if ((s->ns_done & BIT(id)) || !k->nk_default)
			continue;
		const char *mine = mine_str(&s->ns_mine, (enum neg_key_id)id, buf, sizeof(buf));
		snprintf(s->ns_val[id], sizeof(s->ns_val[id]), "%s", k->nk_default);
		if (mine && k->nk_kind != NEG_DECLARE_NUM && k->nk_kind != NEG_LIST &&
		    neg_resolve((enum neg_key_id)id, mine, k->nk_default, false, out, sizeof(out)) == NEG_OK)
			snprintf(s->ns_val[id], sizeof(s->ns_val[id]), "%s", out);
	}
}

void neg_finish(struct neg_state *s)
{
	struct iscsi_params *a = &s->ns_active;

	neg_fill_unsettled(s);
	neg_params_default(a);
	a->ip_max_recv_dlen = s->ns_mine.ip_max_recv_dlen;
	a->ip_max_xmit_dlen = val_num(s, K_MAX_RECV_DLEN);  /* the peer's declaration */
	a->ip_hdig = strcmp(s->ns_val[K_HEADER_DIGEST], "CRC32C") == 0 ? DIGEST_CRC32C : DIGEST_NONE;
	a->ip_ddig = strcmp(s->ns_val[K_DATA_DIGEST], "CRC32C") == 0 ? DIGEST_CRC32C : DIGEST_NONE;
	a->ip_time2wait = val_num(s, K_TIME2WAIT);
	a->ip_time2retain = val_num(s, K_TIME2RETAIN);
	a->ip_erl = val_num(s, K_ERL);
	a->ip_ifmarker = val_bool(s, K_IFMARKER);
	a->ip_ofmarker = val_bool(s, K_OFMARKER);
	if (s->ns_discovery)
		return;
	a->ip_max_conns = val_num(s, K_MAX_CONNECTIONS);
	a->ip_initial_r2t = val_bool(s, K_INITIAL_R2T);
	a->ip_immediate_data = val_bool(s, K_IMMEDIATE_DATA);
	a->ip_max_burst = val_num(s, K_MAX_BURST);
	a->ip_first_burst = val_num(s, K_FIRST_BURST);
	a->ip_max_r2t = val_num(s, K_MAX_OUTSTANDING_R2T);
	a->ip_data_pdu_in_order = val_bool(s, K_DATA_PDU_IN_ORDER);
	a->ip_data_seq_in_order = val_bool(s, K_DATA_SEQ_IN_ORDER);
	/* RFC 7143 13.14: FirstBurstLength must not exceed MaxBurstLength */
	if (a->ip_first_burst > a->ip_max_burst)
		a->ip_first_burst = a->ip_max_burst;
}

/* A digest the record requires (CRC32C with no None fallback) that the
 * outcome lacks: the target skipped the operational stage or left the key
 * unanswered, and the RFC default None would silently apply. */
const char *neg_required_missing(const struct neg_state *s)
{
	if (s->ns_mine.ip_hdig == DIGEST_CRC32C && s->ns_active.ip_hdig != DIGEST_CRC32C)
		return neg_key_get(K_HEADER_DIGEST)->nk_name;
	if (s->ns_mine.ip_ddig == DIGEST_CRC32C && s->ns_active.ip_ddig != DIGEST_CRC32C)
		return neg_key_get(K_DATA_DIGEST)->nk_name;
	return NULL;
}
