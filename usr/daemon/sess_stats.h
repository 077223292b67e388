/* Connection statistics for stock's "iscsiadm -m session -r SID -s": the
 * kernel's ISCSI_UEVENT_GET_STATS, answered as stock's iscsid answers. */
#ifndef DAEMON_SESS_STATS_H
#define DAEMON_SESS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "ipc.h"

struct sess_table;

/* Pure: the kernel's stats message (uevent, struct iscsi_stats, custom
 * entries; len bytes from the uevent on) into the answer. RC_INTERNAL when
 * too short; custom_length is clamped to the entries present. */
int sess_stats_fill(const uint8_t *uevent, size_t len, struct ipc_abi_rsp *rsp);
/* Asks the kernel for session sid's statistics. RC_SESS_NOT_FOUND when
 * iscsid does not hold the session, RC_INTERNAL when the kernel fails. */
int sess_stats_get(struct sess_table *t, int sid, struct ipc_abi_rsp *rsp);

#endif
