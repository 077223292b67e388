/* MD5 (RFC 1321 A.5), SHA-1 / SHA-256 (FIPS 180 examples) and CRC32C
 * (RFC 3720 B.4) vectors, plus split-feeding equals one-shot. */
#include <stdint.h>
#include <stdlib.h>
#include "t.h"
#include "hash.h"
#include "crc32c.h"

uint32_t crc32c_bitwise(const void *buf, size_t len);

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static const char *digest(enum hash_alg alg, const char *msg)
{
	static char out[2 * HASH_MAX_LEN + 1];
	uint8_t d[HASH_MAX_LEN];
	size_t n = hash_buf(alg, msg, strlen(msg), d);
	hex(d, n, out);
	return out;
}

static void test_md5_rfc1321(void)
{
	T_STREQ(digest(HASH_MD5, ""), "d41d8cd98f00b204e9800998ecf8427e");
	T_STREQ(digest(HASH_MD5, "a"), "0cc175b9c0f1b6a831c399e269772661");
	T_STREQ(digest(HASH_MD5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
	T_STREQ(digest(HASH_MD5, "message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
	T_STREQ(digest(HASH_MD5, "abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
	T_STREQ(digest(HASH_MD5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
		"d174ab98d277d9f5a5611c2c9f419d9f");
	T_STREQ(digest(HASH_MD5, "12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
		"57edf4a22be3c955ac49da2e2107b67a");
}

static void test_sha1_fips180(void)
{
	T_STREQ(digest(HASH_SHA1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
	T_STREQ(digest(HASH_SHA1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		"84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	T_STREQ(digest(HASH_SHA1, ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void test_sha256_fips180(void)
{
	T_STREQ(digest(HASH_SHA256, "abc"),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	T_STREQ(digest(HASH_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	T_STREQ(digest(HASH_SHA256, ""),
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* One million 'a' fed in uneven chunks: exercises block boundaries. */
static void test_million_a(void)
{
	static const char *want[] = {
		"7707d6ae4e027c70eea2a935c2296f21",
		"34aa973cd4c4daa4f61eeb2bdbad27316534016f",
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	};
	enum hash_alg algs[] = { HASH_MD5, HASH_SHA1, HASH_SHA256 };
	char buf[1000], out[2 * HASH_MAX_LEN + 1];
	uint8_t d[HASH_MAX_LEN];

	memset(buf, 'a', sizeof(buf));
	for (int a = 0; a < 3; a++) {
		struct hash_ctx c;
		size_t left = 1000000, step = 1;
		hash_init(&c, algs[a]);
		while (left > 0) {
			size_t n = step < left ? step : left;
			hash_update(&c, buf, n);
			left -= n;
			step = step % 983 + 13;  /* stays < sizeof(buf) */
		}
		hash_final(&c, d);
		hex(d, hash_len(algs[a]), out);
		T_STREQ(out, want[a]);
	}
}

static void test_crc32c_rfc3720(void)
{
	uint8_t b[48];

	memset(b, 0, 32);
	T_INTEQ(crc32c(b, 32), 0x8a9136aa);
	memset(b, 0xff, 32);
	T_INTEQ(crc32c(b, 32), 0x62a8ab43);
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	T_INTEQ(crc32c(b, 32), 0x46dd794e);
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	T_INTEQ(crc32c(b, 32), 0x113fdb5c);
	/* the iSCSI READ(10) command PDU of B.4 */
	static const uint8_t rd[48] = {
		0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18,
		0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
	};
	T_INTEQ(crc32c(rd, 48), 0xd9963a56);
	T_INTEQ(crc32c("123456789", 9), 0xe3069283);
}

static void test_crc32c_chunked(void)
{
	uint8_t b[257];

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 7 + 3);
	uint32_t whole = crc32c(b, sizeof(b));
	T_INTEQ(whole, crc32c_bitwise(b, sizeof(b)));
	uint32_t part = crc32c_update(0, b, 100);
	part = crc32c_update(part, b + 100, sizeof(b) - 100);
	T_INTEQ(part, whole);
}

int main(void)
{
	T_RUN(test_md5_rfc1321);
	T_RUN(test_sha1_fips180);
	T_RUN(test_sha256_fips180);
	T_RUN(test_million_a);
	T_RUN(test_crc32c_rfc3720);
	T_RUN(test_crc32c_chunked);
	return T_DONE();
}
