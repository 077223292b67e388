/* One record type for node, discovery and iface records. Values are indexed
 * by key-table row; a NULL value means "unset" (never given by a file, a
 * default or the operator), which matters for node.session.autoscan_en:
 * iscsid resolves an unset value from iscsid.conf when the event happens. */
#ifndef CORE_REC_H
#define CORE_REC_H
#include <stddef.h>
#include "keys.h"

enum rec_kind { REC_NODE = KEY_NODE, REC_DISC = KEY_DISC, REC_IFACE = KEY_IFACE };

struct rec {
	enum rec_kind r_kind;
	char **r_val;		/* keys_count() entries, NULL = unset */
};

/* An empty record (all unset). NULL on out of memory. */
struct rec *rec_new(enum rec_kind kind);
/* A record with every key of its kind set to the key-table default, except
 * node.session.autoscan_en which stays unset. */
struct rec *rec_new_default(enum rec_kind kind);
struct rec *rec_dup(const struct rec *r);
/* Same kind and the same value (or unset) for every key. */
int rec_same(const struct rec *a, const struct rec *b);
/* What names a node record's session: target, persistent portal and iface
 * ("" when missing, IFACE_DEFAULT for an empty iface name). Pointers into
 * r, valid while r is unchanged. */
void rec_node_id(const struct rec *r, const char **target, const char **addr,
		 int *port, const char **iface);
void rec_free(struct rec *r);

/* Validating setter: a key not of this record's kind or an invalid value
 * -> RC_INVAL, message logged through log_error as stock words it, record
 * unchanged. val NULL unsets the key. */
int rec_set(struct rec *r, enum key_id key, const char *val);
/* Same, without logging: message into msg. */
int rec_set_msg(struct rec *r, enum key_id key, const char *val, char *msg, size_t msglen);
/* The same two for a key name given as text (operator, file): an unknown
 * name is refused like a key of another kind. */
int rec_set_name(struct rec *r, const char *name, const char *val);
int rec_set_name_msg(struct rec *r, const char *name, const char *val, char *msg,
		     size_t msglen);
/* Effective value: the set value, else the key-table default, else NULL for
 * keys not of this record's kind. Unset autoscan_en returns NULL (ask conf). */
const char *rec_get(const struct rec *r, enum key_id key);
/* The stored value or NULL when unset. */
const char *rec_get_raw(const struct rec *r, enum key_id key);
int rec_is_set(const struct rec *r, enum key_id key);
/* Typed getters on the effective value: RC_OK, or RC_INVAL when not of
 * this kind, unset without default, or not of that type. */
int rec_get_int(const struct rec *r, enum key_id key, long long *out);
int rec_get_bool(const struct rec *r, enum key_id key, int *out);

/* Copies the iface keys (KEY_IFACE rows) iface holds into node. */
void rec_copy_iface(struct rec *node, const struct rec *iface);
/* Fill every unset key of the record's kind from src (same kind), e.g.
 * iscsid.conf defaults or an iface record into a node record. */
void rec_merge_unset(struct rec *r, const struct rec *src);

/* Parses "key = value" lines (a record file or show output) into r.
 * Comments and blank lines ignored; "<empty>" means empty. Unknown keys and
 * invalid values are skipped (debug note), as stock tolerates them, so a
 * record from another version still loads. RC_OK or RC_NOMEM. */
int rec_parse(struct rec *r, const char *text);
/* One "key = value" line, split in place with blanks trimmed: 0, or 1 for a
 * blank or comment line, or -1 when there is no '=' or the key is empty or
 * holds blanks. Shared with the iscsid.conf parser. */
int rec_line_split(char *line, char **key, char **val);

enum rec_fmt {
	REC_FMT_SHOW    = 0,		/* all keys, <empty>, masked secrets */
	REC_FMT_SECRETS = 1 << 0,	/* show passwords (-S) */
	REC_FMT_FILE    = 1 << 1,	/* on-disk: skip empty/unset, clear text,
					 * only keys stock knows (it refuses a
					 * file with any other key) */
	REC_FMT_EXT     = 1 << 2	/* on-disk sidecar: only our own keys
					 * (KF_NOSTOCK) that are set */
};
/* Whole record "# BEGIN RECORD 2.1.8 ... # END RECORD\n", malloc'd. */
char *rec_format(const struct rec *r, unsigned fmt);

#define REC_VERSION_LINE "# BEGIN RECORD 2.1.8"
#define REC_END_LINE "# END RECORD"

#endif
