/* The login state machine fed target responses. Input: one byte of record
 * settings (CHAP, mutual CHAP, required digests, discovery), then
 * responses, each: flags (T, C, CSG, NSG), status class and detail, a
 * 16-bit text length and the text. Invariants: a login that reaches full
 * feature phase has the digests the record requires and, with mutual CHAP,
 * a verified target (which the fuzzer cannot forge: our challenge is
 * random); the machine never runs past its PDU limit. */
#include "fuzz.h"
#include "login.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct login_params p;
	struct login_sm sm;
	struct login_result res;
	struct pdu req, rsp;
	struct pdu_login_req q;
	uint8_t cfg = fuzz_u8(&in);
	enum login_step st = LOGIN_SEND;
	int steps = 0;

	fuzz_quiet();
	login_params_init(&p);
	p.lp_initiator_name = "iqn.2026-01.fuzz:init";
	p.lp_discovery = cfg & 1;
	p.lp_target_name = p.lp_discovery ? NULL : "iqn.2026-01.fuzz:disk";
	p.lp_itt = 0x11;
	if (cfg & 2) {
		p.lp_username = "alice";
		p.lp_password = "alicesecret12";
	}
	if ((cfg & 6) == 6) {
		p.lp_username_in = "tgt";
		p.lp_password_in = (cfg & 0x40) ? "alicesecret12" : "targetsecret";
	}
	p.lp_mine.ip_hdig = (enum digest_pref)((cfg >> 3) & 3);
	p.lp_mine.ip_ddig = (cfg & 0x20) ? DIGEST_CRC32C : DIGEST_NONE;
	if (cfg & 0x80)
		p.lp_n_chap_algs = chap_algs_parse("MD5", p.lp_chap_algs);
	memset(&res, 0, sizeof(res));
	pdu_init(&req);
	pdu_init(&rsp);
	if (login_sm_start(&sm, &p, &req) != 0)
		goto out;
	while (st == LOGIN_SEND && in.fi_n >= 5) {
		uint8_t fl = fuzz_u8(&in), cls = fuzz_u8(&in), det = fuzz_u8(&in);
		size_t tlen;
		const uint8_t *text = fuzz_take(&in, fuzz_u16(&in), &tlen);

		FUZZ_CHECK(pdu_login_req_decode(&req, &q) == 0);
		struct pdu_login_rsp h = {
			.ls_transit = fl & 0x80, .ls_continue = fl & 0x40,
			.ls_csg = (fl >> 2) & 3, .ls_nsg = fl & 3,
			.ls_tsih = 7, .ls_itt = (fl & 0x20) ? 0x99 : q.lq_itt,
			.ls_statsn = 100u + (uint32_t)steps, .ls_exp_cmdsn = q.lq_cmdsn,
			.ls_max_cmdsn = q.lq_cmdsn + 8, .ls_class = cls & 3, .ls_detail = det,
		};
		memcpy(h.ls_isid, q.lq_isid, 6);
		pdu_free(&rsp);
		if (pdu_set_data(&rsp, text, tlen))
			break;
		pdu_login_rsp_encode(&rsp, &h);
		st = login_sm_step(&sm, &rsp, &req, &res);
		FUZZ_CHECK(++steps <= 65);	/* LOGIN_MAX_PDUS + 1 */
	}
	if (st == LOGIN_DONE) {
		FUZZ_CHECK(res.lr_rc == 0);
		/* discovery sessions never use digests (as stock) */
		if (!p.lp_discovery && p.lp_mine.ip_hdig == DIGEST_CRC32C)
			FUZZ_CHECK(res.lr_params.ip_hdig == DIGEST_CRC32C);
		if (!p.lp_discovery && p.lp_mine.ip_ddig == DIGEST_CRC32C)
			FUZZ_CHECK(res.lr_params.ip_ddig == DIGEST_CRC32C);
		if (p.lp_username_in)
			FUZZ_CHECK(sm.sm_peer_verified);
		FUZZ_CHECK(!p.lp_username_in);	/* unforgeable: never reached */
	}
	if (st == LOGIN_FAIL)
		FUZZ_CHECK(res.lr_rc != 0);
	login_sm_free(&sm);
out:
	pdu_free(&req);
	pdu_free(&rsp);
	return 0;
}
