/* iscsiadm -m discoverydb: SendTargets discovery records (-o new, update,
 * delete, show) and their listing; --discover goes to adm_discovery_run. */
#ifndef ADM_DISCOVERYDB_H
#define ADM_DISCOVERYDB_H
#include "opts.h"

int adm_discoverydb_run(const struct adm_opts *o);
/* The listing "-m discoverydb" / "-m discovery" print without -t/-p:
 * "IP:PORT via sendtargets", or with -P 1 the SENDTARGETS / iSNS / STATIC
 * / FIRMWARE tree. RC_NO_OBJS_FOUND (exit 21) when there are no discovery
 * records, as stock. Exposed so discovery mode prints the same. */
int adm_discoverydb_list(const struct adm_opts *o);

#endif
