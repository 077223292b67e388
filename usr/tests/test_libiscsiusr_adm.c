/* iscsiadm -m session's iscsid state lines: the state words table, and the
 * query itself against a stand-in iscsid on a private IPC name that knows
 * session 7 of the recovery tree as recovering and no other session. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "ipc.h"
#include "../adm/session.h"
#include "libopeniscsiusr/libopeniscsiusr.h"

static void test_words(void)
{
	static const struct {
		int dconn, dstage;
		const char *kconn, *conn, *internal;
	} c[] = {
		{ -1, -1, "up",     "Unknown",        "Unknown" },
		{ 3,  0,  "up",     "LOGGED IN",      "NO CHANGE" },
		{ 3,  0,  "failed", "TRANSPORT WAIT", "REOPEN" },
		{ 1,  2,  "failed", "TRANSPORT WAIT", "REOPEN" },
		{ 4,  1,  "up",     "IN LOGOUT",      "CLEANUP" },
		{ 6,  3,  "up",     "CLEANUP WAIT",   "REDIRECT" },
		{ 7,  4,  "up",     "Unknown",        "Unknown" },
	};
	struct adm_sess_daemon st;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		adm_session_state_words(c[i].dconn, c[i].dstage, c[i].kconn, &st);
		T_STREQ(st.sd_conn, c[i].conn);
		T_STREQ(st.sd_internal, c[i].internal);
	}
}

/* Serves `count` SESSION_INFO requests, one connection each. */
static void *fake_iscsid(void *arg)
{
	int lfd = *(int *)arg, count = 2;
	struct ipc_abi_req *req = malloc(sizeof(*req));
	struct ipc_abi_rsp *rsp = malloc(sizeof(*rsp));

	while (req && rsp && count-- > 0) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			break;
		if (ipc_req_recv(fd, req, 5000) == RC_OK) {
			ipc_rsp_init(rsp, req->ar_cmd);
			if (req->ar_cmd == IPC_CMD_SESSION_INFO &&
			    req->ar_u.ar_session.as_sid == 7) {
				rsp->ap_u.ap_state.ss_conn_state = IPC_CONN_XPT_WAIT;
				rsp->ap_u.ap_state.ss_session_state = IPC_R_REOPEN;
			} else {
				rsp->ap_err = RC_SESS_NOT_FOUND;
			}
			ipc_rsp_send(fd, rsp);
		}
		close(fd);
	}
	free(req);
	free(rsp);
	return NULL;
}

static void test_query(void)
{
	char name[64];
	int lfd;
	pthread_t th;
	struct iscsi_context *ctx;
	struct iscsi_session *s7 = NULL, *s5 = NULL;
	struct adm_sess_daemon st;

	snprintf(name, sizeof(name), "h3-test-adm-%d", (int)getpid());
	setenv("ISCSID_IPC_NAME", name, 1);
	setenv("ISCSI_SYSFS_ROOT", "usr/tests/data/sysfs/recovery", 1);
	lfd = ipc_server_listen();
	T_CHECK(lfd >= 0);
	if (lfd < 0)
		return;
	T_CHECK(pthread_create(&th, NULL, fake_iscsid, &lfd) == 0);
	ctx = iscsi_context_new();
	T_INTEQ(iscsi_session_get(ctx, 7, &s7), LIBISCSI_OK);
	T_INTEQ(iscsi_session_get(ctx, 5, &s5), LIBISCSI_OK);
	if (s7 && s5) {
		adm_session_daemon_state(s7, &st);
		T_STREQ(st.sd_conn, "TRANSPORT WAIT");
		T_STREQ(st.sd_internal, "REOPEN");
		adm_session_daemon_state(s5, &st);	/* iscsid does not know it */
		T_STREQ(st.sd_conn, "Unknown");
		T_STREQ(st.sd_internal, "Unknown");
	}
	pthread_join(th, NULL);
	close(lfd);
	iscsi_session_free(s7);
	iscsi_session_free(s5);
	iscsi_context_free(ctx);
	/* nobody listening any more: Unknown, with stock's stderr line */
	s7 = NULL;
	ctx = iscsi_context_new();
	iscsi_session_get(ctx, 7, &s7);
	if (s7) {
		adm_session_daemon_state(s7, &st);
		T_STREQ(st.sd_conn, "Unknown");
	}
	iscsi_session_free(s7);
	iscsi_context_free(ctx);
}

int main(void)
{
	T_RUN(test_words);
	T_RUN(test_query);
	return T_DONE();
}
