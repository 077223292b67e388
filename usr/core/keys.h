/* The one table of record keys: every key open-iscsi 2.1.8 knows for node,
 * discovery (SendTargets) and iface records, in the order stock prints
 * them, with value type, range and default. Everything that reads, writes,
 * validates or prints a record goes through this table (pure, no I/O). */
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

#define KEY_AUTOSCAN_EN "node.session.autoscan_en"
#define KEY_SCAN        "node.session.scan"

/* Defaults code needs as values; the table's rows for node.conn[0].port,
 * discovery.sendtargets.port and iface.iscsi_ifacename spell them with
 * these same macros. */
#define ISCSI_PORT_DEFAULT     3260
#define ISCSI_PORT_DEFAULT_STR "3260"
#define IFACE_DEFAULT          "default"	/* the built-in tcp iface */

/* Number of rows; rows are numbered 0..keys_count()-1 in print order. */
size_t keys_count(void);
const struct key_def *keys_at(size_t idx);
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
