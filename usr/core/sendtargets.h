/* SendTargets discovery (RFC 7143 appendix C): a discovery session (login
 * with SessionType=Discovery and optional CHAP, "SendTargets=All" text
 * exchange continued over as many PDUs as the target needs, logout) and the
 * pure parser of its answer. */
#ifndef CORE_SENDTARGETS_H
#define CORE_SENDTARGETS_H
#include <stdint.h>
#include <stddef.h>
#include "login.h"
#include "text.h"

#define ST_TPGT_UNKNOWN (-1)
/* Portals one answer may name in all: each becomes a node record (per
 * iface), and a hostile 1 MiB answer could otherwise make ~58,000 of them. */
#define ST_MAX_PORTALS 4096

struct st_portal {
	char sp_host[LOGIN_ADDR_MAX];   /* IPv4, IPv6 (no brackets) or a name */
	uint16_t sp_port;
	int sp_tpgt;                    /* ST_TPGT_UNKNOWN if not given */
};

struct st_target {
	char stt_name[LOGIN_NAMELEN];
	struct st_portal *stt_portals;
	size_t stt_n;
	size_t stt_addr_keys;           /* TargetAddress keys seen, kept or not */
};

/* Where a failed discovery stopped; callers decide about retrying. */
enum st_phase { ST_PHASE_NONE, ST_PHASE_CONNECT, ST_PHASE_LOGIN, ST_PHASE_TEXT };

struct st_result {
	struct st_target *sr_targets;
	size_t sr_n;
	enum st_phase sr_failed;   /* ST_PHASE_NONE on success */
	size_t sr_skipped;         /* entries left out: bad name or address */
};

void st_result_free(struct st_result *r);

/* "ip:port,tpgt", "[v6]:port,tpgt", "ip", "name:port" ... 0 / -EINVAL. */
int st_parse_address(const char *val, uint16_t default_port, struct st_portal *out);
/* Turns the response keys into targets; a TargetName with no address gets
 * the discovery portal (def). Keys other than TargetName/TargetAddress are
 * ignored. A TargetName that cannot be a name (empty, over 223 bytes) is
 * left out with its addresses, an unparsable TargetAddress alone; both
 * count in sr_skipped. 0, -EBADMSG (address before any name), -E2BIG (more
 * than ST_MAX_PORTALS portals), -ENOMEM. */
int st_parse_response(const struct text_list *kv, const struct st_portal *def,
		      struct st_result *out);

struct st_request {
	const char *sq_host;            /* discovery portal */
	uint16_t sq_port;
	int sq_conn_timeout_ms;         /* connect */
	int sq_reply_timeout_ms;        /* SendTargets answer and logout */
	struct login_params sq_login;   /* lp_discovery is forced on */
};

/* Runs the whole discovery. Returns an enum iscsi_rc; res (login outcome)
 * is filled whenever a login was attempted, err gets a one-line reason. */
int st_discover(const struct st_request *rq, struct st_result *out,
		struct login_result *res, char *err, size_t errcap);

#endif
