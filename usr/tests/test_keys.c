/* Key table: uniqueness, defaults valid for their own type, lookups. */
#include "t.h"
#include "err.h"
#include "keys.h"
#include "log.h"

static void test_unique_and_valid_defaults(void)
{
	for (size_t i = 0; i < keys_count(); i++) {
		const struct key_def *k = keys_at(i);
		const char *canon;
		char msg[256];

		T_INTEQ(keys_find(k->k_name), (long long)i);
		T_CHECK(k->k_kinds != 0);
		if (k->k_def && *k->k_def) {
			int rc = keys_check(k, k->k_def, &canon, msg, sizeof(msg));

			if (rc != RC_OK)
				fprintf(stderr, "bad default for %s\n", k->k_name);
			T_INTEQ(rc, RC_OK);
		}
	}
}

static void test_lookup_and_kinds(void)
{
	int scan = keys_find(KEY_SCAN), auto_en = keys_find(KEY_AUTOSCAN_EN);

	T_CHECK(scan >= 0);
	T_INTEQ(auto_en, scan + 1);		/* right after node.session.scan */
	T_CHECK(keys_at((size_t)auto_en)->k_def == NULL);
	T_CHECK(keys_find("node.nope") < 0);
	T_CHECK(keys_find_kind("iface.ipaddress", KEY_IFACE) >= 0);
	T_CHECK(keys_find_kind("iface.ipaddress", KEY_NODE) >= 0);
	T_CHECK(keys_find_kind("node.name", KEY_IFACE) < 0);
	T_CHECK(keys_find_kind("node.session.auth.chap_algs", KEY_DISC) >= 0);
	T_CHECK(keys_at((size_t)keys_find("node.name"))->k_flags & KF_RO);
}

static void test_checks(void)
{
	const struct key_def *k = keys_at((size_t)keys_find("node.conn[0].port"));
	const struct key_def *d = keys_at((size_t)keys_find("node.conn[0].iscsi.HeaderDigest"));
	const char *c;

	T_INTEQ(keys_check(k, "3260", &c, NULL, 0), RC_OK);
	T_INTEQ(keys_check(k, "65536", &c, NULL, 0), RC_INVAL);
	T_INTEQ(keys_check(k, " 1", &c, NULL, 0), RC_INVAL);
	T_INTEQ(keys_check(k, "", &c, NULL, 0), RC_INVAL);
	T_INTEQ(keys_check(d, "CRC32C,None", &c, NULL, 0), RC_OK);
	T_INTEQ(keys_check(d, "crc32c", &c, NULL, 0), RC_INVAL);
}

int main(void)
{
	log_set_prog("test_keys");
	T_RUN(test_unique_and_valid_defaults);
	T_RUN(test_lookup_and_kinds);
	T_RUN(test_checks);
	return T_DONE();
}
