/* key=value\0 lists: parse, encode, malformed input, and a SendTargets
 * answer continued over several PDUs with a pair split between two. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "t.h"
#include "text.h"

static void test_parse_encode(void)
{
	static const uint8_t in[] = "TargetName=iqn.a:b\0TargetAddress=1.2.3.4:3260,1\0"
				    "TargetAddress=[fe80::1]:3261,2\0Empty=\0\0\0";
	struct text_list l;
	uint8_t out[256];

	T_INTEQ(text_parse(in, sizeof(in) - 1, &l), 0);
	T_INTEQ(l.tl_n, 4);
	T_STREQ(text_get(&l, "TargetAddress"), "1.2.3.4:3260,1");  /* first wins */
	T_STREQ(l.tl_kv[2].tk_val, "[fe80::1]:3261,2");
	T_STREQ(text_get(&l, "Empty"), "");
	T_CHECK(text_get(&l, "Missing") == NULL);
	size_t n = text_encode(&l, out, sizeof(out));
	T_INTEQ(n, text_encoded_len(&l));
	T_INTEQ(n, sizeof(in) - 1 - 2);  /* without the two padding NULs */
	T_CHECK(memcmp(out, in, n) == 0);
	T_INTEQ(text_encode(&l, out, n - 1), 0);
	text_free(&l);
}

static void test_malformed(void)
{
	struct text_list l;

	T_INTEQ(text_parse((const uint8_t *)"NoEquals\0", 9, &l), -EBADMSG);
	T_INTEQ(text_parse((const uint8_t *)"A=1\0B=2", 7, &l), -EBADMSG);  /* no NUL */
	T_INTEQ(text_parse((const uint8_t *)"=v\0", 3, &l), -EBADMSG);      /* empty key */
	char big[100];
	memset(big, 'K', 64);
	memcpy(big + 64, "=v", 3);
	T_INTEQ(text_parse((const uint8_t *)big, 67, &l), -EBADMSG);  /* 64-byte key */
	T_INTEQ(text_parse((const uint8_t *)"", 0, &l), 0);
	T_INTEQ(l.tl_n, 0);
	text_free(&l);
}

static void test_add(void)
{
	struct text_list l;
	char v[TEXT_VAL_MAX + 2];

	text_init(&l);
	T_INTEQ(text_addf(&l, "MaxRecvDataSegmentLength", "%u", 262144u), 0);
	T_STREQ(text_get(&l, "MaxRecvDataSegmentLength"), "262144");
	memset(v, 'x', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	T_INTEQ(text_add(&l, "K", v), -EINVAL);
	T_INTEQ(text_add(&l, "", "v"), -EINVAL);
	for (int i = 0; i < 100; i++)  /* growth */
		T_INTEQ(text_addf(&l, "TargetAddress", "10.0.0.%d:3260,1", i), 0);
	T_INTEQ(l.tl_n, 101);
	text_free(&l);
}

/* Split a long answer at awkward offsets, as a target with a small
 * MaxRecvDataSegmentLength would, and reassemble. */
static void test_continued(void)
{
	struct text_list src, got;
	uint8_t *wire;
	struct text_buf b;

	text_init(&src);
	for (int i = 0; i < 200; i++) {
		text_addf(&src, "TargetName", "iqn.2026-01.test:target-%03d", i);
		text_addf(&src, "TargetAddress", "127.0.0.1:3300,%d", i % 4 + 1);
	}
	size_t n = text_encoded_len(&src);
	wire = malloc(n);
	T_INTEQ(text_encode(&src, wire, n), n);
	text_buf_init(&b);
	for (size_t off = 0, chunk = 7; off < n; off += chunk, chunk = chunk * 3 % 1021 + 1)
		T_INTEQ(text_buf_append(&b, wire + off, off + chunk > n ? n - off : chunk), 0);
	T_INTEQ(b.tb_len, n);
	T_INTEQ(text_parse(b.tb_data, b.tb_len, &got), 0);
	T_INTEQ(got.tl_n, 400);
	T_STREQ(got.tl_kv[398].tk_val, "iqn.2026-01.test:target-199");
	T_STREQ(got.tl_kv[399].tk_val, "127.0.0.1:3300,4");
	text_free(&got);
	/* total size is bounded */
	T_INTEQ(text_buf_append(&b, wire, TEXT_TOTAL_MAX), -E2BIG);
	text_buf_free(&b);
	text_free(&src);
	free(wire);
}

int main(void)
{
	T_RUN(test_parse_encode);
	T_RUN(test_malformed);
	T_RUN(test_add);
	T_RUN(test_continued);
	return T_DONE();
}
