/* Routed waits for Login/Logout responses (kwait.h): the main loop hands a
 * thread the PDU it registered for, and nothing else. */
#include <pthread.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "../daemon/kwait.h"
#include "net.h"
#include "pdu.h"

static uint8_t pdu_bytes[PDU_BHS_LEN + 4];

static struct nl_event pdu_ev(uint32_t sid, uint8_t op, uint8_t tag)
{
	struct nl_event ev = { .ne_type = NL_K_RECV_PDU, .ne_sid = sid };

	memset(pdu_bytes, 0, sizeof(pdu_bytes));
	pdu_bytes[0] = op;
	pdu_bytes[2] = tag;
	pdu_bytes[PDU_BHS_LEN] = tag;
	ev.ne_data = pdu_bytes;
	ev.ne_data_len = sizeof(pdu_bytes);
	return ev;
}

static void test_only_the_asked_pdu_is_taken(void)
{
	struct kroute r;
	struct kwait *w;
	struct nl_event ev, got;

	kroute_init(&r);
	kroute_live(&r);
	T_INTEQ(kwait_open(&w, &r, 5, OP_LOGIN_RSP), RC_OK);
	ev = pdu_ev(6, OP_LOGIN_RSP, 1);
	T_INTEQ(kroute_offer(&r, &ev), 0);            /* other session */
	ev = pdu_ev(5, OP_ASYNC, 2);
	T_INTEQ(kroute_offer(&r, &ev), 0);            /* an AEN: the main loop's */
	ev = pdu_ev(5, OP_LOGIN_RSP, 3);
	T_INTEQ(kroute_offer(&r, &ev), 1);
	memset(pdu_bytes, 0, sizeof(pdu_bytes));      /* the wait holds a copy */
	T_INTEQ(kwait_next(w, net_now_ms() + 1000, &got), RC_OK);
	T_INTEQ(got.ne_data_len, PDU_BHS_LEN + 4);
	T_INTEQ(got.ne_data[0], OP_LOGIN_RSP);
	T_INTEQ(got.ne_data[2], 3);
	T_INTEQ(got.ne_data[PDU_BHS_LEN], 3);
	kwait_close(w);
	ev = pdu_ev(5, OP_LOGIN_RSP, 4);
	T_INTEQ(kroute_offer(&r, &ev), 0);            /* nobody waits any more */
	kroute_fini(&r);
}

static void test_timeout_and_conn_error(void)
{
	struct kroute r;
	struct kwait *w;
	struct nl_event ev = { .ne_type = NL_K_CONN_ERROR, .ne_sid = 7 }, got;
	int64_t t0;

	kroute_init(&r);
	kroute_live(&r);
	T_INTEQ(kwait_open(&w, &r, 7, OP_LOGOUT_RSP), RC_OK);
	t0 = net_now_ms();
	T_INTEQ(kwait_next(w, t0 + 60, &got), RC_TRANS_TIMEOUT);
	T_CHECK(net_now_ms() - t0 >= 50);
	/* the error ends the wait but stays the main loop's to act on */
	T_INTEQ(kroute_offer(&r, &ev), 0);
	T_INTEQ(kwait_next(w, net_now_ms() + 1000, &got), RC_TRANS);
	kwait_close(w);
	kroute_fini(&r);
}

/* A second response before the first was taken is a stray: dropped. */
static void test_one_pending_response(void)
{
	struct kroute r;
	struct kwait *w;
	struct nl_event ev, got;

	kroute_init(&r);
	kroute_live(&r);
	T_INTEQ(kwait_open(&w, &r, 9, OP_LOGIN_RSP), RC_OK);
	ev = pdu_ev(9, OP_LOGIN_RSP, 1);
	T_INTEQ(kroute_offer(&r, &ev), 1);
	ev = pdu_ev(9, OP_LOGIN_RSP, 2);
	T_INTEQ(kroute_offer(&r, &ev), 1);
	T_INTEQ(kwait_next(w, net_now_ms() + 1000, &got), RC_OK);
	T_INTEQ(got.ne_data[2], 1);
	T_INTEQ(kwait_next(w, net_now_ms() + 30, &got), RC_TRANS_TIMEOUT);
	kwait_close(w);
	kroute_fini(&r);
}

struct waiter_arg {
	struct kroute *r;
	uint32_t sid;
	int rc;
	uint8_t tag;
};

static void *waiter(void *p)
{
	struct waiter_arg *a = p;
	struct kwait *w;
	struct nl_event got;

	a->rc = kwait_open(&w, a->r, a->sid, OP_LOGOUT_RSP);
	if (a->rc != RC_OK)
		return NULL;
	a->rc = kwait_next(w, net_now_ms() + 5000, &got);
	if (a->rc == RC_OK)
		a->tag = got.ne_data[2];
	kwait_close(w);
	return NULL;
}

/* Many threads wait at once (a "-U all"): each wakes with its own session's
 * response, whatever order they come in. */
static void test_many_waiters_each_get_theirs(void)
{
	enum { N = 32 };
	struct kroute r;
	struct waiter_arg a[N];
	pthread_t th[N];
	int waiting = 0;

	kroute_init(&r);
	kroute_live(&r);
	for (int i = 0; i < N; i++) {
		a[i] = (struct waiter_arg){ .r = &r, .sid = 100 + (uint32_t)i, .rc = -1 };
		pthread_create(&th[i], NULL, waiter, &a[i]);
	}
	/* every thread registered before any response is offered */
	for (int tries = 0; tries < 500 && waiting < N; tries++) {
		waiting = 0;
		pthread_mutex_lock(&r.r_lock);
		/* w_next is struct kwait's first member */
		for (struct kwait *w = r.r_head; w; w = *(struct kwait **)w)
			waiting++;
		pthread_mutex_unlock(&r.r_lock);
		usleep(10000);
	}
	T_INTEQ(waiting, N);
	for (int i = N - 1; i >= 0; i--) {
		struct nl_event ev = pdu_ev(100 + (uint32_t)i, OP_LOGOUT_RSP, (uint8_t)(i + 1));

		T_INTEQ(kroute_offer(&r, &ev), 1);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		T_INTEQ(a[i].rc, RC_OK);
		T_INTEQ(a[i].tag, i + 1);
	}
	T_CHECK(r.r_head == NULL);
	kroute_fini(&r);
}

int main(void)
{
	T_RUN(test_only_the_asked_pdu_is_taken);
	T_RUN(test_timeout_and_conn_error);
	T_RUN(test_one_pending_response);
	T_RUN(test_many_waiters_each_get_theirs);
	return T_DONE();
}
