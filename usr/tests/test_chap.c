/* CHAP: responses compared with python3's hashlib computed at test time
 * (an independent implementation), value encodings both ways, the CHAP_A
 * offer built from node.session.auth.chap_algs. */
#include <stdint.h>
#include <stdlib.h>
#include "t.h"
#include "chap.h"

static const char *py_name(enum hash_alg a)
{
	return a == HASH_MD5 ? "md5" : a == HASH_SHA1 ? "sha1" : "sha256";
}

/* hashlib.<alg>(bytes([id]) + secret + challenge).hexdigest() */
static int py_chap(enum hash_alg a, uint8_t id, const char *secret,
		   const char *chal_hex, char *out, size_t cap)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import hashlib,sys; print(hashlib.%s(bytes([%u])+b\"%s\"+bytes.fromhex(\"%s\")).hexdigest())'",
		 py_name(a), id, secret, chal_hex);
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	char *ok = fgets(out, (int)cap, f);
	int rc = pclose(f);
	if (!ok || rc != 0)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

static void test_response_vs_python(void)
{
	static const char *chal_hex[] = {
		"00", "8f2a11c0ffee", "0102030405060708090a0b0c0d0e0f10111213141516",
	};
	enum hash_alg algs[] = { HASH_MD5, HASH_SHA1, HASH_SHA256 };
	const char *secrets[] = { "secretsecret", "an0ther-Secret!", "x" };

	for (int a = 0; a < 3; a++)
		for (int i = 0; i < 3; i++) {
			uint8_t chal[64], r[HASH_MAX_LEN];
			char hexv[160], want[80];
			char in[160];
			snprintf(in, sizeof(in), "0x%s", chal_hex[i]);
			long cl = chap_value_decode(in, chal, sizeof(chal));
			T_CHECK(cl > 0);
			uint8_t id = (uint8_t)(37 * i + 200 * a);
			size_t n = chap_response(algs[a], id, secrets[i], strlen(secrets[i]),
						 chal, (size_t)cl, r);
			T_INTEQ(n, hash_len(algs[a]));
			T_CHECK(chap_value_encode_hex(r, n, hexv, sizeof(hexv)));
			T_INTEQ(py_chap(algs[a], id, secrets[i], chal_hex[i], want, sizeof(want)), 0);
			T_STREQ(hexv + 2, want);
		}
}

static void test_hex_decode(void)
{
	uint8_t b[8];
	T_INTEQ(chap_value_decode("0x0aFF10", b, sizeof(b)), 3);
	T_INTEQ(b[0], 0x0a); T_INTEQ(b[1], 0xff); T_INTEQ(b[2], 0x10);
	T_INTEQ(chap_value_decode("0xabc", b, sizeof(b)), 2);  /* odd count */
	T_INTEQ(b[0], 0x0a); T_INTEQ(b[1], 0xbc);
	T_INTEQ(chap_value_decode("0xzz", b, sizeof(b)), -1);
	T_INTEQ(chap_value_decode("0x", b, sizeof(b)), -1);
	T_INTEQ(chap_value_decode("1234", b, sizeof(b)), -1);
	T_INTEQ(chap_value_decode("0x0102030405060708090a", b, sizeof(b)), -1); /* too long */
	T_INTEQ(chap_value_decode(NULL, b, sizeof(b)), -1);
}

static void test_base64_roundtrip(void)
{
	uint8_t in[40], out[40];
	char enc[80];

	for (size_t len = 1; len <= sizeof(in); len++) {
		for (size_t i = 0; i < len; i++)
			in[i] = (uint8_t)(i * 53 + len);
		T_CHECK(chap_value_encode_b64(in, len, enc, sizeof(enc)));
		T_INTEQ(chap_value_decode(enc, out, sizeof(out)), (long)len);
		T_CHECK(memcmp(in, out, len) == 0);
	}
	T_CHECK(chap_value_encode_b64((const uint8_t *)"Man", 3, enc, sizeof(enc)));
	T_STREQ(enc, "0bTWFu");
	T_CHECK(chap_value_encode_b64((const uint8_t *)"Ma", 2, enc, sizeof(enc)));
	T_STREQ(enc, "0bTWE=");
	T_INTEQ(chap_value_decode("0bT!E=", out, sizeof(out)), -1);
	T_CHECK(!chap_value_encode_b64(in, 30, enc, 10));
}

static void test_hex_encode(void)
{
	char s[16];
	T_CHECK(chap_value_encode_hex((const uint8_t *)"\x01\xab", 2, s, sizeof(s)));
	T_STREQ(s, "0x01ab");
	T_CHECK(!chap_value_encode_hex((const uint8_t *)"\x01\xab", 2, s, 6));
}

static void test_algs(void)
{
	int a[CHAP_MAX_ALGS];
	char s[32];
	enum hash_alg h;

	int n = chap_algs_parse("SHA3-256,SHA256,SHA1,MD5", a);
	chap_algs_format(a, n, s, sizeof(s));
	T_STREQ(s, "7,6,5");  /* SHA3-256 is not offered: not implemented */
	n = chap_algs_parse("MD5", a);
	chap_algs_format(a, n, s, sizeof(s));
	T_STREQ(s, "5");
	n = chap_algs_parse("", a);
	chap_algs_format(a, n, s, sizeof(s));
	T_STREQ(s, "7,6,5");
	n = chap_algs_parse("md5, sha1,MD5", a);
	chap_algs_format(a, n, s, sizeof(s));
	T_STREQ(s, "5,6");
	T_CHECK(chap_alg_offered(a, n, 6));
	T_CHECK(!chap_alg_offered(a, n, 7));
	T_CHECK(chap_alg_hash(7, &h) && h == HASH_SHA256);
	T_CHECK(!chap_alg_hash(8, &h));
}

int main(void)
{
	T_RUN(test_response_vs_python);
	T_RUN(test_hex_decode);
	T_RUN(test_base64_roundtrip);
	T_RUN(test_hex_encode);
	T_RUN(test_algs);
	return T_DONE();
}
