/* The one table of record keys: every key open-iscsi 2.1.8 knows for node,
 * discovery (SendTargets) and iface records, in the order stock prints
 * them, with value type, range and default. Everything that reads, writes,
 * validates or prints a record goes through this table (pure, no I/O).
 * The names are spelled once, in keys.def; code uses the ids below. */
#ifndef CORE_KEYS_H
#define CORE_KEYS_H
#include <stddef.h>

/* Record kinds a key belongs to (bit mask: iface.* keys appear both in iface
 * records and embedded in node records). */
enum key_kind {
	KEY_NODE  = 1 << 0,
	KEY_DISC  = 1 << 1,	/* send_targets/<portal>/st_config */
	KEY_IFACE = 1 << 2
};

enum key_type {
	KT_STR,		/* free text, may be empty */
	KT_INT,		/* integer in [k_min, k_max] */
	KT_BOOL,	/* "Yes" | "No" */
	KT_ENUM,	/* one of k_enum */
	KT_PASSWD,	/* text, printed as ******** unless secrets are shown */
	KT_LIST		/* comma-separated items, each one of k_enum */
};

struct key_def {
	const char *k_name;
	unsigned k_kinds;		/* enum key_kind bits */
	enum key_type k_type;
	long long k_min, k_max;		/* KT_INT only */
	const char *const *k_enum;	/* KT_ENUM only, NULL terminated */
	const char *k_def;		/* default as text; "" = empty; NULL = none
					 * (autoscan_en: resolved from iscsid.conf) */
	unsigned k_flags;		/* KF_* */
};

/* k_flags */
#define KF_RO       (1u << 0)	/* identity keys: not settable with -o update */
#define KF_NOSTOCK  (1u << 1)	/* ours only (autoscan_en): stock never wrote it */
#define KF_IFACE_MODE (1u << 2)	/* in node mode only settable through -m iface */

/* Record keys by row: K_NODE_NAME, K_NODE_CONN_0_PORT, ... (keys.def).
 * Code names a key by its id, so a misspelt key does not compile. */
enum key_id {
#define KEY(id, row) K_##id,
#include "keys.def"
	K_COUNT		/* = keys_count() */
};

/* iscsid.conf keys that are not record keys: K_ISCSID_STARTUP, ... */
enum conf_key {
#define CONF_KEY(id, name) K_##id,
#include "keys.def"
	K_CONF_COUNT
};

/* Key-shaped names that are no key of ours (keys.def says which). */
enum key_label {
#define KEY_LABEL(id, name) K_##id,
#include "keys.def"
	K_LABEL_COUNT
};

/* Defaults code needs as values; the table's rows for node.conn[0].port,
 * discovery.sendtargets.port and iface.iscsi_ifacename spell them with
 * these same macros. */
#define ISCSI_PORT_DEFAULT     3260
#define ISCSI_PORT_DEFAULT_STR "3260"
#define IFACE_DEFAULT          "default"	/* the built-in tcp iface */

/* Number of rows; rows are numbered 0..keys_count()-1 in print order. */
size_t keys_count(void);
const struct key_def *keys_at(size_t idx);
/* The name of a record key, an iscsid.conf key, a label. */
const char *keys_name(enum key_id id);
const char *keys_conf_name(enum conf_key id);
const char *keys_label(enum key_label id);
/* A KT_INT row's built-in default as a number (0 for any other row): for
 * code that needs the default when a record holds no usable value. */
long long keys_default_num(enum key_id id);
/* A Yes/No row's default as 1/0. */
int keys_default_bool(enum key_id id);
/* Row of a key name, or -1 when unknown. */
int keys_find(const char *name);
/* Row of a key name if it belongs to a kind of record, else -1. */
int keys_find_kind(const char *name, unsigned kind);

/* Checks a value against the row's type. Returns RC_OK, or RC_INVAL and
 * writes a human message (without "iscsiadm: ") into msg. On success
 * *canon points at the canonical spelling ("Yes" for "yes", enum case) or
 * at val itself. */
int keys_check(const struct key_def *k, const char *val, const char **canon,
	       char *msg, size_t msglen);

#endif
