/* A kernel session's life: bring-up after login, logout, recovery, adoption.
 * Parameter setting lives in ksession_param.c. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "keys.h"
#include "ksession.h"
#include "kwait.h"
#include "ksession_param.h"
#include "err.h"
#include "log.h"
#include "net.h"
#include "sysfs_root.h"
#include "pdu.h"

#define LOGOUT_REASON_CLOSE_SESSION 0
#define GONE_TIMEOUT_MS             60000

/* The key table's defaults (iscsid overwrites every field from the
 * record; ksmoke and the unit tests start from these). */
void ksess_conf_init(struct ksess_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->kc_iface, sizeof(c->kc_iface), IFACE_DEFAULT);
	c->kc_port = (uint16_t)keys_default_num(K_NODE_CONN_0_PORT);
	c->kc_cmds_max = (uint16_t)keys_default_num(K_NODE_SESSION_CMDS_MAX);
	c->kc_queue_depth = (uint16_t)keys_default_num(K_NODE_SESSION_QUEUE_DEPTH);
	c->kc_recovery_tmo = (int)keys_default_num(K_NODE_SESSION_TIMEO_REPLACEMENT_TIMEOUT);
	c->kc_noop_interval = (int)keys_default_num(K_NODE_CONN_0_TIMEO_NOOP_OUT_INTERVAL);
	c->kc_noop_timeout = (int)keys_default_num(K_NODE_CONN_0_TIMEO_NOOP_OUT_TIMEOUT);
	c->kc_abort_tmo = (int)keys_default_num(K_NODE_SESSION_ERR_TIMEO_ABORT_TIMEOUT);
	c->kc_lu_reset_tmo = (int)keys_default_num(K_NODE_SESSION_ERR_TIMEO_LU_RESET_TIMEOUT);
	c->kc_tgt_reset_tmo = (int)keys_default_num(K_NODE_SESSION_ERR_TIMEO_TGT_RESET_TIMEOUT);
	c->kc_fast_abort = keys_default_bool(K_NODE_SESSION_ISCSI_FASTABORT);
}

static void ks_reset(struct ksess *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->ks_fd = -1;
}

static void ks_close_fd(struct ksess *ks)
{
	if (ks->ks_fd >= 0)
		close(ks->ks_fd);
	ks->ks_fd = -1;
}

/* Bind, parameters, start: shared by first bring-up and recovery. */
static int conn_up(struct kern *k, struct ksess *ks, const struct ksess_conf *c,
		   const struct login_result *lr, int fd)
{
	int rc = kernel_bind_conn(k, ks->ks_sid, ks->ks_cid, fd, 1);

	if (rc == RC_OK)
		rc = ksession_set_params(k, ks, c, lr);
	if (rc == RC_OK)
		rc = kernel_start_conn(k, ks->ks_sid, ks->ks_cid);
	return rc;
}

int ksession_start(struct kern *k, const struct ksess_conf *c,
		   const struct login_result *lr, int fd, struct ksess *ks)
{
	int rc;

	ks_reset(ks);
	/* the kernel numbers commands from the target's ExpCmdSN after login */
	rc = kernel_create_session(k, lr->lr_cmdsn, c->kc_cmds_max,
				   c->kc_queue_depth, &ks->ks_sid, &ks->ks_host_no);
	if (rc != RC_OK)
		return rc;
	ks->ks_cid = 0;
	rc = kernel_create_conn(k, ks->ks_sid, 0, &ks->ks_cid);
	if (rc == RC_OK)
		rc = conn_up(k, ks, c, lr, fd);
	if (rc != RC_OK) {
		log_error("session %u: bring-up for %s failed, tearing it down", ks->ks_sid, c->kc_target);
		ksession_destroy(k, ks);
		ks_reset(ks);
		return rc;
	}
	ks->ks_fd = fd;
	ks->ks_tsih = lr->lr_tsih;
	memcpy(ks->ks_isid, c->kc_isid, sizeof(ks->ks_isid));
	log_info("session %u: operational on host%u (target %s, portal %s,%u)", ks->ks_sid,
		 ks->ks_host_no, c->kc_target, c->kc_address, c->kc_port);
	return RC_OK;
}

int ksession_suspend(struct kern *k, struct ksess *ks)
{
	int rc = kernel_stop_conn(k, ks->ks_sid, ks->ks_cid, NL_STOP_RECOVER);

	ks_close_fd(ks);
	return rc;
}

/* After an async destroy: the session is really gone (SCSI devices
 * removed) when its sysfs directory is. */
static int wait_session_gone(uint32_t sid, int timeout_ms)
{
	char path[PATH_MAX];
	int64_t end = net_now_ms() + timeout_ms;
	struct stat st;

	snprintf(path, sizeof(path), "%s/class/iscsi_session/session%u", sysfs_root_of(NULL), sid);
	while (stat(path, &st) == 0) {
		if (net_now_ms() > end) {
			log_warn("session %u: still in sysfs %d ms after destroy", sid, timeout_ms);
			return RC_TRANS_TIMEOUT;
		}
		usleep(20 * 1000);
	}
	return RC_OK;
}

int ksession_destroy(struct kern *k, struct ksess *ks)
{
	int rc;

	kernel_stop_conn(k, ks->ks_sid, ks->ks_cid, NL_STOP_TERM);
	kernel_destroy_conn(k, ks->ks_sid, ks->ks_cid);
	ks_close_fd(ks);
	rc = kernel_destroy_session(k, ks->ks_sid, 1);
	if (rc != RC_OK)   /* kernels without the async message */
		rc = kernel_destroy_session(k, ks->ks_sid, 0);
	if (rc == RC_OK)
		rc = wait_session_gone(ks->ks_sid, GONE_TIMEOUT_MS);
	return rc;
}

/* Logout request BHS (RFC 7143 11.14); the kernel fills ITT, CmdSN and
 * ExpStatSN when ITT is not the reserved value. */
static void logout_bhs(uint8_t bhs[PDU_BHS_LEN], uint16_t cid)
{
	memset(bhs, 0, PDU_BHS_LEN);
	bhs[0] = OP_LOGOUT_REQ | PDU_IMMEDIATE;
	bhs[1] = PDU_FINAL | LOGOUT_REASON_CLOSE_SESSION;
	bhs[20] = (uint8_t)(cid >> 8);
	bhs[21] = (uint8_t)cid;
}

/* Waits for this session's Logout response; a connection error (the
 * target closing first) also ends the wait. */
static int logout_send(struct kern *k, struct ksess *ks, int timeout_ms)
{
	struct kwait *w;
	struct nl_event ev;
	uint8_t bhs[PDU_BHS_LEN];
	int rc;

	rc = kwait_open(&w, k->k_route, ks->ks_sid, OP_LOGOUT_RSP);
	if (rc != RC_OK)
		return rc;
	logout_bhs(bhs, (uint16_t)ks->ks_cid);
	rc = kernel_send_pdu(k, ks->ks_sid, ks->ks_cid, bhs, NULL, 0);
	if (rc == RC_OK)
		rc = kwait_next(w, net_now_ms() + timeout_ms, &ev);
	if (rc == RC_OK && ev.ne_data[2] != 0)
		rc = RC_LOGOUT;
	kwait_close(w);
	return rc;
}

int ksession_stop(struct kern *k, struct ksess *ks, int timeout_ms)
{
	int lrc = logout_send(k, ks, timeout_ms);
	int rc;

	if (lrc == RC_OK)
		log_info("session %u: logout response received", ks->ks_sid);
	else
		log_warn("session %u: no clean logout (%s), tearing down anyway", ks->ks_sid,
			 lrc == RC_TRANS_TIMEOUT ? "no response" :
			 lrc == RC_LOGOUT ? "target refused" : "connection lost");
	rc = ksession_destroy(k, ks);
	if (rc != RC_OK)
		return rc;
	return lrc == RC_LOGOUT ? RC_LOGOUT : RC_OK;
}

/* host number: the "hostN" component of the session's device path. */
static int host_of_session(const char *root, uint32_t sid, uint32_t *host_no)
{
	char link[PATH_MAX], real[PATH_MAX];
	const char *p;

	snprintf(link, sizeof(link), "%s/class/iscsi_session/session%u", root, sid);
	if (!realpath(link, real))
		return RC_SESS_NOT_FOUND;
	for (p = real; (p = strstr(p, "/host")); p++)
		if (sscanf(p, "/host%u/", host_no) == 1)
			return RC_OK;
	return RC_HOST_NOT_FOUND;
}

static int conn_of_session(const char *root, uint32_t sid, uint32_t *cid)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int rc = RC_SESS_NOT_FOUND;

	snprintf(dir, sizeof(dir), "%s/class/iscsi_connection", root);
	d = opendir(dir);
	if (!d)
		return rc;
	while ((e = readdir(d))) {
		unsigned s, c;
		if (sscanf(e->d_name, "connection%u:%u", &s, &c) == 2 && s == sid) {
			*cid = c;
			rc = RC_OK;
			break;
		}
	}
	closedir(d);
	return rc;
}

int ksession_adopt(const char *sysfs_root, uint32_t sid, struct ksess *ks)
{
	const char *root = sysfs_root_of(sysfs_root);
	int rc;

	ks_reset(ks);
	ks->ks_sid = sid;
	rc = host_of_session(root, sid, &ks->ks_host_no);
	if (rc == RC_OK)
		rc = conn_of_session(root, sid, &ks->ks_cid);
	if (rc != RC_OK) {
		log_debug("session %u: cannot adopt from %s: %s", sid, root, rc_str(rc));
		return rc;
	}
	log_info("session %u: taken over (host%u, connection %u)", sid, ks->ks_host_no, ks->ks_cid);
	return RC_OK;
}
