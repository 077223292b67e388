/* iscsid.conf and initiatorname.iscsi: pure parsers plus thin loaders. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "err.h"
#include "idb.h"
#include "log.h"

struct conf *conf_new(void)
{
	struct conf *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->c_node = rec_new(REC_NODE);
	c->c_disc = rec_new(REC_DISC);
	if (!c->c_node || !c->c_disc) {
		conf_free(c);
		return NULL;
	}
	return c;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->c_n; i++) {
		free(c->c_ents[i].ce_key);
		free(c->c_ents[i].ce_val);
	}
	for (size_t i = 0; i < c->c_ndiag; i++)
		free(c->c_diag[i]);
	free(c->c_diag);
	free(c->c_ents);
	rec_free(c->c_node);
	rec_free(c->c_disc);
	free(c);
}

/* Keeps a diagnostic for conf_report; out of memory just loses it. */
static void note(struct conf *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct conf *c, const char *fmt, ...)
{
	char **d = realloc(c->c_diag, (c->c_ndiag + 1) * sizeof(*d));
	va_list ap;

	if (!d)
		return;
	c->c_diag = d;
	va_start(ap, fmt);
	if (vasprintf(&d[c->c_ndiag], fmt, ap) >= 0)
		c->c_ndiag++;
	va_end(ap);
}

int conf_report(const struct conf *c)
{
	for (size_t i = 0; c && i < c->c_ndiag; i++)
		log_warn("%s", c->c_diag[i]);
	return c && c->c_nsyntax ? RC_INVAL : RC_OK;
}

/* iscsid.conf keys that are not record keys but are known (stock's file
 * documents them); anything else draws a warning. */
static int is_other_key(const char *key)
{
	for (int i = 0; i < K_CONF_COUNT; i++)
		if (!strcmp(keys_conf_name((enum conf_key)i), key))
			return 1;
	return 0;
}

static int add_ent(struct conf *c, const char *key, const char *val, int line)
{
	struct conf_ent *e = realloc(c->c_ents, (c->c_n + 1) * sizeof(*e));

	if (!e)
		return RC_NOMEM;
	c->c_ents = e;
	e[c->c_n].ce_key = strdup(key);
	e[c->c_n].ce_val = strdup(val);
	e[c->c_n].ce_line = line;
	if (!e[c->c_n].ce_key || !e[c->c_n].ce_val) {
		free(e[c->c_n].ce_key);
		free(e[c->c_n].ce_val);
		return RC_NOMEM;
	}
	c->c_n++;
	return RC_OK;
}

/* Stores a record-key default; a bad value warns and is ignored, as stock
 * ignores it, so one typo does not stop iscsid. */
static void set_default(struct conf *c, const char *name, enum key_id key,
			const char *val, int line)
{
	unsigned kinds = keys_at((size_t)key)->k_kinds;
	char msg[512];

	if ((kinds & KEY_NODE) && rec_set_msg(c->c_node, key, val, msg, sizeof(msg)) != RC_OK) {
		note(c, "%s line %d: %s", name, line, msg);
		return;
	}
	if ((kinds & KEY_DISC) && rec_set_msg(c->c_disc, key, val, msg, sizeof(msg)) != RC_OK)
		note(c, "%s line %d: %s", name, line, msg);
}

static int parse_one(struct conf *c, const char *name, char *line, int lineno)
{
	char *key, *val;
	int split = rec_line_split(line, &key, &val), row;

	if (split > 0)
		return RC_OK;
	if (split < 0) {
		note(c, "%s line %d: syntax error, expected \"name = value\" (line ignored)",
		     name, lineno);
		c->c_nsyntax++;
		return RC_OK;
	}
	row = keys_find(key);
	if (row >= 0)
		set_default(c, name, (enum key_id)row, val, lineno);
	else if (!is_other_key(key))
		note(c, "%s line %d: unknown setting '%s' ignored", name, lineno, key);
	return add_ent(c, key, val, lineno);
}

int conf_parse(const char *text, const char *name, struct conf **out)
{
	struct conf *c = conf_new();
	char *copy = strdup(text), *line, *next;
	int lineno = 0, rc = RC_OK;

	if (!c || !copy) {
		conf_free(c);
		free(copy);
		return RC_NOMEM;
	}
	for (line = copy; line && rc == RC_OK; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rc = parse_one(c, name, line, ++lineno);
	}
	free(copy);
	if (rc != RC_OK) {
		conf_free(c);
		return rc;
	}
	*out = c;
	return RC_OK;
}

char *conf_etc_path(const char *file)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", idb_default_root(), file) < 0)
		return NULL;
	return p;
}

/* path itself, or <etc>/<file> when path is NULL; malloc'd. */
static char *conf_path(const char *path, const char *file)
{
	return path ? strdup(path) : conf_etc_path(file);
}

int conf_load(const char *path, struct conf **out)
{
	char *p = conf_path(path, CONF_FILE);
	char *text = NULL;
	int rc;

	if (!p)
		return RC_NOMEM;
	rc = idb_file_read(p, &text);
	if (rc == RC_NO_OBJS_FOUND) {
		log_debugn(1, "no %s: built-in defaults", p);
		*out = conf_new();
		rc = *out ? RC_OK : RC_NOMEM;
	} else if (rc == RC_OK) {
		rc = conf_parse(text, p, out);
	} else {
		log_error("can't read %s", p);
	}
	free(text);
	free(p);
	return rc;
}

const char *conf_get(const struct conf *c, const char *key)
{
	for (size_t i = c->c_n; i > 0; i--)
		if (!strcmp(c->c_ents[i - 1].ce_key, key))
			return c->c_ents[i - 1].ce_val;
	return NULL;
}

static void apply(const struct rec *src, struct rec *dst)
{
	for (size_t i = 0; i < keys_count(); i++) {
		const char *v = src->r_val[i];

		if (!v || i == K_NODE_SESSION_AUTOSCAN_EN)
			continue;
		rec_set(dst, (enum key_id)i, v);
	}
}

void conf_apply_node(const struct conf *c, struct rec *node)
{
	apply(c->c_node, node);
}

void conf_apply_disc(const struct conf *c, struct rec *disc)
{
	apply(c->c_disc, disc);
}

int conf_autoscan_default(const struct conf *c)
{
	int b = 1;

	if (c)
		rec_get_bool(c->c_node, K_NODE_SESSION_AUTOSCAN_EN, &b);
	return b;
}

int conf_initiator_parse(const char *text, char **name)
{
	const char *p = text;

	while (p && *p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "InitiatorName=", 14)) {
			size_t len = strcspn(p + 14, " \t\r\n");

			if (len) {
				*name = strndup(p + 14, len);
				return *name ? RC_OK : RC_NOMEM;
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return RC_INVAL;
}

int conf_initiator_load(const char *path, char **name)
{
	char *p = conf_path(path, "initiatorname.iscsi");
	char *text = NULL;
	int rc;

	if (!p)
		return RC_NOMEM;
	rc = idb_file_read(p, &text);
	if (rc != RC_OK) {
		log_error("can't open InitiatorName configuration file %s", p);
		rc = RC_IDBM;
	} else if ((rc = conf_initiator_parse(text, name)) != RC_OK) {
		log_error("an InitiatorName= is required, but was not found in %s", p);
	}
	free(text);
	free(p);
	return rc;
}
