/* From a node record to what a login and the kernel need (pure: record in,
 * structs out). The strings login_params points at live in the ksess_conf
 * of the same struct, so a sess_cfg must not be copied by value. */
#ifndef DAEMON_SESS_PARAMS_H
#define DAEMON_SESS_PARAMS_H

#include <stdint.h>

#include "ksession.h"
#include "login.h"
#include "scan_policy.h"

struct rec;
struct conf;

struct sess_cfg {
	struct login_params sc_login;
	struct ksess_conf sc_kern;
	int sc_login_retry_max;    /* node.session.initial_login_retry_max */
	int sc_replacement_tmo;    /* seconds */
};

/* RC_OK, or RC_INVAL with a logged reason (no initiator name, bad value). */
int sess_cfg_build(const struct rec *r, const char *iname, const uint8_t isid[6],
		   struct sess_cfg *c);
/* The autoscan inputs for a record: its scan mode, its own autoscan_en
 * (-1 when never set) and iscsid.conf's value now (conf may be NULL). */
void sess_scan_settings(const struct rec *r, const struct conf *conf,
			struct scan_settings *s);
/* The same at an event of a logged-in session: the record as it is on disk
 * now (disk, NULL when deleted) wins over the copy taken at login, so an
 * "iscsiadm -o update" of node.session.scan or autoscan_en reaches the
 * next AEN, rescan or recovery, as iscsid.conf's default does. */
void sess_scan_settings_now(const struct rec *login, const struct rec *disk,
			    const struct conf *conf, struct scan_settings *s);
/* ISID for the n-th session this iscsid creates: OUI format, 00023d. */
void sess_isid(uint32_t n, uint8_t isid[6]);

#endif
