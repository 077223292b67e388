/* One function per kernel operation on the tcp transport, each a single
 * netlink round trip on the calling thread's own socket. */
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "kernel.h"
#include "err.h"
#include "log.h"
#include "net.h"
#include "sysfs_root.h"
#include "pdu.h"

extern char **environ;

static int read_handle(const char *root, const char *name, uint64_t *handle)
{
	char path[512], line[64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/class/iscsi_transport/%s/handle", root, name);
	f = fopen(path, "r");
	if (!f)
		return RC_TRANS_NOT_FOUND;
	ok = fgets(line, sizeof(line), f) && sscanf(line, "%" SCNu64, handle) == 1;
	fclose(f);
	return ok ? RC_OK : RC_TRANS_NOT_FOUND;
}

/* modprobe without a shell; posix_spawn runs no code of ours in the child. */
static void load_module(const char *name)
{
	char mod[64];
	char *argv[] = { "modprobe", "-q", mod, NULL };
	pid_t pid;
	int st;

	snprintf(mod, sizeof(mod), "iscsi_%s", name);
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ) != 0)
		return;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

int kernel_transport_handle(const char *sysfs_root, const char *name, uint64_t *handle)
{
	const char *root = sysfs_root_of(sysfs_root);
	int rc = read_handle(root, name, handle);

	if (rc != RC_OK && strcmp(root, SYSFS_ROOT_DEFAULT) == 0) {
		load_module(name);
		rc = read_handle(root, name, handle);
	}
	if (rc != RC_OK)
		log_error("kernel: transport %s not found in %s/class/iscsi_transport", name, root);
	return rc;
}

int kernel_open(struct kern *k, const char *sysfs_root)
{
	int rc;

	memset(k, 0, sizeof(*k));
	k->k_nl.ns_fd = -1;
	k->k_timeout_ms = KERNEL_TIMEOUT_MS;
	rc = kernel_transport_handle(sysfs_root, "tcp", &k->k_handle);
	if (rc != RC_OK)
		return rc;
	k->k_buf = malloc(KERNEL_RBUF);
	if (!k->k_buf)
		return RC_NOMEM;
	rc = nl_open(&k->k_nl, 0);
	if (rc != RC_OK)
		kernel_close(k);
	return rc;
}

void kernel_close(struct kern *k)
{
	nl_close(&k->k_nl);
	free(k->k_buf);
	k->k_buf = NULL;
}

/* Replies without ids carry the transport's result in r.retcode; those
 * with ids (create session/conn) only fail through IF_ERROR. */
static int result_of(const struct nl_msg *m, const struct nl_event *ev)
{
	if (ev->ne_type == NL_K_IF_ERROR)
		return ev->ne_iferror ? ev->ne_iferror : -EIO;
	if (m->nm_type == NL_CREATE_SESSION || m->nm_type == NL_CREATE_CONN)
		return 0;
	return ev->ne_retcode;
}

static int kernel_call(struct kern *k, struct nl_msg *m, const void *payload,
		       size_t plen, struct nl_event *ev)
{
	int rc, res;

	m->nm_handle = k->k_handle;
	k->k_errno = 0;
	rc = nl_request(&k->k_nl, m, payload, plen, k->k_buf, KERNEL_RBUF, ev, k->k_timeout_ms);
	if (rc != RC_OK)
		return rc;
	res = result_of(m, ev);
	if (res == 0)
		return RC_OK;
	k->k_errno = res < 0 ? -res : res;
	log_debug("kernel: %s sid %u cid %u: %s", nl_type_name(m->nm_type),
		  m->nm_sid, m->nm_cid, strerror(k->k_errno));
	return k->k_errno == ENOMEM ? RC_NOMEM : RC_INTERNAL;
}

int kernel_create_session(struct kern *k, uint32_t initial_cmdsn, uint16_t cmds_max,
			  uint16_t queue_depth, uint32_t *sid, uint32_t *host_no)
{
	struct nl_msg m = { .nm_type = NL_CREATE_SESSION, .nm_initial_cmdsn = initial_cmdsn,
			    .nm_cmds_max = cmds_max, .nm_queue_depth = queue_depth };
	struct nl_event ev;
	int rc = kernel_call(k, &m, NULL, 0, &ev);

	if (rc != RC_OK) {
		log_error("kernel: cannot create session: %s", strerror(k->k_errno ? k->k_errno : EIO));
		return rc;
	}
	*sid = ev.ne_sid;
	*host_no = ev.ne_host_no;
	log_debug("kernel: created session %u on host %u", *sid, *host_no);
	return RC_OK;
}

int kernel_destroy_session(struct kern *k, uint32_t sid, int async)
{
	struct nl_msg m = { .nm_type = async ? NL_DESTROY_SESSION_ASYNC : NL_DESTROY_SESSION,
			    .nm_sid = sid };
	struct nl_event ev;
	int rc = kernel_call(k, &m, NULL, 0, &ev);

	if (rc != RC_OK)
		log_error("session %u: kernel cannot destroy it: %s", sid,
			  k->k_errno ? strerror(k->k_errno) : "no reply");
	return rc;
}

int kernel_create_conn(struct kern *k, uint32_t sid, uint32_t cid, uint32_t *cid_out)
{
	struct nl_msg m = { .nm_type = NL_CREATE_CONN, .nm_sid = sid, .nm_cid = cid };
	struct nl_event ev;
	int rc = kernel_call(k, &m, NULL, 0, &ev);

	if (rc != RC_OK) {
		log_error("session %u: kernel cannot create connection %u", sid, cid);
		return rc;
	}
	if (cid_out)
		*cid_out = ev.ne_cid;
	return RC_OK;
}

static int conn_op(struct kern *k, uint32_t type, uint32_t sid, uint32_t cid, uint32_t flag)
{
	struct nl_msg m = { .nm_type = type, .nm_sid = sid, .nm_cid = cid, .nm_flag = flag };
	struct nl_event ev;
	int rc = kernel_call(k, &m, NULL, 0, &ev);

	if (rc != RC_OK)
		log_error("session %u: kernel %s on connection %u failed: %s", sid,
			  nl_type_name(type), cid, k->k_errno ? strerror(k->k_errno) : "no reply");
	return rc;
}

int kernel_destroy_conn(struct kern *k, uint32_t sid, uint32_t cid)
{
	return conn_op(k, NL_DESTROY_CONN, sid, cid, 0);
}

int kernel_start_conn(struct kern *k, uint32_t sid, uint32_t cid)
{
	return conn_op(k, NL_START_CONN, sid, cid, 0);
}

int kernel_stop_conn(struct kern *k, uint32_t sid, uint32_t cid, uint32_t flag)
{
	return conn_op(k, NL_STOP_CONN, sid, cid, flag);
}

int kernel_bind_conn(struct kern *k, uint32_t sid, uint32_t cid, int fd, int leading)
{
	struct nl_msg m = { .nm_type = NL_BIND_CONN, .nm_sid = sid, .nm_cid = cid,
			    .nm_fd = (uint64_t)fd, .nm_is_leading = leading ? 1 : 0 };
	struct nl_event ev;
	int rc = kernel_call(k, &m, NULL, 0, &ev);

	if (rc != RC_OK)
		log_error("session %u: kernel cannot bind socket %d to connection %u: %s",
			  sid, fd, cid, k->k_errno ? strerror(k->k_errno) : "no reply");
	return rc;
}

/* Values go as NUL-terminated text; the kernel parses them itself. */
int kernel_set_param(struct kern *k, uint32_t sid, uint32_t cid, enum nl_param p,
		     const char *value)
{
	struct nl_msg m = { .nm_type = NL_SET_PARAM, .nm_sid = sid, .nm_cid = cid, .nm_param = p };
	struct nl_event ev;

	return kernel_call(k, &m, value, strlen(value) + 1, &ev);
}

int kernel_send_pdu(struct kern *k, uint32_t sid, uint32_t cid,
		    const uint8_t hdr[NL_ISCSI_HDR_LEN], const uint8_t *data, size_t dlen)
{
	struct nl_msg m = { .nm_type = NL_SEND_PDU, .nm_sid = sid, .nm_cid = cid,
			    .nm_hdr_size = NL_ISCSI_HDR_LEN, .nm_data_size = (uint32_t)dlen };
	struct nl_event ev;
	uint8_t *buf = malloc(NL_ISCSI_HDR_LEN + dlen);
	int rc;

	if (!buf)
		return RC_NOMEM;
	memcpy(buf, hdr, NL_ISCSI_HDR_LEN);
	if (dlen)
		memcpy(buf + NL_ISCSI_HDR_LEN, data, dlen);
	rc = kernel_call(k, &m, buf, NL_ISCSI_HDR_LEN + dlen, &ev);
	free(buf);
	if (rc != RC_OK)
		log_error("session %u: kernel cannot send PDU: %s", sid,
			  k->k_errno ? strerror(k->k_errno) : "no reply");
	return rc;
}

int kevents_open(struct kevents *ke)
{
	int rc;

	ke->ke_batch = NULL;
	ke->ke_buf = malloc(NL_BUF_MAX);
	if (!ke->ke_buf)
		return RC_NOMEM;
	rc = nl_open(&ke->ke_nl, NL_ISCSI_GRP);
	if (rc != RC_OK) {
		free(ke->ke_buf);
		ke->ke_buf = NULL;
	}
	return rc;
}

void kevents_close(struct kevents *ke)
{
	nl_close(&ke->ke_nl);
	free(ke->ke_buf);
	free(ke->ke_batch);
	ke->ke_buf = NULL;
	ke->ke_batch = NULL;
}

int kevents_read(struct kevents *ke, struct nl_event *ev, int timeout_ms)
{
	return nl_recv(&ke->ke_nl, ke->ke_buf, NL_BUF_MAX, ev, timeout_ms);
}

int kevents_read_batch(struct kevents *ke, struct nl_event ev[KEVENTS_BATCH], unsigned *n)
{
	/* virtual size only: the kernel touches the bytes it writes */
	if (!ke->ke_batch)
		ke->ke_batch = malloc((size_t)KEVENTS_BATCH * NL_BUF_MAX);
	if (!ke->ke_batch) {
		*n = 0;
		return RC_NOMEM;
	}
	return nl_recv_batch(&ke->ke_nl, ke->ke_batch, NL_BUF_MAX, ev, KEVENTS_BATCH, n);
}

int kevents_wait_pdu(struct kevents *ke, uint32_t sid, uint8_t op, int64_t end,
		     struct nl_event *ev)
{
	for (;;) {
		int64_t left = end - net_now_ms();
		int rc = kevents_read(ke, ev, left > 0 ? (int)left : 0);

		if (rc == RC_TRANS_TIMEOUT || rc == RC_TRANS)
			return rc;
		if (rc != RC_OK || ev->ne_sid != sid)
			continue;
		if (ev->ne_type == NL_K_CONN_ERROR)
			return RC_TRANS;
		if (ev->ne_type == NL_K_RECV_PDU && ev->ne_data_len >= PDU_BHS_LEN &&
		    (ev->ne_data[0] & PDU_OP_MASK) == op)
			return RC_OK;
	}
}
