/* Typed views of the BHS for the PDUs an initiator exchanges (RFC 7143
 * section 11). Encoders clear the BHS first, except DataSegmentLength,
 * which belongs to the data buffer (pdu_set_data). */
#include <errno.h>
#include <string.h>
#include "pdu.h"

static void bhs_reset(struct pdu *p, uint8_t op0, uint8_t flags)
{
	uint8_t dl[3];

	memcpy(dl, p->pdu_bhs + 5, 3);
	memset(p->pdu_bhs, 0, PDU_BHS_LEN);
	memcpy(p->pdu_bhs + 5, dl, 3);
	p->pdu_bhs[0] = op0;
	p->pdu_bhs[1] = flags;
}

static uint16_t be16(const uint8_t *b) { return (uint16_t)(b[0] << 8 | b[1]); }
static void put_be16(uint8_t *b, uint16_t v) { b[0] = (uint8_t)(v >> 8); b[1] = (uint8_t)v; }
#define BE32(p, off) pdu_be32((p)->pdu_bhs + (off))
#define PUT32(p, off, v) pdu_put_be32((p)->pdu_bhs + (off), (v))

static int bhs_expect(const struct pdu *p, enum pdu_op op)
{
	return pdu_opcode(p) == op ? 0 : -EPROTO;
}

static uint8_t login_flags(bool t, bool c, uint8_t csg, uint8_t nsg)
{
	return (uint8_t)((t ? PDU_TRANSIT : 0) | (c ? PDU_CONTINUE : 0) |
			 (csg & 3) << 2 | (nsg & 3));
}

/* ---- Login ---- */
void pdu_login_req_encode(struct pdu *p, const struct pdu_login_req *h)
{
	bhs_reset(p, OP_LOGIN_REQ | PDU_IMMEDIATE,
		  login_flags(h->lq_transit, h->lq_continue, h->lq_csg, h->lq_nsg));
	/* Version-max and Version-min are both 0 (RFC 7143 11.12.4) */
	memcpy(p->pdu_bhs + 8, h->lq_isid, 6);
	put_be16(p->pdu_bhs + 14, h->lq_tsih);
	PUT32(p, 16, h->lq_itt);
	put_be16(p->pdu_bhs + 20, h->lq_cid);
	PUT32(p, 24, h->lq_cmdsn);
	PUT32(p, 28, h->lq_exp_statsn);
}

int pdu_login_req_decode(const struct pdu *p, struct pdu_login_req *h)
{
	const uint8_t *b = p->pdu_bhs;

	memset(h, 0, sizeof(*h));
	h->lq_transit = b[1] & PDU_TRANSIT;
	h->lq_continue = b[1] & PDU_CONTINUE;
	h->lq_csg = (b[1] >> 2) & 3;
	h->lq_nsg = b[1] & 3;
	memcpy(h->lq_isid, b + 8, 6);
	h->lq_tsih = be16(b + 14);
	h->lq_itt = BE32(p, 16);
	h->lq_cid = be16(b + 20);
	h->lq_cmdsn = BE32(p, 24);
	h->lq_exp_statsn = BE32(p, 28);
	return bhs_expect(p, OP_LOGIN_REQ);
}

void pdu_login_rsp_encode(struct pdu *p, const struct pdu_login_rsp *h)
{
	bhs_reset(p, OP_LOGIN_RSP,
		  login_flags(h->ls_transit, h->ls_continue, h->ls_csg, h->ls_nsg));
	p->pdu_bhs[2] = h->ls_ver_max;
	p->pdu_bhs[3] = h->ls_ver_active;
	memcpy(p->pdu_bhs + 8, h->ls_isid, 6);
	put_be16(p->pdu_bhs + 14, h->ls_tsih);
	PUT32(p, 16, h->ls_itt);
	PUT32(p, 24, h->ls_statsn);
	PUT32(p, 28, h->ls_exp_cmdsn);
	PUT32(p, 32, h->ls_max_cmdsn);
	p->pdu_bhs[36] = h->ls_class;
	p->pdu_bhs[37] = h->ls_detail;
}

int pdu_login_rsp_decode(const struct pdu *p, struct pdu_login_rsp *h)
{
	const uint8_t *b = p->pdu_bhs;

	memset(h, 0, sizeof(*h));
	h->ls_transit = b[1] & PDU_TRANSIT;
	h->ls_continue = b[1] & PDU_CONTINUE;
	h->ls_csg = (b[1] >> 2) & 3;
	h->ls_nsg = b[1] & 3;
	h->ls_ver_max = b[2];
	h->ls_ver_active = b[3];
	memcpy(h->ls_isid, b + 8, 6);
	h->ls_tsih = be16(b + 14);
	h->ls_itt = BE32(p, 16);
	h->ls_statsn = BE32(p, 24);
	h->ls_exp_cmdsn = BE32(p, 28);
	h->ls_max_cmdsn = BE32(p, 32);
	h->ls_class = b[36];
	h->ls_detail = b[37];
	return bhs_expect(p, OP_LOGIN_RSP);
}

/* ---- Text ---- */
static uint8_t text_flags(bool f, bool c)
{
	return (uint8_t)((f ? PDU_FINAL : 0) | (c ? PDU_CONTINUE : 0));
}

void pdu_text_req_encode(struct pdu *p, const struct pdu_text_req *h)
{
	bhs_reset(p, OP_TEXT_REQ, text_flags(h->tq_final, h->tq_continue));
	PUT32(p, 16, h->tq_itt);
	PUT32(p, 20, h->tq_ttt);
	PUT32(p, 24, h->tq_cmdsn);
	PUT32(p, 28, h->tq_exp_statsn);
}

int pdu_text_req_decode(const struct pdu *p, struct pdu_text_req *h)
{
	h->tq_final = p->pdu_bhs[1] & PDU_FINAL;
	h->tq_continue = p->pdu_bhs[1] & PDU_CONTINUE;
	h->tq_itt = BE32(p, 16);
	h->tq_ttt = BE32(p, 20);
	h->tq_cmdsn = BE32(p, 24);
	h->tq_exp_statsn = BE32(p, 28);
	return bhs_expect(p, OP_TEXT_REQ);
}

void pdu_text_rsp_encode(struct pdu *p, const struct pdu_text_rsp *h)
{
	bhs_reset(p, OP_TEXT_RSP, text_flags(h->tr_final, h->tr_continue));
	PUT32(p, 16, h->tr_itt);
	PUT32(p, 20, h->tr_ttt);
	PUT32(p, 24, h->tr_statsn);
	PUT32(p, 28, h->tr_exp_cmdsn);
	PUT32(p, 32, h->tr_max_cmdsn);
}

int pdu_text_rsp_decode(const struct pdu *p, struct pdu_text_rsp *h)
{
	h->tr_final = p->pdu_bhs[1] & PDU_FINAL;
	h->tr_continue = p->pdu_bhs[1] & PDU_CONTINUE;
	h->tr_itt = BE32(p, 16);
	h->tr_ttt = BE32(p, 20);
	h->tr_statsn = BE32(p, 24);
	h->tr_exp_cmdsn = BE32(p, 28);
	h->tr_max_cmdsn = BE32(p, 32);
	return bhs_expect(p, OP_TEXT_RSP);
}

/* ---- Logout ---- */
void pdu_logout_req_encode(struct pdu *p, const struct pdu_logout_req *h)
{
	bhs_reset(p, OP_LOGOUT_REQ | PDU_IMMEDIATE, (uint8_t)(PDU_FINAL | (h->oq_reason & 0x7f)));
	PUT32(p, 16, h->oq_itt);
	put_be16(p->pdu_bhs + 20, h->oq_cid);
	PUT32(p, 24, h->oq_cmdsn);
	PUT32(p, 28, h->oq_exp_statsn);
}

int pdu_logout_req_decode(const struct pdu *p, struct pdu_logout_req *h)
{
	h->oq_reason = p->pdu_bhs[1] & 0x7f;
	h->oq_itt = BE32(p, 16);
	h->oq_cid = be16(p->pdu_bhs + 20);
	h->oq_cmdsn = BE32(p, 24);
	h->oq_exp_statsn = BE32(p, 28);
	return bhs_expect(p, OP_LOGOUT_REQ);
}

void pdu_logout_rsp_encode(struct pdu *p, const struct pdu_logout_rsp *h)
{
	bhs_reset(p, OP_LOGOUT_RSP, PDU_FINAL);
	p->pdu_bhs[2] = h->or_response;
	PUT32(p, 16, h->or_itt);
	PUT32(p, 24, h->or_statsn);
	PUT32(p, 28, h->or_exp_cmdsn);
	PUT32(p, 32, h->or_max_cmdsn);
	put_be16(p->pdu_bhs + 40, h->or_time2wait);
	put_be16(p->pdu_bhs + 42, h->or_time2retain);
}

int pdu_logout_rsp_decode(const struct pdu *p, struct pdu_logout_rsp *h)
{
	h->or_response = p->pdu_bhs[2];
	h->or_itt = BE32(p, 16);
	h->or_statsn = BE32(p, 24);
	h->or_exp_cmdsn = BE32(p, 28);
	h->or_max_cmdsn = BE32(p, 32);
	h->or_time2wait = be16(p->pdu_bhs + 40);
	h->or_time2retain = be16(p->pdu_bhs + 42);
	return bhs_expect(p, OP_LOGOUT_RSP);
}

/* ---- NOP ---- */
static void nop_encode(struct pdu *p, uint8_t op0, const struct pdu_nop *h, bool in)
{
	bhs_reset(p, op0, PDU_FINAL);
	memcpy(p->pdu_bhs + 8, h->np_lun, 8);
	PUT32(p, 16, h->np_itt);
	PUT32(p, 20, h->np_ttt);
	PUT32(p, 24, h->np_sn);
	PUT32(p, 28, h->np_exp_sn);
	if (in)
		PUT32(p, 32, h->np_max_cmdsn);
}

static void nop_decode(const struct pdu *p, struct pdu_nop *h)
{
	memset(h, 0, sizeof(*h));
	h->np_immediate = p->pdu_bhs[0] & PDU_IMMEDIATE;
	memcpy(h->np_lun, p->pdu_bhs + 8, 8);
	h->np_itt = BE32(p, 16);
	h->np_ttt = BE32(p, 20);
	h->np_sn = BE32(p, 24);
	h->np_exp_sn = BE32(p, 28);
}

void pdu_nop_out_encode(struct pdu *p, const struct pdu_nop *h)
{
	nop_encode(p, (uint8_t)(OP_NOP_OUT | (h->np_immediate ? PDU_IMMEDIATE : 0)), h, false);
}

int pdu_nop_out_decode(const struct pdu *p, struct pdu_nop *h)
{
	nop_decode(p, h);
	return bhs_expect(p, OP_NOP_OUT);
}

void pdu_nop_in_encode(struct pdu *p, const struct pdu_nop *h)
{
	nop_encode(p, OP_NOP_IN, h, true);
}

int pdu_nop_in_decode(const struct pdu *p, struct pdu_nop *h)
{
	nop_decode(p, h);
	h->np_max_cmdsn = BE32(p, 32);
	return bhs_expect(p, OP_NOP_IN);
}

/* ---- Asynchronous Message, Reject ---- */
void pdu_async_encode(struct pdu *p, const struct pdu_async *h)
{
	bhs_reset(p, OP_ASYNC, PDU_FINAL);
	memcpy(p->pdu_bhs + 8, h->as_lun, 8);
	PUT32(p, 16, PDU_RSVD_TAG);
	PUT32(p, 24, h->as_statsn);
	PUT32(p, 28, h->as_exp_cmdsn);
	PUT32(p, 32, h->as_max_cmdsn);
	p->pdu_bhs[36] = h->as_event;
	p->pdu_bhs[37] = h->as_vcode;
	put_be16(p->pdu_bhs + 38, h->as_param1);
	put_be16(p->pdu_bhs + 40, h->as_param2);
	put_be16(p->pdu_bhs + 42, h->as_param3);
}

int pdu_async_decode(const struct pdu *p, struct pdu_async *h)
{
	memcpy(h->as_lun, p->pdu_bhs + 8, 8);
	h->as_statsn = BE32(p, 24);
	h->as_exp_cmdsn = BE32(p, 28);
	h->as_max_cmdsn = BE32(p, 32);
	h->as_event = p->pdu_bhs[36];
	h->as_vcode = p->pdu_bhs[37];
	h->as_param1 = be16(p->pdu_bhs + 38);
	h->as_param2 = be16(p->pdu_bhs + 40);
	h->as_param3 = be16(p->pdu_bhs + 42);
	return bhs_expect(p, OP_ASYNC);
}

void pdu_reject_encode(struct pdu *p, const struct pdu_reject *h)
{
	bhs_reset(p, OP_REJECT, PDU_FINAL);
	p->pdu_bhs[2] = h->rj_reason;
	PUT32(p, 16, PDU_RSVD_TAG);
	PUT32(p, 24, h->rj_statsn);
	PUT32(p, 28, h->rj_exp_cmdsn);
	PUT32(p, 32, h->rj_max_cmdsn);
	PUT32(p, 36, h->rj_datasn);
}

int pdu_reject_decode(const struct pdu *p, struct pdu_reject *h)
{
	h->rj_reason = p->pdu_bhs[2];
	h->rj_statsn = BE32(p, 24);
	h->rj_exp_cmdsn = BE32(p, 28);
	h->rj_max_cmdsn = BE32(p, 32);
	h->rj_datasn = BE32(p, 36);
	return bhs_expect(p, OP_REJECT);
}

/* ---- SCSI Command / Response (enough for a probe or a test target) ---- */
void pdu_scsi_cmd_encode(struct pdu *p, const struct pdu_scsi_cmd *h)
{
	uint8_t fl = (uint8_t)((h->sc_final ? PDU_FINAL : 0) | (h->sc_read ? 0x40 : 0) |
			       (h->sc_write ? 0x20 : 0) | (h->sc_attr & 7));
	bhs_reset(p, OP_SCSI_CMD, fl);
	memcpy(p->pdu_bhs + 8, h->sc_lun, 8);
	PUT32(p, 16, h->sc_itt);
	PUT32(p, 20, h->sc_edtl);
	PUT32(p, 24, h->sc_cmdsn);
	PUT32(p, 28, h->sc_exp_statsn);
	memcpy(p->pdu_bhs + 32, h->sc_cdb, 16);
}

int pdu_scsi_cmd_decode(const struct pdu *p, struct pdu_scsi_cmd *h)
{
	uint8_t fl = p->pdu_bhs[1];

	h->sc_final = fl & PDU_FINAL;
	h->sc_read = fl & 0x40;
	h->sc_write = fl & 0x20;
	h->sc_attr = fl & 7;
	memcpy(h->sc_lun, p->pdu_bhs + 8, 8);
	h->sc_itt = BE32(p, 16);
	h->sc_edtl = BE32(p, 20);
	h->sc_cmdsn = BE32(p, 24);
	h->sc_exp_statsn = BE32(p, 28);
	memcpy(h->sc_cdb, p->pdu_bhs + 32, 16);
	return bhs_expect(p, OP_SCSI_CMD);
}

void pdu_scsi_rsp_encode(struct pdu *p, const struct pdu_scsi_rsp *h)
{
	bhs_reset(p, OP_SCSI_RSP, (uint8_t)(PDU_FINAL | (h->sr_flags & 0x1e)));
	p->pdu_bhs[2] = h->sr_response;
	p->pdu_bhs[3] = h->sr_status;
	PUT32(p, 16, h->sr_itt);
	PUT32(p, 20, h->sr_snack);
	PUT32(p, 24, h->sr_statsn);
	PUT32(p, 28, h->sr_exp_cmdsn);
	PUT32(p, 32, h->sr_max_cmdsn);
	PUT32(p, 36, h->sr_exp_datasn);
	PUT32(p, 40, h->sr_bi_resid);
	PUT32(p, 44, h->sr_resid);
}

int pdu_scsi_rsp_decode(const struct pdu *p, struct pdu_scsi_rsp *h)
{
	h->sr_flags = p->pdu_bhs[1] & 0x1e;
	h->sr_response = p->pdu_bhs[2];
	h->sr_status = p->pdu_bhs[3];
	h->sr_itt = BE32(p, 16);
	h->sr_snack = BE32(p, 20);
	h->sr_statsn = BE32(p, 24);
	h->sr_exp_cmdsn = BE32(p, 28);
	h->sr_max_cmdsn = BE32(p, 32);
	h->sr_exp_datasn = BE32(p, 36);
	h->sr_bi_resid = BE32(p, 40);
	h->sr_resid = BE32(p, 44);
	return bhs_expect(p, OP_SCSI_RSP);
}
