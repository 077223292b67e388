/* Text form of records: "key = value" lines, as stock writes record files
 * and prints them with -o show. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "log.h"
#include "rec.h"

#define REC_EMPTY "<empty>"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int rec_line_split(char *line, char **key, char **val)
{
	char *eq;

	line = trim(line);
	if (!*line || *line == '#')
		return 1;
	eq = strchr(line, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	*key = trim(line);
	*val = trim(eq + 1);
	return !**key || strpbrk(*key, " \t") ? -1 : 0;
}

/* One line; comments and blanks are fine, anything odd is skipped with a
 * debug note so a record from a newer stock still loads. */
static void parse_line(struct rec *r, char *line, int lineno)
{
	char *key, *val;
	char msg[512];
	int rc = rec_line_split(line, &key, &val);

	if (rc > 0)
		return;
	if (rc < 0) {
		log_debugn(1, "record line %d is not 'key = value': skipped", lineno);
		return;
	}
	if (strcmp(val, REC_EMPTY) == 0)
		val = "";
	if (rec_set_name_msg(r, key, val, msg, sizeof(msg)) != RC_OK)
		log_debugn(1, "record line %d: %s (skipped)", lineno, msg);
}

int rec_parse(struct rec *r, const char *text)
{
	char *copy = strdup(text), *save = NULL, *line;
	int lineno = 0;

	if (!copy)
		return RC_NOMEM;
	/* strtok_r would merge blank lines and shift line numbers: split by hand */
	for (line = copy; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		parse_line(r, line, ++lineno);
	}
	free(copy);
	return RC_OK;
}

/* Growing output buffer. */
struct sbuf {
	char *b;
	size_t len, cap;
	int oom;
};

static void sb_add(struct sbuf *sb, const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c);

	if (sb->oom)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = (sb->cap + n + 1) * 2;
		char *nb = realloc(sb->b, cap);

		if (!nb) {
			sb->oom = 1;
			return;
		}
		sb->b = nb;
		sb->cap = cap;
	}
	sb->len += (size_t)sprintf(sb->b + sb->len, "%s%s%s", a, b, c);
}

/* Value text for one row, or NULL to leave the line out. */
static const char *row_text(const struct rec *r, size_t i, unsigned fmt)
{
	const struct key_def *k = keys_at(i);
	const char *v = r->r_val[i] ? r->r_val[i] : k->k_def;

	if (fmt & REC_FMT_EXT)
		return (k->k_flags & KF_NOSTOCK) && r->r_val[i] ? r->r_val[i] : NULL;
	if (fmt & REC_FMT_FILE)
		return v && *v && !(k->k_flags & KF_NOSTOCK) ? v : NULL;
	if (!v || !*v)
		return REC_EMPTY;
	if (k->k_type == KT_PASSWD && !(fmt & REC_FMT_SECRETS))
		return "********";
	return v;
}

char *rec_format(const struct rec *r, unsigned fmt)
{
	struct sbuf sb = { 0 };

	sb_add(&sb, REC_VERSION_LINE, "\n", "");
	for (size_t i = 0; i < keys_count(); i++) {
		const char *v;

		if (!(keys_at(i)->k_kinds & (unsigned)r->r_kind))
			continue;
		v = row_text(r, i, fmt);
		if (!v)
			continue;
		sb_add(&sb, keys_at(i)->k_name, " = ", v);
		sb_add(&sb, "\n", "", "");
	}
	sb_add(&sb, REC_END_LINE, "\n", "");
	if (sb.oom) {
		free(sb.b);
		return NULL;
	}
	return sb.b;
}
