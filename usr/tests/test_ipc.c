/* ipc.c: encoding, decoding and refusal of malformed messages; plus a
 * round trip over a real abstract socket pair served in-process. */
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "ipc.h"
#include "t.h"

static uint8_t wire[IPC_HDR_LEN + IPC_MAX_PAYLOAD];
static struct ipc_msg a, b;

static size_t build_login(void)
{
	ipc_msg_init(&a, IPC_OP_LOGIN);
	T_INTEQ(ipc_put_str(&a, IPC_T_TARGET, "iqn.2026-01.test:t1"), RC_OK);
	T_INTEQ(ipc_put_str(&a, IPC_T_ADDR, "127.0.0.1"), RC_OK);
	T_INTEQ(ipc_put_u32(&a, IPC_T_PORT, 3341), RC_OK);
	return ipc_encode(&a, wire, sizeof(wire));
}

static void test_roundtrip(void)
{
	size_t n = build_login();
	char s[64];
	uint32_t v = 0;

	T_INTEQ(n, IPC_HDR_LEN + 4 + 19 + 4 + 9 + 4 + 4);
	T_INTEQ(wire[0], 0x69);
	T_INTEQ(wire[7], IPC_OP_LOGIN);
	T_INTEQ(ipc_decode(wire, n, &b), RC_OK);
	T_INTEQ(b.im_op, IPC_OP_LOGIN);
	T_INTEQ(ipc_get_str(&b, IPC_T_TARGET, s, sizeof(s)), RC_OK);
	T_STREQ(s, "iqn.2026-01.test:t1");
	T_INTEQ(ipc_get_u32(&b, IPC_T_PORT, &v), RC_OK);
	T_INTEQ(v, 3341);
	T_INTEQ(ipc_get_u32(&b, IPC_T_SID, &v), RC_NO_OBJS_FOUND);
	T_INTEQ(ipc_get_str(&b, IPC_T_ADDR, s, 5), RC_INVAL);
	T_INTEQ(ipc_get_u32(&b, IPC_T_ADDR, &v), RC_INVAL);
}

static void test_rc_negative(void)
{
	size_t n;

	ipc_msg_init(&a, IPC_OP_PING);
	a.im_rc = RC_LOGIN_AUTH_FAILED;
	n = ipc_encode(&a, wire, sizeof(wire));
	T_INTEQ(n, IPC_HDR_LEN);
	T_INTEQ(ipc_decode(wire, n, &b), RC_OK);
	T_INTEQ(b.im_rc, RC_LOGIN_AUTH_FAILED);
	T_INTEQ(ipc_encode(&a, wire, IPC_HDR_LEN - 1), 0);
}

static void test_refuse_header(void)
{
	size_t n = build_login();

	wire[0] ^= 1;                       /* magic */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	wire[0] ^= 1;
	wire[5] = 2;                        /* version */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	wire[5] = IPC_VERSION;
	wire[7] = IPC_OP_MAX;               /* op */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	wire[7] = 0;
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	wire[7] = IPC_OP_LOGIN;
	T_INTEQ(ipc_decode(wire, n - 1, &b), RC_INVALID_MGMT_REQ); /* short */
	T_INTEQ(ipc_decode(wire, 3, &b), RC_INVALID_MGMT_REQ);
	wire[12] = 0x7f;                    /* huge length */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	wire[12] = 0;
	T_INTEQ(ipc_decode(wire, n, &b), RC_OK);
}

static void test_refuse_fields(void)
{
	size_t n = build_login();

	wire[IPC_HDR_LEN + 3] = 200;        /* first field overruns payload */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	n = build_login();
	wire[IPC_HDR_LEN + 1] = IPC_T_MAX;  /* unknown tag */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	n = build_login();
	wire[IPC_HDR_LEN + 6] = 0;          /* NUL inside a string */
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
	/* a u32 field of the wrong size */
	ipc_msg_init(&a, IPC_OP_RESCAN);
	T_INTEQ(ipc_put_str(&a, IPC_T_SID, "12"), RC_OK);
	n = ipc_encode(&a, wire, sizeof(wire));
	T_INTEQ(ipc_decode(wire, n, &b), RC_INVALID_MGMT_REQ);
}

static void test_payload_limit(void)
{
	char *big = malloc(70000);

	memset(big, 'x', 70000);
	big[69999] = 0;
	ipc_msg_init(&a, IPC_OP_LOGIN);
	T_INTEQ(ipc_put_str(&a, IPC_T_REC, big), RC_INVAL);
	big[60000] = 0;
	T_INTEQ(ipc_put_str(&a, IPC_T_REC, big), RC_OK);
	T_INTEQ(ipc_put_str(&a, IPC_T_REC, big), RC_INVAL);
	T_INTEQ(a.im_len, 60004);
	free(big);
}

static void test_socketpair_call(void)
{
	int sv[2];
	uint32_t v = 0;

	T_INTEQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ipc_msg_init(&a, IPC_OP_RESCAN);
	ipc_put_u32(&a, IPC_T_SID, 7);
	ipc_put_u32(&a, IPC_T_LUN, 2);
	T_INTEQ(ipc_send(sv[0], &a), RC_OK);
	T_INTEQ(ipc_recv(sv[1], &b, 1000), RC_OK);
	T_INTEQ(ipc_get_u32(&b, IPC_T_LUN, &v), RC_OK);
	T_INTEQ(v, 2);
	/* nothing more to read: a timeout, reported as "not connected" */
	T_INTEQ(ipc_recv(sv[1], &b, 50), RC_REQ_TIMEDOUT);
	close(sv[0]);
	T_INTEQ(ipc_recv(sv[1], &b, 1000), RC_ISCSID_COMM_ERR);
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
	T_RUN(test_roundtrip);
	T_RUN(test_rc_negative);
	T_RUN(test_refuse_header);
	T_RUN(test_refuse_fields);
	T_RUN(test_payload_limit);
	T_RUN(test_socketpair_call);
	T_RUN(test_abstract_listen);
	return T_DONE();
}
