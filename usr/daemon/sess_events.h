/* What the kernel tells iscsid about running sessions (connection errors,
 * PDUs it passes up such as Asynchronous Messages) and what iscsid does
 * about it: recovery, target-requested logout, AEN scans; each event goes
 * through the session state table (sess_fsm.h) first. The main loop polls
 * sess_events_fd() and calls sess_events_handle(); the work itself runs in
 * session threads so the loop never waits on a target. */
#ifndef DAEMON_SESS_EVENTS_H
#define DAEMON_SESS_EVENTS_H

#include <stddef.h>
#include <stdint.h>

struct sess_table;
struct sess_events;

/* NULL when the kernel has no iSCSI transport (the daemon still serves
 * requests; logins will report the missing driver). quiet: no warning
 * (the main loop retries now and then). */
struct sess_events *sess_events_open(struct sess_table *t, int quiet);
void sess_events_close(struct sess_events *e);
/* -1 for NULL, which poll() ignores. */
int sess_events_fd(const struct sess_events *e);
/* Reads and acts on every event waiting; returns how many there were. */
unsigned sess_events_handle(struct sess_events *e);
/* Upkeep of the AEN sink (aen_sink.h), called every turn of the main loop:
 * ms until it is due again, -1 when nothing is waiting (also for NULL). */
int sess_events_tick(struct sess_events *e);

/* Thread body for a claimed session whose target asked for logout (also
 * run by sess_release when the request came while the session was busy). */
struct sess;
void sess_logout_requested(struct sess_table *t, struct sess *s);

/* Pure: what an Asynchronous Message asks (RFC 7143 11.9.1). */
enum sess_aen {
	SESS_AEN_IGNORE,       /* malformed, or nothing for us to do */
	SESS_AEN_SCAN,         /* SCSI event with sense 3F/0E */
	SESS_AEN_LOGOUT,       /* target requests logout */
	SESS_AEN_DROP,         /* target will drop the connection(s) */
	SESS_AEN_RENEGOTIATE
};
/* bhs: 48 bytes; data: the data segment. */
enum sess_aen sess_aen_classify(const uint8_t *bhs, const uint8_t *data, size_t dlen);

#endif
