/* Message digests CHAP needs (MD5, SHA-1, SHA-256), written here so the
 * project needs no crypto library. Streaming interface: init, update*, final. */
#ifndef CORE_HASH_H
#define CORE_HASH_H
#include <stddef.h>
#include <stdint.h>

enum hash_alg { HASH_MD5, HASH_SHA1, HASH_SHA256 };

#define HASH_MAX_LEN 32 /* SHA-256 */

struct hash_ctx {
	enum hash_alg hc_alg;
	uint32_t hc_state[8];
	uint64_t hc_bytes;     /* total bytes fed so far */
	uint8_t hc_block[64];  /* pending partial block */
	size_t hc_fill;
};

/* Digest size in bytes of an algorithm (16, 20 or 32). */
size_t hash_len(enum hash_alg alg);
void hash_init(struct hash_ctx *c, enum hash_alg alg);
void hash_update(struct hash_ctx *c, const void *buf, size_t len);
/* Writes hash_len(alg) bytes to out. */
void hash_final(struct hash_ctx *c, uint8_t *out);
/* One-shot digest; returns the digest length. */
size_t hash_buf(enum hash_alg alg, const void *buf, size_t len, uint8_t *out);

#endif
