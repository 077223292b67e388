/* The autoscan policy (iscsid.conf(5) AUTOSCAN CONTROL, "What each event
 * does"; iscsid(8) AUTOSCAN CONTROL): one pure function decides what a
 * scan event does for a session, from node.session.scan and
 * node.session.autoscan_en (the record's own value, else iscsid.conf's at
 * the time of the event). The executor (usr/core/scan.h) carries it out. */
#ifndef CORE_SCAN_POLICY_H
#define CORE_SCAN_POLICY_H
#include <stdint.h>

enum scan_event {
	SCAN_EV_LOGIN,      /* login of a new session (also node.startup = automatic) */
	SCAN_EV_STARTUP,    /* iscsid start taking over an existing session */
	SCAN_EV_AEN,        /* async message, SCSI event, sense 3F/0E */
	SCAN_EV_RELOGIN,    /* re-login after a connection loss */
	SCAN_EV_RESCAN,     /* iscsiadm -m session -r SID --rescan */
	SCAN_EV_RESCAN_LUN, /* iscsiadm -m session -r SID --rescan --lun N */
	SCAN_EV_COUNT
};

enum scan_action {
	SCAN_NONE,          /* nothing */
	SCAN_LUN0,          /* "0 0 0": LUN 0 only, no REPORT LUNS */
	SCAN_ALL,           /* "- - -": REPORT LUNS, every LUN */
	SCAN_REFRESH,       /* rescan devices present, add none */
	SCAN_LUN,           /* "0 0 N": that LUN only */
};

struct scan_settings {
	int ss_manual;          /* node.session.scan = manual */
	int ss_rec_autoscan;    /* record's autoscan_en: 1 Yes, 0 No, -1 never set */
	int ss_conf_autoscan;   /* iscsid.conf's autoscan_en now (1 if absent) */
};

struct scan_plan {
	enum scan_action sp_action;
	uint64_t sp_lun;        /* SCAN_LUN */
	const char *sp_row;     /* policy row, e.g. "login, autoscan_en=No" */
	const char *sp_why;     /* one line: what and why, for the info log */
};

/* lun is used by SCAN_EV_RESCAN_LUN only. */
struct scan_plan scan_plan(enum scan_event ev, const struct scan_settings *s, uint64_t lun);
const char *scan_event_name(enum scan_event ev);
const char *scan_action_name(enum scan_action a);

#endif
