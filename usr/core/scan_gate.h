/* Coalescing of event-driven scans per SCSI host (iscsid(8), SESSIONS):
 * at most one scan in flight; events that arrive while it runs cause exactly one more
 * scan after it, however many they are. A target that sends "REPORTED LUNS
 * DATA HAS CHANGED" 100 times a second then costs two scans at a time, not
 * a queue of hundreds, and the last change is never lost. Pure: the caller
 * holds whatever lock guards the gate. */
#ifndef CORE_SCAN_GATE_H
#define CORE_SCAN_GATE_H

enum scan_gate_state {
	SCAN_GATE_IDLE,     /* no scan: the next event starts one (zero value) */
	SCAN_GATE_RUNNING,  /* a scan in flight, nothing asked since it began */
	SCAN_GATE_PENDING   /* in flight, and events since: one more to run */
};

struct scan_gate {
	enum scan_gate_state g_state;
	unsigned g_events;  /* events since the gate was last idle */
	unsigned g_scans;   /* scans started since then */
};

/* An event asks for a scan. 1: the caller starts it now (and must call
 * scan_gate_done when it ends); 0: coalesced into the running or pending one. */
int scan_gate_ask(struct scan_gate *g);

/* The running scan ended. 1: run one more now (events came meanwhile);
 * 0: the gate is idle again. */
int scan_gate_done(struct scan_gate *g);

/* Events came during the running scan: one more is due when it ends. */
int scan_gate_pending(const struct scan_gate *g);

/* A scan is in flight (running or running + pending). */
int scan_gate_busy(const struct scan_gate *g);

/* Back to idle without a scan (the session stops; a spawn failed). */
void scan_gate_reset(struct scan_gate *g);
#endif
