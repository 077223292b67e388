/* SendTargets: the pure parser (IPv4, IPv6, names, missing addresses,
 * malformed input) and a whole discovery session against a scripted target
 * in a child process on a loopback socket, whose answer spans several text
 * PDUs (F=0, a key=value split between PDUs), which slips in an async
 * message and a ping, and which checks our PDUs. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "t.h"
#include "sendtargets.h"
#include "net.h"
#include "err.h"

static void test_parse_address(void)
{
	struct st_portal p;

	T_INTEQ(st_parse_address("10.0.0.1:3261,2", 3260, &p), 0);
	T_STREQ(p.sp_host, "10.0.0.1"); T_INTEQ(p.sp_port, 3261); T_INTEQ(p.sp_tpgt, 2);
	T_INTEQ(st_parse_address("[fe80::1:2]:3262,7", 3260, &p), 0);
	T_STREQ(p.sp_host, "fe80::1:2"); T_INTEQ(p.sp_port, 3262); T_INTEQ(p.sp_tpgt, 7);
	T_INTEQ(st_parse_address("[2001:db8::5],3", 3260, &p), 0);
	T_STREQ(p.sp_host, "2001:db8::5"); T_INTEQ(p.sp_port, 3260); T_INTEQ(p.sp_tpgt, 3);
	T_INTEQ(st_parse_address("storage.example.com", 3260, &p), 0);
	T_STREQ(p.sp_host, "storage.example.com"); T_INTEQ(p.sp_tpgt, ST_TPGT_UNKNOWN);
	T_INTEQ(st_parse_address("1.2.3.4:99999,1", 3260, &p), -EINVAL);
	T_INTEQ(st_parse_address("1.2.3.4:3260,x", 3260, &p), -EINVAL);
	T_INTEQ(st_parse_address("[fe80::1:3260,1", 3260, &p), -EINVAL);
	T_INTEQ(st_parse_address(",1", 3260, &p), -EINVAL);
}

static void test_portal_parse(void)
{
	char h[64];
	uint16_t port;

	T_INTEQ(net_portal_parse("fe80::1", 3260, h, sizeof(h), &port), 0);  /* bare IPv6 */
	T_STREQ(h, "fe80::1"); T_INTEQ(port, 3260);
	T_INTEQ(net_portal_parse("[fe80::1]", 3261, h, sizeof(h), &port), 0);
	T_STREQ(h, "fe80::1"); T_INTEQ(port, 3261);
	T_INTEQ(net_portal_parse("10.1.2.3:3300", 3260, h, sizeof(h), &port), 0);
	T_STREQ(h, "10.1.2.3"); T_INTEQ(port, 3300);
	T_INTEQ(net_portal_parse("10.1.2.3:0", 3260, h, sizeof(h), &port), 0);  /* as stock */
	T_INTEQ(port, 0);
	T_INTEQ(net_portal_parse("10.1.2.3:3260,1", 3260, h, sizeof(h), &port), -EINVAL);
	T_INTEQ(net_portal_parse("10.1.2.3:65536", 3260, h, sizeof(h), &port), -EINVAL);
	T_INTEQ(net_portal_parse("10.1.2.3:", 3260, h, sizeof(h), &port), -EINVAL);
	T_INTEQ(net_portal_parse("[::1]x", 3260, h, sizeof(h), &port), -EINVAL);
	T_INTEQ(net_portal_parse(":3260", 3260, h, sizeof(h), &port), -EINVAL);
	T_INTEQ(net_portal_parse("a-very-long-host-name.example", 3260, h, 8, &port), -EINVAL);
}

static void test_parse_response(void)
{
	static const uint8_t ans[] =
		"TargetName=iqn.a:one\0TargetAddress=10.0.0.1:3260,1\0TargetAddress=[fd00::1]:3260,2\0"
		"TargetName=iqn.a:two\0"                        /* no address: discovery portal */
		"TargetName=iqn.a:three\0TargetAddress=10.0.0.3,5\0X-vendor=1\0";
	struct text_list kv;
	struct st_result r;
	struct st_portal def = { "192.168.1.9", 3300, ST_TPGT_UNKNOWN };

	T_INTEQ(text_parse(ans, sizeof(ans) - 1, &kv), 0);
	T_INTEQ(st_parse_response(&kv, &def, &r), 0);
	T_INTEQ(r.sr_n, 3);
	T_STREQ(r.sr_targets[0].stt_name, "iqn.a:one");
	T_INTEQ(r.sr_targets[0].stt_n, 2);
	T_STREQ(r.sr_targets[0].stt_portals[1].sp_host, "fd00::1");
	T_INTEQ(r.sr_targets[0].stt_portals[1].sp_tpgt, 2);
	T_INTEQ(r.sr_targets[1].stt_n, 1);
	T_STREQ(r.sr_targets[1].stt_portals[0].sp_host, "192.168.1.9");
	T_INTEQ(r.sr_targets[1].stt_portals[0].sp_port, 3300);
	T_INTEQ(r.sr_targets[2].stt_portals[0].sp_port, 3260);
	T_INTEQ(r.sr_targets[2].stt_portals[0].sp_tpgt, 5);
	st_result_free(&r);
	text_free(&kv);

	static const uint8_t bad[] = "TargetAddress=10.0.0.1:3260,1\0TargetName=iqn.a:x\0";
	T_INTEQ(text_parse(bad, sizeof(bad) - 1, &kv), 0);
	T_INTEQ(st_parse_response(&kv, &def, &r), -EBADMSG);  /* address before name */
	text_free(&kv);
	T_INTEQ(text_parse((const uint8_t *)"", 0, &kv), 0);
	T_INTEQ(st_parse_response(&kv, &def, &r), 0);
	T_INTEQ(r.sr_n, 0);
	text_free(&kv);
}

/* Bad entries are left out and counted, the rest kept; a flood of portals
 * past ST_MAX_PORTALS is refused whole. */
static void test_parse_hostile(void)
{
	static const uint8_t ans[] =
		"TargetName=iqn.a:one\0TargetAddress=10.0.0.1:3260,1\0"
		"TargetName=\0TargetAddress=10.0.0.2:3260,1\0"           /* empty name */
		"TargetName=iqn.a:two\0TargetAddress=[zz:3260,1\0"       /* only a bad address */
		"TargetName=iqn.a:three\0TargetAddress=10.0.0.3:99999,1\0TargetAddress=10.0.0.4,2\0";
	struct st_portal def = { "192.168.1.9", 3300, ST_TPGT_UNKNOWN };
	struct text_list kv;
	struct st_result r;
	char big[300];

	T_INTEQ(text_parse(ans, sizeof(ans) - 1, &kv), 0);
	T_INTEQ(st_parse_response(&kv, &def, &r), 0);
	T_INTEQ(r.sr_n, 3);
	T_INTEQ(r.sr_skipped, 3);
	T_INTEQ(r.sr_targets[0].stt_n, 1);
	T_STREQ(r.sr_targets[1].stt_name, "iqn.a:two");
	T_INTEQ(r.sr_targets[1].stt_n, 0);	/* no fallback to the discovery portal */
	T_INTEQ(r.sr_targets[2].stt_n, 1);
	T_STREQ(r.sr_targets[2].stt_portals[0].sp_host, "10.0.0.4");
	st_result_free(&r);
	text_free(&kv);

	/* an over-long name is skipped with its addresses */
	text_init(&kv);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	text_add(&kv, "TargetName", big);
	text_add(&kv, "TargetAddress", "10.0.0.9:3260,1");
	text_add(&kv, "TargetName", "iqn.a:ok");
	T_INTEQ(st_parse_response(&kv, &def, &r), 0);
	T_INTEQ(r.sr_n, 1);
	T_INTEQ(r.sr_skipped, 1);
	T_STREQ(r.sr_targets[0].stt_portals[0].sp_host, "192.168.1.9");
	st_result_free(&r);
	text_free(&kv);

	/* ST_MAX_PORTALS is fine, one more is not */
	for (int extra = 0; extra < 2; extra++) {
		text_init(&kv);
		for (int i = 0; i < ST_MAX_PORTALS + extra; i++) {
			if (i % 2 == 0)
				text_addf(&kv, "TargetName", "iqn.2026-01.flood:%d", i);
			text_addf(&kv, "TargetAddress", "10.%d.%d.1:3260,1", i / 256, i % 256);
		}
		T_INTEQ(st_parse_response(&kv, &def, &r), extra ? -E2BIG : 0);
		T_INTEQ(r.sr_n, extra ? 0 : ST_MAX_PORTALS / 2);
		st_result_free(&r);
		text_free(&kv);
	}
}

/* ---- scripted target ---- */
#define NTARGETS 150   /* ~10 KiB of answer: several PDUs of 1024 bytes */
#define TGT_CHUNK 1024

static int tgt_recv(int fd, struct pdu *p)
{
	return net_recv_pdu(fd, p, false, false, 65536, net_now_ms() + 5000, NULL);
}

static int tgt_send(int fd, struct pdu *p)
{
	int rc = net_send_pdu(fd, p, false, false, net_now_ms() + 5000);
	pdu_free(p);
	return rc;
}

/* Login: one security round (transit to operational), one operational
 * round (transit to full feature). Returns 0 when the initiator behaved. */
static int tgt_login(int fd, uint32_t *statsn)
{
	struct pdu q, a;
	struct pdu_login_req lq;
	struct text_list kv;

	for (int stage = 0; stage < 2; stage++) {
		if (tgt_recv(fd, &q) || pdu_login_req_decode(&q, &lq) ||
		    text_parse(q.pdu_data, q.pdu_data_len, &kv))
			return 10 + stage;
		int bad = stage == 0 ? !text_get(&kv, "SessionType") ||
				       strcmp(text_get(&kv, "SessionType"), "Discovery") ||
				       text_get(&kv, "TargetName") != NULL
				     : !text_get(&kv, "MaxRecvDataSegmentLength");
		text_free(&kv);
		if (bad || lq.lq_csg != stage)
			return 20 + stage;
		struct pdu_login_rsp h = { .ls_transit = true, .ls_csg = lq.lq_csg,
					   .ls_nsg = stage ? STAGE_FFP : STAGE_OPERATIONAL,
					   .ls_tsih = stage ? 9 : 0, .ls_itt = lq.lq_itt,
					   .ls_statsn = (*statsn)++, .ls_exp_cmdsn = lq.lq_cmdsn,
					   .ls_max_cmdsn = lq.lq_cmdsn + 8 };
		memcpy(h.ls_isid, lq.lq_isid, 6);
		pdu_init(&a);
		static const char op[] = "MaxRecvDataSegmentLength=1024\0HeaderDigest=None\0DataDigest=None\0";
		if (stage)
			pdu_set_data(&a, op, sizeof(op) - 1);
		pdu_login_rsp_encode(&a, &h);
		pdu_free(&q);
		if (tgt_send(fd, &a))
			return 30;
	}
	return 0;
}

static void tgt_answer(struct text_list *l)
{
	text_init(l);
	for (int i = 0; i < NTARGETS; i++) {
		text_addf(l, "TargetName", "iqn.2026-01.test.h2:target-%03d", i);
		text_addf(l, "TargetAddress", "127.0.0.1:%d,%d", 3300 + i % 10, i % 3 + 1);
		if (i % 50 == 0)
			text_addf(l, "TargetAddress", "[::1]:3301,%d", i + 1);
	}
}

/* Between two answer pieces: an asynchronous message and a ping (NOP-In
 * with a TTT), which the initiator must answer with a NOP-Out. */
static int tgt_interject(int fd, uint32_t *statsn)
{
	struct pdu a, q;
	struct pdu_async as = { .as_statsn = *statsn, .as_event = 4 };
	struct pdu_nop n = { .np_itt = PDU_RSVD_TAG, .np_ttt = 0x4242, .np_sn = *statsn };
	struct pdu_nop o;

	pdu_init(&a);
	pdu_async_encode(&a, &as);
	if (tgt_send(fd, &a))
		return 70;
	pdu_nop_in_encode(&a, &n);
	if (tgt_send(fd, &a))
		return 71;
	if (tgt_recv(fd, &q))
		return 72;
	int rc = pdu_nop_out_decode(&q, &o) || o.np_ttt != 0x4242 || o.np_itt != PDU_RSVD_TAG ? 73 : 0;
	pdu_free(&q);
	return rc;
}

/* The answer in 1 KiB pieces; each piece but the last with F=0 and our
 * TTT, and each follow-up request must carry that TTT back. */
static int tgt_sendtargets(int fd, uint32_t *statsn, int *pieces)
{
	struct pdu q, a;
	struct pdu_text_req tq;
	struct text_list l;
	uint8_t *buf;
	int rc = 0;

	tgt_answer(&l);
	size_t n = text_encoded_len(&l), off = 0;
	buf = malloc(n);
	text_encode(&l, buf, n);
	text_free(&l);
	for (*pieces = 0; off < n && !rc; (*pieces)++) {
		if (tgt_recv(fd, &q) || pdu_text_req_decode(&q, &tq)) {
			rc = 40;
			break;
		}
		if (*pieces == 0 && (q.pdu_data_len != 16 || memcmp(q.pdu_data, "SendTargets=All", 16)))
			rc = 41;
		if (*pieces == 1 && !rc)
			rc = tgt_interject(fd, statsn);
		if (*pieces > 0 && (tq.tq_ttt != 0x5000u + (uint32_t)*pieces || q.pdu_data_len))
			rc = 42;
		size_t len = n - off < TGT_CHUNK ? n - off : TGT_CHUNK;
		struct pdu_text_rsp h = { .tr_final = off + len == n, .tr_itt = tq.tq_itt,
					  .tr_ttt = off + len == n ? PDU_RSVD_TAG : 0x5001u + (uint32_t)*pieces,
					  .tr_statsn = (*statsn)++, .tr_exp_cmdsn = tq.tq_cmdsn + 1,
					  .tr_max_cmdsn = tq.tq_cmdsn + 9 };
		pdu_init(&a);
		pdu_set_data(&a, buf + off, len);
		pdu_text_rsp_encode(&a, &h);
		off += len;
		pdu_free(&q);
		if (tgt_send(fd, &a))
			rc = 43;
	}
	free(buf);
	return rc;
}

static int tgt_logout(int fd, uint32_t *statsn)
{
	struct pdu q, a;
	struct pdu_logout_req oq;

	if (tgt_recv(fd, &q) || pdu_logout_req_decode(&q, &oq))
		return 50;
	struct pdu_logout_rsp h = { .or_itt = oq.oq_itt, .or_statsn = (*statsn)++,
				    .or_exp_cmdsn = oq.oq_cmdsn, .or_max_cmdsn = oq.oq_cmdsn + 8 };
	pdu_init(&a);
	pdu_logout_rsp_encode(&a, &h);
	pdu_free(&q);
	return tgt_send(fd, &a) ? 51 : 0;
}

static void tgt_main(int lfd)
{
	uint32_t statsn = 0x100;
	int pieces = 0, fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	int rc = fd < 0 ? 1 : tgt_login(fd, &statsn);

	if (!rc)
		rc = tgt_sendtargets(fd, &statsn, &pieces);
	if (!rc && pieces < 5)
		rc = 60;  /* the test must really span several PDUs */
	if (!rc)
		rc = tgt_logout(fd, &statsn);
	_exit(rc);
}

static int listen_loopback(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* port 0: the kernel picks a free one, so parallel test runs never clash */
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static void test_discovery_session(void)
{
	uint16_t port;
	int lfd = listen_loopback(&port), status = -1;
	struct st_request rq = { .sq_host = "127.0.0.1", .sq_conn_timeout_ms = 3000,
				 .sq_reply_timeout_ms = 5000 };
	struct st_result r;
	struct login_result lr;
	char err[256];

	T_CHECK(lfd >= 0);
	pid_t pid = fork();
	if (pid == 0)
		tgt_main(lfd);
	close(lfd);
	rq.sq_port = port;
	login_params_init(&rq.sq_login);
	rq.sq_login.lp_initiator_name = "iqn.2026-01.test.h2:init";
	int rc = st_discover(&rq, &r, &lr, err, sizeof(err));
	waitpid(pid, &status, 0);
	if (rc)
		fprintf(stderr, "st_discover: %d %s\n", rc, err);
	T_INTEQ(rc, RC_OK);
	T_CHECK(WIFEXITED(status));
	T_INTEQ(WEXITSTATUS(status), 0);   /* the target saw only what it expected */
	T_INTEQ(lr.lr_tsih, 9);
	T_INTEQ(lr.lr_params.ip_max_xmit_dlen, 1024);
	T_INTEQ(r.sr_n, NTARGETS);
	T_STREQ(r.sr_targets[NTARGETS - 1].stt_name, "iqn.2026-01.test.h2:target-149");
	T_INTEQ(r.sr_targets[0].stt_n, 2);
	T_STREQ(r.sr_targets[0].stt_portals[1].sp_host, "::1");
	T_INTEQ(r.sr_targets[0].stt_portals[1].sp_tpgt, 1);
	T_INTEQ(r.sr_targets[17].stt_portals[0].sp_port, 3307);
	T_INTEQ(r.sr_targets[17].stt_portals[0].sp_tpgt, 3);
	st_result_free(&r);
}

/* A peer that accepts and says nothing: the login times out on time. */
static void test_silent_peer_times_out(void)
{
	uint16_t port;
	int lfd = listen_loopback(&port);
	struct st_request rq = { .sq_host = "127.0.0.1", .sq_conn_timeout_ms = 1000,
				 .sq_reply_timeout_ms = 1000 };
	struct st_result r;
	struct login_result lr;
	char err[256];

	rq.sq_port = port;
	login_params_init(&rq.sq_login);
	rq.sq_login.lp_initiator_name = "iqn.2026-01.test.h2:init";
	rq.sq_login.lp_timeout_ms = 700;
	int64_t t0 = net_now_ms();
	int rc = st_discover(&rq, &r, &lr, err, sizeof(err));
	int64_t dt = net_now_ms() - t0;
	T_INTEQ(rc, RC_TRANS_TIMEOUT);
	T_INTEQ(r.sr_failed, ST_PHASE_LOGIN);
	T_CHECK(dt >= 650 && dt < 3000);
	close(lfd);
}

static void test_refused(void)
{
	uint16_t port;
	int lfd = listen_loopback(&port);
	struct st_request rq = { .sq_host = "127.0.0.1", .sq_conn_timeout_ms = 1000 };
	struct st_result r;
	struct login_result lr;
	char err[256];

	close(lfd);  /* nobody listens there any more */
	rq.sq_port = port;
	login_params_init(&rq.sq_login);
	rq.sq_login.lp_initiator_name = "iqn.2026-01.test.h2:init";
	T_INTEQ(st_discover(&rq, &r, &lr, err, sizeof(err)), RC_TRANS);
	T_INTEQ(r.sr_failed, ST_PHASE_CONNECT);
	T_STREQ(err, "Connection refused");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	T_RUN(test_parse_address);
	T_RUN(test_portal_parse);
	T_RUN(test_parse_response);
	T_RUN(test_parse_hostile);
	T_RUN(test_discovery_session);
	T_RUN(test_silent_peer_times_out);
	T_RUN(test_refused);
	return T_DONE();
}
