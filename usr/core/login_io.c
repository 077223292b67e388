/* Runs the login state machine and the logout exchange over a connected
 * socket. Login PDUs never carry digests (RFC 7143 11.12: digests start
 * after login), and their data stays within 8192 bytes unless declared. */
#include <stdio.h>
#include <string.h>
#include "login.h"
#include "net.h"
#include "err.h"
#include "log.h"

#define LOGIN_RX_MAX 65536  /* generous bound on a login response segment */

int login_run(int fd, const struct login_params *p, struct login_result *res)
{
	struct login_sm sm;
	struct pdu req, rsp;
	int64_t deadline = net_now_ms() + (p->lp_timeout_ms > 0 ? p->lp_timeout_ms : LOGIN_TIMEOUT_MS_DEFAULT);
	enum login_step st = LOGIN_SEND;

	memset(res, 0, sizeof(*res));
	pdu_init(&req);
	pdu_init(&rsp);
	if (login_sm_start(&sm, p, &req)) {
		res->lr_rc = RC_NOMEM;
		goto out;
	}
	while (st == LOGIN_SEND) {
		const char *why = "";
		log_debugn(3, "login req: stage %u->%u%s, %zu data bytes", (req.pdu_bhs[1] >> 2) & 3,
			   req.pdu_bhs[1] & 3, req.pdu_bhs[1] & PDU_TRANSIT ? " T" : "", req.pdu_data_len);
		int rc = net_send_pdu(fd, &req, false, false, deadline);
		if (rc == RC_OK)
			rc = net_recv_pdu(fd, &rsp, false, false, LOGIN_RX_MAX, deadline, &why);
		if (rc != RC_OK) {
			res->lr_rc = rc == RC_TRANS_TIMEOUT ? RC_TRANS_TIMEOUT : rc;
			snprintf(res->lr_msg, sizeof(res->lr_msg), "login %s", *why ? why : "send failed");
			break;
		}
		struct pdu_login_rsp h;
		if (pdu_login_rsp_decode(&rsp, &h) == 0)
			log_debugn(3, "login rsp: stage %u->%u%s%s status %02x%02x, %zu data bytes",
				   h.ls_csg, h.ls_nsg, h.ls_transit ? " T" : "", h.ls_continue ? " C" : "",
				   h.ls_class, h.ls_detail, rsp.pdu_data_len);
		st = login_sm_step(&sm, &rsp, &req, res);
		pdu_free(&rsp);
	}
out:
	if (res->lr_rc != RC_OK)
		log_debug("login failed: %s", res->lr_msg);
	login_sm_free(&sm);
	pdu_free(&req);
	pdu_free(&rsp);
	return res->lr_rc;
}

int login_logout(int fd, const struct login_result *lr, uint32_t itt, uint32_t cmdsn,
		 uint32_t exp_statsn, uint16_t cid, int timeout_ms)
{
	bool hd = lr->lr_params.ip_hdig == DIGEST_CRC32C, dd = lr->lr_params.ip_ddig == DIGEST_CRC32C;
	size_t max_rx = lr->lr_params.ip_max_recv_dlen > LOGIN_RX_MAX ?
			lr->lr_params.ip_max_recv_dlen : LOGIN_RX_MAX;
	struct pdu req, rsp;
	struct pdu_logout_req q = { .oq_reason = LOGOUT_SESSION, .oq_cid = cid, .oq_itt = itt,
				    .oq_cmdsn = cmdsn, .oq_exp_statsn = exp_statsn };
	struct pdu_logout_rsp r;
	int64_t deadline = net_now_ms() + timeout_ms;
	int rc;

	pdu_init(&req);
	pdu_init(&rsp);
	pdu_logout_req_encode(&req, &q);
	rc = net_send_pdu(fd, &req, hd, dd, deadline);
	/* skip NOP-Ins or async messages that may precede the answer */
	while (rc == RC_OK) {
		rc = net_recv_pdu(fd, &rsp, hd, dd, max_rx, deadline, NULL);
		if (rc != RC_OK)
			break;
		if (pdu_logout_rsp_decode(&rsp, &r) == 0) {
			rc = r.or_response == 0 ? RC_OK : RC_LOGOUT;
			break;
		}
		pdu_free(&rsp);
	}
	pdu_free(&rsp);
	pdu_free(&req);
	return rc;
}
