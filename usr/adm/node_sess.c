/* Which node records a session is using, from the sessions sysfs lists
 * (adm_sysfs_sessions). Stock refuses to delete such a record. */
#include <stdlib.h>
#include "daemon_req.h"
#include "err.h"
#include "node.h"

struct adm_sessions {
	struct adm_sess *as_v;
	size_t as_n;
};

struct adm_sessions *adm_sessions_load(void)
{
	struct adm_sessions *s = calloc(1, sizeof(*s));

	/* no sysfs tree (module not loaded) only means no session */
	if (s && adm_sysfs_sessions(&s->as_v, &s->as_n) != RC_OK) {
		free(s->as_v);
		s->as_v = NULL;
		s->as_n = 0;
	}
	return s;
}

void adm_sessions_free(struct adm_sessions *s)
{
	if (!s)
		return;
	free(s->as_v);
	free(s);
}

int adm_sessions_use(const struct adm_sessions *s, const struct rec *r)
{
	for (size_t i = 0; s && i < s->as_n; i++)
		if (adm_sess_matches_rec(&s->as_v[i], r))
			return 1;
	return 0;
}
