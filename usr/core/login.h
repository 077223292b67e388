/* iSCSI login (RFC 7143 section 6.3, 10.12-10.13): a pure state machine that
 * turns each login response into the next request or a result, and a thin
 * driver that runs it over a connected socket within login_timeout.
 * Used by iscsiadm's discovery session (SessionType=Discovery) and by
 * iscsid's normal sessions, which hand the socket to the kernel afterwards
 * and need every negotiated value (struct login_result). */
#ifndef CORE_LOGIN_H
#define CORE_LOGIN_H
#include <stdbool.h>
#include <stdint.h>
#include "pdu.h"
#include "text.h"
#include "negotiate.h"
#include "chap.h"

#define LOGIN_NAMELEN    224   /* iSCSI names are at most 223 bytes */
#define LOGIN_SECRET_MAX 256
#define LOGIN_ADDR_MAX   256

/* A login without a login_timeout of its own (stock's discovery default,
 * discovery.sendtargets.timeo.login_timeout = 15). */
#define LOGIN_TIMEOUT_MS_DEFAULT 15000

/* Everything a login needs; fill with login_params_init, then set fields.
 * Strings are owned by the caller and must outlive the login. */
struct login_params {
	const char *lp_initiator_name;
	const char *lp_initiator_alias;   /* NULL or "" = not sent */
	const char *lp_target_name;       /* NULL for discovery */
	bool lp_discovery;                /* SessionType=Discovery */
	uint8_t lp_isid[6];
	uint16_t lp_tsih;                 /* 0 = new session */
	uint16_t lp_cid;
	uint32_t lp_cmdsn;                /* CmdSN of the first login request */
	uint32_t lp_exp_statsn;
	uint32_t lp_itt;                  /* initiator task tag for the login */
	/* authentication: CHAP when lp_username is set, otherwise None */
	const char *lp_username, *lp_password;       /* we prove ourselves */
	const char *lp_username_in, *lp_password_in; /* mutual: target proves itself */
	int lp_chap_algs[CHAP_MAX_ALGS];  /* CHAP_A offer, preference order */
	int lp_n_chap_algs;
	struct iscsi_params lp_mine;      /* operational proposals */
	int lp_timeout_ms;                /* whole login (login_timeout);
					   0 or less: LOGIN_TIMEOUT_MS_DEFAULT */
};

/* Outcome of a login; valid fields depend on lr_rc. */
struct login_result {
	int lr_rc;                  /* enum iscsi_rc: RC_OK, RC_LOGIN_AUTH_FAILED, ... */
	uint8_t lr_class, lr_detail;       /* last Status-Class / Status-Detail */
	char lr_msg[256];           /* why, for a log or error line */
	/* RC_OK: */
	struct iscsi_params lr_params;     /* negotiated (ip_max_xmit_dlen = target's MRDSL) */
	uint16_t lr_tsih;
	uint16_t lr_tpgt;                  /* TargetPortalGroupTag, 0 if not sent */
	uint32_t lr_cmdsn;                 /* next CmdSN to use (= ExpCmdSN) */
	uint32_t lr_max_cmdsn;
	uint32_t lr_statsn;                /* last StatSN received */
	uint32_t lr_exp_statsn;            /* = lr_statsn + 1 */
	char lr_target_alias[LOGIN_NAMELEN];
	/* redirection (class 1): lr_rc == RC_LOGIN with lr_redirect set */
	bool lr_redirect, lr_redirect_permanent;
	char lr_redirect_host[LOGIN_ADDR_MAX];
	uint16_t lr_redirect_port;
};

void login_params_init(struct login_params *p);

/* Status class/detail -> exit code and text (RFC 7143 10.13.5). */
int login_status_rc(uint8_t cls, uint8_t detail);
const char *login_status_str(uint8_t cls, uint8_t detail);

/* ---- pure state machine ---- */
enum login_phase { LP_SEC_START, LP_SEC_CHAP_A, LP_SEC_CHAP_R, LP_SEC_WAIT,
		   LP_OPERATIONAL, LP_DONE };

struct login_sm {
	const struct login_params *sm_p;
	enum login_phase sm_phase;
	uint8_t sm_csg, sm_nsg;
	uint32_t sm_statsn;        /* last StatSN seen */
	uint32_t sm_exp_cmdsn, sm_max_cmdsn;
	uint16_t sm_tsih;
	enum hash_alg sm_alg;
	uint8_t sm_my_chal[16];    /* challenge we sent (mutual) */
	uint8_t sm_my_id;
	bool sm_peer_verified;     /* mutual CHAP checked */
	struct text_buf sm_rx;     /* response text continued over PDUs */
	struct neg_state sm_neg;
	struct text_list sm_declared; /* TargetAlias, TargetPortalGroupTag, ... */
	int sm_pdus;               /* PDU count guard */
};

enum login_step { LOGIN_SEND, LOGIN_DONE, LOGIN_FAIL };

/* Prepares the machine and builds the first request in req. */
int login_sm_start(struct login_sm *sm, const struct login_params *p, struct pdu *req);
/* Consumes one response; LOGIN_SEND: req holds the next request;
 * LOGIN_DONE / LOGIN_FAIL: res is filled. */
enum login_step login_sm_step(struct login_sm *sm, const struct pdu *rsp,
			      struct pdu *req, struct login_result *res);
void login_sm_free(struct login_sm *sm);

/* ---- driver over a connected socket (net.h) ---- */
/* Runs the whole login within p->lp_timeout_ms. Returns res->lr_rc. */
int login_run(int fd, const struct login_params *p, struct login_result *res);

/* Logout (reason: close the session) on a connection logged in with lr
 * (its digests apply), waiting up to timeout_ms for the response.
 * Returns an enum iscsi_rc (RC_LOGOUT if the target refuses). */
int login_logout(int fd, const struct login_result *lr, uint32_t itt, uint32_t cmdsn,
		 uint32_t exp_statsn, uint16_t cid, int timeout_ms);

#endif
