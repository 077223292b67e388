/* The policy table of iscsid.conf(5) "What each event does", row by row,
 * plus the rule that an unset record follows iscsid.conf's value at the
 * time of the event. */
#include "t.h"
#include "scan_policy.h"

struct row {
	enum scan_event ev;
	enum scan_action manual, no, yes;
};

/* Written from the table, independently of scan_policy.c. */
static const struct row expected[] = {
	{ SCAN_EV_LOGIN,      SCAN_NONE,    SCAN_LUN0,    SCAN_ALL },
	{ SCAN_EV_STARTUP,    SCAN_NONE,    SCAN_LUN0,    SCAN_REFRESH },
	{ SCAN_EV_AEN,        SCAN_NONE,    SCAN_LUN0,    SCAN_ALL },
	{ SCAN_EV_RELOGIN,    SCAN_REFRESH, SCAN_REFRESH, SCAN_REFRESH },
	{ SCAN_EV_RESCAN,     SCAN_REFRESH, SCAN_REFRESH, SCAN_ALL },
	{ SCAN_EV_RESCAN_LUN, SCAN_LUN,     SCAN_LUN,     SCAN_LUN },
};

static enum scan_action act(enum scan_event ev, int manual, int rec, int conf)
{
	struct scan_settings s = { manual, rec, conf };
	return scan_plan(ev, &s, 7).sp_action;
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct row *r = &expected[i];
		/* manual wins whatever autoscan says */
		T_INTEQ(act(r->ev, 1, 1, 1), r->manual);
		T_INTEQ(act(r->ev, 1, 0, 0), r->manual);
		T_INTEQ(act(r->ev, 1, -1, 1), r->manual);
		T_INTEQ(act(r->ev, 0, 0, 1), r->no);   /* record No beats conf Yes */
		T_INTEQ(act(r->ev, 0, -1, 0), r->no);  /* unset follows conf No */
		T_INTEQ(act(r->ev, 0, 1, 0), r->yes);  /* record Yes beats conf No */
		T_INTEQ(act(r->ev, 0, -1, 1), r->yes); /* default */
	}
}

static void test_lun_and_names(void)
{
	struct scan_settings s = { 0, 0, 1 };
	struct scan_plan p = scan_plan(SCAN_EV_RESCAN_LUN, &s, 42);

	T_INTEQ(p.sp_action, SCAN_LUN);
	T_INTEQ(p.sp_lun, 42);
	T_STREQ(p.sp_row, "rescan --lun, autoscan_en=No");
	T_CHECK(p.sp_why && *p.sp_why);
	p = scan_plan(SCAN_EV_LOGIN, &s, 42);
	T_INTEQ(p.sp_lun, 0);              /* lun only for RESCAN_LUN */
	T_STREQ(p.sp_row, "login, autoscan_en=No");
	T_STREQ(scan_action_name(SCAN_LUN0), "lun0");
	T_STREQ(scan_event_name(SCAN_EV_AEN), "aen");
}

static void test_bad_input(void)
{
	struct scan_settings s = { 0, -1, 1 };

	T_INTEQ(scan_plan(SCAN_EV_COUNT, &s, 0).sp_action, SCAN_NONE);
	T_INTEQ(scan_plan((enum scan_event)-1, &s, 0).sp_action, SCAN_NONE);
	T_INTEQ(scan_plan(SCAN_EV_LOGIN, NULL, 0).sp_action, SCAN_NONE);
}

int main(void)
{
	T_RUN(test_table);
	T_RUN(test_lun_and_names);
	T_RUN(test_bad_input);
	return T_DONE();
}
