/* iscsi-iname's output line and usage text. */
#include "t.h"
#include "../iname/iname.h"

static const unsigned char rnd_full[6] = { 0xde, 0xad, 0xbe, 0xef, 0x12, 0x34 };
static const unsigned char rnd_small[6] = { 0x0a, 0x00, 0xff, 0x01, 0x10, 0x0f };

static void test_default_prefix(void)
{
	char b[300];
	T_INTEQ(iname_format(b, sizeof(b), INAME_PREFIX_DEFAULT, rnd_full, false), 40);
	T_STREQ(b, "iqn.2016-04.com.open-iscsi:deadbeef1234\n");
}

static void test_key_and_prefix(void)
{
	char b[300];
	iname_format(b, sizeof(b), "iqn.1993-08.org.debian:01", rnd_full, true);
	T_STREQ(b, "InitiatorName=iqn.1993-08.org.debian:01:deadbeef1234\n");
}

/* stock prints each byte with %x: no zero padding, 6 to 12 digits */
static void test_unpadded_bytes(void)
{
	char b[300];
	iname_format(b, sizeof(b), "p", rnd_small, false);
	T_STREQ(b, "p:a0ff110f\n");
}

static void test_prefix_length_limit(void)
{
	char p[INAME_PREFIX_MAX + 2], b[300];
	memset(p, 'a', sizeof(p) - 1);
	p[INAME_PREFIX_MAX] = '\0';
	T_INTEQ(iname_format(b, sizeof(b), p, rnd_full, false), INAME_PREFIX_MAX + 14);
	p[INAME_PREFIX_MAX] = 'a';
	p[INAME_PREFIX_MAX + 1] = '\0';
	T_INTEQ(iname_format(b, sizeof(b), p, rnd_full, false), -1);
}

static void test_small_buffer(void)
{
	char b[10];
	T_INTEQ(iname_format(b, sizeof(b), "iqn.x", rnd_full, false), -1);
}

static void test_usage_names_limit(void)
{
	T_CHECK(strstr(iname_usage(), "[iqn.2016-04.com.open-iscsi]\n") != NULL);
	T_CHECK(strstr(iname_usage(), "max length of 210\n") != NULL);
}

int main(void)
{
	T_RUN(test_default_prefix);
	T_RUN(test_key_and_prefix);
	T_RUN(test_unpadded_bytes);
	T_RUN(test_prefix_length_limit);
	T_RUN(test_small_buffer);
	T_RUN(test_usage_names_limit);
	return T_DONE();
}
