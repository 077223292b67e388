/* The scan executor: carries out a struct scan_plan through sysfs. Writes
 * to scsi_host/hostN/scan are synchronous in the kernel, so when these
 * functions return the scan is finished and the devices exist. */
#ifndef CORE_SCAN_H
#define CORE_SCAN_H
#include <stddef.h>
#include <stdint.h>
#include "scan_policy.h"
struct rec;
struct conf;

/* iscsi_tcp puts each session on its own host, channel 0, target id 0. */
#define SCAN_CHANNEL 0
#define SCAN_TARGET  0

/* sysfs_root NULL: $ISCSI_SYSFS_ROOT or "/sys". Returns an enum iscsi_rc;
 * *ndev (may be NULL) gets the number of devices refreshed (SCAN_REFRESH). */
int scan_run(const char *sysfs_root, uint32_t host_no, const struct scan_plan *p, int *ndev);

/* The pieces, usable alone: write "C T L" (each a number or "-") to
 * class/scsi_host/host<N>/scan; and write "1" to .../rescan of each
 * class/scsi_device/<N>:*:*:* that exists. */
int scan_host_write(const char *sysfs_root, uint32_t host_no, const char *spec);
int scan_refresh_host(const char *sysfs_root, uint32_t host_no, int *ndev);
/* The scan spec string for an action ("0 0 0", "- - -", "0 0 5"); buf of
 * at least 48 bytes. NULL for SCAN_NONE / SCAN_REFRESH. */
const char *scan_spec(enum scan_action a, uint64_t lun, char *buf, size_t cap);

/* The policy's inputs for a session: its record (NULL when it has none)
 * and iscsid.conf as it is now (NULL: absent or unreadable). */
void scan_settings_from(const struct rec *r, const struct conf *conf, struct scan_settings *s);
#endif
