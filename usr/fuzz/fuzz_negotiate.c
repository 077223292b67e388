/* Text keys and operational negotiation: the peer's key=value text is
 * parsed, our offers made, the peer's keys answered, the outcome computed.
 * Input: one byte choosing our proposals (discovery, digests, numbers),
 * then the peer's text. Invariants: the reply encodes and parses back to
 * the same keys; the outcome honours RFC 7143's ranges and our limits. */
#include "fuzz.h"
#include "negotiate.h"
#include "text.h"

static void mine_from(uint8_t b, struct iscsi_params *m, bool *discovery)
{
	neg_params_default(m);
	*discovery = b & 1;
	m->ip_hdig = (enum digest_pref)((b >> 1) & 3);
	m->ip_ddig = (enum digest_pref)((b >> 3) & 3);
	m->ip_max_recv_dlen = (b & 0x20) ? 512 : 262144;
	m->ip_max_burst = (b & 0x40) ? 512 : 16776192;
	m->ip_first_burst = (b & 0x40) ? 512 : 262144;
	m->ip_initial_r2t = b & 0x80;
}

static void check_roundtrip(const struct text_list *l)
{
	size_t n = text_encoded_len(l);
	uint8_t *buf = malloc(n ? n : 1);
	struct text_list back;

	if (!buf)
		return;
	FUZZ_CHECK(text_encode(l, buf, n) == n);
	FUZZ_CHECK(text_parse(buf, n, &back) == 0);
	FUZZ_CHECK(back.tl_n == l->tl_n);
	for (size_t i = 0; i < l->tl_n; i++) {
		FUZZ_CHECK(strcmp(back.tl_kv[i].tk_key, l->tl_kv[i].tk_key) == 0);
		FUZZ_CHECK(strcmp(back.tl_kv[i].tk_val, l->tl_kv[i].tk_val) == 0);
	}
	text_free(&back);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct iscsi_params mine;
	struct neg_state s;
	struct text_list peer, offer, reply;
	char err[256];
	bool discovery;

	fuzz_quiet();
	mine_from(fuzz_u8(&in), &mine, &discovery);
	if (text_parse(in.fi_p, in.fi_n, &peer))
		return 0;
	for (size_t i = 0; i < peer.tl_n; i++)
		neg_key_find(peer.tl_kv[i].tk_key);
	neg_begin(&s, &mine, discovery);
	text_init(&offer);
	text_init(&reply);
	neg_offer(&s, &offer);
	check_roundtrip(&offer);
	if (neg_process(&s, &peer, &reply, err, sizeof(err)) == 0) {
		check_roundtrip(&reply);
		neg_finish(&s);
		const struct iscsi_params *a = &s.ns_active;
		FUZZ_CHECK(a->ip_max_recv_dlen == mine.ip_max_recv_dlen);
		FUZZ_CHECK(a->ip_hdig == DIGEST_NONE || a->ip_hdig == DIGEST_CRC32C);
		FUZZ_CHECK(a->ip_ddig == DIGEST_NONE || a->ip_ddig == DIGEST_CRC32C);
		FUZZ_CHECK(!discovery || a->ip_hdig == DIGEST_NONE);
		FUZZ_CHECK(a->ip_erl <= 2);
		if (!discovery) {
			FUZZ_CHECK(a->ip_first_burst <= a->ip_max_burst);
			FUZZ_CHECK(a->ip_max_burst <= mine.ip_max_burst);
			FUZZ_CHECK(a->ip_initial_r2t || !mine.ip_initial_r2t);
		}
		if (mine.ip_hdig == DIGEST_NONE)
			FUZZ_CHECK(a->ip_hdig == DIGEST_NONE);
		neg_required_missing(&s);
	}
	text_free(&peer);
	text_free(&offer);
	text_free(&reply);
	return 0;
}
