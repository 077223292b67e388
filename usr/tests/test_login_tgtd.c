/* The login driver against a real target: Debian's tgtd, started here on a
 * free port of 3300-3309. Normal sessions with no auth (plus
 * a NOP-Out/NOP-In exchange with CRC32C header and data digests after
 * login), CHAP one-way with each algorithm tgt accepts, mutual CHAP, a
 * wrong secret (24), an unknown target (19), and logout. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "t.h"
#include "t_port.h"
#include "login.h"
#include "net.h"
#include "err.h"

#define IQN_OPEN "iqn.2026-01.test.h2:open"
#define IQN_CHAP "iqn.2026-01.test.h2:chap"
#define IQN_MUT  "iqn.2026-01.test.h2:mutual"

static int g_port;
static pid_t g_tgtd;
static char g_dir[64];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

#define TGTADM "tgtadm --control-port %d --lld iscsi "

static int tgt_setup(void)
{
	if ((g_port = t_free_port(-1)) < 0 || !mkdtemp(strcpy(g_dir, "/tmp/h2login.XXXXXX")))
		return -1;
	g_tgtd = fork();
	if (g_tgtd == 0) {
		char portal[64], ctl[16];
		snprintf(portal, sizeof(portal), "portal=127.0.0.1:%d", g_port);
		snprintf(ctl, sizeof(ctl), "%d", g_port);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execlp("tgtd", "tgtd", "-f", "--iscsi", portal, "--control-port", ctl, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; sh(TGTADM "--mode target --op show >/dev/null 2>&1", g_port); i++) {
		if (i > 50)
			return -1;
		usleep(100000);
	}
	const char *iqn[] = { IQN_OPEN, IQN_CHAP, IQN_MUT };
	int rc = 0;
	for (int t = 1; t <= 3; t++)
		rc |= sh("truncate -s 1M %s/lun%d && " TGTADM "--mode target --op new --tid %d -T %s && "
			 TGTADM "--mode logicalunit --op new --tid %d --lun 1 -b %s/lun%d && "
			 TGTADM "--mode target --op bind --tid %d -I ALL",
			 g_dir, t, g_port, t, iqn[t - 1], g_port, t, g_dir, t, g_port, t);
	/* tgt offers no digests unless told to */
	rc |= sh(TGTADM "--mode target --op update --tid 1 --name HeaderDigest --value CRC32C,None && "
		 TGTADM "--mode target --op update --tid 1 --name DataDigest --value CRC32C,None",
		 g_port, g_port);
	rc |= sh(TGTADM "--mode account --op new --user alice --password alicesecret1 && "
		 TGTADM "--mode account --op bind --tid 2 --user alice && "
		 TGTADM "--mode account --op bind --tid 3 --user alice && "
		 TGTADM "--mode account --op new --user tgtname --password tgtsecret123 && "
		 TGTADM "--mode account --op bind --tid 3 --user tgtname --outgoing",
		 g_port, g_port, g_port, g_port, g_port);
	return rc;
}

static void tgt_teardown(void)
{
	if (g_tgtd > 0) {
		kill(g_tgtd, SIGKILL);  /* tgtd ignores TERM while it has targets */
		waitpid(g_tgtd, NULL, 0);
	}
	if (g_dir[0])
		sh("rm -rf %s", g_dir);
}

static void params(struct login_params *p, const char *target)
{
	login_params_init(p);
	p->lp_initiator_name = "iqn.2026-01.test.h2:initiator";
	p->lp_target_name = target;
	p->lp_isid[5] = (uint8_t)rand();
	p->lp_itt = 0x1000;
	p->lp_timeout_ms = 5000;
}

/* Connects, logs in; leaves the socket in *fdp (or closes it when fdp is NULL). */
static int do_login(const struct login_params *p, struct login_result *r, int *fdp)
{
	int fd, err;
	int rc = net_connect("127.0.0.1", (uint16_t)g_port, 3000, &fd, &err);
	if (rc)
		return rc;
	rc = login_run(fd, p, r);
	if (fdp && rc == RC_OK)
		*fdp = fd;
	else
		close(fd);
	return rc;
}

/* A NOP-Out with a ping payload must come back as a NOP-In with the same
 * ITT and data: proves the negotiated digests are computed as tgt does. */
static int nop_ping(int fd, const struct login_result *r)
{
	bool hd = r->lr_params.ip_hdig == DIGEST_CRC32C, dd = r->lr_params.ip_ddig == DIGEST_CRC32C;
	struct pdu p, in;
	struct pdu_nop n = { .np_immediate = true, .np_itt = 0x77, .np_ttt = PDU_RSVD_TAG,
			     .np_sn = r->lr_cmdsn, .np_exp_sn = r->lr_exp_statsn }, ni;
	int64_t dl = net_now_ms() + 3000;

	pdu_init(&p);
	pdu_set_data(&p, "ping-h2", 7);
	pdu_nop_out_encode(&p, &n);
	int rc = net_send_pdu(fd, &p, hd, dd, dl);
	pdu_free(&p);
	if (rc)
		return -1;
	if (net_recv_pdu(fd, &in, hd, dd, 65536, dl, NULL))
		return -2;
	rc = pdu_nop_in_decode(&in, &ni) ? -3 : ni.np_itt != 0x77 ? -4 :
	     in.pdu_data_len != 7 || memcmp(in.pdu_data, "ping-h2", 7) ? -5 : 0;
	pdu_free(&in);
	return rc;
}

static void test_no_auth_digests(void)
{
	struct login_params p;
	struct login_result r;
	int fd = -1;

	params(&p, IQN_OPEN);
	p.lp_mine.ip_hdig = DIGEST_CRC32C;
	p.lp_mine.ip_ddig = DIGEST_CRC32C;
	p.lp_mine.ip_max_recv_dlen = 65536;
	p.lp_mine.ip_initial_r2t = false;
	p.lp_mine.ip_first_burst = 65536;
	int rc = do_login(&p, &r, &fd);
	if (rc)
		fprintf(stderr, "login: %d %s\n", rc, r.lr_msg);
	T_INTEQ(rc, RC_OK);
	T_CHECK(r.lr_tsih != 0);
	T_INTEQ(r.lr_tpgt, 1);
	T_INTEQ(r.lr_params.ip_hdig, DIGEST_CRC32C);
	T_INTEQ(r.lr_params.ip_ddig, DIGEST_CRC32C);
	T_CHECK(r.lr_params.ip_max_xmit_dlen >= 512);
	T_CHECK(r.lr_params.ip_max_burst >= r.lr_params.ip_first_burst);
	T_INTEQ(r.lr_exp_statsn, r.lr_statsn + 1);
	if (rc == RC_OK) {
		T_INTEQ(nop_ping(fd, &r), 0);
		T_INTEQ(login_logout(fd, &r, 0x99, r.lr_cmdsn, r.lr_exp_statsn + 1, 0, 3000), RC_OK);
		close(fd);
	}
}

static void run_chap(const char *target, const char *algs, const char *secret,
		     bool mutual, const char *secret_in, int want)
{
	struct login_params p;
	struct login_result r;

	params(&p, target);
	p.lp_username = "alice";
	p.lp_password = secret;
	if (mutual) {
		p.lp_username_in = "tgtname";
		p.lp_password_in = secret_in;
	}
	p.lp_n_chap_algs = chap_algs_parse(algs, p.lp_chap_algs);
	int rc = do_login(&p, &r, NULL);
	if (rc != want)
		fprintf(stderr, "%s %s: rc %d (%s), expected %d\n", target, algs, rc, r.lr_msg, want);
	T_INTEQ(rc, want);
}

/* tgt 1.0.85 knows CHAP_A 5 (MD5) and calls 7 SHA1 where the IANA list
 * (and open-iscsi) say SHA-256, so an offer holding 7 breaks against tgt
 * (it picks 7 and rejects our SHA-256 answer). "SHA1,MD5" offers 6,5:
 * tgt skips 6 and takes MD5. */
static void test_chap_oneway(void)
{
	run_chap(IQN_CHAP, "MD5", "alicesecret1", false, NULL, RC_OK);
	run_chap(IQN_CHAP, "SHA1,MD5", "alicesecret1", false, NULL, RC_OK);
}

static void test_chap_wrong_secret(void)
{
	run_chap(IQN_CHAP, "MD5", "not-the-one!", false, NULL, RC_LOGIN_AUTH_FAILED);
}

static void test_chap_required(void)
{
	struct login_params p;
	struct login_result r;

	params(&p, IQN_CHAP);   /* no credentials for a target that wants CHAP */
	T_INTEQ(do_login(&p, &r, NULL), RC_LOGIN_AUTH_FAILED);
}

static void test_chap_mutual(void)
{
	run_chap(IQN_MUT, "MD5", "alicesecret1", true, "tgtsecret123", RC_OK);
	/* the target proves itself with a secret we do not expect */
	run_chap(IQN_MUT, "MD5", "alicesecret1", true, "other-secret", RC_LOGIN_AUTH_FAILED);
}

static void test_unknown_target(void)
{
	struct login_params p;
	struct login_result r;

	params(&p, "iqn.2026-01.test.h2:nobody");
	T_INTEQ(do_login(&p, &r, NULL), RC_FATAL_LOGIN);
	T_INTEQ(r.lr_class, 2);
	T_INTEQ(r.lr_detail, 3);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)getpid());
	int ok = tgt_setup() == 0;
	if (!ok) {
		fprintf(stderr, "cannot start tgtd (Debian package tgt) on 127.0.0.1:3300-3309\n");
		tgt_teardown();
		t_fail++;
		return T_DONE();
	}
	T_RUN(test_no_auth_digests);
	T_RUN(test_chap_oneway);
	T_RUN(test_chap_wrong_secret);
	T_RUN(test_chap_required);
	T_RUN(test_chap_mutual);
	T_RUN(test_unknown_target);
	tgt_teardown();
	return T_DONE();
}
