/* Key table: uniqueness, defaults valid for their own type, lookups. */
#include <ctype.h>
#include <string.h>
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
	int scan = keys_find(keys_name(K_NODE_SESSION_SCAN));
	int auto_en = keys_find(keys_name(K_NODE_SESSION_AUTOSCAN_EN));

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

/* The id keys.def gives a name, spelled mechanically from the name. */
static void id_of(const char *name, char *out, size_t size)
{
	size_t n = 0;
	int sep = 0;

	for (const char *p = name; *p && n + 2 < size; p++) {
		if (!isalnum((unsigned char)*p)) {
			sep = 1;
			continue;
		}
		if (sep && n)
			out[n++] = '_';
		sep = 0;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
}

static const char *const key_ids[] = {
#define KEY(id, row) #id,
#include "keys.def"
};
static const char *const conf_ids[] = {
#define CONF_KEY(id, name) #id,
#include "keys.def"
};
static const char *const label_ids[] = {
#define KEY_LABEL(id, name) #id,
#include "keys.def"
};

static void check_id(const char *id, const char *name)
{
	char want[256];

	id_of(name, want, sizeof(want));
	if (strcmp(id, want))
		fprintf(stderr, "keys.def: %s should be %s\n", id, want);
	T_STREQ(id, want);
}

static void test_ids_follow_names(void)
{
	T_INTEQ(sizeof(key_ids) / sizeof(key_ids[0]), keys_count());
	for (size_t i = 0; i < keys_count(); i++) {
		T_STREQ(keys_name((enum key_id)i), keys_at(i)->k_name);
		check_id(key_ids[i], keys_name((enum key_id)i));
	}
	for (int i = 0; i < K_CONF_COUNT; i++) {
		check_id(conf_ids[i], keys_conf_name((enum conf_key)i));
		T_CHECK(keys_find(keys_conf_name((enum conf_key)i)) < 0);
	}
	for (int i = 0; i < K_LABEL_COUNT; i++) {
		check_id(label_ids[i], keys_label((enum key_label)i));
		T_CHECK(keys_find(keys_label((enum key_label)i)) < 0);
	}
	T_STREQ(keys_name(K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT), "node.conn[0].timeo.login_timeout");
	T_STREQ(keys_conf_name(K_ISCSID_STARTUP), "iscsid.startup");
}

static void test_default_num(void)
{
	T_INTEQ(keys_default_num(K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT), 30);
	T_INTEQ(keys_default_num(K_NODE_TPGT), -1);
	T_INTEQ(keys_default_num(K_NODE_CONN_0_PORT), ISCSI_PORT_DEFAULT);
	T_INTEQ(keys_default_bool(K_NODE_SESSION_ISCSI_FASTABORT), 1);
	T_INTEQ(keys_default_bool(K_NODE_LEADING_LOGIN), 0);
	T_INTEQ(keys_default_bool(K_NODE_SESSION_CMDS_MAX), 0);   /* not a Yes/No row */
	T_INTEQ(keys_default_num(K_DISCOVERY_SENDTARGETS_ISCSI_MAXRECVDATASEGMENTLENGTH), 32768);
	T_INTEQ(keys_default_num(K_NODE_NAME), 0);	/* not a number */
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
	T_RUN(test_ids_follow_names);
	T_RUN(test_default_num);
	return T_DONE();
}
