/* iscsiadm -m iface: listing (flat, -P 1), show, -o new|update|delete. */
#ifndef ADM_IFACE_H
#define ADM_IFACE_H
#include "opts.h"

int adm_iface_run(const struct adm_opts *o);

#endif
