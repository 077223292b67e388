/* CHAP for iSCSI (RFC 1994 as used by RFC 7143 section 12.1.3; algorithm
 * numbers from the IANA PPP registry). Pure: bytes in, bytes out. */
#ifndef CORE_CHAP_H
#define CORE_CHAP_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "hash.h"

/* CHAP_A algorithm numbers (IANA PPP authentication algorithms). */
enum chap_alg_num { CHAP_A_MD5 = 5, CHAP_A_SHA1 = 6, CHAP_A_SHA256 = 7 };

#define CHAP_MAX_ALGS 4
#define CHAP_CHALLENGE_MAX 1024 /* bytes of binary challenge we accept */

/* Map a CHAP_A number to a hash; false if we do not implement it. */
bool chap_alg_hash(int chap_a, enum hash_alg *out);
/* The CHAP_A list we offer from node.session.auth.chap_algs
 * ("SHA3-256,SHA256,SHA1,MD5" style, unknown names skipped). Returns the
 * count written to algs (<= CHAP_MAX_ALGS); empty/NULL gives 7,6,5. */
int chap_algs_parse(const char *list, int *algs);
/* Formats algs as "7,6,5" into buf. */
void chap_algs_format(const int *algs, int n, char *buf, size_t cap);
/* Picks the target's choice: true if chap_a is one we offered. */
bool chap_alg_offered(const int *algs, int n, int chap_a);

/* Response = H(id || secret || challenge); out gets hash_len bytes. */
size_t chap_response(enum hash_alg alg, uint8_t id, const void *secret,
		     size_t secret_len, const uint8_t *chal, size_t chal_len,
		     uint8_t *out);

/* CHAP binary values travel as "0x<hex>" or "0b<base64>" (RFC 7143 6.1).
 * Decode returns the byte count or -1 on a malformed value / overflow. */
long chap_value_decode(const char *s, uint8_t *out, size_t cap);
/* Encodes as 0x<lowercase hex>; returns false if cap is too small. */
bool chap_value_encode_hex(const uint8_t *in, size_t len, char *out, size_t cap);
/* Encodes as 0b<base64>; returns false if cap is too small. */
bool chap_value_encode_b64(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
