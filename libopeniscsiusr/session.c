/* Sessions of libopeniscsiusr, read from sysfs:
 *   class/iscsi_session/sessionS/        target, tpgt, CHAP, timeouts, state
 *   class/iscsi_connection/connectionS:0 addresses, ports, digests, state
 * open-iscsi only ever uses connection 0 of a session; so do we. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usr_priv.h"
#include "usr_sysfs.h"

struct sysfs_dirs {
	const char *root;
	char sess[64];		/* class/iscsi_session/sessionS */
	char conn[80];		/* class/iscsi_connection/connectionS:0 */
};

/* A string attribute, "" when missing; NULL only when out of memory. */
static char *attr_str(const struct sysfs_dirs *d, const char *dir, const char *name)
{
	char rel[160], buf[4096];

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	if (usr_sysfs_read(d->root, rel, buf, sizeof(buf)))
		buf[0] = '\0';
	return strdup(buf);
}

/* An integer attribute, -1 when missing or not a number. */
static int32_t attr_i32(const struct sysfs_dirs *d, const char *dir, const char *name)
{
	char rel[160];
	long long v;

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	if (usr_sysfs_read_ll(d->root, rel, &v) || v < INT32_MIN || v > INT32_MAX)
		return -1;
	return (int32_t)v;
}

static void read_timeouts(struct iscsi_session *se, const struct sysfs_dirs *d)
{
	char rel[96];
	long long v;
	int err;

	se->se_recovery_tmo = attr_i32(d, d->sess, "recovery_tmo");
	se->se_lu_reset_tmo = attr_i32(d, d->sess, "lu_reset_tmo");
	se->se_tgt_reset_tmo = attr_i32(d, d->sess, "tgt_reset_tmo");
	se->se_abort_tmo = attr_i32(d, d->sess, "abort_tmo");
	se->se_tpgt = attr_i32(d, d->sess, "tpgt");
	/* -1 is the kernel's "created by firmware"; a missing attribute
	 * means the kernel cannot tell, which iscsiadm counts as userspace. */
	snprintf(rel, sizeof(rel), "%s/creator", d->sess);
	err = usr_sysfs_read_ll(d->root, rel, &v);
	if (err == ENOENT)
		se->se_creator = 0;
	else
		se->se_creator = (err || v < INT32_MIN || v > INT32_MAX) ? -1 : (int32_t)v;
}

static void read_nego(struct iscsi_session *se, const struct sysfs_dirs *d)
{
	int32_t *n = se->se_nego;

	n[ISCSI_NEGO_HEADER_DIGEST] = attr_i32(d, d->conn, "header_digest");
	n[ISCSI_NEGO_DATA_DIGEST] = attr_i32(d, d->conn, "data_digest");
	n[ISCSI_NEGO_MAX_RECV_DLENGTH] = attr_i32(d, d->conn, "max_recv_dlength");
	n[ISCSI_NEGO_MAX_XMIT_DLENGTH] = attr_i32(d, d->conn, "max_xmit_dlength");
	n[ISCSI_NEGO_FIRST_BURST_LEN] = attr_i32(d, d->sess, "first_burst_len");
	n[ISCSI_NEGO_MAX_BURST_LEN] = attr_i32(d, d->sess, "max_burst_len");
	n[ISCSI_NEGO_IMMEDIATE_DATA] = attr_i32(d, d->sess, "immediate_data");
	n[ISCSI_NEGO_INITIAL_R2T] = attr_i32(d, d->sess, "initial_r2t");
	n[ISCSI_NEGO_MAX_OUTSTANDING_R2T] = attr_i32(d, d->sess, "max_outstanding_r2t");
}

/* Some transports export only the persistent or only the current portal;
 * each then stands in for the other, as iscsiadm expects. */
static void fill_portals(struct iscsi_session *se)
{
	char *tmp;

	if (!*se->se_paddr && *se->se_addr && (tmp = strdup(se->se_addr))) {
		free(se->se_paddr);
		se->se_paddr = tmp;
	} else if (*se->se_paddr && !*se->se_addr && (tmp = strdup(se->se_paddr))) {
		free(se->se_addr);
		se->se_addr = tmp;
	}
	if (se->se_pport == -1)
		se->se_pport = se->se_port;
	else if (se->se_port == -1)
		se->se_port = se->se_pport;
}

static int read_strings(struct iscsi_session *se, const struct sysfs_dirs *d)
{
	se->se_user = attr_str(d, d->sess, "username");
	se->se_pass = attr_str(d, d->sess, "password");
	se->se_user_in = attr_str(d, d->sess, "username_in");
	se->se_pass_in = attr_str(d, d->sess, "password_in");
	se->se_state = attr_str(d, d->sess, "state");
	se->se_paddr = attr_str(d, d->conn, "persistent_address");
	se->se_addr = attr_str(d, d->conn, "address");
	se->se_conn_state = attr_str(d, d->conn, "state");
	if (!se->se_user || !se->se_pass || !se->se_user_in ||
	    !se->se_pass_in || !se->se_state || !se->se_paddr || !se->se_addr ||
	    !se->se_conn_state)
		return LIBISCSI_ERR_NOMEM;
	return LIBISCSI_OK;
}

static int session_read(struct iscsi_context *ctx, struct iscsi_session *se,
			const struct sysfs_dirs *d)
{
	char rel[96], buf[4096], *iname, *iface;
	int rc, err;

	/* read once: a missing targetname means no usable session */
	snprintf(rel, sizeof(rel), "%s/targetname", d->sess);
	err = usr_sysfs_read(d->root, rel, buf, sizeof(buf));
	if (err == ENOENT || err == ENOTDIR) {
		usr_err(ctx, "session%" PRIu32 ": no targetname in sysfs", se->se_sid);
		return LIBISCSI_ERR_SYSFS_LOOKUP;
	}
	if (!(se->se_target = strdup(buf)))
		return LIBISCSI_ERR_NOMEM;
	if ((rc = read_strings(se, d)) != LIBISCSI_OK)
		return rc;
	read_timeouts(se, d);
	read_nego(se, d);
	se->se_pport = attr_i32(d, d->conn, "persistent_port");
	se->se_port = attr_i32(d, d->conn, "port");
	fill_portals(se);
	usr_dbg(ctx, "session%" PRIu32 ": %s %s:%" PRIi32 " state %s conn %s",
		se->se_sid, se->se_target, se->se_addr, se->se_port, se->se_state,
		se->se_conn_state);
	if ((err = usr_sysfs_session_host(d->root, se->se_sid, &se->se_host)) != 0) {
		usr_err(ctx, "session%" PRIu32 ": no SCSI host found", se->se_sid);
		return usr_errno_rc(err);
	}
	iname = attr_str(d, d->sess, "initiatorname");
	iface = attr_str(d, d->sess, "ifacename");
	rc = (iname && iface) ? usr_iface_from_sysfs(ctx, se->se_host, iname, iface, &se->se_iface)
			      : LIBISCSI_ERR_NOMEM;
	free(iname);
	free(iface);
	return rc;
}

int iscsi_session_get(struct iscsi_context *ctx, uint32_t sid,
		      struct iscsi_session **se)
{
	struct sysfs_dirs d;
	int rc;

	assert(ctx != NULL);
	assert(se != NULL);
	d.root = ctx->ctx_sysfs;
	snprintf(d.sess, sizeof(d.sess), "class/iscsi_session/session%" PRIu32, sid);
	snprintf(d.conn, sizeof(d.conn), "class/iscsi_connection/connection%" PRIu32 ":0", sid);
	*se = NULL;
	if (!usr_sysfs_exists(d.root, d.sess) || !usr_sysfs_exists(d.root, d.conn)) {
		usr_info(ctx, "session%" PRIu32 " does not exist", sid);
		return LIBISCSI_ERR_SESS_NOT_FOUND;
	}
	if (!(*se = calloc(1, sizeof(**se))))
		return LIBISCSI_ERR_NOMEM;
	usr_dbg(ctx, "reading session%" PRIu32 " under %s", sid, d.root);
	(*se)->se_sid = sid;
	rc = session_read(ctx, *se, &d);
	if (rc != LIBISCSI_OK) {
		iscsi_session_free(*se);
		*se = NULL;
	}
	return rc;
}

int iscsi_sessions_get(struct iscsi_context *ctx, struct iscsi_session ***ses,
		       uint32_t *se_count)
{
	uint32_t *sids;
	size_t n, i;
	int rc = LIBISCSI_OK, err;

	assert(ctx != NULL);
	assert(ses != NULL);
	assert(se_count != NULL);
	*ses = NULL;
	*se_count = 0;
	err = usr_sysfs_list_ids(ctx->ctx_sysfs, "class/iscsi_session", "session", &sids, &n);
	if (err)
		return usr_errno_rc(err);
	if (n && !(*ses = calloc(n, sizeof(**ses))))
		rc = LIBISCSI_ERR_NOMEM;
	for (i = 0; i < n && rc == LIBISCSI_OK; i++) {
		rc = iscsi_session_get(ctx, sids[i], &(*ses)[*se_count]);
		if (rc == LIBISCSI_ERR_SESS_NOT_FOUND) {
			rc = LIBISCSI_OK;	/* logged out while we listed */
			continue;
		}
		if (rc == LIBISCSI_OK)
			(*se_count)++;
	}
	free(sids);
	if (rc != LIBISCSI_OK) {
		iscsi_sessions_free(*ses, *se_count);
		*ses = NULL;
		*se_count = 0;
	} else if (*se_count == 0) {
		free(*ses);
		*ses = NULL;
	}
	return rc;
}

void iscsi_session_free(struct iscsi_session *se)
{
	if (!se)
		return;
	free(se->se_target);
	free(se->se_paddr);
	free(se->se_addr);
	free(se->se_user);
	free(se->se_pass);
	free(se->se_user_in);
	free(se->se_pass_in);
	free(se->se_state);
	free(se->se_conn_state);
	iscsi_iface_free(se->se_iface);
	free(se);
}

void iscsi_sessions_free(struct iscsi_session **ses, uint32_t session_count)
{
	if (!ses)
		return;
	for (uint32_t i = 0; i < session_count; i++)
		iscsi_session_free(ses[i]);
	free(ses);
}

#define GETTER(type, name, field) \
	type iscsi_session_##name##_get(struct iscsi_session *se) \
	{ assert(se != NULL); return se->field; }

GETTER(uint32_t, sid, se_sid)
GETTER(const char *, persistent_address, se_paddr)
GETTER(int32_t, persistent_port, se_pport)
GETTER(const char *, target_name, se_target)
GETTER(const char *, username, se_user)
GETTER(const char *, password, se_pass)
GETTER(const char *, username_in, se_user_in)
GETTER(const char *, password_in, se_pass_in)
GETTER(int32_t, recovery_tmo, se_recovery_tmo)
GETTER(int32_t, lu_reset_tmo, se_lu_reset_tmo)
GETTER(int32_t, tgt_reset_tmo, se_tgt_reset_tmo)
GETTER(int32_t, abort_tmo, se_abort_tmo)
GETTER(int32_t, tpgt, se_tpgt)
GETTER(const char *, address, se_addr)
GETTER(int32_t, port, se_port)
GETTER(struct iscsi_iface *, iface, se_iface)
GETTER(const char *, state, se_state)
GETTER(const char *, conn_state, se_conn_state)
GETTER(uint32_t, host_no, se_host)
GETTER(int32_t, creator, se_creator)

int32_t iscsi_session_nego_get(struct iscsi_session *se, enum iscsi_nego_param param)
{
	assert(se != NULL);
	if ((int)param < 0 || param >= ISCSI_NEGO_COUNT)
		return -1;
	return se->se_nego[param];
}
