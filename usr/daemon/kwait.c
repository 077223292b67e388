/* Routed waits for kernel PDUs (see kwait.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "err.h"
#include "kwait.h"
#include "log.h"
#include "pdu.h"

struct kwait {
	struct kwait *w_next;
	struct kroute *w_route;	/* NULL: w_ke is ours */
	struct kevents w_ke;
	uint32_t w_sid;
	uint8_t w_op;
	pthread_cond_t w_cv;
	int w_failed;		/* the kernel reported a connection error */
	uint8_t *w_pdu;		/* routed PDU not yet taken (BHS + data) */
	size_t w_len;
	uint8_t *w_taken;	/* the one handed out last */
};

void kroute_init(struct kroute *r)
{
	pthread_mutex_init(&r->r_lock, NULL);
	r->r_head = NULL;
	r->r_live = 0;
}

void kroute_fini(struct kroute *r)
{
	pthread_mutex_destroy(&r->r_lock);
}

void kroute_live(struct kroute *r)
{
	pthread_mutex_lock(&r->r_lock);
	r->r_live = 1;
	pthread_mutex_unlock(&r->r_lock);
}

static int wants(const struct kwait *w, const struct nl_event *ev)
{
	return w->w_sid == ev->ne_sid && ev->ne_data_len >= PDU_BHS_LEN &&
	       (ev->ne_data[0] & PDU_OP_MASK) == w->w_op;
}

int kroute_offer(struct kroute *r, const struct nl_event *ev)
{
	int taken = 0;

	if (ev->ne_type != NL_K_RECV_PDU && ev->ne_type != NL_K_CONN_ERROR)
		return 0;
	pthread_mutex_lock(&r->r_lock);
	for (struct kwait *w = r->r_head; w; w = w->w_next) {
		if (ev->ne_type == NL_K_CONN_ERROR && w->w_sid == ev->ne_sid) {
			w->w_failed = 1;
			pthread_cond_signal(&w->w_cv);
		} else if (ev->ne_type == NL_K_RECV_PDU && !taken && wants(w, ev)) {
			uint8_t *copy = malloc(ev->ne_data_len);

			taken = 1;
			if (!copy || w->w_pdu) {
				/* one response per request: a second is a
				 * stray the state machine would reject anyway */
				log_warn("session %u: kernel PDU dropped (%s)", ev->ne_sid,
					 copy ? "one already pending" : "out of memory");
				free(copy);
				continue;
			}
			memcpy(copy, ev->ne_data, ev->ne_data_len);
			w->w_pdu = copy;
			w->w_len = ev->ne_data_len;
			pthread_cond_signal(&w->w_cv);
		}
	}
	pthread_mutex_unlock(&r->r_lock);
	return taken;
}

int kwait_open(struct kwait **wp, struct kroute *route, uint32_t sid, uint8_t op)
{
	struct kwait *w = calloc(1, sizeof(*w));
	pthread_condattr_t ca;
	int rc;

	*wp = NULL;
	if (!w)
		return RC_NOMEM;
	w->w_sid = sid;
	w->w_op = op;
	if (route) {
		pthread_mutex_lock(&route->r_lock);
		if (route->r_live) {
			w->w_route = route;
			w->w_next = route->r_head;
			route->r_head = w;
		}
		pthread_mutex_unlock(&route->r_lock);
	}
	if (!w->w_route) {
		rc = kevents_open(&w->w_ke);
		if (rc != RC_OK) {
			free(w);
			return rc;
		}
	}
	/* deadlines are net_now_ms() values: a monotonic clock */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->w_cv, &ca);
	pthread_condattr_destroy(&ca);
	*wp = w;
	return RC_OK;
}

static int routed_next(struct kwait *w, int64_t end, struct nl_event *ev)
{
	struct kroute *r = w->w_route;
	struct timespec ts = { (time_t)(end / 1000), (long)(end % 1000) * 1000000L };
	int rc = RC_OK;

	pthread_mutex_lock(&r->r_lock);
	while (!w->w_pdu && !w->w_failed && rc == RC_OK)
		if (pthread_cond_timedwait(&w->w_cv, &r->r_lock, &ts) == ETIMEDOUT)
			rc = RC_TRANS_TIMEOUT;
	if (w->w_pdu) {
		rc = RC_OK;   /* a response that came with the error still counts */
		free(w->w_taken);
		w->w_taken = w->w_pdu;
		w->w_pdu = NULL;
		memset(ev, 0, sizeof(*ev));
		ev->ne_type = NL_K_RECV_PDU;
		ev->ne_sid = w->w_sid;
		ev->ne_data = w->w_taken;
		ev->ne_data_len = w->w_len;
	} else if (w->w_failed) {
		rc = RC_TRANS;
	}
	pthread_mutex_unlock(&r->r_lock);
	return rc;
}

int kwait_next(struct kwait *w, int64_t end, struct nl_event *ev)
{
	if (w->w_route)
		return routed_next(w, end, ev);
	return kevents_wait_pdu(&w->w_ke, w->w_sid, w->w_op, end, ev);
}

void kwait_close(struct kwait *w)
{
	if (!w)
		return;
	if (w->w_route) {
		struct kroute *r = w->w_route;

		pthread_mutex_lock(&r->r_lock);
		for (struct kwait **pp = &r->r_head; *pp; pp = &(*pp)->w_next)
			if (*pp == w) {
				*pp = w->w_next;
				break;
			}
		pthread_mutex_unlock(&r->r_lock);
	} else {
		kevents_close(&w->w_ke);
	}
	pthread_cond_destroy(&w->w_cv);
	free(w->w_pdu);
	free(w->w_taken);
	free(w);
}
