/* iSCSI PDU codec (RFC 7143 section 11): the 48-byte basic header segment,
 * additional header segments, the data segment padded to 4 bytes, and the
 * optional CRC32C header/data digests. Pure: no file descriptors here
 * (net.h moves whole PDUs over sockets). */
#ifndef CORE_PDU_H
#define CORE_PDU_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define PDU_BHS_LEN      48
#define PDU_DIGEST_LEN   4
#define PDU_MAX_DLEN     ((1u << 24) - 1)  /* DataSegmentLength is 24 bits */
#define PDU_MAX_AHS      (255u * 4)
#define PDU_RSVD_TAG     0xffffffffu

/* Opcodes (byte 0, low six bits). */
enum pdu_op {
	OP_NOP_OUT = 0x00, OP_SCSI_CMD = 0x01, OP_TMF_REQ = 0x02,
	OP_LOGIN_REQ = 0x03, OP_TEXT_REQ = 0x04, OP_DATA_OUT = 0x05,
	OP_LOGOUT_REQ = 0x06, OP_SNACK = 0x10,
	OP_NOP_IN = 0x20, OP_SCSI_RSP = 0x21, OP_TMF_RSP = 0x22,
	OP_LOGIN_RSP = 0x23, OP_TEXT_RSP = 0x24, OP_DATA_IN = 0x25,
	OP_LOGOUT_RSP = 0x26, OP_R2T = 0x31, OP_ASYNC = 0x32, OP_REJECT = 0x3f,
};

#define PDU_OP_MASK    0x3f
#define PDU_IMMEDIATE  0x40
#define PDU_FINAL      0x80   /* F bit, byte 1 */
#define PDU_CONTINUE   0x40   /* C bit in login/text, byte 1 */
#define PDU_TRANSIT    0x80   /* T bit in login, byte 1 */

/* Login stages (CSG/NSG). */
enum login_stage { STAGE_SECURITY = 0, STAGE_OPERATIONAL = 1, STAGE_FFP = 3 };

/* One PDU as bytes: the BHS verbatim plus owned AHS and data buffers.
 * Field encoders below fill bhs; pdu_set_data copies the data segment. */
struct pdu {
	uint8_t pdu_bhs[PDU_BHS_LEN];
	uint8_t *pdu_ahs;     /* malloc'd, pdu_ahs_len bytes (multiple of 4) */
	size_t pdu_ahs_len;
	uint8_t *pdu_data;    /* malloc'd, pdu_data_len bytes (unpadded) */
	size_t pdu_data_len;
};

void pdu_init(struct pdu *p);
void pdu_free(struct pdu *p);    /* frees buffers, leaves an empty PDU */
/* Copies len bytes as the data segment and updates DataSegmentLength. */
int pdu_set_data(struct pdu *p, const void *data, size_t len);

/* Common header fields. */
static inline enum pdu_op pdu_opcode(const struct pdu *p) { return (enum pdu_op)(p->pdu_bhs[0] & PDU_OP_MASK); }
uint32_t pdu_be32(const uint8_t *b);
void pdu_put_be32(uint8_t *b, uint32_t v);
uint32_t pdu_dlen(const struct pdu *p);       /* DataSegmentLength field */
uint32_t pdu_itt(const struct pdu *p);
const char *pdu_op_name(enum pdu_op op);

/* Wire framing. pdu_wire_len is the byte count of the whole PDU with
 * padding and the digests asked for. */
size_t pdu_pad(size_t len);   /* bytes of padding after len */
size_t pdu_wire_len(const struct pdu *p, bool hdig, bool ddig);
/* Serialises p into buf (cap bytes); returns bytes written, 0 if too small.
 * Sets TotalAHSLength and DataSegmentLength from the buffers. */
size_t pdu_encode(const struct pdu *p, bool hdig, bool ddig, uint8_t *buf, size_t cap);

/* Decoding from a byte stream, in two steps so a reader knows how much to
 * wait for: pdu_bhs_rest gives, from the 48 BHS bytes, how many more bytes
 * follow (AHS, header digest, data, pad, data digest). Returns -1 if the
 * announced data length exceeds max_dlen. */
long pdu_bhs_rest(const uint8_t bhs[PDU_BHS_LEN], bool hdig, bool ddig, size_t max_dlen);
/* Decodes one whole PDU (len bytes, exactly pdu_bhs_rest + 48). Checks the
 * digests when enabled. Returns 0, -EBADMSG on a digest mismatch or a
 * malformed length, -ENOMEM. */
int pdu_decode(const uint8_t *buf, size_t len, bool hdig, bool ddig,
	       size_t max_dlen, struct pdu *out);

/* ---- Typed views of the PDUs an initiator sends and receives. ---- */

struct pdu_login_req {
	bool lq_transit, lq_continue;
	uint8_t lq_csg, lq_nsg;          /* enum login_stage */
	uint8_t lq_isid[6];
	uint16_t lq_tsih, lq_cid;
	uint32_t lq_itt, lq_cmdsn, lq_exp_statsn;
};
struct pdu_login_rsp {
	bool ls_transit, ls_continue;
	uint8_t ls_csg, ls_nsg;
	uint8_t ls_ver_max, ls_ver_active;
	uint8_t ls_isid[6];
	uint16_t ls_tsih;
	uint32_t ls_itt, ls_statsn, ls_exp_cmdsn, ls_max_cmdsn;
	uint8_t ls_class, ls_detail;
};
struct pdu_text_req {
	bool tq_final, tq_continue;
	uint32_t tq_itt, tq_ttt, tq_cmdsn, tq_exp_statsn;
};
struct pdu_text_rsp {
	bool tr_final, tr_continue;
	uint32_t tr_itt, tr_ttt, tr_statsn, tr_exp_cmdsn, tr_max_cmdsn;
};
enum logout_reason { LOGOUT_SESSION = 0, LOGOUT_CONN = 1, LOGOUT_RECOVERY = 2 };
struct pdu_logout_req {
	uint8_t oq_reason;
	uint16_t oq_cid;
	uint32_t oq_itt, oq_cmdsn, oq_exp_statsn;
};
struct pdu_logout_rsp {
	uint8_t or_response;
	uint16_t or_time2wait, or_time2retain;
	uint32_t or_itt, or_statsn, or_exp_cmdsn, or_max_cmdsn;
};
struct pdu_nop {  /* NOP-Out (initiator) and NOP-In (target) */
	bool np_immediate;
	uint8_t np_lun[8];
	uint32_t np_itt, np_ttt;
	uint32_t np_sn;        /* CmdSN (out) / StatSN (in) */
	uint32_t np_exp_sn;    /* ExpStatSN (out) / ExpCmdSN (in) */
	uint32_t np_max_cmdsn; /* in only */
};
/* AsyncEvent codes (RFC 7143 11.9.1). */
enum pdu_async_event {
	ASYNC_SCSI_EVENT = 0,      /* sense data in the data segment */
	ASYNC_LOGOUT_REQUEST = 1,
	ASYNC_DROP_CONNECTION = 2,
	ASYNC_DROP_ALL = 3,
	ASYNC_RENEGOTIATE = 4
};
struct pdu_async {
	uint8_t as_lun[8];
	uint32_t as_statsn, as_exp_cmdsn, as_max_cmdsn;
	uint8_t as_event, as_vcode;
	uint16_t as_param1, as_param2, as_param3;
};
struct pdu_reject {
	uint8_t rj_reason;
	uint32_t rj_statsn, rj_exp_cmdsn, rj_max_cmdsn, rj_datasn;
	/* the rejected header is the data segment (48 bytes) */
};
struct pdu_scsi_cmd {
	bool sc_final, sc_read, sc_write;
	uint8_t sc_attr;
	uint8_t sc_lun[8];
	uint32_t sc_itt, sc_edtl, sc_cmdsn, sc_exp_statsn;
	uint8_t sc_cdb[16];
};
struct pdu_scsi_rsp {
	uint8_t sr_flags, sr_response, sr_status;
	uint32_t sr_itt, sr_snack, sr_statsn, sr_exp_cmdsn, sr_max_cmdsn;
	uint32_t sr_exp_datasn, sr_bi_resid, sr_resid;
};

void pdu_login_req_encode(struct pdu *p, const struct pdu_login_req *h);
int pdu_login_req_decode(const struct pdu *p, struct pdu_login_req *h);
void pdu_login_rsp_encode(struct pdu *p, const struct pdu_login_rsp *h);
int pdu_login_rsp_decode(const struct pdu *p, struct pdu_login_rsp *h);
void pdu_text_req_encode(struct pdu *p, const struct pdu_text_req *h);
int pdu_text_req_decode(const struct pdu *p, struct pdu_text_req *h);
void pdu_text_rsp_encode(struct pdu *p, const struct pdu_text_rsp *h);
int pdu_text_rsp_decode(const struct pdu *p, struct pdu_text_rsp *h);
void pdu_logout_req_encode(struct pdu *p, const struct pdu_logout_req *h);
int pdu_logout_req_decode(const struct pdu *p, struct pdu_logout_req *h);
void pdu_logout_rsp_encode(struct pdu *p, const struct pdu_logout_rsp *h);
int pdu_logout_rsp_decode(const struct pdu *p, struct pdu_logout_rsp *h);
void pdu_nop_out_encode(struct pdu *p, const struct pdu_nop *h);
int pdu_nop_out_decode(const struct pdu *p, struct pdu_nop *h);
void pdu_nop_in_encode(struct pdu *p, const struct pdu_nop *h);
int pdu_nop_in_decode(const struct pdu *p, struct pdu_nop *h);
void pdu_async_encode(struct pdu *p, const struct pdu_async *h);
int pdu_async_decode(const struct pdu *p, struct pdu_async *h);
void pdu_reject_encode(struct pdu *p, const struct pdu_reject *h);
int pdu_reject_decode(const struct pdu *p, struct pdu_reject *h);
void pdu_scsi_cmd_encode(struct pdu *p, const struct pdu_scsi_cmd *h);
int pdu_scsi_cmd_decode(const struct pdu *p, struct pdu_scsi_cmd *h);
void pdu_scsi_rsp_encode(struct pdu *p, const struct pdu_scsi_rsp *h);
int pdu_scsi_rsp_decode(const struct pdu *p, struct pdu_scsi_rsp *h);
/* The decoders return 0, or -EPROTO when the opcode is not the expected one. */

#endif
