/* iscsiadm -m iface: listing (flat, -P 1), show, -o new|update|delete. */
#ifndef ADM_IFACE_H
#define ADM_IFACE_H
#include <stdint.h>
#include "opts.h"

int adm_iface_run(const struct adm_opts *o);

struct idb;
/* -o apply, -o applyall (-H host) and -C ping (iface_apply.c): stock's
 * checks, messages and exit codes; see there for what is not sent. */
int adm_iface_apply(struct idb *db, const struct adm_opts *o);
int adm_iface_applyall(struct idb *db, uint32_t host);
int adm_iface_ping(struct idb *db, const struct adm_opts *o);

#endif
