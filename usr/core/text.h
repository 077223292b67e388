/* iSCSI text keys (RFC 7143 section 6): "key=value\0" lists carried in the
 * data segment of login and text PDUs, possibly continued over several PDUs
 * (C bit). Pure: bytes in, lists out, and back. */
#ifndef CORE_TEXT_H
#define CORE_TEXT_H
#include <stddef.h>
#include <stdint.h>

#define TEXT_KEY_MAX   63      /* RFC 7143 6.1: key names up to 63 bytes */
#define TEXT_VAL_MAX   8192    /* longest value we accept (SendTargets lines are short) */
#define TEXT_TOTAL_MAX (1u << 20) /* bound on a reassembled text response */

struct text_kv {
	char *tk_key;
	char *tk_val;
};

/* Ordered list of pairs; duplicates are kept (SendTargets repeats
 * TargetAddress), text_get returns the first. */
struct text_list {
	struct text_kv *tl_kv;
	size_t tl_n, tl_cap;
};

void text_init(struct text_list *l);
void text_free(struct text_list *l);
int text_add(struct text_list *l, const char *key, const char *val); /* 0 / -ENOMEM / -EINVAL */
int text_addf(struct text_list *l, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *text_get(const struct text_list *l, const char *key);
/* Parses a whole (reassembled) data segment. A trailing pair without its
 * NUL, a pair without '=', an over-long key or value: -EBADMSG. Padding
 * NULs at the end are ignored. */
int text_parse(const uint8_t *buf, size_t len, struct text_list *out);
/* Bytes text_encode needs. */
size_t text_encoded_len(const struct text_list *l);
/* Writes "k=v\0" for each pair; returns bytes written or 0 if cap is short. */
size_t text_encode(const struct text_list *l, uint8_t *buf, size_t cap);

/* Reassembly buffer for a response that spans PDUs: append each PDU's data,
 * parse once the final (C=0) PDU arrived. A key=value may be split between
 * two PDUs, which is why parsing waits for the end. */
struct text_buf {
	uint8_t *tb_data;
	size_t tb_len, tb_cap;
};
void text_buf_init(struct text_buf *b);
void text_buf_free(struct text_buf *b);
/* -E2BIG past TEXT_TOTAL_MAX, -ENOMEM. */
int text_buf_append(struct text_buf *b, const uint8_t *data, size_t len);

#endif
