/* MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-4). All three are
 * Merkle-Damgard over 64-byte blocks with a 64-bit length; only the
 * compression function and the byte order differ. */
#include <stdbool.h>
#include <string.h>
#include "hash.h"

static uint32_t rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t get_le32(const uint8_t *b)
{
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* ---- MD5 ---- */
static const uint8_t md5_shift[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

/* floor(abs(sin(i + 1)) * 2^32) */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
	0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
	0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
	0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
	0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static void md5_block(uint32_t *st, const uint8_t *blk)
{
	uint32_t m[16], a = st[0], b = st[1], c = st[2], d = st[3];

	for (int i = 0; i < 16; i++)
		m[i] = get_le32(blk + 4 * i);
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g;
		if (i < 16) { f = (b & c) | (~b & d); g = i; }
		else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
		else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
		else { f = c ^ (b | ~d); g = (7 * i) & 15; }
		f += a + md5_k[i] + m[g];
		a = d; d = c; c = b;
		b += rol32(f, md5_shift[i]);
	}
	st[0] += a; st[1] += b; st[2] += c; st[3] += d;
}

/* ---- SHA-1 ---- */
static void sha1_block(uint32_t *st, const uint8_t *blk)
{
	uint32_t w[80], a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];

	for (int i = 0; i < 16; i++)
		w[i] = get_be32(blk + 4 * i);
	for (int i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
		else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
		else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
		else { f = b ^ c ^ d; k = 0xca62c1d6; }
		uint32_t t = rol32(a, 5) + f + e + k + w[i];
		e = d; d = c; c = rol32(b, 30); b = a; a = t;
	}
	st[0] += a; st[1] += b; st[2] += c; st[3] += d; st[4] += e;
}

/* ---- SHA-256 ---- */
/* first 32 bits of the fractional parts of the cube roots of the first 64 primes */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(uint32_t *st, const uint8_t *blk)
{
	uint32_t w[64], v[8];

	for (int i = 0; i < 16; i++)
		w[i] = get_be32(blk + 4 * i);
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, st, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + s1 + ch + sha256_k[i] + w[i];
		uint32_t s0 = ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		memmove(v + 1, v, 7 * sizeof(uint32_t));
		v[4] += t1;
		v[0] = t1 + s0 + maj;
	}
	for (int i = 0; i < 8; i++)
		st[i] += v[i];
}

/* ---- common framing ---- */
size_t hash_len(enum hash_alg alg)
{
	switch (alg) {
	case HASH_MD5: return 16;
	case HASH_SHA1: return 20;
	case HASH_SHA256: return 32;
	}
	return 0;
}

void hash_init(struct hash_ctx *c, enum hash_alg alg)
{
	static const uint32_t md5_iv[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	static const uint32_t sha1_iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	static const uint32_t sha256_iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memset(c, 0, sizeof(*c));
	c->hc_alg = alg;
	if (alg == HASH_MD5)
		memcpy(c->hc_state, md5_iv, sizeof(md5_iv));
	else if (alg == HASH_SHA1)
		memcpy(c->hc_state, sha1_iv, sizeof(sha1_iv));
	else
		memcpy(c->hc_state, sha256_iv, sizeof(sha256_iv));
}

static void hash_block(struct hash_ctx *c, const uint8_t *blk)
{
	if (c->hc_alg == HASH_MD5)
		md5_block(c->hc_state, blk);
	else if (c->hc_alg == HASH_SHA1)
		sha1_block(c->hc_state, blk);
	else
		sha256_block(c->hc_state, blk);
}

void hash_update(struct hash_ctx *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	c->hc_bytes += len;
	while (len > 0) {
		size_t n = 64 - c->hc_fill;
		if (n > len)
			n = len;
		memcpy(c->hc_block + c->hc_fill, p, n);
		c->hc_fill += n;
		p += n;
		len -= n;
		if (c->hc_fill == 64) {
			hash_block(c, c->hc_block);
			c->hc_fill = 0;
		}
	}
}

void hash_final(struct hash_ctx *c, uint8_t *out)
{
	uint64_t bits = c->hc_bytes * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (c->hc_fill < 56 ? 56 : 120) - c->hc_fill;
	bool le = c->hc_alg == HASH_MD5;
	uint8_t lenb[8];

	for (int i = 0; i < 8; i++)
		lenb[i] = (uint8_t)(bits >> (le ? 8 * i : 56 - 8 * i));
	hash_update(c, pad, padlen);
	hash_update(c, lenb, 8);
	size_t words = hash_len(c->hc_alg) / 4;
	for (size_t i = 0; i < words; i++) {
		uint32_t v = c->hc_state[i];
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(v >> (le ? 8 * j : 24 - 8 * j));
	}
}

size_t hash_buf(enum hash_alg alg, const void *buf, size_t len, uint8_t *out)
{
	struct hash_ctx c;

	hash_init(&c, alg);
	hash_update(&c, buf, len);
	hash_final(&c, out);
	return hash_len(alg);
}
