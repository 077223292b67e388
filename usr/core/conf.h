/* iscsid.conf and initiatorname.iscsi. Parsing is pure (text in, struct
 * out); conf_load/conf_initiator_load are the thin file edges. node.* and
 * discovery.* keys are defaults for new records; other known keys
 * (iscsid.*, isns.*) are kept as text for whoever needs them. */
#ifndef CORE_CONF_H
#define CORE_CONF_H
#include <stddef.h>
#include "rec.h"

#define CONF_FILE "iscsid.conf"	/* in the etc directory */

struct conf_ent {
	char *ce_key;
	char *ce_val;
	int ce_line;
};

struct conf {
	struct conf_ent *c_ents;	/* every key = value, file order */
	size_t c_n;
	char **c_diag;			/* "NAME line N: ..." warnings and errors */
	size_t c_ndiag;
	size_t c_nsyntax;		/* how many of them are syntax errors */
	struct rec *c_node;		/* node.* / iface.* defaults (REC_NODE) */
	struct rec *c_disc;		/* discovery.* defaults (REC_DISC) */
};

/* Parses without printing anything: stock is silent about iscsid.conf, and
 * a warning on stderr makes os-brick believe an iscsiadm call failed.
 * Unknown keys and bad values are noted in c_diag and otherwise ignored; a
 * line that is not "key = value" is noted as a syntax error naming its line
 * ("NAME line N: ...") and skipped. RC_OK, or RC_NOMEM. */
int conf_parse(const char *text, const char *name, struct conf **out);
/* Reads <etc>/iscsid.conf (path NULL) or path. A missing file yields an
 * empty conf (stock tolerates it) and RC_OK. */
int conf_load(const char *path, struct conf **out);
/* Logs every note of c_diag (log_warn). RC_INVAL when there was a syntax
 * error, else RC_OK. iscsid calls it once at start; iscsiadm at -d 1. */
int conf_report(const struct conf *c);
/* An empty configuration: built-in defaults only. */
struct conf *conf_new(void);
void conf_free(struct conf *c);

/* Last value given for key, or NULL. */
const char *conf_get(const struct conf *c, const char *key);
/* Overwrites a new node / discovery record's keys with the values
 * iscsid.conf gives (call after rec_new_default). node.session.autoscan_en
 * is NOT copied: a record that never set it follows iscsid.conf at the time
 * of each event (scan_settings_from in scan.h gathers both for the scan
 * policy). */
void conf_apply_node(const struct conf *c, struct rec *node);
void conf_apply_disc(const struct conf *c, struct rec *disc);
/* node.session.autoscan_en as a boolean: iscsid.conf value, else 1 (Yes,
 * the kernel's historic behaviour). */
int conf_autoscan_default(const struct conf *c);

/* "InitiatorName=iqn..." text -> malloc'd name. RC_INVAL if absent. */
int conf_initiator_parse(const char *text, char **name);
/* Reads <etc>/initiatorname.iscsi (path NULL) or path; a missing file is
 * RC_IDBM with a clear message. */
int conf_initiator_load(const char *path, char **name);

/* malloc'd "<etc dir>/<file>". */
char *conf_etc_path(const char *file);

#endif
