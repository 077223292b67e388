/* Re-login of a running kernel session over the kernel's own connection.
 *
 * After a connection loss the kernel session keeps numbering commands from
 * where it stopped; only the kernel knows that CmdSN. So the new TCP socket
 * is bound to the kernel connection first and the login PDUs travel through
 * it (SEND_PDU out, RECV_PDU events back): the kernel stamps CmdSN, ITT and
 * ExpStatSN itself, and the target's session (new or reinstated) starts at
 * the number the kernel will use next. The login state machine (usr/core/login) decides what
 * to send; this file only carries the PDUs. */
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "kernel.h"
#include "kwait.h"
#include "ksession_param.h"
#include "log.h"
#include "net.h"
#include "pdu.h"
#include "sess_klogin.h"

/* Waits for this connection's next Login response; RC_TRANS when the
 * kernel reports the connection failed meanwhile. */
static int klogin_wait(struct kwait *w, int64_t end, struct pdu *rsp, uint32_t itt)
{
	struct nl_event ev;
	int rc = kwait_next(w, end, &ev);

	if (rc != RC_OK)
		return rc;
	pdu_free(rsp);
	memcpy(rsp->pdu_bhs, ev.ne_data, PDU_BHS_LEN);
	/* the kernel chose the ITT; the state machine checks ours */
	pdu_put_be32(rsp->pdu_bhs + 16, itt);
	if (pdu_set_data(rsp, ev.ne_data + PDU_BHS_LEN, ev.ne_data_len - PDU_BHS_LEN) != 0)
		return RC_NOMEM;
	return RC_OK;
}

static int klogin_exchange(struct kern *k, struct kwait *w, const struct ksess *ks,
			   const struct login_params *p, struct login_result *res)
{
	int64_t end = net_now_ms() + p->lp_timeout_ms;
	struct login_sm sm;
	struct pdu req, rsp;
	enum login_step st = LOGIN_SEND;
	int rc;

	pdu_init(&req);
	pdu_init(&rsp);
	memset(res, 0, sizeof(*res));
	rc = login_sm_start(&sm, p, &req);
	while (rc == RC_OK && st == LOGIN_SEND) {
		rc = kernel_send_pdu(k, ks->ks_sid, ks->ks_cid, req.pdu_bhs,
				     req.pdu_data, req.pdu_data_len);
		if (rc == RC_OK)
			rc = klogin_wait(w, end, &rsp, p->lp_itt);
		if (rc == RC_OK) {
			pdu_free(&req);
			st = login_sm_step(&sm, &rsp, &req, res);
			if (st == LOGIN_FAIL)
				rc = res->lr_rc ? res->lr_rc : RC_LOGIN;
		}
	}
	if (rc != RC_OK && !res->lr_rc)
		res->lr_rc = rc;
	login_sm_free(&sm);
	pdu_free(&req);
	pdu_free(&rsp);
	return rc;
}

int sess_klogin(struct kern *k, struct ksess *ks, const struct ksess_conf *c,
		const struct login_params *p, int fd, struct login_result *res)
{
	struct kwait *w;
	int rc;

	/* subscribe before anything is sent, so no response slips past */
	rc = kwait_open(&w, k->k_route, ks->ks_sid, OP_LOGIN_RSP);
	if (rc != RC_OK)
		return rc;
	rc = kernel_bind_conn(k, ks->ks_sid, ks->ks_cid, fd, 1);
	if (rc == RC_OK)
		rc = klogin_exchange(k, w, ks, p, res);
	kwait_close(w);
	if (rc == RC_OK)
		rc = ksession_set_params(k, ks, c, res);
	if (rc == RC_OK)
		rc = kernel_start_conn(k, ks->ks_sid, ks->ks_cid);
	if (rc != RC_OK) {
		/* back to recovery mode; the caller closes fd and retries */
		kernel_stop_conn(k, ks->ks_sid, ks->ks_cid, NL_STOP_RECOVER);
		return rc;
	}
	ks->ks_fd = fd;
	ks->ks_tsih = res->lr_tsih;
	return RC_OK;
}
