/* Internals shared by discovery.c and discovery_run.c. */
#ifndef ADM_DISCOVERY_INT_H
#define ADM_DISCOVERY_INT_H
#include "login.h"
#include "sendtargets.h"

struct rec;

/* Login parameters for a discovery session from a discovery record. */
void disc_login_params(const struct rec *d, const char *iname, struct login_params *lp);
/* Runs SendTargets against host:port with retries (reopen_max) and
 * stock's messages; returns an enum iscsi_rc. */
int disc_sendtargets(const struct rec *d, const char *iname, const char *host, int port,
		     struct st_result *out);

#endif
