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

	s = rec_get(r, K_NODE_NAME);
	*target = s ? s : "";
	s = rec_get(r, K_NODE_CONN_0_ADDRESS);
	*addr = s ? s : "";
	rec_get_int(r, K_NODE_CONN_0_PORT, &p);
	*port = (int)p;
	s = rec_get(r, K_IFACE_ISCSI_IFACENAME);
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

/* Row of key if it belongs to r's kind, else -1. */
static int rec_row(const struct rec *r, enum key_id key)
{
	const struct key_def *k = keys_at((size_t)key);

	return k && (k->k_kinds & (unsigned)r->r_kind) ? (int)key : -1;
}

/* Sets row (>= 0) after checking val; row < 0 is the unknown name. */
static int set_row(struct rec *r, int row, const char *name, const char *val, char *msg,
		   size_t msglen)
{
	const char *canon;
	char *copy = NULL;
	int rc;

	if (row < 0) {
		snprintf(msg, msglen, "Unknown parameter %s.", name);
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

int rec_set_msg(struct rec *r, enum key_id key, const char *val, char *msg, size_t msglen)
{
	return set_row(r, rec_row(r, key), keys_name(key), val, msg, msglen);
}

int rec_set_name_msg(struct rec *r, const char *name, const char *val, char *msg,
		     size_t msglen)
{
	return set_row(r, keys_find_kind(name, (unsigned)r->r_kind), name, val, msg, msglen);
}

static int logged(int rc, const char *msg)
{
	if (rc != RC_OK)
		log_error("%s", msg);
	return rc;
}

int rec_set(struct rec *r, enum key_id key, const char *val)
{
	char msg[512];

	return logged(rec_set_msg(r, key, val, msg, sizeof(msg)), msg);
}

int rec_set_name(struct rec *r, const char *name, const char *val)
{
	char msg[512];

	return logged(rec_set_name_msg(r, name, val, msg, sizeof(msg)), msg);
}

const char *rec_get_raw(const struct rec *r, enum key_id key)
{
	int row = rec_row(r, key);

	return row < 0 ? NULL : r->r_val[row];
}

const char *rec_get(const struct rec *r, enum key_id key)
{
	int row = rec_row(r, key);

	if (row < 0)
		return NULL;
	return r->r_val[row] ? r->r_val[row] : keys_at((size_t)row)->k_def;
}

int rec_is_set(const struct rec *r, enum key_id key)
{
	return rec_get_raw(r, key) != NULL;
}

int rec_get_int(const struct rec *r, enum key_id key, long long *out)
{
	const char *v = rec_get(r, key);
	char *end;

	if (!v || !*v)
		return RC_INVAL;
	*out = strtoll(v, &end, 10);
	return *end ? RC_INVAL : RC_OK;
}

int rec_get_bool(const struct rec *r, enum key_id key, int *out)
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

void rec_copy_iface(struct rec *node, const struct rec *iface)
{
	for (size_t i = 0; i < keys_count(); i++)
		if ((keys_at(i)->k_kinds & KEY_IFACE) && iface->r_val[i])
			rec_set_msg(node, (enum key_id)i, iface->r_val[i], NULL, 0);
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
