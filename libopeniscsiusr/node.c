/* Node records of libopeniscsiusr, read through the project's one record
 * database (usr/core/idb) and record type (usr/core/rec). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usr_priv.h"
#include "err.h"
#include "idb.h"
#include "rec.h"

void iscsi_nodes_free(struct iscsi_node **nodes, uint32_t node_count)
{
	if (!nodes)
		return;
	for (uint32_t i = 0; i < node_count; i++) {
		struct iscsi_node *n = nodes[i];

		if (!n)
			continue;
		rec_free(n->nd_rec);
		free(n->nd_target);
		free(n->nd_addr);
		free(n->nd_iface);
		free(n->nd_portal);
		free(n);
	}
	free(nodes);
}

static struct iscsi_node *node_of(struct rec *r)
{
	struct iscsi_node *n = calloc(1, sizeof(*n));
	const char *a;
	long long v;
	int len;

	if (!n)
		return NULL;
	n->nd_rec = r;
	n->nd_target = strdup((a = rec_get(r, K_NODE_NAME)) ? a : "");
	n->nd_addr = strdup((a = rec_get(r, K_NODE_CONN_0_ADDRESS)) ? a : "");
	n->nd_iface = strdup((a = rec_get(r, K_IFACE_ISCSI_IFACENAME)) ? a : IFACE_DEFAULT);
	if (rec_get_int(r, K_NODE_CONN_0_PORT, &v) != RC_OK)
		v = keys_default_num(K_NODE_CONN_0_PORT);
	n->nd_port = (uint32_t)v;
	if (rec_get_int(r, K_NODE_TPGT, &v) != RC_OK)
		v = keys_default_num(K_NODE_TPGT);
	n->nd_tpgt = (int32_t)v;
	if (n->nd_addr) {
		/* IPv6 literals are bracketed so the port stays separable. */
		const char *fmt = strchr(n->nd_addr, ':') ? "[%s]:%u" : "%s:%u";

		len = snprintf(NULL, 0, fmt, n->nd_addr, n->nd_port);
		if ((n->nd_portal = malloc((size_t)len + 1)) != NULL)
			snprintf(n->nd_portal, (size_t)len + 1, fmt, n->nd_addr, n->nd_port);
	}
	if (!n->nd_target || !n->nd_addr || !n->nd_iface || !n->nd_portal) {
		/* The caller still owns r on failure: free the fields only. */
		free(n->nd_target);
		free(n->nd_addr);
		free(n->nd_iface);
		free(n->nd_portal);
		free(n);
		return NULL;
	}
	return n;
}

/* Target name, address, port, iface: the order the header promises. */
static int node_cmp(const void *a, const void *b)
{
	const struct iscsi_node *x = *(struct iscsi_node *const *)a;
	const struct iscsi_node *y = *(struct iscsi_node *const *)b;
	int c;

	if ((c = strcmp(x->nd_target, y->nd_target)) != 0)
		return c;
	if ((c = strcmp(x->nd_addr, y->nd_addr)) != 0)
		return c;
	if (x->nd_port != y->nd_port)
		return x->nd_port < y->nd_port ? -1 : 1;
	return strcmp(x->nd_iface, y->nd_iface);
}

int iscsi_nodes_get(struct iscsi_context *ctx, struct iscsi_node ***nodes,
		    uint32_t *node_count)
{
	struct idb_match m = IDB_MATCH_ANY;
	struct idb *db;
	struct rec **recs = NULL;
	size_t n = 0, i;
	int rc;

	assert(ctx != NULL);
	assert(nodes != NULL);
	assert(node_count != NULL);
	*nodes = NULL;
	*node_count = 0;
	if (idb_open(ctx->ctx_etc, &db) != RC_OK)
		return LIBISCSI_ERR_IDBM;
	rc = idb_node_find(db, &m, &recs, &n);
	idb_close(db);
	if (rc == RC_NO_OBJS_FOUND)
		return LIBISCSI_OK;
	if (rc != RC_OK) {
		usr_err(ctx, "reading node records: %s", rc_str(rc));
		return rc == RC_NOMEM ? LIBISCSI_ERR_NOMEM : LIBISCSI_ERR_IDBM;
	}
	if (!(*nodes = calloc(n, sizeof(**nodes)))) {
		idb_recs_free(recs, n);
		return LIBISCSI_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		if (!((*nodes)[i] = node_of(recs[i]))) {
			/* Nodes 0..i-1 own their records; i..n-1 are still ours. */
			for (size_t j = i; j < n; j++)
				rec_free(recs[j]);
			free(recs);
			iscsi_nodes_free(*nodes, (uint32_t)i);
			*nodes = NULL;
			return LIBISCSI_ERR_NOMEM;
		}
	}
	free(recs);	/* the records now belong to the nodes */
	qsort(*nodes, n, sizeof(**nodes), node_cmp);
	*node_count = (uint32_t)n;
	return LIBISCSI_OK;
}

/* The show form without its "<empty>" lines. */
const char *iscsi_node_dump_config(struct iscsi_node *node, bool show_secret)
{
	char *s, *line, *out, *save = NULL;
	size_t used = 0;

	assert(node != NULL);
	s = rec_format(node->nd_rec, REC_FMT_SHOW | (show_secret ? REC_FMT_SECRETS : 0));
	if (!s || !(out = malloc(strlen(s) + 1))) {
		free(s);
		return NULL;
	}
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		if (len >= 10 && strcmp(line + len - 10, " = <empty>") == 0)
			continue;
		memcpy(out + used, line, len);
		used += len;
		out[used++] = '\n';
	}
	out[used] = '\0';
	free(s);
	return out;
}

void iscsi_node_print_config(struct iscsi_node *node, bool show_secret)
{
	char *s;

	assert(node != NULL);
	s = rec_format(node->nd_rec, REC_FMT_SHOW | (show_secret ? REC_FMT_SECRETS : 0));
	if (s) {
		fputs(s, stdout);
		free(s);
	}
}

const char *iscsi_node_target_name_get(struct iscsi_node *node)
{
	assert(node != NULL);
	return node->nd_target;
}

bool iscsi_node_conn_is_ipv6(struct iscsi_node *node)
{
	assert(node != NULL);
	return strchr(node->nd_addr, ':') != NULL;
}

const char *iscsi_node_conn_address_get(struct iscsi_node *node)
{
	assert(node != NULL);
	return node->nd_addr;
}

uint32_t iscsi_node_conn_port_get(struct iscsi_node *node)
{
	assert(node != NULL);
	return node->nd_port;
}

const char *iscsi_node_portal_get(struct iscsi_node *node)
{
	assert(node != NULL);
	return node->nd_portal;
}

int32_t iscsi_node_tpgt_get(struct iscsi_node *node)
{
	assert(node != NULL);
	return node->nd_tpgt;
}

const char *iscsi_node_iface_name_get(struct iscsi_node *node)
{
	assert(node != NULL);
	return node->nd_iface;
}
