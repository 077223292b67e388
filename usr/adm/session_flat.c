/* iscsiadm -m session without -P: the one-line listing reads only what it
 * prints, each attribute once (measured by make bench, harness/lab/README.md):
 * target name, tpgt, creator,
 * persistent portal (current one only when the persistent one is unset)
 * and the host's driver for the transport, 6 reads a session instead of
 * the library's 30-odd. Anything unusual (no sessions, a session going
 * away mid-listing) falls back to the library path, whose errors stock
 * prints. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "session.h"
#include "usr_sysfs.h"

#define UNKNOWN "<empty>"

static int sess_attr(const char *root, const char *dir, uint32_t id, const char *name,
		     char *buf, size_t cap)
{
	char rel[128];

	snprintf(rel, sizeof(rel), dir, id);
	snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), "/%s", name);
	return usr_sysfs_read(root, rel, buf, cap);
}

static long long num_or(const char *s, long long dflt)
{
	char *end;
	long long v;

	if (!*s)
		return dflt;
	v = strtoll(s, &end, 10);
	return *end ? dflt : v;
}

/* "tcp" for iscsi_tcp when the kernel has that transport; the last answer
 * is kept, as every session of a host usually shares one. */
static const char *transport(const char *root, uint32_t host, char *last, size_t cap, int *known)
{
	char buf[64], rel[96];
	const char *t;

	snprintf(rel, sizeof(rel), "class/scsi_host/host%" PRIu32 "/proc_name", host);
	if (usr_sysfs_read(root, rel, buf, sizeof(buf)))
		buf[0] = '\0';
	t = strncmp(buf, "iscsi_", 6) == 0 ? buf + 6 : buf;
	if (strcmp(t, last) != 0) {
		snprintf(last, cap, "%s", t);
		snprintf(rel, sizeof(rel), "class/iscsi_transport/%s", t);
		*known = *t && usr_sysfs_exists(root, rel);
	}
	return *known ? last : UNKNOWN;
}

/* One session's line into f; -1 when the session cannot be read whole. */
static int one_line(FILE *f, const char *root, uint32_t sid, char *tr, size_t trcap, int *known)
{
	static const char *sess = "class/iscsi_session/session%" PRIu32;
	static const char *conn = "class/iscsi_connection/connection%" PRIu32 ":0";
	char target[4096], tpgt[32], creator[32], addr[256], port[32], e[ESC_BUF];
	uint32_t host;
	int err;

	if (sess_attr(root, sess, sid, "targetname", target, sizeof(target)) ||
	    usr_sysfs_session_host(root, sid, &host))
		return -1;
	if (sess_attr(root, sess, sid, "tpgt", tpgt, sizeof(tpgt)))
		tpgt[0] = '\0';
	err = sess_attr(root, sess, sid, "creator", creator, sizeof(creator));
	if (err)
		snprintf(creator, sizeof(creator), "%s", err == ENOENT ? "0" : "-1");
	if (sess_attr(root, conn, sid, "persistent_address", addr, sizeof(addr)))
		return -1;
	if (!*addr && sess_attr(root, conn, sid, "address", addr, sizeof(addr)))
		addr[0] = '\0';
	if (sess_attr(root, conn, sid, "persistent_port", port, sizeof(port)) || !*port)
		if (sess_attr(root, conn, sid, "port", port, sizeof(port)))
			port[0] = '\0';
	fprintf(f, strchr(addr, '.') ? "%s: [%" PRIu32 "] %s:%lld,%lld %s (%s)\n"
				     : "%s: [%" PRIu32 "] [%s]:%lld,%lld %s (%s)\n",
		transport(root, host, tr, trcap, known), sid, addr, num_or(port, -1),
		num_or(tpgt, -1), esc_str(target, e, sizeof(e)),
		num_or(creator, -1) == -1 ? "flash" : "non-flash");
	return 0;
}

int adm_session_list_flat(const char *root)
{
	char tr[64] = "", *text = NULL;
	uint32_t *sids = NULL;
	size_t n = 0, len = 0;
	int known = 0, rc = -1;
	FILE *f;

	if (usr_sysfs_list_ids(root, "class/iscsi_session", "session", &sids, &n) || n == 0) {
		free(sids);
		return -1;
	}
	f = open_memstream(&text, &len);
	if (f) {
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = one_line(f, root, sids[i], tr, sizeof(tr), &known);
		if (fclose(f))
			rc = -1;
	}
	if (rc == 0)
		fputs(text, stdout);
	free(text);
	free(sids);
	return rc;
}
