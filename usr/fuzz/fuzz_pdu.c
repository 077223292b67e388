/* PDU decode (BHS, AHS, data, padding, header and data digests) and every
 * typed view of it. Input: one flags byte (bit 0 header digest, bit 1 data
 * digest), then the wire bytes. Invariant: what decodes re-encodes to bytes
 * that decode to the same PDU. */
#include "fuzz.h"
#include "pdu.h"

static void typed_views(const struct pdu *p)
{
	union {
		struct pdu_login_req lq; struct pdu_login_rsp ls; struct pdu_text_req tq;
		struct pdu_text_rsp ts; struct pdu_logout_req oq; struct pdu_logout_rsp os;
		struct pdu_nop n; struct pdu_async a; struct pdu_reject r;
		struct pdu_scsi_cmd c; struct pdu_scsi_rsp s;
	} u;

	pdu_login_req_decode(p, &u.lq);
	pdu_login_rsp_decode(p, &u.ls);
	pdu_text_req_decode(p, &u.tq);
	pdu_text_rsp_decode(p, &u.ts);
	pdu_logout_req_decode(p, &u.oq);
	pdu_logout_rsp_decode(p, &u.os);
	pdu_nop_out_decode(p, &u.n);
	pdu_nop_in_decode(p, &u.n);
	pdu_async_decode(p, &u.a);
	pdu_reject_decode(p, &u.r);
	pdu_scsi_cmd_decode(p, &u.c);
	pdu_scsi_rsp_decode(p, &u.s);
	pdu_op_name(pdu_opcode(p));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t flags = fuzz_u8(&in);
	bool hdig = flags & 1, ddig = flags & 2;
	size_t max_dlen = (flags & 4) ? 512 : 65536;
	struct pdu p, q;

	fuzz_quiet();
	if (in.fi_n < PDU_BHS_LEN)
		return 0;
	long rest = pdu_bhs_rest(in.fi_p, hdig, ddig, max_dlen);
	if (rest < 0 || (size_t)rest + PDU_BHS_LEN != in.fi_n)
		return 0;
	pdu_init(&p);
	if (pdu_decode(in.fi_p, in.fi_n, hdig, ddig, max_dlen, &p) == 0) {
		size_t n = pdu_wire_len(&p, hdig, ddig);
		uint8_t *buf = malloc(n ? n : 1);

		FUZZ_CHECK(pdu_dlen(&p) == p.pdu_data_len);
		typed_views(&p);
		if (buf) {
			FUZZ_CHECK(pdu_encode(&p, hdig, ddig, buf, n) == n);
			pdu_init(&q);
			FUZZ_CHECK(pdu_decode(buf, n, hdig, ddig, max_dlen, &q) == 0);
			FUZZ_CHECK(memcmp(p.pdu_bhs, q.pdu_bhs, PDU_BHS_LEN) == 0);
			FUZZ_CHECK(p.pdu_data_len == q.pdu_data_len &&
				   (!p.pdu_data_len || memcmp(p.pdu_data, q.pdu_data, p.pdu_data_len) == 0));
			pdu_free(&q);
			free(buf);
		}
	}
	pdu_free(&p);
	return 0;
}
