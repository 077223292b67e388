/* libopeniscsiusr when an allocation fails: iscsi_nodes_get must return
 * LIBISCSI_ERR_NOMEM (or succeed) without freeing anything twice or freeing
 * memory it does not own. strdup is replaced below by one that fails on its
 * Nth call; ASan catches any bad free on the error paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "idb.h"
#include "rec.h"
#include "libopeniscsiusr/libopeniscsiusr.h"

static long strdup_fail_at = -1;	/* -1: never fail */
static long strdup_calls;

/* Defined in the test program, so it takes precedence over libc's for every
 * object linked into it (the library code under test included). */
char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if (strdup_calls++ == strdup_fail_at)
		return NULL;
	if ((p = malloc(n)) != NULL)
		memcpy(p, s, n);
	return p;
}

static char etc[64];

static void add_node(struct idb *db, const char *t, const char *port)
{
	struct rec *r = rec_new_default(REC_NODE);

	rec_set(r, K_NODE_NAME, t);
	rec_set(r, K_NODE_CONN_0_ADDRESS, "192.0.2.1");
	rec_set(r, K_NODE_CONN_0_PORT, port);
	rec_set(r, K_NODE_TPGT, "1");
	T_INTEQ(idb_node_write(db, r), RC_OK);
	rec_free(r);
}

static void test_nodes_get_nomem(void)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_node **v;
	uint32_t n;
	struct idb *db;
	long total;
	int rc;

	T_INTEQ(idb_open(etc, &db), RC_OK);
	add_node(db, "iqn.2026-01.example:a", "3260");
	add_node(db, "iqn.2026-01.example:b", "3261");
	add_node(db, "iqn.2026-01.example:c", "3262");
	idb_close(db);
	iscsi_context_log_priority_set(ctx, -1);	/* the NOMEM lines are expected */
	/* Count the strdup calls of a clean run; the last ones are node_of's
	 * (three per node, after the records were read), so failing each of
	 * them in turn drives every error path of the node loop. */
	strdup_calls = 0;
	T_INTEQ(iscsi_nodes_get(ctx, &v, &n), LIBISCSI_OK);
	T_INTEQ(n, 3);
	iscsi_nodes_free(v, n);
	total = strdup_calls;
	T_CHECK(total >= 9);
	for (long k = total - 9; k < total; k++) {
		strdup_calls = 0;
		strdup_fail_at = k;
		v = NULL;
		n = 0;
		rc = iscsi_nodes_get(ctx, &v, &n);
		strdup_fail_at = -1;
		T_INTEQ(rc, LIBISCSI_ERR_NOMEM);
		T_CHECK(v == NULL && n == 0);
		iscsi_nodes_free(v, n);
	}
	iscsi_context_free(ctx);
}

int main(void)
{
	char cmd[128];
	int rc;

	snprintf(etc, sizeof(etc), "/tmp/test_libiscsiusr_nomem.XXXXXX");
	if (!mkdtemp(etc))
		return 1;
	setenv("ISCSI_ETC_DIR", etc, 1);
	T_RUN(test_nodes_get_nomem);
	rc = T_DONE();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", etc);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
