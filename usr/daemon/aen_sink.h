/* AENs folded in the kernel.
 *
 * A target that repeats "REPORTED LUNS DATA HAS CHANGED" 100 times a second
 * per session costs few scans (the gate folds them, scan_gate.h), but every
 * AEN still crossed into iscsid, and none may simply be filtered out: the
 * kernel fails the connection of an AEN no netlink socket took. Once a
 * session's gate holds a pending scan, though, what matters until its next
 * scan begins is only whether more AENs came, not how many. So from then on
 * a socket filter keeps that session's SCSI AENs off the event socket and a
 * second filter sends them to a socket of the session's own, its sink,
 * which is never read: the kernel counts them delivered, iscsid never
 * copies them, and the sink's fill (SO_MEMINFO) tells whether any came
 * since the running scan began. A sink is replaced (its queue freed by the
 * kernel in one close) long before it fills. When a scan ends with nothing
 * new in the sink, the session leaves: its AENs reach the event socket
 * again and the gate sees them as before.
 *
 * Order keeps an AEN always deliverable: the sink exists before the event
 * socket's filter drops the session, and goes only after the filter passes
 * it again. Anything failing turns folding off for good (the event
 * socket's filter removed first, every folded session owed one more scan)
 * and AENs are read one by one as before, as they are without the rights
 * for a large sink buffer (not root).
 *
 * Guarded by the session table's lock: the gate and the filters change
 * together. */
#ifndef DAEMON_AEN_SINK_H
#define DAEMON_AEN_SINK_H

#include <stdint.h>
#include <linux/filter.h>

#include "aen_filter.h"

struct aen_fold {           /* one folded session */
	uint32_t f_sid;
	int f_fd;               /* its sink; -1 once folding was turned off */
	uint32_t f_mark;        /* the sink's fill when its current scan began */
	int f_arrived;          /* AENs came since then (seen before a swap) */
};

struct aen_sink {
	int k_main;             /* the event socket (not owned); -1: not open */
	int k_off;              /* folding given up (logged once) */
	unsigned k_n;
	struct aen_fold k_fold[AEN_FILTER_MAX_SIDS];
	uint32_t k_sids[AEN_FILTER_MAX_SIDS];   /* the event socket's filter */
	struct sock_filter k_prog[AEN_FILTER_LEN(AEN_FILTER_MAX_SIDS)];
	int64_t k_checked_ms;
};

void aen_sink_init(struct aen_sink *k);
/* The main loop opened (fd >= 0) or is closing (-1) its event socket. */
void aen_sink_main(struct aen_sink *k, int fd);
/* A scan of sid is pending: fold its SCSI AENs from now on. 1 when they
 * are (or already were), 0 when they are read as usual. */
int aen_sink_add(struct aen_sink *k, uint32_t sid);
/* A scan of a folded sid begins: AENs from now on count for the next. */
void aen_sink_mark(struct aen_sink *k, uint32_t sid);
/* Whether sid is folded (also after folding was turned off, until its
 * owed scan ended). */
int aen_sink_folded(const struct aen_sink *k, uint32_t sid);
/* Whether AENs of a folded sid came since its mark (0 when not folded). */
int aen_sink_arrived(const struct aen_sink *k, uint32_t sid);
/* sid's AENs reach the event socket again; returns whether any came to its
 * sink since the mark, up to that moment (0 when it was not folded). */
int aen_sink_del(struct aen_sink *k, uint32_t sid);
/* Called every turn of the main loop: replaces sinks a quarter full now
 * and then; returns ms until it wants to look again, -1 with no sink. */
int aen_sink_tick(struct aen_sink *k, int64_t now_ms);

#endif
