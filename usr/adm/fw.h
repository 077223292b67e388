/* iscsiadm -m fw [-l] and firmware (iBFT) discovery, -t fw. */
#ifndef ADM_FW_H
#define ADM_FW_H
#include "opts.h"

/* -m fw: print the firmware's boot targets, or log in to them (-l). */
int adm_fw_run(const struct adm_opts *o);
/* -m discovery -t fw, -m discoverydb -t fw -D: node records from the
 * firmware's boot targets (-o new|update|delete, default all three),
 * printed as a discovery prints them, logged in to with -l. */
int adm_fw_discover(const struct adm_opts *o);
/* -m discoverydb -t fw: discovers with -D, else stock's refusal. */
int adm_fw_discoverydb(const struct adm_opts *o);

#endif
