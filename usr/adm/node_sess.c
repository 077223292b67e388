/* Which node records a session is using: sysfs, read through
 * libopeniscsiusr. Stock refuses to delete such a record. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "libopeniscsiusr/libopeniscsiusr.h"
#include "node.h"
#include "rec.h"

struct adm_sessions {
	struct iscsi_context *as_ctx;
	struct iscsi_session **as_ses;
	uint32_t as_n;
};

struct adm_sessions *adm_sessions_load(void)
{
	struct adm_sessions *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->as_ctx = iscsi_context_new();
	if (!s->as_ctx) {
		free(s);
		return NULL;
	}
	/* no sysfs tree (module not loaded) only means no session: be quiet */
	iscsi_context_log_priority_set(s->as_ctx, 0);
	if (iscsi_sessions_get(s->as_ctx, &s->as_ses, &s->as_n) != 0) {
		s->as_ses = NULL;
		s->as_n = 0;
	}
	return s;
}

void adm_sessions_free(struct adm_sessions *s)
{
	if (!s)
		return;
	iscsi_sessions_free(s->as_ses, s->as_n);
	iscsi_context_free(s->as_ctx);
	free(s);
}

static int same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* A session uses a record when target, persistent portal and iface agree. */
static int uses(struct iscsi_session *se, const struct rec *r)
{
	struct iscsi_iface *ifc = iscsi_session_iface_get(se);
	const char *ifname = ifc ? iscsi_iface_name_get(ifc) : NULL;
	long long port = -1;

	rec_get_int(r, "node.conn[0].port", &port);
	return same_str(iscsi_session_target_name_get(se), rec_get(r, "node.name")) &&
	       same_str(iscsi_session_persistent_address_get(se),
			rec_get(r, "node.conn[0].address")) &&
	       iscsi_session_persistent_port_get(se) == port &&
	       (!ifname || same_str(ifname, rec_get(r, "iface.iscsi_ifacename")));
}

int adm_sessions_use(const struct adm_sessions *s, const struct rec *r)
{
	for (uint32_t i = 0; s && i < s->as_n; i++)
		if (uses(s->as_ses[i], r))
			return 1;
	return 0;
}
