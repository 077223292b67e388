/* ipc: stock 2.1.8's request layout, checked against a login request that
 * Debian's stock iscsiadm sent (testdata/ipc, captured on the abstract
 * socket in a private network namespace) and the record file stock wrote
 * for the same node; answer checks; the socket edge on a socketpair and a
 * real abstract socket. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "ipc.h"
#include "rec.h"
#include "t.h"

static struct ipc_abi_req cap, mine;
static struct ipc_abi_rsp rsp;

static const char *tdir(void)
{
	return getenv("TESTDATA") ? getenv("TESTDATA") : "testdata";
}

static int load(const char *name, void *buf, size_t size, size_t *got)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ipc/%s", tdir(), name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	*got = fread(buf, 1, size, f);
	fclose(f);
	return 0;
}

static struct rec *stock_rec(void)
{
	static char text[65536];
	struct rec *r = rec_new(REC_NODE);
	size_t n = 0;

	if (load("stock-2.1.8-login.rec", text, sizeof(text) - 1, &n))
		return r;
	text[n] = '\0';
	rec_parse(r, text);
	return r;
}

/* Our encoding of stock's record file equals what stock sent, byte for
 * byte, except the list links at the start of node_rec (heap pointers in
 * the sender). */
static void test_encode_matches_stock(void)
{
	const size_t links = offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_name);
	const size_t first = offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec);
	struct rec *r = stock_rec();
	size_t n = 0, diff = 0;

	T_INTEQ(load("stock-2.1.8-login.bin", &cap, sizeof(cap) + 1, &n), 0);
	T_INTEQ(n, sizeof(struct ipc_abi_req));
	T_INTEQ(cap.ar_cmd, IPC_CMD_LOGIN);
	T_INTEQ(ipc_req_check(&cap), RC_OK);
	ipc_req_init(&mine, IPC_CMD_LOGIN);
	T_INTEQ(ipc_node_from_rec(r, &mine.ar_u.ar_session.as_rec), RC_OK);
	for (size_t i = 0; i < sizeof(cap); i++)
		if (((uint8_t *)&cap)[i] != ((uint8_t *)&mine)[i] &&
		    (i < first || i >= links))
			diff++;
	T_INTEQ(diff, 0);
	rec_free(r);
}

/* Decoding stock's request gives back every value of stock's record. */
static void test_decode_matches_stock(void)
{
	struct rec *want = stock_rec(), *got = rec_new(REC_NODE);
	struct ipc_node_id id;
	size_t compared = 0;

	T_INTEQ(ipc_node_to_rec(&cap.ar_u.ar_session.as_rec, got), RC_OK);
	for (size_t i = 0; i < keys_count(); i++) {
		enum key_id k = (enum key_id)i;

		if (!rec_is_set(got, k) || !rec_is_set(want, k))
			continue;
		T_STREQ(rec_get(got, k), rec_get(want, k));
		compared++;
	}
	T_CHECK(compared >= 55);  /* 59 with 2.1.8's record file */
	T_STREQ(rec_get(got, K_NODE_SESSION_AUTH_PASSWORD_IN), "cappasswordin1");
	T_STREQ(rec_get(got, K_NODE_SESSION_AUTH_CHAP_ALGS), "SHA256,MD5");
	T_STREQ(rec_get(got, K_NODE_CONN_0_ISCSI_DATADIGEST), "None,CRC32C");
	T_STREQ(rec_get(got, K_NODE_SESSION_SCAN), "manual");
	T_INTEQ(ipc_node_id(&cap.ar_u.ar_session.as_rec, &id), RC_OK);
	T_STREQ(id.ni_target, "iqn.2026-01.example:capture");
	T_STREQ(id.ni_addr, "192.0.2.7");
	T_INTEQ(id.ni_port, 3261);
	T_STREQ(id.ni_iface, "default");
	rec_free(want);
	rec_free(got);
}

static void test_refuse_malformed(void)
{
	struct ipc_abi_node *n = &mine.ar_u.ar_session.as_rec;
	struct ipc_node_id id;
	struct rec *r = rec_new(REC_NODE);

	mine = cap;
	memset(n->an_name, 'A', sizeof(n->an_name));  /* no NUL */
	T_INTEQ(ipc_node_id(n, &id), RC_INVALID_MGMT_REQ);
	T_INTEQ(ipc_node_to_rec(n, r), RC_INVALID_MGMT_REQ);
	mine = cap;
	n->an_conn.ac_header_digest = 9;               /* no such enum value */
	T_INTEQ(ipc_node_to_rec(n, r), RC_INVALID_MGMT_REQ);
	mine = cap;
	n->an_conn.ac_port = 0;
	T_INTEQ(ipc_node_id(n, &id), RC_INVALID_MGMT_REQ);
	mine = cap;
	n->an_name[0] = '\0';
	T_INTEQ(ipc_node_id(n, &id), RC_INVALID_MGMT_REQ);
	ipc_req_init(&mine, 77);
	T_INTEQ(ipc_req_check(&mine), RC_INVALID_MGMT_REQ);
	ipc_req_init(&mine, 3);                        /* a hole in stock's list */
	T_INTEQ(ipc_req_check(&mine), RC_INVALID_MGMT_REQ);
	ipc_req_init(&mine, IPC_CMD_X_RESCAN);
	T_INTEQ(ipc_req_check(&mine), RC_OK);
	mine.ar_payload_len = IPC_PAYLOAD_MAX + 1;
	T_INTEQ(ipc_req_check(&mine), RC_INVALID_MGMT_REQ);
	rec_free(r);
}

static void test_encode_refuses_oversize(void)
{
	struct rec *r = stock_rec();
	char big[300];

	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* the record type takes it; stock's 256-byte field cannot */
	if (rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, big) == RC_OK)
		T_INTEQ(ipc_node_from_rec(r, &mine.ar_u.ar_session.as_rec), RC_INVAL);
	rec_free(r);
}

static void test_rsp_check(void)
{
	ipc_rsp_init(&rsp, IPC_CMD_LOGIN);
	T_INTEQ(ipc_rsp_check(&rsp, IPC_CMD_LOGIN), RC_OK);
	T_INTEQ(ipc_rsp_check(&rsp, IPC_CMD_LOGOUT), RC_ISCSID_COMM_ERR);
	rsp.ap_cmd = 0;                 /* refused before the request was read */
	rsp.ap_err = RC_ACCESS;
	T_INTEQ(ipc_rsp_check(&rsp, IPC_CMD_LOGIN), RC_OK);
	rsp.ap_err = RC_OK;             /* but a success must name the command */
	T_INTEQ(ipc_rsp_check(&rsp, IPC_CMD_LOGIN), RC_ISCSID_COMM_ERR);
	memset(&rsp, 'G', sizeof(rsp)); /* garbage */
	T_INTEQ(ipc_rsp_check(&rsp, IPC_CMD_LOGIN), RC_ISCSID_COMM_ERR);
	T_STREQ(ipc_conn_state_name(IPC_CONN_XPT_WAIT), "TRANSPORT WAIT");
	T_STREQ(ipc_r_stage_name(IPC_R_REOPEN), "REOPEN");
	T_STREQ(ipc_conn_state_name(7), "Unknown");
	T_STREQ(ipc_cmd_name(IPC_CMD_STOP), "immediate-stop");
}

static void test_socketpair(void)
{
	static struct ipc_abi_req r1, r2;
	int sv[2];
	uint8_t half[100] = { 0 };

	T_INTEQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ipc_req_init(&r1, IPC_CMD_NOTIFY_FIRST);
	r1.ar_payload_len = 5000;   /* a payload is read and dropped */
	T_INTEQ(ipc_req_send(sv[0], &r1), RC_OK);
	{
		static uint8_t pl[5000];

		T_INTEQ(write(sv[0], pl, sizeof(pl)), 5000);
	}
	T_INTEQ(ipc_req_recv(sv[1], &r2, 1000), RC_OK);
	T_INTEQ(r2.ar_cmd, IPC_CMD_NOTIFY_FIRST);
	/* nothing more to read: a timeout */
	T_INTEQ(ipc_req_recv(sv[1], &r2, 50), RC_REQ_TIMEDOUT);
	T_INTEQ(write(sv[0], half, sizeof(half)), 100);
	T_INTEQ(ipc_rsp_recv(sv[1], &rsp, 50), RC_REQ_TIMEDOUT);
	close(sv[0]);              /* closed mid-message */
	T_INTEQ(ipc_rsp_recv(sv[1], &rsp, 1000), RC_ISCSID_COMM_ERR);
	close(sv[1]);
}

static void test_abstract_listen(void)
{
	int l, c, s;
	uid_t uid = 1;

	setenv(IPC_NAME_ENV, "test_ipc_abstract_name", 1);
	T_STREQ(ipc_name(), "test_ipc_abstract_name");
	l = ipc_server_listen();
	T_CHECK(l >= 0);
	c = ipc_client_connect();
	T_CHECK(c >= 0);
	s = accept(l, NULL, NULL);
	T_CHECK(s >= 0);
	T_INTEQ(ipc_peer_uid(s, &uid, NULL), 0);
	T_INTEQ(uid, getuid());
	close(s);
	close(c);
	close(l);
	T_CHECK(ipc_client_connect() < 0);
	unsetenv(IPC_NAME_ENV);
	T_STREQ(ipc_name(), IPC_DEFAULT_NAME);
}

int main(void)
{
	T_RUN(test_encode_matches_stock);
	T_RUN(test_decode_matches_stock);
	T_RUN(test_refuse_malformed);
	T_RUN(test_encode_refuses_oversize);
	T_RUN(test_rsp_check);
	T_RUN(test_socketpair);
	T_RUN(test_abstract_listen);
	return T_DONE();
}
