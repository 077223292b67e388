/* The record type: one value slot per key-table row, NULL = unset. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "log.h"
#include "rec.h"

struct rec *rec_new(enum rec_kind kind)
{
	struct rec *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->r_kind = kind;
	r->r_val = calloc(keys_count(), sizeof(char *));
	if (!r->r_val) {
		free(r);
		return NULL;
	}
	return r;
}

struct rec *rec_new_default(enum rec_kind kind)
{
	struct rec *r = rec_new(kind);

	for (size_t i = 0; r && i < keys_count(); i++) {
		const struct key_def *k = keys_at(i);

		if (!(k->k_kinds & (unsigned)kind) || !k->k_def)
			continue;
		r->r_val[i] = strdup(k->k_def);
		if (!r->r_val[i]) {
			rec_free(r);
			return NULL;
		}
	}
	return r;
}

struct rec *rec_dup(const struct rec *src)
{
	struct rec *r = rec_new(src->r_kind);

	for (size_t i = 0; r && i < keys_count(); i++) {
		if (!src->r_val[i])
			continue;
		r->r_val[i] = strdup(src->r_val[i]);
		if (!r->r_val[i]) {
			rec_free(r);
			return NULL;
		}
	}
	return r;
}

int rec_same(const struct rec *a, const struct rec *b)
{
	if (a->r_kind != b->r_kind)
		return 0;
	for (size_t i = 0; i < keys_count(); i++) {
		const char *x = a->r_val[i], *y = b->r_val[i];

		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			return 0;
	}
	return 1;
}

void rec_node_id(const struct rec *r, const char **target, const char **addr,
		 int *port, const char **iface)
{
	long long p = ISCSI_PORT_DEFAULT;
	const char *s;

	s = rec_get(r, "node.name");
	*target = s ? s : "";
	s = rec_get(r, "node.conn[0].address");
	*addr = s ? s : "";
	rec_get_int(r, "node.conn[0].port", &p);
	*port = (int)p;
	s = rec_get(r, "iface.iscsi_ifacename");
	*iface = (s && *s) ? s : IFACE_DEFAULT;
}

void rec_free(struct rec *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < keys_count(); i++)
		free(r->r_val[i]);
	free(r->r_val);
	free(r);
}

static int rec_row(const struct rec *r, const char *key)
{
	return keys_find_kind(key, (unsigned)r->r_kind);
}

int rec_set_msg(struct rec *r, const char *key, const char *val, char *msg, size_t msglen)
{
	int row = rec_row(r, key);
	const char *canon;
	char *copy = NULL;
	int rc;

	if (row < 0) {
		snprintf(msg, msglen, "Unknown parameter %s.", key);
		return RC_INVAL;
	}
	if (val) {
		rc = keys_check(keys_at((size_t)row), val, &canon, msg, msglen);
		if (rc != RC_OK)
			return rc;
		copy = strdup(canon);
		if (!copy)
			return RC_NOMEM;
	}
	free(r->r_val[row]);
	r->r_val[row] = copy;
	return RC_OK;
}

int rec_set(struct rec *r, const char *key, const char *val)
{
	char msg[512];
	int rc = rec_set_msg(r, key, val, msg, sizeof(msg));

	if (rc != RC_OK)
		log_error("%s", msg);
	return rc;
}

const char *rec_get_raw(const struct rec *r, const char *key)
{
	int row = rec_row(r, key);

	return row < 0 ? NULL : r->r_val[row];
}

const char *rec_get(const struct rec *r, const char *key)
{
	int row = rec_row(r, key);

	if (row < 0)
		return NULL;
	return r->r_val[row] ? r->r_val[row] : keys_at((size_t)row)->k_def;
}

int rec_is_set(const struct rec *r, const char *key)
{
	return rec_get_raw(r, key) != NULL;
}

int rec_get_int(const struct rec *r, const char *key, long long *out)
{
	const char *v = rec_get(r, key);
	char *end;

	if (!v || !*v)
		return RC_INVAL;
	*out = strtoll(v, &end, 10);
	return *end ? RC_INVAL : RC_OK;
}

int rec_get_bool(const struct rec *r, const char *key, int *out)
{
	const char *v = rec_get(r, key);

	if (!v)
		return RC_INVAL;
	if (strcmp(v, "Yes") == 0)
		*out = 1;
	else if (strcmp(v, "No") == 0)
		*out = 0;
	else
		return RC_INVAL;
	return RC_OK;
}

void rec_merge_unset(struct rec *r, const struct rec *src)
{
	for (size_t i = 0; i < keys_count(); i++) {
		if (r->r_val[i] || !src->r_val[i])
			continue;
		if (!(keys_at(i)->k_kinds & (unsigned)r->r_kind))
			continue;
		r->r_val[i] = strdup(src->r_val[i]);
	}
}
