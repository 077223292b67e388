/* The per-host scan gate (see scan_gate.h). */
#include "scan_gate.h"

int scan_gate_ask(struct scan_gate *g)
{
	g->g_events++;
	if (g->g_state != SCAN_GATE_IDLE) {
		g->g_state = SCAN_GATE_PENDING;
		return 0;
	}
	g->g_state = SCAN_GATE_RUNNING;
	g->g_scans++;
	return 1;
}

int scan_gate_done(struct scan_gate *g)
{
	if (g->g_state == SCAN_GATE_PENDING) {
		g->g_state = SCAN_GATE_RUNNING;
		g->g_scans++;
		return 1;
	}
	scan_gate_reset(g);
	return 0;
}

int scan_gate_pending(const struct scan_gate *g)
{
	return g->g_state == SCAN_GATE_PENDING;
}

int scan_gate_busy(const struct scan_gate *g)
{
	return g->g_state != SCAN_GATE_IDLE;
}

void scan_gate_reset(struct scan_gate *g)
{
	g->g_state = SCAN_GATE_IDLE;
	g->g_events = 0;
	g->g_scans = 0;
}
