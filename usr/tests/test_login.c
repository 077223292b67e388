/* Login state machine driven by a scripted target: the requests it builds
 * are decoded and checked, the responses are built with the PDU encoders.
 * Covers no auth, one-way and mutual CHAP, status mapping, redirection,
 * continued responses and protocol violations. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "t.h"
#include "net.h"
#include "login.h"
#include "err.h"

#define TSIH 0x2a

struct fake {
	struct login_sm sm;
	struct login_params p;
	struct login_result res;
	struct pdu req, rsp;
	struct text_list kv;     /* keys of the last request */
	struct pdu_login_req q;  /* header of the last request */
	enum login_step st;
};

static void fake_start(struct fake *f, bool discovery)
{
	memset(f, 0, sizeof(*f));
	login_params_init(&f->p);
	f->p.lp_initiator_name = "iqn.2026-01.test:init";
	f->p.lp_target_name = discovery ? NULL : "iqn.2026-01.test:disk";
	f->p.lp_discovery = discovery;
	f->p.lp_itt = 0x77;
	pdu_init(&f->req);
	pdu_init(&f->rsp);
	text_init(&f->kv);
}

static void fake_take_req(struct fake *f)
{
	text_free(&f->kv);
	T_INTEQ(pdu_login_req_decode(&f->req, &f->q), 0);
	T_INTEQ(text_parse(f->req.pdu_data, f->req.pdu_data_len, &f->kv), 0);
}

static int fake_begin(struct fake *f)
{
	int rc = login_sm_start(&f->sm, &f->p, &f->req);
	fake_take_req(f);
	return rc;
}

/* Target answers with status, flags and "k=v\0" text. */
static enum login_step fake_reply(struct fake *f, uint8_t cls, uint8_t det, bool t,
				  bool c, uint8_t csg, uint8_t nsg, const char *text, size_t tlen)
{
	struct pdu_login_rsp h = { .ls_transit = t, .ls_continue = c, .ls_csg = csg, .ls_nsg = nsg,
				   .ls_tsih = nsg == STAGE_FFP ? TSIH : 0, .ls_itt = f->q.lq_itt,
				   .ls_statsn = 100, .ls_exp_cmdsn = f->q.lq_cmdsn,
				   .ls_max_cmdsn = f->q.lq_cmdsn + 31, .ls_class = cls, .ls_detail = det };
	memcpy(h.ls_isid, f->q.lq_isid, 6);
	pdu_free(&f->rsp);
	pdu_set_data(&f->rsp, text, tlen);
	pdu_login_rsp_encode(&f->rsp, &h);
	f->st = login_sm_step(&f->sm, &f->rsp, &f->req, &f->res);
	if (f->st == LOGIN_SEND)
		fake_take_req(f);
	return f->st;
}
#define REPLY(f, cls, det, t, c, csg, nsg, s) fake_reply(f, cls, det, t, c, csg, nsg, s, sizeof(s) - 1)

static void fake_end(struct fake *f)
{
	login_sm_free(&f->sm);
	pdu_free(&f->req);
	pdu_free(&f->rsp);
	text_free(&f->kv);
}

static void test_no_auth_normal(void)
{
	struct fake f;

	fake_start(&f, false);
	f.p.lp_mine.ip_max_recv_dlen = 262144;
	f.p.lp_mine.ip_hdig = DIGEST_CRC32C_NONE;
	T_INTEQ(fake_begin(&f), 0);
	T_STREQ(text_get(&f.kv, "InitiatorName"), "iqn.2026-01.test:init");
	T_STREQ(text_get(&f.kv, "SessionType"), "Normal");
	T_STREQ(text_get(&f.kv, "TargetName"), "iqn.2026-01.test:disk");
	T_STREQ(text_get(&f.kv, "AuthMethod"), "None");
	T_CHECK(f.q.lq_transit && f.q.lq_csg == 0 && f.q.lq_nsg == 1);
	T_INTEQ(f.q.lq_tsih, 0);
	T_INTEQ(f.q.lq_isid[2], 0x3d);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 0, 1, "AuthMethod=None\0TargetPortalGroupTag=3\0"), LOGIN_SEND);
	T_CHECK(f.q.lq_transit && f.q.lq_csg == 1 && f.q.lq_nsg == 3);
	T_STREQ(text_get(&f.kv, "HeaderDigest"), "CRC32C,None");
	T_STREQ(text_get(&f.kv, "MaxRecvDataSegmentLength"), "262144");
	T_INTEQ(f.q.lq_exp_statsn, 101);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 1, 3,
		      "HeaderDigest=CRC32C\0DataDigest=None\0MaxRecvDataSegmentLength=65536\0"
		      "MaxBurstLength=131072\0FirstBurstLength=65536\0ImmediateData=Yes\0"
		      "InitialR2T=Yes\0TargetAlias=shelf-1\0"), LOGIN_DONE);
	T_INTEQ(f.res.lr_rc, RC_OK);
	T_INTEQ(f.res.lr_tsih, TSIH);
	T_INTEQ(f.res.lr_tpgt, 3);
	T_INTEQ(f.res.lr_statsn, 100);
	T_INTEQ(f.res.lr_exp_statsn, 101);
	T_INTEQ(f.res.lr_cmdsn, 1);
	T_INTEQ(f.res.lr_max_cmdsn, 32);
	T_INTEQ(f.res.lr_params.ip_hdig, DIGEST_CRC32C);
	T_INTEQ(f.res.lr_params.ip_max_xmit_dlen, 65536);
	T_INTEQ(f.res.lr_params.ip_max_recv_dlen, 262144);
	T_INTEQ(f.res.lr_params.ip_max_burst, 131072);
	T_STREQ(f.res.lr_target_alias, "shelf-1");
	fake_end(&f);
}

/* Builds "CHAP_N=..\0CHAP_R=0x..\0" as a target answering the initiator's
 * mutual challenge found in the last request. */
static size_t target_chap_answer(struct fake *f, const char *name, const char *secret,
				 enum hash_alg alg, char *out, size_t cap)
{
	uint8_t chal[64], r[HASH_MAX_LEN];
	char hex[80];
	long cl = chap_value_decode(text_get(&f->kv, "CHAP_C"), chal, sizeof(chal));
	int id = atoi(text_get(&f->kv, "CHAP_I"));
	size_t n = chap_response(alg, (uint8_t)id, secret, strlen(secret), chal, (size_t)cl, r);
	chap_value_encode_hex(r, n, hex, sizeof(hex));
	int len = snprintf(out, cap, "CHAP_N=%s%cCHAP_R=%s%c", name, 0, hex, 0);
	return (size_t)len;
}

static void run_chap(bool mutual, const char *target_secret, int want_rc)
{
	struct fake f;
	uint8_t r[HASH_MAX_LEN];
	char hex[80], buf[256];

	fake_start(&f, true);
	f.p.lp_username = "alice";
	f.p.lp_password = "alicesecret1";
	if (mutual) {
		f.p.lp_username_in = "tgt";
		f.p.lp_password_in = "targetsecret";
	}
	fake_begin(&f);
	T_STREQ(text_get(&f.kv, "SessionType"), "Discovery");
	T_CHECK(text_get(&f.kv, "TargetName") == NULL);
	T_STREQ(text_get(&f.kv, "AuthMethod"), mutual ? "CHAP" : "CHAP,None");
	T_CHECK(!f.q.lq_transit);
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "AuthMethod=CHAP\0"), LOGIN_SEND);
	T_STREQ(text_get(&f.kv, "CHAP_A"), "7,6,5");
	/* "09": decimal 9 even with a leading zero */
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "CHAP_A=7\0CHAP_I=09\0CHAP_C=0x0102030405060708\0"), LOGIN_SEND);
	T_STREQ(text_get(&f.kv, "CHAP_N"), "alice");
	size_t n = chap_response(HASH_SHA256, 9, "alicesecret1", 12,
				 (const uint8_t *)"\1\2\3\4\5\6\7\10", 8, r);
	chap_value_encode_hex(r, n, hex, sizeof(hex));
	T_STREQ(text_get(&f.kv, "CHAP_R"), hex);
	T_CHECK(f.q.lq_transit && f.q.lq_nsg == 1);
	T_CHECK(mutual == (text_get(&f.kv, "CHAP_C") != NULL));
	size_t len = 0;
	if (mutual)
		len = target_chap_answer(&f, "tgt", target_secret, HASH_SHA256, buf, sizeof(buf));
	fake_reply(&f, 0, 0, true, false, 0, 1, buf, len);
	if (want_rc == RC_OK) {
		T_INTEQ(f.st, LOGIN_SEND);
		T_STREQ(text_get(&f.kv, "MaxRecvDataSegmentLength"), "8192");
		T_CHECK(text_get(&f.kv, "MaxBurstLength") == NULL);  /* discovery */
		T_INTEQ(REPLY(&f, 0, 0, true, false, 1, 3, "MaxRecvDataSegmentLength=32768\0"), LOGIN_DONE);
		T_INTEQ(f.res.lr_params.ip_max_xmit_dlen, 32768);
	} else {
		T_INTEQ(f.st, LOGIN_FAIL);
		T_INTEQ(f.res.lr_rc, want_rc);
	}
	fake_end(&f);
}

static void test_chap_oneway(void) { run_chap(false, NULL, RC_OK); }
static void test_chap_mutual(void) { run_chap(true, "targetsecret", RC_OK); }
static void test_chap_mutual_bad_target(void) { run_chap(true, "wrongsecret!", RC_LOGIN_AUTH_FAILED); }

static void test_chap_alg_not_offered(void)
{
	struct fake f;

	fake_start(&f, true);
	f.p.lp_username = "alice";
	f.p.lp_password = "alicesecret1";
	f.p.lp_n_chap_algs = chap_algs_parse("MD5", f.p.lp_chap_algs);
	fake_begin(&f);
	REPLY(&f, 0, 0, false, false, 0, 0, "AuthMethod=CHAP\0");
	T_STREQ(text_get(&f.kv, "CHAP_A"), "5");
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "CHAP_A=7\0CHAP_I=1\0CHAP_C=0x01\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN_AUTH_FAILED);
	fake_end(&f);
}

/* An empty CHAP_I is malformed (not identifier 0); mutual CHAP with one
 * secret for both directions is refused before any response is sent. */
static void chap_to_challenge(struct fake *f, bool mutual, const char *pw_in)
{
	fake_start(f, true);
	f->p.lp_username = "alice";
	f->p.lp_password = "alicesecret1";
	if (mutual) {
		f->p.lp_username_in = "tgt";
		f->p.lp_password_in = pw_in;
	}
	fake_begin(f);
	REPLY(f, 0, 0, false, false, 0, 0, "AuthMethod=CHAP\0");
}

static void test_chap_hostile_values(void)
{
	struct fake f;

	chap_to_challenge(&f, false, NULL);
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "CHAP_A=5\0CHAP_I=\0CHAP_C=0x0102\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN);
	fake_end(&f);

	chap_to_challenge(&f, false, NULL);
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "CHAP_A=5\0CHAP_I=0x\0CHAP_C=0x0102\0"), LOGIN_FAIL);
	fake_end(&f);

	chap_to_challenge(&f, false, NULL);
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "CHAP_A=5\0CHAP_I=0\0CHAP_C=0x0102\0"), LOGIN_SEND);
	T_CHECK(text_get(&f.kv, "CHAP_R") != NULL);
	fake_end(&f);

	chap_to_challenge(&f, true, "alicesecret1");
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "CHAP_A=5\0CHAP_I=1\0CHAP_C=0x0102\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN_AUTH_FAILED);
	T_CHECK(strstr(f.res.lr_msg, "different secrets") != NULL);
	fake_end(&f);
}

static void test_target_demands_chap(void)
{
	struct fake f;

	fake_start(&f, true);
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 0, 0, false, false, 0, 0, "AuthMethod=CHAP\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN_AUTH_FAILED);
	fake_end(&f);
}

static void test_status_mapping(void)
{
	static const struct { uint8_t c, d; int rc; } rows[] = {
		{ 2, 0x01, RC_LOGIN_AUTH_FAILED }, { 2, 0x02, RC_LOGIN_AUTH_FAILED },
		{ 2, 0x03, RC_FATAL_LOGIN }, { 2, 0x04, RC_FATAL_LOGIN }, { 2, 0x07, RC_FATAL_LOGIN },
		{ 3, 0x02, RC_LOGIN }, { 3, 0x01, RC_LOGIN }, { 3, 0x00, RC_LOGIN },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fake f;
		fake_start(&f, false);
		fake_begin(&f);
		T_INTEQ(fake_reply(&f, rows[i].c, rows[i].d, false, false, 0, 0, "", 0), LOGIN_FAIL);
		T_INTEQ(f.res.lr_rc, rows[i].rc);
		T_INTEQ(f.res.lr_class, rows[i].c);
		T_INTEQ(f.res.lr_detail, rows[i].d);
		fake_end(&f);
	}
	T_STREQ(login_status_str(3, 2), "out of resources");
	T_STREQ(login_status_str(2, 3), "target not found");
	T_CHECK(login_status_rc(3, 2) != RC_LOGIN_AUTH_FAILED);
}

static void test_redirect(void)
{
	struct fake f;

	fake_start(&f, false);
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 1, 2, false, false, 0, 0, "TargetAddress=[fd00::5]:3262,7\0"), LOGIN_FAIL);
	T_CHECK(f.res.lr_redirect && f.res.lr_redirect_permanent);
	T_STREQ(f.res.lr_redirect_host, "fd00::5");
	T_INTEQ(f.res.lr_redirect_port, 3262);
	fake_end(&f);
	fake_start(&f, false);
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 1, 1, false, false, 0, 0, "TargetAddress=10.1.1.1,1\0"), LOGIN_FAIL);
	T_CHECK(f.res.lr_redirect && !f.res.lr_redirect_permanent);
	T_STREQ(f.res.lr_redirect_host, "10.1.1.1");
	T_INTEQ(f.res.lr_redirect_port, 3260);
	fake_end(&f);
}

/* A response whose text continues: a pair split across two PDUs. */
static void test_continued_response(void)
{
	struct fake f;

	fake_start(&f, false);
	fake_begin(&f);
	REPLY(&f, 0, 0, true, false, 0, 1, "");
	T_INTEQ(REPLY(&f, 0, 0, false, true, 1, 0, "MaxBurstLength=6553"), LOGIN_SEND);
	T_INTEQ(f.req.pdu_data_len, 0);   /* empty request asks for the rest */
	T_CHECK(!f.q.lq_transit);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 1, 3, "6\0TargetAlias=x\0"), LOGIN_DONE);
	T_INTEQ(f.res.lr_params.ip_max_burst, 65536);
	fake_end(&f);
}

static void test_violations(void)
{
	struct fake f;

	fake_start(&f, false);
	fake_begin(&f);
	/* MIN key answered above the offer */
	REPLY(&f, 0, 0, true, false, 0, 1, "");
	T_INTEQ(REPLY(&f, 0, 0, true, false, 1, 3, "MaxBurstLength=999999\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN);
	fake_end(&f);

	fake_start(&f, false);
	fake_begin(&f);
	struct pdu_nop n = { .np_itt = 1 };
	pdu_nop_in_encode(&f.rsp, &n);
	T_INTEQ(login_sm_step(&f.sm, &f.rsp, &f.req, &f.res), LOGIN_FAIL);
	T_CHECK(strstr(f.res.lr_msg, "NOP-In") != NULL);
	fake_end(&f);

	fake_start(&f, false);
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 0, 1, "garbage-without-equals\0"), LOGIN_FAIL);
	fake_end(&f);

	fake_start(&f, false);
	fake_begin(&f);
	f.q.lq_itt = 0x1234;  /* response for a task we never started */
	T_INTEQ(REPLY(&f, 0, 0, true, false, 0, 1, ""), LOGIN_FAIL);
	fake_end(&f);

	/* VersionActive outside the 0..0 we offered */
	fake_start(&f, false);
	fake_begin(&f);
	{
		struct pdu_login_rsp h = { .ls_transit = true, .ls_csg = 0, .ls_nsg = 1,
					   .ls_itt = f.q.lq_itt, .ls_ver_max = 0x7f, .ls_ver_active = 0x7f };
		memcpy(h.ls_isid, f.q.lq_isid, 6);
		pdu_free(&f.rsp);
		pdu_login_rsp_encode(&f.rsp, &h);
		T_INTEQ(login_sm_step(&f.sm, &f.rsp, &f.req, &f.res), LOGIN_FAIL);
		T_CHECK(strstr(f.res.lr_msg, "version 0x7f") != NULL);
	}
	fake_end(&f);

	/* a target that never moves on is cut off */
	fake_start(&f, false);
	fake_begin(&f);
	int i;
	for (i = 0; i < 100 && f.st != LOGIN_FAIL; i++)
		REPLY(&f, 0, 0, false, false, 0, 0, "");
	T_INTEQ(f.st, LOGIN_FAIL);
	T_CHECK(i < 100);
	fake_end(&f);
}

/* A record requiring CRC32C digests gets no session without them: not when
 * the target jumps from security to full feature phase, not when it leaves
 * HeaderDigest/DataDigest unanswered. "CRC32C,None" may end with None. */
static void test_digest_downgrade(void)
{
	struct fake f;

	fake_start(&f, false);
	f.p.lp_mine.ip_hdig = DIGEST_CRC32C;
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 0, 3, "AuthMethod=None\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN);
	T_CHECK(strstr(f.res.lr_msg, "HeaderDigest") != NULL);
	fake_end(&f);

	fake_start(&f, false);
	f.p.lp_mine.ip_ddig = DIGEST_CRC32C;
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 0, 1, "AuthMethod=None\0"), LOGIN_SEND);
	T_STREQ(text_get(&f.kv, "DataDigest"), "CRC32C");
	T_INTEQ(REPLY(&f, 0, 0, true, false, 1, 3, "HeaderDigest=None\0"), LOGIN_FAIL);
	T_INTEQ(f.res.lr_rc, RC_LOGIN);
	T_CHECK(strstr(f.res.lr_msg, "DataDigest") != NULL);
	fake_end(&f);

	fake_start(&f, false);
	f.p.lp_mine.ip_hdig = DIGEST_CRC32C_NONE;
	fake_begin(&f);
	T_INTEQ(REPLY(&f, 0, 0, true, false, 0, 3, "AuthMethod=None\0"), LOGIN_DONE);
	T_INTEQ(f.res.lr_rc, RC_OK);
	T_INTEQ(f.res.lr_params.ip_hdig, DIGEST_NONE);
	fake_end(&f);

	fake_start(&f, false);
	f.p.lp_mine.ip_hdig = DIGEST_CRC32C;
	f.p.lp_mine.ip_ddig = DIGEST_CRC32C;
	fake_begin(&f);
	REPLY(&f, 0, 0, true, false, 0, 1, "");
	T_INTEQ(REPLY(&f, 0, 0, true, false, 1, 3, "HeaderDigest=CRC32C\0DataDigest=CRC32C\0"), LOGIN_DONE);
	T_INTEQ(f.res.lr_rc, RC_OK);
	T_INTEQ(f.res.lr_params.ip_hdig, DIGEST_CRC32C);
	T_INTEQ(f.res.lr_params.ip_ddig, DIGEST_CRC32C);
	fake_end(&f);
}

/* login_run over a socketpair whose far end reads the first request and
 * answers with raw bytes: oversized segments and short reads end the login
 * with a transport error, never a hang. */
static int run_raw(const uint8_t *bytes, size_t n, struct login_result *res)
{
	int sv[2];
	struct login_params p;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		uint8_t buf[4096];
		close(sv[0]);
		if (read(sv[1], buf, sizeof(buf)) > 0 && write(sv[1], bytes, n) < 0)
			_exit(1);
		usleep(200000);
		_exit(0);
	}
	close(sv[1]);
	login_params_init(&p);
	p.lp_initiator_name = "iqn.2026-01.test:init";
	p.lp_target_name = "iqn.2026-01.test:disk";
	p.lp_timeout_ms = 2000;
	int rc = login_run(sv[0], &p, res);
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return rc;
}

static void test_hostile_bytes(void)
{
	struct login_result r;
	uint8_t bhs[48] = { OP_LOGIN_RSP, 0x81 };

	bhs[5] = 0xff; bhs[6] = 0xff; bhs[7] = 0xff;   /* 16 MiB data segment */
	T_INTEQ(run_raw(bhs, sizeof(bhs), &r), RC_TRANS);
	T_CHECK(strstr(r.lr_msg, "longer than") != NULL);
	T_INTEQ(run_raw(bhs, 20, &r), RC_TRANS);         /* half a header, then EOF */
	T_CHECK(strstr(r.lr_msg, "closed") != NULL);
	int64_t t0 = net_now_ms();
	bhs[5] = 0; bhs[6] = 0; bhs[7] = 64;              /* promises data, sends none */
	T_INTEQ(run_raw(bhs, sizeof(bhs), &r), RC_TRANS);
	T_CHECK(net_now_ms() - t0 < 2000);               /* EOF seen, no wait for timeout */
}

static void test_garbage_keys(void)
{
	struct fake f;
	char big[TEXT_VAL_MAX + 40];

	fake_start(&f, false);
	fake_begin(&f);
	int n = snprintf(big, sizeof(big), "TargetAlias=");
	memset(big + n, 'x', TEXT_VAL_MAX + 10);
	big[n + TEXT_VAL_MAX + 10] = '\0';
	T_INTEQ(fake_reply(&f, 0, 0, true, false, 0, 1, big, strlen(big) + 1), LOGIN_FAIL);
	T_CHECK(strstr(f.res.lr_msg, "malformed") != NULL);
	fake_end(&f);

	/* unknown keys are answered NotUnderstood, the login goes on */
	fake_start(&f, false);
	fake_begin(&f);
	REPLY(&f, 0, 0, true, false, 0, 1, "");
	T_INTEQ(REPLY(&f, 0, 0, false, false, 1, 0, "X-evil=1\0Bogus=\0"), LOGIN_SEND);
	T_STREQ(text_get(&f.kv, "X-evil"), "NotUnderstood");
	T_STREQ(text_get(&f.kv, "Bogus"), "NotUnderstood");
	fake_end(&f);
}

int main(void)
{
	T_RUN(test_no_auth_normal);
	T_RUN(test_chap_oneway);
	T_RUN(test_chap_mutual);
	T_RUN(test_chap_mutual_bad_target);
	T_RUN(test_chap_alg_not_offered);
	T_RUN(test_target_demands_chap);
	T_RUN(test_chap_hostile_values);
	T_RUN(test_status_mapping);
	T_RUN(test_redirect);
	T_RUN(test_continued_response);
	T_RUN(test_violations);
	T_RUN(test_digest_downgrade);
	T_RUN(test_hostile_bytes);
	T_RUN(test_garbage_keys);
	return T_DONE();
}
