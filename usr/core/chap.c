/* CHAP computations and value encodings. No I/O and no randomness here:
 * the login code supplies challenges, ids and secrets. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "chap.h"

/* Names as node.session.auth.chap_algs spells them. */
static const struct { const char *name; int num; } chap_names[] = {
	{ "MD5", CHAP_A_MD5 }, { "SHA1", CHAP_A_SHA1 }, { "SHA256", CHAP_A_SHA256 },
};

bool chap_alg_hash(int chap_a, enum hash_alg *out)
{
	switch (chap_a) {
	case CHAP_A_MD5: *out = HASH_MD5; return true;
	case CHAP_A_SHA1: *out = HASH_SHA1; return true;
	case CHAP_A_SHA256: *out = HASH_SHA256; return true;
	}
	return false;
}

static int chap_name_num(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(chap_names) / sizeof(chap_names[0]); i++)
		if (strlen(chap_names[i].name) == len &&
		    strncasecmp(chap_names[i].name, name, len) == 0)
			return chap_names[i].num;
	return -1;  /* e.g. SHA3-256: not implemented, skipped */
}

int chap_algs_parse(const char *list, int *algs)
{
	int n = 0;

	while (list && *list && n < CHAP_MAX_ALGS) {
		size_t len = strcspn(list, ", ");
		int num = chap_name_num(list, len);
		if (num > 0 && !chap_alg_offered(algs, n, num))
			algs[n++] = num;
		list += len;
		list += strspn(list, ", ");
	}
	if (n == 0) {
		algs[0] = CHAP_A_SHA256;
		algs[1] = CHAP_A_SHA1;
		algs[2] = CHAP_A_MD5;
		n = 3;
	}
	return n;
}

void chap_algs_format(const int *algs, int n, char *buf, size_t cap)
{
	size_t off = 0;

	if (cap)
		buf[0] = '\0';
	for (int i = 0; i < n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%d", i ? "," : "", algs[i]);
}

bool chap_alg_offered(const int *algs, int n, int chap_a)
{
	for (int i = 0; i < n; i++)
		if (algs[i] == chap_a)
			return true;
	return false;
}

size_t chap_response(enum hash_alg alg, uint8_t id, const void *secret,
		     size_t secret_len, const uint8_t *chal, size_t chal_len,
		     uint8_t *out)
{
	struct hash_ctx c;

	hash_init(&c, alg);
	hash_update(&c, &id, 1);
	hash_update(&c, secret, secret_len);
	hash_update(&c, chal, chal_len);
	hash_final(&c, out);
	return hash_len(alg);
}

/* ---- value encodings (RFC 7143 6.1: hex "0x", base64 "0b") ---- */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static long chap_hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t len = strlen(s), n = 0, i = 0;

	if (len == 0)
		return -1;
	if (len % 2) {  /* odd digit count: the first byte has one digit */
		int v = hexval(s[0]);
		if (v < 0 || cap < 1)
			return -1;
		out[n++] = (uint8_t)v;
		i = 1;
	}
	for (; i < len; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0 || n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return (long)n;
}

static const char b64_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64val(int c)
{
	const char *p = c ? strchr(b64_alpha, c) : NULL;
	return p ? (int)(p - b64_alpha) : -1;
}

static long chap_b64_decode(const char *s, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0, len = strlen(s);

	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return (long)n;
}

long chap_value_decode(const char *s, uint8_t *out, size_t cap)
{
	if (!s || strlen(s) < 3 || s[0] != '0')
		return -1;
	if (s[1] == 'x' || s[1] == 'X')
		return chap_hex_decode(s + 2, out, cap);
	if (s[1] == 'b' || s[1] == 'B')
		return chap_b64_decode(s + 2, out, cap);
	return -1;
}

bool chap_value_encode_hex(const uint8_t *in, size_t len, char *out, size_t cap)
{
	if (cap < 2 * len + 3)
		return false;
	strcpy(out, "0x");
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 + 2 * i, "%02x", in[i]);
	return true;
}

bool chap_value_encode_b64(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need = 2 + 4 * ((len + 2) / 3) + 1, o = 2;

	if (cap < need)
		return false;
	out[0] = '0';
	out[1] = 'b';
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = b64_alpha[v >> 18 & 63];
		out[o++] = b64_alpha[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64_alpha[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64_alpha[v & 63] : '=';
	}
	out[o] = '\0';
	return true;
}
