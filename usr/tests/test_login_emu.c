/* The login driver against the project's emulated target (harness/target,
 * run through `lunwatch target`, built here with go): CHAP with SHA-256,
 * SHA-1 and MD5 (tgt only does MD5 right), mutual CHAP, wrong secrets,
 * and digests with a NOP ping afterwards. Ports: free ones of 3300-3309. */
#include <arpa/inet.h>
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

#define IQN "iqn.2026-01.test.h2:emu"

/* Two instances: [0] one-way CHAP only, [1] also mutual (which the
 * emulated target then insists on). */
static int g_port[2];
static pid_t g_tgt[2];
static char g_dir[64];

static pid_t emu_run(const char *bin, int port, bool mutual)
{
	char listen_at[32];
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(listen_at, sizeof(listen_at), "127.0.0.1:%d", port);
		freopen("/dev/null", "w", stdout);
		execl(bin, "lunwatch", "target", "-listen", listen_at, "-target", IQN,
		      "-chap", "alice:alicesecret1", "-luns", "0", "-size", "1M", "-no-stdin",
		      mutual ? "-mutual" : (char *)NULL, "tgtname:tgtsecret123", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; t_port_free(port); i++) {  /* wait until it listens */
		if (i > 100)
			return -1;
		usleep(50000);
	}
	return pid;
}

static int emu_start(void)
{
	char cmd[256], bin[96];

	if (!mkdtemp(strcpy(g_dir, "/tmp/h2emu.XXXXXX")))
		return -1;
	snprintf(bin, sizeof(bin), "%s/lunwatch", g_dir);
	snprintf(cmd, sizeof(cmd), "cd harness && go build -o %s ./cmd/lunwatch", bin);
	if (system(cmd) != 0)
		return -1;
	for (int m = 0; m < 2; m++) {
		g_port[m] = t_free_port(m ? g_port[0] : -1);
		if (g_port[m] < 0 || (g_tgt[m] = emu_run(bin, g_port[m], m == 1)) <= 0)
			return -1;
	}
	return 0;
}

static void emu_stop(void)
{
	char cmd[96];

	for (int m = 0; m < 2; m++)
		if (g_tgt[m] > 0) {
			kill(g_tgt[m], SIGKILL);
			waitpid(g_tgt[m], NULL, 0);
		}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
	if (g_dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_dir);
}

/* inst: which emulated target (0 one-way, 1 mutual) */
static int login(int inst, const char *algs, const char *secret, const char *secret_in,
		 enum digest_pref dig, struct login_result *r, int *fdp)
{
	struct login_params p;
	int fd, err;

	login_params_init(&p);
	p.lp_initiator_name = "iqn.2026-01.test.h2:initiator";
	p.lp_target_name = IQN;
	p.lp_isid[5] = (uint8_t)rand();
	p.lp_timeout_ms = 5000;
	p.lp_username = "alice";
	p.lp_password = secret;
	if (secret_in) {
		p.lp_username_in = "tgtname";
		p.lp_password_in = secret_in;
	}
	p.lp_n_chap_algs = chap_algs_parse(algs, p.lp_chap_algs);
	p.lp_mine.ip_hdig = p.lp_mine.ip_ddig = dig;
	memset(r, 0, sizeof(*r));
	int rc = net_connect("127.0.0.1", (uint16_t)g_port[inst], 3000, &fd, &err);
	if (rc)
		return rc;
	rc = login_run(fd, &p, r);
	if (rc)
		fprintf(stderr, "login (%s): %d %s\n", algs, rc, r->lr_msg);
	if (fdp && rc == RC_OK)
		*fdp = fd;
	else
		close(fd);
	return rc;
}

static void test_chap_algorithms(void)
{
	struct login_result r;

	T_INTEQ(login(0, "SHA256,SHA1,MD5", "alicesecret1", NULL, DIGEST_NONE, &r, NULL), RC_OK);
	T_INTEQ(login(0, "SHA1", "alicesecret1", NULL, DIGEST_NONE, &r, NULL), RC_OK);
	T_INTEQ(login(0, "MD5", "alicesecret1", NULL, DIGEST_NONE, &r, NULL), RC_OK);
	T_INTEQ(login(0, "SHA256", "wrong-secret", NULL, DIGEST_NONE, &r, NULL), RC_LOGIN_AUTH_FAILED);
	T_INTEQ(r.lr_class, 2);
}

static void test_mutual(void)
{
	struct login_result r;

	T_INTEQ(login(1, "SHA256", "alicesecret1", "tgtsecret123", DIGEST_NONE, &r, NULL), RC_OK);
	T_INTEQ(login(1, "SHA256", "alicesecret1", "not-the-target", DIGEST_NONE, &r, NULL),
		RC_LOGIN_AUTH_FAILED);
	T_INTEQ(r.lr_class, 0);  /* we refused the target, it did not refuse us */
	/* one-way against a target that insists on proving itself: refused */
	T_INTEQ(login(1, "SHA256", "alicesecret1", NULL, DIGEST_NONE, &r, NULL), RC_LOGIN_AUTH_FAILED);
}

/* Digests as the emulated target negotiates them, then a NOP ping. */
static void test_digests_ping(void)
{
	struct login_result r;
	int fd = -1;

	T_INTEQ(login(1, "SHA256", "alicesecret1", "tgtsecret123", DIGEST_CRC32C_NONE, &r, &fd), RC_OK);
	if (fd < 0)
		return;
	bool hd = r.lr_params.ip_hdig == DIGEST_CRC32C, dd = r.lr_params.ip_ddig == DIGEST_CRC32C;
	struct pdu p, in;
	struct pdu_nop n = { .np_immediate = true, .np_itt = 0x31, .np_ttt = PDU_RSVD_TAG,
			     .np_sn = r.lr_cmdsn, .np_exp_sn = r.lr_exp_statsn }, ni;
	int64_t dl = net_now_ms() + 3000;
	pdu_init(&p);
	pdu_set_data(&p, "emu-ping", 8);
	pdu_nop_out_encode(&p, &n);
	T_INTEQ(net_send_pdu(fd, &p, hd, dd, dl), RC_OK);
	T_INTEQ(net_recv_pdu(fd, &in, hd, dd, 65536, dl, NULL), RC_OK);
	T_INTEQ(pdu_nop_in_decode(&in, &ni), 0);
	T_INTEQ(ni.np_itt, 0x31);
	T_CHECK(in.pdu_data_len == 8 && memcmp(in.pdu_data, "emu-ping", 8) == 0);
	fprintf(stderr, "emulated target digests: header %s, data %s\n",
		hd ? "CRC32C" : "None", dd ? "CRC32C" : "None");
	pdu_free(&p);
	pdu_free(&in);
	T_INTEQ(login_logout(fd, &r, 0x32, r.lr_cmdsn, ni.np_sn + 1, 0, 3000), RC_OK);
	close(fd);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)getpid());
	if (emu_start()) {
		fprintf(stderr, "cannot build or start harness lunwatch target on 3300-3309\n");
		emu_stop();
		t_fail++;
		return T_DONE();
	}
	T_RUN(test_chap_algorithms);
	T_RUN(test_mutual);
	T_RUN(test_digests_ping);
	emu_stop();
	return T_DONE();
}
