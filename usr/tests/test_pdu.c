/* PDU codec: the shared wire vectors in testdata/pdu decode to the fields
 * gen.py put there and re-encode to the same bytes; digests are checked;
 * typed encoders and decoders round-trip; lengths are bounded. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "t.h"
#include "pdu.h"

struct vec { uint8_t b[512]; size_t n; bool hdig, ddig; };

static int vec_load(const char *name, struct vec *v)
{
	char path[256], line[256];
	const char *dir = getenv("TESTDATA") ? getenv("TESTDATA") : "testdata";
	snprintf(path, sizeof(path), "%s/pdu/%s.hex", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	memset(v, 0, sizeof(*v));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#') {
			if (strstr(line, "hdig=1")) v->hdig = true;
			if (strstr(line, "ddig=1")) v->ddig = true;
			continue;
		}
		char *p = line, *end;
		for (;;) {
			unsigned long x = strtoul(p, &end, 16);
			if (end == p || v->n >= sizeof(v->b))
				break;
			v->b[v->n++] = (uint8_t)x;
			p = end;
		}
	}
	fclose(f);
	return 0;
}

/* decode + re-encode must give the same bytes */
static int vec_decode(const char *name, struct vec *v, struct pdu *p)
{
	uint8_t again[512];
	if (vec_load(name, v))
		return -1;
	long rest = pdu_bhs_rest(v->b, v->hdig, v->ddig, 65536);
	if (rest < 0 || (size_t)rest + PDU_BHS_LEN != v->n)
		return -2;
	if (pdu_decode(v->b, v->n, v->hdig, v->ddig, 65536, p))
		return -3;
	size_t n = pdu_encode(p, v->hdig, v->ddig, again, sizeof(again));
	if (n != v->n || memcmp(again, v->b, n))
		return -4;
	return 0;
}

static void test_vec_login(void)
{
	struct vec v; struct pdu p; struct pdu_login_req q; struct pdu_login_rsp r;
	static const uint8_t isid[6] = { 0, 2, 0x3d, 0, 0, 1 };

	T_INTEQ(vec_decode("login_req", &v, &p), 0);
	T_INTEQ(pdu_login_req_decode(&p, &q), 0);
	T_CHECK(q.lq_transit && !q.lq_continue);
	T_INTEQ(q.lq_csg, 0); T_INTEQ(q.lq_nsg, 1);
	T_CHECK(memcmp(q.lq_isid, isid, 6) == 0);
	T_INTEQ(q.lq_itt, 0x10); T_INTEQ(q.lq_cid, 7); T_INTEQ(q.lq_cmdsn, 1);
	T_CHECK(p.pdu_data_len > 20 && memcmp(p.pdu_data, "InitiatorName=", 14) == 0);
	T_INTEQ(pdu_login_rsp_decode(&p, &r), -EPROTO);
	/* the typed encoder rebuilds the same header */
	struct pdu p2; pdu_init(&p2);
	T_INTEQ(pdu_set_data(&p2, p.pdu_data, p.pdu_data_len), 0);
	pdu_login_req_encode(&p2, &q);
	T_CHECK(memcmp(p2.pdu_bhs, p.pdu_bhs, PDU_BHS_LEN) == 0);
	pdu_free(&p2);
	pdu_free(&p);

	T_INTEQ(vec_decode("login_rsp_auth_fail", &v, &p), 0);
	T_INTEQ(pdu_login_rsp_decode(&p, &r), 0);
	T_INTEQ(r.ls_class, 2); T_INTEQ(r.ls_detail, 1);
	T_INTEQ(r.ls_tsih, 0x1234); T_INTEQ(r.ls_statsn, 0x55);
	T_INTEQ(r.ls_exp_cmdsn, 2); T_INTEQ(r.ls_max_cmdsn, 33);
	T_CHECK(r.ls_transit); T_INTEQ(r.ls_nsg, 1);
	pdu_free(&p);
}

static void test_vec_text_digests(void)
{
	struct vec v; struct pdu p; struct pdu_text_rsp t;

	T_INTEQ(vec_decode("text_rsp_continue", &v, &p), 0);
	T_INTEQ(pdu_text_rsp_decode(&p, &t), 0);
	T_CHECK(!t.tr_final && t.tr_continue);
	T_INTEQ(t.tr_itt, 0x22); T_INTEQ(t.tr_ttt, 0x99);
	T_INTEQ(t.tr_statsn, 3); T_INTEQ(t.tr_max_cmdsn, 20);
	T_INTEQ(p.pdu_data_len, 0x47);
	pdu_free(&p);
	/* flip one data byte: data digest must catch it */
	v.b[60] ^= 1;
	T_INTEQ(pdu_decode(v.b, v.n, true, true, 65536, &p), -EBADMSG);
	v.b[60] ^= 1;
	v.b[20] ^= 0x80;  /* header byte: header digest must catch it */
	T_INTEQ(pdu_decode(v.b, v.n, true, true, 65536, &p), -EBADMSG);
	v.b[20] ^= 0x80;
	/* read without digests the lengths no longer add up */
	T_INTEQ(pdu_decode(v.b, v.n, false, false, 65536, &p), -EBADMSG);
	/* announced data over the limit */
	T_INTEQ(pdu_bhs_rest(v.b, true, true, 16), -1);
}

static void test_vec_others(void)
{
	struct vec v; struct pdu p;
	struct pdu_nop n; struct pdu_async a; struct pdu_logout_rsp o;
	struct pdu_reject j; struct pdu_scsi_cmd c;

	T_INTEQ(vec_decode("nop_in_ping", &v, &p), 0);
	T_INTEQ(pdu_nop_in_decode(&p, &n), 0);
	T_INTEQ(n.np_itt, PDU_RSVD_TAG); T_INTEQ(n.np_ttt, 0x77);
	T_INTEQ(n.np_lun[1], 2); T_INTEQ(n.np_max_cmdsn, 40);
	pdu_free(&p);
	T_INTEQ(vec_decode("async_scsi_event", &v, &p), 0);
	T_INTEQ(pdu_async_decode(&p, &a), 0);
	T_INTEQ(a.as_event, 0); T_INTEQ(a.as_lun[1], 1); T_INTEQ(a.as_statsn, 11);
	T_INTEQ(p.pdu_data_len, 20);
	T_INTEQ(p.pdu_data[2 + 12], 0x3f); T_INTEQ(p.pdu_data[2 + 13], 0x0e);
	pdu_free(&p);
	T_INTEQ(vec_decode("logout_rsp", &v, &p), 0);
	T_INTEQ(pdu_logout_rsp_decode(&p, &o), 0);
	T_INTEQ(o.or_response, 0); T_INTEQ(o.or_itt, 0x31);
	T_INTEQ(o.or_time2wait, 2); T_INTEQ(o.or_time2retain, 20);
	pdu_free(&p);
	T_INTEQ(vec_decode("reject_protocol", &v, &p), 0);
	T_INTEQ(pdu_reject_decode(&p, &j), 0);
	T_INTEQ(j.rj_reason, 4); T_INTEQ(p.pdu_data_len, 48);
	pdu_free(&p);
	T_INTEQ(vec_decode("scsi_cmd_read10", &v, &p), 0);
	T_INTEQ(pdu_scsi_cmd_decode(&p, &c), 0);
	T_CHECK(c.sc_final && c.sc_read && !c.sc_write);
	T_INTEQ(c.sc_itt, 0x14000000); T_INTEQ(c.sc_edtl, 0x400);
	T_INTEQ(c.sc_cdb[0], 0x28);
	pdu_free(&p);
}

static void test_roundtrip_typed(void)
{
	struct pdu p; uint8_t buf[256];
	struct pdu_logout_req oq = { .oq_reason = LOGOUT_SESSION, .oq_cid = 3, .oq_itt = 9,
				     .oq_cmdsn = 100, .oq_exp_statsn = 200 }, oq2;
	struct pdu_text_req tq = { .tq_final = true, .tq_itt = 5, .tq_ttt = PDU_RSVD_TAG,
				   .tq_cmdsn = 7, .tq_exp_statsn = 8 }, tq2;
	struct pdu_scsi_rsp sr = { .sr_flags = 0x02, .sr_status = 2, .sr_itt = 4, .sr_statsn = 5,
				   .sr_resid = 512 }, sr2;
	struct pdu_nop no = { .np_immediate = true, .np_itt = 1, .np_ttt = PDU_RSVD_TAG,
			      .np_sn = 3, .np_exp_sn = 4 }, no2;

	pdu_init(&p);
	pdu_logout_req_encode(&p, &oq);
	T_INTEQ(p.pdu_bhs[0], 0x46);
	T_INTEQ(pdu_logout_req_decode(&p, &oq2), 0);
	T_CHECK(oq2.oq_reason == 0 && oq2.oq_cid == 3 && oq2.oq_itt == 9 && oq2.oq_cmdsn == 100 && oq2.oq_exp_statsn == 200);
	T_INTEQ(pdu_set_data(&p, "SendTargets=All", 16), 0);
	pdu_text_req_encode(&p, &tq);
	T_INTEQ(pdu_dlen(&p), 16);   /* encoders keep DataSegmentLength */
	T_INTEQ(pdu_text_req_decode(&p, &tq2), 0);
	T_CHECK(tq2.tq_final && tq2.tq_itt == 5 && tq2.tq_ttt == PDU_RSVD_TAG && tq2.tq_cmdsn == 7);
	size_t n = pdu_encode(&p, false, true, buf, sizeof(buf));
	T_INTEQ(n, 48 + 16 + 4);
	T_INTEQ(pdu_encode(&p, false, true, buf, 60), 0);
	pdu_free(&p);
	pdu_scsi_rsp_encode(&p, &sr);
	T_INTEQ(pdu_scsi_rsp_decode(&p, &sr2), 0);
	T_CHECK(sr2.sr_flags == 2 && sr2.sr_status == 2 && sr2.sr_resid == 512);
	pdu_nop_out_encode(&p, &no);
	T_INTEQ(pdu_nop_out_decode(&p, &no2), 0);
	T_CHECK(no2.np_immediate && no2.np_sn == 3 && no2.np_exp_sn == 4);
	T_STREQ(pdu_op_name(pdu_opcode(&p)), "NOP-Out");
}

static void test_padding_and_ahs(void)
{
	struct pdu p, q; uint8_t buf[128];

	pdu_init(&p);
	T_INTEQ(pdu_pad(0), 0); T_INTEQ(pdu_pad(1), 3); T_INTEQ(pdu_pad(4), 0); T_INTEQ(pdu_pad(7), 1);
	p.pdu_bhs[0] = OP_NOP_OUT;
	p.pdu_ahs = calloc(1, 8);
	p.pdu_ahs_len = 8;
	T_INTEQ(pdu_set_data(&p, "abcde", 5), 0);
	size_t n = pdu_encode(&p, true, true, buf, sizeof(buf));
	T_INTEQ(n, 48 + 8 + 4 + 8 + 4);
	T_INTEQ(buf[4], 2);
	T_INTEQ(pdu_bhs_rest(buf, true, true, 8192), (long)(n - 48));
	T_INTEQ(pdu_decode(buf, n, true, true, 8192, &q), 0);
	T_INTEQ(q.pdu_ahs_len, 8); T_INTEQ(q.pdu_data_len, 5);
	T_CHECK(memcmp(q.pdu_data, "abcde", 5) == 0);
	T_INTEQ(pdu_decode(buf, n - 1, true, true, 8192, &q) , -EBADMSG);
	pdu_free(&q);
	pdu_free(&p);
}

int main(void)
{
	T_RUN(test_vec_login);
	T_RUN(test_vec_text_digests);
	T_RUN(test_vec_others);
	T_RUN(test_roundtrip_typed);
	T_RUN(test_padding_and_ahs);
	return T_DONE();
}
