/* Kernel events for running sessions (see sess_events.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libopeniscsiusr/libopeniscsiusr.h>

#include "err.h"
#include "idb.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "pdu.h"
#include "rec.h"
#include "sense.h"
#include "sess.h"
#include "sess_events.h"

struct sess_events {
	struct sess_table *se_t;
	struct kevents se_ke;
};

enum sess_aen sess_aen_classify(const uint8_t *bhs, const uint8_t *data, size_t dlen)
{
	struct pdu_async as;
	struct sense sn;
	struct pdu p;

	pdu_init(&p);
	memcpy(p.pdu_bhs, bhs, PDU_BHS_LEN);
	if (pdu_async_decode(&p, &as) != 0)
		return SESS_AEN_IGNORE;
	switch (as.as_event) {
	case ASYNC_SCSI_EVENT:
		if (sense_parse_aen(data, dlen, &sn) != 0) {
			log_warn("malformed SCSI event sense in an async message: ignored");
			return SESS_AEN_IGNORE;
		}
		return sense_is_luns_changed(&sn) ? SESS_AEN_SCAN : SESS_AEN_IGNORE;
	case ASYNC_LOGOUT_REQUEST: return SESS_AEN_LOGOUT;
	case ASYNC_DROP_CONNECTION:
	case ASYNC_DROP_ALL: return SESS_AEN_DROP;
	case ASYNC_RENEGOTIATE: return SESS_AEN_RENEGOTIATE;
	default: return SESS_AEN_IGNORE;
	}
}

struct sess_events *sess_events_open(struct sess_table *t, int quiet)
{
	struct sess_events *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->se_t = t;
	if (kevents_open(&e->se_ke) != RC_OK) {
		if (!quiet)
			log_warn("no iSCSI transport in this kernel (NETLINK_ISCSI): "
			 "serving requests, logins will fail");
		free(e);
		return NULL;
	}
	kroute_live(&t->st_route);
	pthread_mutex_lock(&t->st_lock);
	aen_sink_main(&t->st_sink, kevents_fd(&e->se_ke));
	pthread_mutex_unlock(&t->st_lock);
	return e;
}

void sess_events_close(struct sess_events *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->se_t->st_lock);
	aen_sink_main(&e->se_t->st_sink, -1);
	pthread_mutex_unlock(&e->se_t->st_lock);
	kevents_close(&e->se_ke);
	free(e);
}

int sess_events_fd(const struct sess_events *e)
{
	return e ? kevents_fd(&e->se_ke) : -1;
}

/* The next AEN scan of a host starts this long after its last one ended,
 * in the same busy period or a new one: a target that repeats 3F/0E 100
 * times a second then costs a scan every 2 s per host, not scans back to
 * back; a lone AEN is scanned at once. */
#define AEN_SCAN_HOLDOFF_MS 2000

/* Waits out what is left of the hold-off since the host's last AEN scan,
 * while AENs fold into the gate; a logout cuts it short (the state table
 * wakes st_cond when it sets the stop flag). */
static void aen_holdoff(struct sess_table *t, struct sess *s)
{
	int64_t left = s->s_aen_scan_end_ms + AEN_SCAN_HOLDOFF_MS - net_now_ms();
	struct timespec end;

	if (s->s_aen_scan_end_ms == 0 || left <= 0)
		return;
	clock_gettime(CLOCK_REALTIME, &end);   /* st_cond's clock */
	end.tv_sec += left / 1000;
	end.tv_nsec += (left % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&t->st_lock);
	while (!s->s_life.l_stop &&
	       pthread_cond_timedwait(&t->st_cond, &t->st_lock, &end) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&t->st_lock);
}

/* Scans until the gate says no AEN came during the last one (scan_gate.h).
 * Runs in the thread that claimed the session, the only one to touch
 * s_aen_scan_end_ms. */
static void aen_scan(struct sess_table *t, struct sess *s)
{
	uint32_t sid = (uint32_t)s->s_sid;
	enum sess_act a = SACT_NONE;
	unsigned events, scans;
	int again, sunk = 0, folded;

	do {
		aen_holdoff(t, s);
		pthread_mutex_lock(&t->st_lock);
		aen_sink_mark(&t->st_sink, sid);   /* AENs folded from now on ask for the next */
		pthread_mutex_unlock(&t->st_lock);
		if (!sess_stopping(t, s))
			sess_scan(t, s, SCAN_EV_AEN, 0);
		s->s_aen_scan_end_ms = net_now_ms();
		/* a folded session stays so through the hold-off: AENs during
		 * it ask for the next scan as they would through the gate, and
		 * in a storm the session does not leave and rejoin its sink
		 * between two scans */
		pthread_mutex_lock(&t->st_lock);
		/* a session joins its sink only while a scan runs and leaves
		 * at the end of one: folded here if it was during this one */
		folded = aen_sink_folded(&t->st_sink, sid);
		sunk |= folded;
		pthread_mutex_unlock(&t->st_lock);
		if (folded)
			aen_holdoff(t, s);
		pthread_mutex_lock(&t->st_lock);
		/* folded AENs since the scan began count as one more; with none
		 * the session leaves the sink, and one that slipped in counts */
		if (aen_sink_arrived(&t->st_sink, sid) || aen_sink_del(&t->st_sink, sid))
			scan_gate_ask(&s->s_aen_gate);
		events = s->s_aen_gate.g_events;
		scans = s->s_aen_gate.g_scans;
		if (s->s_life.l_stop)
			scan_gate_reset(&s->s_aen_gate);
		again = scan_gate_done(&s->s_aen_gate);
		if (!again) {
			aen_sink_del(&t->st_sink, sid);
			/* the gate idle and the session free at once: an AEN
			 * from now on claims it and is scanned, none falls
			 * between (busy with an idle gate: not acted on) */
			a = sess_fsm_locked(t, s, SEV_RELEASE);
		}
		pthread_mutex_unlock(&t->st_lock);
	} while (again);
	/* the storm's tally at the default level: one line per busy period */
	log_report("session %u: %u AENs handled by %u scans%s", sid, events, scans,
		   sunk ? " (more folded in the kernel while a scan was pending)" : "");
	sess_release_then(t, s, a);
}

void sess_logout_requested(struct sess_table *t, struct sess *s)
{
	int sid = s->s_sid;

	log_info("session %d: target requests logout", sid);
	sess_release(t, s);
	sess_logout(t, sid);
}

/* Claims session sid for the thread that acts on ev; NULL when another
 * thread holds it (the state table keeps conn errors and logout requests
 * pending for its release) or it is going away. An AEN that finds an AEN
 * scan running is folded by the session's gate into one more scan
 * (*folded set). */
static struct sess *claim(struct sess_table *t, uint32_t sid, enum sess_ev ev, int *folded)
{
	enum sess_act a = SACT_NONE;
	struct sess *s;

	*folded = 0;
	pthread_mutex_lock(&t->st_lock);
	s = sess_find_sid(t, (int)sid);
	if (s)
		a = sess_fsm_locked(t, s, ev);
	if (s && ev == SEV_AEN_SCAN) {
		if (a == SACT_CLAIM)
			scan_gate_ask(&s->s_aen_gate);
		else if (a == SACT_BUSY && scan_gate_busy(&s->s_aen_gate)) {
			scan_gate_ask(&s->s_aen_gate);
			*folded = 1;
			/* a scan is pending: more AENs would change nothing
			 * until the running one ends (aen_sink.h) */
			(void)aen_sink_add(&t->st_sink, sid);
		}
	}
	if (a != SACT_CLAIM)
		s = NULL;
	pthread_mutex_unlock(&t->st_lock);
	return s;
}

static void event_pdu(struct sess_events *e, const struct nl_event *ev)
{
	const uint8_t *bhs = ev->ne_data;
	enum sess_aen what;
	struct sess *s;
	int folded;

	if (ev->ne_data_len < PDU_BHS_LEN)
		return;
	what = sess_aen_classify(bhs, bhs + PDU_BHS_LEN, ev->ne_data_len - PDU_BHS_LEN);
	if (what == SESS_AEN_IGNORE || what == SESS_AEN_DROP ||
	    what == SESS_AEN_RENEGOTIATE) {
		if (what != SESS_AEN_IGNORE)
			log_info("session %u: async event %u (connection errors "
				 "follow from the kernel)", ev->ne_sid, bhs[36]);
		return;
	}
	s = claim(e->se_t, ev->ne_sid, what == SESS_AEN_LOGOUT ? SEV_AEN_LOGOUT : SEV_AEN_SCAN,
		  &folded);
	if (!s) {
		if (folded)
			log_debug("session %u: AEN folded into the next scan", ev->ne_sid);
		else if (what == SESS_AEN_LOGOUT)
			log_info("session %u busy: logout request deferred", ev->ne_sid);
		else
			log_warn("session %u busy: async event %u not acted on", ev->ne_sid, bhs[36]);
		return;
	}
	if (sess_spawn(e->se_t, s, what == SESS_AEN_SCAN ? aen_scan : sess_logout_requested)) {
		pthread_mutex_lock(&e->se_t->st_lock);
		scan_gate_reset(&s->s_aen_gate);
		pthread_mutex_unlock(&e->se_t->st_lock);
		sess_release(e->se_t, s);
	}
}

static void event_conn_error(struct sess_events *e, const struct nl_event *ev)
{
	struct sess *s;
	int folded;

	log_warn("session %u: connection %u error %s", ev->ne_sid, ev->ne_cid,
		 nl_err_name(ev->ne_error));
	s = claim(e->se_t, ev->ne_sid, SEV_CONN_ERR, &folded);
	if (s && sess_spawn(e->se_t, s, sess_recover) != RC_OK)
		sess_release(e->se_t, s);
}

static void event_one(struct sess_events *e, const struct nl_event *ev)
{
	if (kroute_offer(&e->se_t->st_route, ev))
		return;   /* a Login/Logout response a thread waits for */
	switch (ev->ne_type) {
	case NL_K_CONN_ERROR:
		event_conn_error(e, ev);
		break;
	case NL_K_RECV_PDU:
		event_pdu(e, ev);
		break;
	default:
		log_debug("kernel event %s for session %u", nl_type_name(ev->ne_type),
			  ev->ne_sid);
	}
}

int sess_events_tick(struct sess_events *e)
{
	int due;

	if (!e)
		return -1;
	pthread_mutex_lock(&e->se_t->st_lock);
	due = aen_sink_tick(&e->se_t->st_sink, net_now_ms());
	pthread_mutex_unlock(&e->se_t->st_lock);
	return due;
}

unsigned sess_events_handle(struct sess_events *e)
{
	struct nl_event ev[KEVENTS_BATCH];
	unsigned n, total = 0;
	int rc;

	do {
		rc = kevents_read_batch(&e->se_ke, ev, &n);
		if (rc == RC_AGAIN)
			log_warn("kernel events were lost; sessions may need a rescan");
		else if (rc != RC_OK)
			break;
		for (unsigned i = 0; i < n; i++)
			event_one(e, &ev[i]);
		total += n;
	} while (rc == RC_AGAIN || n == KEVENTS_BATCH);
	return total;
}
