/* Re-login through the kernel (recovery). The kernel session keeps its own
 * CmdSN across a connection loss and never tells user space; a login sent
 * from user space would announce a CmdSN the kernel does not continue
 * from, and the target would hold every later command (seen with tgtd).
 * So, as stock iscsid does, the new socket is bound first and each Login
 * request goes out with SEND_PDU: the kernel stamps its CmdSN and ITT, and
 * each Login response comes back as a RECV_PDU event. H2's login state
 * machine does the protocol; this file only moves its PDUs. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ksession.h"
#include "ksession_param.h"
#include "err.h"
#include "log.h"
#include "pdu.h"
#include "net.h"

#define RELOGIN_MAX_DATA 8192   /* the kernel's login buffer */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Next Login response for this connection, as a struct pdu whose ITT is
 * put back to ours (the kernel replaced it on the way out). */
static int relogin_recv(struct kevents *ke, const struct ksess *ks, uint32_t itt,
			int64_t deadline, struct pdu *rsp)
{
	struct nl_event ev;

	for (;;) {
		int left = (int)(deadline - now_ms());
		int rc = kevents_read(ke, &ev, left > 0 ? left : 0);

		if (rc == RC_TRANS_TIMEOUT || rc == RC_TRANS)
			return rc;
		if (rc != RC_OK || ev.ne_sid != ks->ks_sid || ev.ne_cid != ks->ks_cid)
			continue;
		if (ev.ne_type == NL_K_CONN_ERROR)
			return RC_TRANS;
		if (ev.ne_type != NL_K_RECV_PDU || ev.ne_data_len < PDU_BHS_LEN ||
		    (ev.ne_data[0] & PDU_OP_MASK) != OP_LOGIN_RSP)
			continue;
		pdu_free(rsp);
		memcpy(rsp->pdu_bhs, ev.ne_data, PDU_BHS_LEN);
		pdu_put_be32(rsp->pdu_bhs + 16, itt);
		if (pdu_set_data(rsp, ev.ne_data + PDU_BHS_LEN, ev.ne_data_len - PDU_BHS_LEN))
			return RC_NOMEM;
		return RC_OK;
	}
}

static int relogin_send(struct kern *k, const struct ksess *ks, const struct pdu *req)
{
	if (req->pdu_data_len > RELOGIN_MAX_DATA || req->pdu_ahs_len)
		return RC_INVAL;
	return kernel_send_pdu(k, ks->ks_sid, ks->ks_cid, req->pdu_bhs, req->pdu_data,
			       req->pdu_data_len);
}

/* The login exchange itself; res says how it ended. */
static void relogin_run(struct kern *k, struct kevents *ke, const struct ksess *ks,
			const struct login_params *p, struct login_result *res)
{
	int64_t deadline = now_ms() + (p->lp_timeout_ms > 0 ? p->lp_timeout_ms : 15000);
	enum login_step st = LOGIN_SEND;
	struct login_sm sm;
	struct pdu req, rsp;

	memset(res, 0, sizeof(*res));
	pdu_init(&req);
	pdu_init(&rsp);
	if (login_sm_start(&sm, p, &req)) {
		res->lr_rc = RC_NOMEM;
		goto out;
	}
	while (st == LOGIN_SEND) {
		int rc = relogin_send(k, ks, &req);
		if (rc == RC_OK)
			rc = relogin_recv(ke, ks, p->lp_itt, deadline, &rsp);
		if (rc != RC_OK) {
			res->lr_rc = rc;
			snprintf(res->lr_msg, sizeof(res->lr_msg), "re-login through the kernel: %s",
				 rc == RC_TRANS_TIMEOUT ? "no response" : "connection failed");
			break;
		}
		st = login_sm_step(&sm, &rsp, &req, res);
	}
out:
	login_sm_free(&sm);
	pdu_free(&req);
	pdu_free(&rsp);
}

int ksession_relogin(struct kern *k, struct ksess *ks, const struct ksess_conf *c,
		     const struct login_params *p, int fd, struct login_result *res)
{
	struct kevents ke;
	int rc;

	if (ks->ks_fd >= 0)
		close(ks->ks_fd);
	ks->ks_fd = -1;
	memset(res, 0, sizeof(*res));
	rc = kevents_open(&ke);   /* before the first request: no response missed */
	if (rc == RC_OK)
		rc = kernel_bind_conn(k, ks->ks_sid, ks->ks_cid, fd, 1);
	if (rc == RC_OK) {
		relogin_run(k, &ke, ks, p, res);
		rc = res->lr_rc;
	}
	if (rc == RC_OK)
		rc = ksession_set_params(k, ks, c, res);
	if (rc == RC_OK)
		rc = kernel_start_conn(k, ks->ks_sid, ks->ks_cid);
	if (ke.ke_buf)
		kevents_close(&ke);
	if (rc != RC_OK) {
		log_warn("session %u: re-login failed: %s", ks->ks_sid,
			 res->lr_msg[0] ? res->lr_msg : rc_str(rc));
		/* drop the kernel's hold on this socket; stay in recovery */
		kernel_stop_conn(k, ks->ks_sid, ks->ks_cid, NL_STOP_RECOVER);
		if (res->lr_rc == RC_OK)
			res->lr_rc = rc;
		return rc;
	}
	ks->ks_fd = fd;
	ks->ks_tsih = res->lr_tsih;
	log_info("session %u: re-login done, connection reinstated", ks->ks_sid);
	return RC_OK;
}

int ksession_recover(struct kern *k, struct ksess *ks, const struct ksess_conf *c,
		     const struct login_params *p, int connect_timeout_ms,
		     struct login_result *res)
{
	struct login_params lp = *p;
	int fd = -1, err = 0, rc;

	memset(res, 0, sizeof(*res));
	rc = net_connect(c->kc_address, c->kc_port, connect_timeout_ms, &fd, &err);
	if (rc != RC_OK) {
		res->lr_rc = rc;
		snprintf(res->lr_msg, sizeof(res->lr_msg), "cannot connect to %.200s,%u",
			 c->kc_address, c->kc_port);
		return rc;
	}
	lp.lp_tsih = 0;   /* reinstate under the same ISID, as stock does */
	rc = ksession_relogin(k, ks, c, &lp, fd, res);
	if (rc != RC_OK)
		close(fd);
	return rc;
}
