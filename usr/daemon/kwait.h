/* Waiting for one session's Login or Logout response from the kernel.
 *
 * The kernel multicasts every PDU it passes up (and every connection error)
 * to all event sockets. When each login or logout opened a socket of its
 * own, N of them in flight each received every session's events: N^2
 * copies at boot or at "-U all". So iscsid's main loop, which reads the one
 * event socket anyway, routes them: a thread registers a wait (session id,
 * opcode) before it sends, and the main loop hands the matching PDU or
 * connection error to it. Without a router (ksmoke, or iscsid before the
 * transport module was loaded) a wait falls back to a socket of its own. */
#ifndef DAEMON_KWAIT_H
#define DAEMON_KWAIT_H
#include <pthread.h>
#include <stdint.h>
#include "kernel.h"

struct kwait;

/* The main loop's side. */
struct kroute {
	pthread_mutex_t r_lock;
	struct kwait *r_head;
	int r_live;		/* the main loop reads the event socket */
};
void kroute_init(struct kroute *r);
void kroute_fini(struct kroute *r);
/* Set once the main loop has its event socket open. */
void kroute_live(struct kroute *r);
/* Offers an event to the waits: a RECV_PDU a wait asked for is taken (1
 * returned: nobody else should act on it); a CONN_ERROR ends the session's
 * waits and is still returned untaken (0), since recovery needs it too. */
int kroute_offer(struct kroute *r, const struct nl_event *ev);

/* The waiting thread's side. route may be NULL (own socket). Open before
 * sending the request, so the response cannot slip past. */
int kwait_open(struct kwait **w, struct kroute *route, uint32_t sid, uint8_t op);
/* The next PDU with that opcode for that session: RC_OK with ev filled (its
 * data valid until the next kwait_next or kwait_close), RC_TRANS when the
 * kernel reported the connection failed, RC_TRANS_TIMEOUT after end
 * (net_now_ms() clock). */
int kwait_next(struct kwait *w, int64_t end, struct nl_event *ev);
void kwait_close(struct kwait *w);

#endif
