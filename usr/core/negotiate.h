/* Text key negotiation (RFC 7143 sections 5.2, 6, 13): a pure function of
 * "mine" and "his" per key, plus a small per-connection state that knows
 * which keys we offered and which the peer offered to us. */
#ifndef CORE_NEGOTIATE_H
#define CORE_NEGOTIATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "text.h"

/* How a key's outcome is computed (RFC 7143 section 5.2.2 / 6.2). */
enum neg_kind {
	NEG_DECLARE,     /* declarative: each side states its own value */
	NEG_DECLARE_NUM, /* declarative number with a range (MaxRecvDataSegmentLength) */
	NEG_LIST,        /* offerer lists in preference order, answerer picks one */
	NEG_AND,         /* boolean, result = mine AND his */
	NEG_OR,          /* boolean, result = mine OR his */
	NEG_MIN,         /* numeric, result = min */
	NEG_MAX,         /* numeric, result = max */
};

/* Answers that are not values (RFC 7143 6.2). */
#define NEG_REJECT_STR       "Reject"
#define NEG_IRRELEVANT_STR   "Irrelevant"
#define NEG_NOTUNDERSTOOD    "NotUnderstood"

enum neg_result {
	NEG_OK = 0,         /* out holds the active value */
	NEG_REJECTED,       /* value invalid / not acceptable -> answer Reject */
	NEG_IRRELEVANT,     /* key does not apply (e.g. FirstBurst when ... ) */
	NEG_NOT_UNDERSTOOD, /* unknown key */
};

/* Indices into the key table. */
enum neg_key_id {
	K_HEADER_DIGEST, K_DATA_DIGEST, K_MAX_CONNECTIONS, K_INITIAL_R2T,
	K_IMMEDIATE_DATA, K_MAX_RECV_DLEN, K_MAX_BURST, K_FIRST_BURST,
	K_TIME2WAIT, K_TIME2RETAIN, K_MAX_OUTSTANDING_R2T, K_DATA_PDU_IN_ORDER,
	K_DATA_SEQ_IN_ORDER, K_ERL, K_IFMARKER, K_OFMARKER, K_IFMARKINT,
	K_OFMARKINT, K_TASK_REPORTING, K_PROTOCOL_LEVEL,
	K_SESSION_TYPE, K_AUTH_METHOD, K_TARGET_NAME, K_INITIATOR_NAME,
	K_TARGET_ALIAS, K_INITIATOR_ALIAS, K_TARGET_ADDRESS, K_TPGT,
	K_SEND_TARGETS,
	K_NKEYS
};

struct neg_key {
	const char *nk_name;
	enum neg_kind nk_kind;
	uint32_t nk_min, nk_max;   /* numeric range (NEG_MIN/MAX/DECLARE_NUM) */
	const char *nk_default;    /* RFC default, NULL if none */
	bool nk_leading_only;      /* LO: only on the leading connection */
	bool nk_normal_only;       /* irrelevant in a discovery session */
};

const struct neg_key *neg_key_get(enum neg_key_id id);
/* -1 if the key is not in the table (answer NotUnderstood). */
int neg_key_find(const char *name);

/* The heart: given my value (for NEG_LIST my list) and his, computes the
 * active value into out. i_offered tells which side made the offer: when
 * he answers my offer (i_offered), his must be a legal answer to it (a value
 * from my list, <= mine for MIN, ...), else NEG_REJECTED. */
enum neg_result neg_resolve(enum neg_key_id id, const char *mine, const char *his,
			    bool i_offered, char *out, size_t cap);

/* Digest proposals as the record spells them. */
enum digest_pref { DIGEST_NONE, DIGEST_CRC32C, DIGEST_CRC32C_NONE, DIGEST_NONE_CRC32C };
int neg_digest_parse(const char *s, enum digest_pref *out); /* 0 / -EINVAL */
const char *neg_digest_str(enum digest_pref d);

/* Operational parameters, as proposed (mine) or as negotiated (active). */
struct iscsi_params {
	uint32_t ip_max_recv_dlen;  /* MaxRecvDataSegmentLength I declare */
	uint32_t ip_max_xmit_dlen;  /* active only: the peer's declared value */
	uint32_t ip_max_burst, ip_first_burst;
	uint32_t ip_max_conns, ip_max_r2t, ip_erl;
	uint32_t ip_time2wait, ip_time2retain;
	bool ip_initial_r2t, ip_immediate_data;
	bool ip_data_pdu_in_order, ip_data_seq_in_order;
	bool ip_ifmarker, ip_ofmarker;
	enum digest_pref ip_hdig, ip_ddig; /* active: DIGEST_NONE or DIGEST_CRC32C */
};
/* RFC 7143 defaults (what holds if a key is never negotiated). */
void neg_params_default(struct iscsi_params *p);

/* Per-connection negotiation state for the operational stage. */
struct neg_state {
	bool ns_discovery;
	struct iscsi_params ns_mine;
	struct iscsi_params ns_active;
	char ns_val[K_NKEYS][64];   /* active values as text */
	uint64_t ns_offered;        /* bit per key: we sent an offer */
	uint64_t ns_done;           /* bit per key: outcome known */
	uint64_t ns_sent;           /* bit per key: any value sent by us */
};
void neg_begin(struct neg_state *s, const struct iscsi_params *mine, bool discovery);
/* Adds our operational offers to out (only keys not yet sent). */
int neg_offer(struct neg_state *s, struct text_list *out);
/* Processes the peer's keys from one (reassembled) PDU. Answers to keys the
 * peer offered are appended to reply. Returns 0, or -EPROTO when the peer's
 * answer breaks the rules for a key that matters (message in err). */
int neg_process(struct neg_state *s, const struct text_list *peer,
		struct text_list *reply, char *err, size_t errcap);
/* Fills ns_active from ns_val (after the last exchange; applies RFC
 * defaults for keys never negotiated and irrelevance rules). */
void neg_finish(struct neg_state *s);
/* After neg_finish: the name of a digest key we require (CRC32C alone) that
 * did not come out CRC32C, or NULL when every requirement holds. */
const char *neg_required_missing(const struct neg_state *s);

#endif
