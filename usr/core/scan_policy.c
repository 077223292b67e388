/* The autoscan policy table of iscsid.conf(5), "What each event does", as
 * data: one row per event, one column per setting (scan = manual,
 * autoscan_en = No, autoscan_en = Yes). */
#include "scan_policy.h"

enum { COL_MANUAL, COL_NO, COL_YES, COL_COUNT };

struct policy_cell {
	enum scan_action pc_action;
	const char *pc_row;
	const char *pc_why;
};

static const struct policy_cell policy_table[SCAN_EV_COUNT][COL_COUNT] = {
	[SCAN_EV_LOGIN] = {
		{ SCAN_NONE, "login, scan=manual", "new session, scan is manual: no scan" },
		{ SCAN_LUN0, "login, autoscan_en=No", "new session with autoscan off: LUN 0 only" },
		{ SCAN_ALL, "login, autoscan_en=Yes", "new session with autoscan on: all LUNs" },
	},
	[SCAN_EV_STARTUP] = {
		{ SCAN_NONE, "startup, scan=manual", "session taken over at iscsid start, scan is manual: no scan" },
		{ SCAN_LUN0, "startup, autoscan_en=No", "session taken over at iscsid start with autoscan off: LUN 0 only" },
		{ SCAN_REFRESH, "startup, autoscan_en=Yes", "session taken over at iscsid start: refresh present devices, add none" },
	},
	[SCAN_EV_AEN] = {
		{ SCAN_NONE, "aen, scan=manual", "target reported LUN change (3F/0E), scan is manual: no scan" },
		{ SCAN_LUN0, "aen, autoscan_en=No", "target reported LUN change (3F/0E) with autoscan off: LUN 0 only" },
		{ SCAN_ALL, "aen, autoscan_en=Yes", "target reported LUN change (3F/0E) with autoscan on: all LUNs" },
	},
	[SCAN_EV_RELOGIN] = {
		{ SCAN_REFRESH, "relogin, scan=manual", "re-login after connection loss: refresh present devices only" },
		{ SCAN_REFRESH, "relogin, autoscan_en=No", "re-login after connection loss: refresh present devices only" },
		{ SCAN_REFRESH, "relogin, autoscan_en=Yes", "re-login after connection loss: refresh present devices only" },
	},
	[SCAN_EV_RESCAN] = {
		{ SCAN_REFRESH, "rescan, scan=manual", "rescan requested, scan is manual: refresh present devices only" },
		{ SCAN_REFRESH, "rescan, autoscan_en=No", "rescan requested with autoscan off: refresh present devices only" },
		{ SCAN_ALL, "rescan, autoscan_en=Yes", "rescan requested with autoscan on: all LUNs (as stock)" },
	},
	[SCAN_EV_RESCAN_LUN] = {
		{ SCAN_LUN, "rescan --lun, scan=manual", "rescan of one LUN requested: that LUN only" },
		{ SCAN_LUN, "rescan --lun, autoscan_en=No", "rescan of one LUN requested: that LUN only" },
		{ SCAN_LUN, "rescan --lun, autoscan_en=Yes", "rescan of one LUN requested: that LUN only" },
	},
};

/* The record's own value wins; a record that never set it follows the
 * global value as it is now, not as it was when the record was written. */
static int policy_column(const struct scan_settings *s)
{
	int autoscan;

	if (s->ss_manual)
		return COL_MANUAL;
	autoscan = s->ss_rec_autoscan >= 0 ? s->ss_rec_autoscan : s->ss_conf_autoscan;
	return autoscan ? COL_YES : COL_NO;
}

struct scan_plan scan_plan(enum scan_event ev, const struct scan_settings *s, uint64_t lun)
{
	struct scan_plan p = { SCAN_NONE, 0, "unknown event", "unknown scan event: no scan" };
	const struct policy_cell *c;

	if ((unsigned)ev >= SCAN_EV_COUNT || !s)
		return p;
	c = &policy_table[ev][policy_column(s)];
	p.sp_action = c->pc_action;
	p.sp_row = c->pc_row;
	p.sp_why = c->pc_why;
	if (p.sp_action == SCAN_LUN)
		p.sp_lun = lun;
	return p;
}

const char *scan_event_name(enum scan_event ev)
{
	static const char *const names[SCAN_EV_COUNT] = {
		"login", "startup", "aen", "relogin", "rescan", "rescan-lun",
	};
	return (unsigned)ev < SCAN_EV_COUNT ? names[ev] : "unknown";
}

const char *scan_action_name(enum scan_action a)
{
	switch (a) {
	case SCAN_NONE: return "none";
	case SCAN_LUN0: return "lun0";
	case SCAN_ALL: return "all";
	case SCAN_REFRESH: return "refresh";
	case SCAN_LUN: return "lun";
	}
	return "unknown";
}
