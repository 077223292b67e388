/* The key table, built from the rows of keys.def. Row order is print
 * order: a record of one kind prints the rows carrying its kind bit, top to
 * bottom. Discovery records print their own keys around
 * node.session.auth.chap_algs (stock shares that key with node records),
 * hence the discovery rows sit on both sides of the node rows. Names, order
 * and built-in defaults follow stock open-iscsi 2.1.8. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "keys.h"

static const char *const e_startup[] = { "manual", "automatic", "onboot", NULL };
static const char *const e_dstartup[] = { "manual", "automatic", NULL };
static const char *const e_dtype[] = { "sendtargets", "isns", "offload_send_targets",
				       "slp", "static", "fw", NULL };
static const char *const e_ntype[] = { "send_targets", "isns", "offload_send_targets",
				       "slp", "static", "fw", NULL };
static const char *const e_auth[] = { "None", "CHAP", NULL };
static const char *const e_algs[] = { "MD5", "SHA1", "SHA256", "SHA3-256", NULL };
static const char *const e_scan[] = { "auto", "manual", NULL };
static const char *const e_digest[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C", NULL };

#define N  KEY_NODE
#define D  KEY_DISC
#define I  (KEY_NODE | KEY_IFACE)
#define IMIN INT_MIN
#define IMAX INT_MAX
/* row helpers: string, password, int (range), bool, enum, list */
#define S(n, k, d, f)        { n, k, KT_STR, 0, 0, NULL, d, f }
#define P(n, k)              { n, k, KT_PASSWD, 0, 0, NULL, "", 0 }
#define V(n, k, lo, hi, d, f) { n, k, KT_INT, lo, hi, NULL, d, f }
#define B(n, k, d, f)        { n, k, KT_BOOL, 0, 0, NULL, d, f }
#define E(n, k, e, d, f)     { n, k, KT_ENUM, 0, 0, e, d, f }
#define L(n, k, e, d)        { n, k, KT_LIST, 0, 0, e, d, 0 }
#define RO KF_RO
#define IM KF_IFACE_MODE

/* Ranges: values iSCSI negotiation clamps at login (burst and segment
 * lengths, queue sizes) take any non-negative int here, because stock
 * stores them unchecked and its records must load unchanged; fields that
 * are small by nature (ports, VLAN, TOS, ERL) are checked. */
static const struct key_def key_table[] = {
#define KEY(id, row) row,
#include "keys.def"
};

_Static_assert(sizeof(key_table) / sizeof(key_table[0]) == K_COUNT,
	       "one row per enum key_id");

static const char *const conf_names[] = {
#define CONF_KEY(id, name) name,
#include "keys.def"
};

static const char *const label_names[] = {
#define KEY_LABEL(id, name) name,
#include "keys.def"
};

size_t keys_count(void)
{
	return sizeof(key_table) / sizeof(key_table[0]);
}

const struct key_def *keys_at(size_t idx)
{
	return idx < keys_count() ? &key_table[idx] : NULL;
}

const char *keys_name(enum key_id id)
{
	return key_table[id].k_name;
}

const char *keys_conf_name(enum conf_key id)
{
	return conf_names[id];
}

const char *keys_label(enum key_label id)
{
	return label_names[id];
}

long long keys_default_num(enum key_id id)
{
	const struct key_def *k = &key_table[id];

	return k->k_type == KT_INT && k->k_def ? strtoll(k->k_def, NULL, 10) : 0;
}

int keys_default_bool(enum key_id id)
{
	const struct key_def *k = &key_table[id];

	return k->k_type == KT_BOOL && k->k_def && strcmp(k->k_def, "Yes") == 0;
}

/* Rows sorted by name, built once: every line of every record and of
 * iscsid.conf is looked up here, and iscsid reads both at each event
 * (a scan per AEN in a storm), so a search, not a walk of the table. */
#define KEYS_N (sizeof(key_table) / sizeof(key_table[0]))
static unsigned short by_name[KEYS_N];
_Static_assert(KEYS_N <= 65535, "row numbers fit by_name");
static pthread_once_t by_name_once = PTHREAD_ONCE_INIT;

static int by_name_cmp(const void *a, const void *b)
{
	return strcmp(key_table[*(const unsigned short *)a].k_name,
		      key_table[*(const unsigned short *)b].k_name);
}

static void by_name_build(void)
{
	for (size_t i = 0; i < KEYS_N; i++)
		by_name[i] = (unsigned short)i;
	qsort(by_name, KEYS_N, sizeof(by_name[0]), by_name_cmp);
}

int keys_find(const char *name)
{
	size_t lo = 0, hi = KEYS_N;

	if (!name)
		return -1;
	pthread_once(&by_name_once, by_name_build);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, key_table[by_name[mid]].k_name);

		if (c == 0)
			return by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int keys_find_kind(const char *name, unsigned kind)
{
	int i = keys_find(name);

	if (i < 0 || !(key_table[i].k_kinds & kind))
		return -1;
	return i;
}

/* Index of val in a NULL-terminated list, -1 if absent (exact case). */
static int enum_index(const char *const *e, const char *val, size_t len)
{
	for (int i = 0; e[i]; i++)
		if (strlen(e[i]) == len && strncmp(e[i], val, len) == 0)
			return i;
	return -1;
}

static int check_int(const struct key_def *k, const char *val)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (end == val || *end || errno || isspace((unsigned char)*val))
		return -1;
	return v >= k->k_min && v <= k->k_max ? 0 : -1;
}

/* Every comma-separated item must be a known one, none repeated. */
static int check_list(const struct key_def *k, const char *val)
{
	unsigned seen = 0;
	const char *p = val;

	for (;;) {
		size_t len = strcspn(p, ",");
		int i = enum_index(k->k_enum, p, len);

		if (i < 0 || (seen & (1u << i)))
			return -1;
		seen |= 1u << i;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int keys_check(const struct key_def *k, const char *val, const char **canon,
	       char *msg, size_t msglen)
{
	int bad = 0;
	int i;

	*canon = val;
	switch (k->k_type) {
	case KT_STR:
	case KT_PASSWD:
		bad = strchr(val, '\n') != NULL;
		break;
	case KT_INT:
		bad = check_int(k, val);
		break;
	case KT_BOOL:
		/* exactly as stock: "yes" is refused there too */
		bad = strcmp(val, "Yes") != 0 && strcmp(val, "No") != 0;
		break;
	case KT_ENUM:
		i = enum_index(k->k_enum, val, strlen(val));
		if (i < 0)
			bad = 1;
		else
			*canon = k->k_enum[i];
		break;
	case KT_LIST:
		bad = check_list(k, val);
		break;
	}
	if (!bad)
		return RC_OK;
	/* a refused secret still goes to the terminal and logs: never echo it */
	if (msg && msglen && k->k_type == KT_PASSWD)
		snprintf(msg, msglen, "unknown value format (not shown) for parameter name '%s'",
			 k->k_name);
	else if (msg && msglen)
		snprintf(msg, msglen, "unknown value format '%s' for parameter name '%s'",
			 val, k->k_name);
	return RC_INVAL;
}
