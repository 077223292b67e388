/* iscsid's session table and the life of each session: login (usr/core/login's
 * driver) and kernel bring-up (the kernel edge, kernel.h/ksession.h), the scan its policy row
 * asks for, logout, recovery after a connection error, and takeover of
 * sessions found in sysfs at start-up. Their state and flags change only
 * through the state table in sess_fsm.c.
 *
 * Every operation runs in the caller's thread (one thread per iscsiadm
 * request, one per recovery), so sessions never wait for each other; the
 * table lock is only held to look up, reserve or drop an entry. A login
 * reserves its entry (target, portal, iface) before it starts, which is
 * what keeps two concurrent "-L all" from creating the same session twice.
 */
#ifndef DAEMON_SESS_H
#define DAEMON_SESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "aen_sink.h"
#include "ipc.h"
#include "ksession.h"
#include "kwait.h"
#include "scan_gate.h"
#include "scan_policy.h"
#include "sess_fsm.h"
#include "sess_scanset.h"

struct idb_match;
struct rec;

/* What identifies a session to iscsiadm: one per (target, portal, iface). */
struct sess_key {
	char sk_target[224];
	char sk_addr[256];
	int  sk_port;
	char sk_iface[64];
};

struct sess {
	struct sess_key s_key;
	int s_tpgt;
	int s_sid;                 /* kernel session id, -1 before creation */
	struct ksess s_ks;         /* the kernel's side (sid, cid, host, fd) */
	struct sess_life s_life;   /* state and flags: sess_fsm() writes them */
	struct scan_gate s_aen_gate; /* AEN scans: one in flight, one more pending */
	int64_t s_aen_scan_end_ms; /* when its last AEN scan ended (0: none) */
	int64_t s_recovered_ms;    /* when the last recovery succeeded */
	int s_flaps;               /* recoveries in quick succession */
	struct rec *s_rec;         /* the node record it logged in with */
	struct scanset s_scanset;  /* settings of its last scan, under st_lock */
	struct sess *s_next;
};

struct sess_table {
	pthread_mutex_t st_lock;
	pthread_cond_t st_cond;    /* signalled when a session is let go */
	struct sess *st_head;
	char *st_config;           /* iscsid.conf path (read at each event) */
	char *st_iname;            /* initiator name */
	char *st_ialias;           /* initiator alias, may be NULL */
	uint32_t st_isid_next;     /* ISID qualifier of the next new session */
	struct kroute st_route;    /* Login/Logout responses from the main loop */
	struct aen_sink st_sink;   /* AENs folded in the kernel, under st_lock */
};

/* --- the table (pure, under st_lock) --- */
int sess_table_init(struct sess_table *t, const char *config, const char *iname);
void sess_table_fini(struct sess_table *t);
/* Target, portal and iface of a node record; RC_INVALID_MGMT_REQ when
 * missing or too long. */
int sess_key_from_rec(const struct rec *r, struct sess_key *k);
int sess_key_eq(const struct sess_key *a, const struct sess_key *b);
/* Reserves an entry for a login: NULL with *rc = RC_SESS_EXISTS when one
 * exists (in any state) for the key, unless multiple (stock's
 * session.multiple: one more session to the same target and portal). */
struct sess *sess_reserve(struct sess_table *t, const struct sess_key *k,
			  int multiple, int *rc);
struct sess *sess_find_sid(struct sess_table *t, int sid);
void sess_unlink(struct sess_table *t, struct sess *s);
/* Applies event ev to s by the state table (sess_fsm.c), logs it with the
 * session id and peer, and returns what the caller must do next. The
 * _locked form is for callers that hold st_lock. */
enum sess_act sess_fsm(struct sess_table *t, struct sess *s, enum sess_ev ev);
enum sess_act sess_fsm_locked(struct sess_table *t, struct sess *s, enum sess_ev ev);
/* Whether a logout told the thread holding s to give up (read under st_lock). */
int sess_stopping(struct sess_table *t, const struct sess *s);
/* iscsid's state of session sid as stock reports it (enum ipc_conn_state,
 * enum ipc_r_stage); RC_SESS_NOT_FOUND when iscsid does not hold it. */
int sess_state_get(struct sess_table *t, int sid, int *conn, int *stage);

/* --- operations (I/O; each in its own thread) --- */
/* Logs in with record r (taken over, freed on failure) and runs the scan
 * its policy row asks for. */
int sess_login(struct sess_table *t, struct rec *r, int multiple);
int sess_logout(struct sess_table *t, int sid);
int sess_rescan(struct sess_table *t, int sid, int64_t lun);	/* lun -1: every LUN */
/* The first node record m selects as it is on disk now (a copy), or NULL
 * when there is none or the database cannot be read. */
struct rec *sess_rec_find(const struct idb_match *m);
/* The node record of k (and tpgt, -1 = any): sess_rec_find. */
struct rec *sess_rec_now(const struct sess_key *k, int tpgt);
/* Runs the scan the policy row for ev asks for, with the record's settings
 * as they are on disk now; logs the row and why. */
int sess_scan(struct sess_table *t, struct sess *s, enum scan_event ev, uint64_t lun);
/* Runs fn(t, s) in a detached thread; s must be marked busy already. */
int sess_spawn(struct sess_table *t, struct sess *s,
	       void (*fn)(struct sess_table *, struct sess *));
/* Adopts the sessions sysfs lists (after a restart): no re-login, the
 * start-up policy row decides the scan (sess_takeover.c). Returns how many
 * were adopted. */
int sess_takeover(struct sess_table *t);
/* Recovery thread body: re-login with backoff (sess_recover.c). */
void sess_recover(struct sess_table *t, struct sess *s);
/* Marks s not busy and wakes waiters; starts the recovery a connection
 * error asked for while it was busy. */
void sess_release(struct sess_table *t, struct sess *s);
/* The rest of a release whose SEV_RELEASE the caller applied itself under
 * st_lock (sess_fsm_locked, returning a), atomically with other changes:
 * starts the deferred logout or recovery a asks for. Without the lock. */
void sess_release_then(struct sess_table *t, struct sess *s, enum sess_act a);

#endif
