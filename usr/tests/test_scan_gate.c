/* The scan gate (iscsid(8), SESSIONS): one scan in flight per host, events during
 * it fold into exactly one more scan afterwards. */
#include "t.h"
#include "scan_gate.h"

static void test_idle_event_starts_a_scan(void)
{
	struct scan_gate g = { 0 };

	T_CHECK(!scan_gate_busy(&g));
	T_INTEQ(scan_gate_ask(&g), 1);
	T_INTEQ(g.g_state, SCAN_GATE_RUNNING);
	T_CHECK(scan_gate_busy(&g));
	T_INTEQ(scan_gate_done(&g), 0);
	T_INTEQ(g.g_state, SCAN_GATE_IDLE);
}

/* 100 events during one scan: none starts a scan, one runs afterwards,
 * and after that one the gate is idle (no event came during it). */
static void test_storm_folds_into_one_more(void)
{
	struct scan_gate g = { 0 };
	int started = scan_gate_ask(&g);

	for (int i = 0; i < 100; i++)
		started += scan_gate_ask(&g);
	T_INTEQ(started, 1);
	T_INTEQ(g.g_state, SCAN_GATE_PENDING);
	T_CHECK(scan_gate_pending(&g));
	T_INTEQ(g.g_events, 101);
	T_INTEQ(scan_gate_done(&g), 1);
	T_INTEQ(g.g_state, SCAN_GATE_RUNNING);
	T_INTEQ(g.g_scans, 2);
	T_CHECK(!scan_gate_pending(&g));
	T_INTEQ(scan_gate_done(&g), 0);
	T_CHECK(!scan_gate_busy(&g));
}

/* A steady stream: every scan sees events during it, so scans run back to
 * back, never two at once: scans = rounds + 1, whatever the event count. */
static void test_stream_never_overlaps(void)
{
	struct scan_gate g = { 0 };
	int in_flight = 0, max_in_flight = 0, scans = 0;

	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 7; i++)
			if (scan_gate_ask(&g)) {
				in_flight++;
				scans++;
			}
		max_in_flight = in_flight > max_in_flight ? in_flight : max_in_flight;
		in_flight--;
		if (scan_gate_done(&g)) {
			in_flight++;
			scans++;
		}
	}
	while (in_flight) {
		in_flight--;
		if (scan_gate_done(&g)) {
			in_flight++;
			scans++;
		}
	}
	T_INTEQ(max_in_flight, 1);
	T_INTEQ(scans, 11);
	T_INTEQ(g.g_state, SCAN_GATE_IDLE);
}

static void test_reset_forgets_pending(void)
{
	struct scan_gate g = { 0 };

	scan_gate_ask(&g);
	scan_gate_ask(&g);
	scan_gate_reset(&g);
	T_INTEQ(g.g_state, SCAN_GATE_IDLE);
	T_INTEQ(g.g_events, 0);
	T_INTEQ(scan_gate_done(&g), 0);
	T_INTEQ(scan_gate_ask(&g), 1);
}

int main(void)
{
	T_RUN(test_idle_event_starts_a_scan);
	T_RUN(test_storm_folds_into_one_more);
	T_RUN(test_stream_never_overlaps);
	T_RUN(test_reset_forgets_pending);
	return T_DONE();
}
