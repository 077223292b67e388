/* A socket filter on iscsid's event socket that drops, inside the kernel,
 * the SCSI-event Asynchronous Messages of sessions whose AEN scan is
 * already pending (scan_gate.h): each would only fold into that scan. A
 * target repeating "REPORTED LUNS DATA HAS CHANGED" a hundred times a
 * second then costs iscsid a few receives per scan, not one per AEN (the
 * receives were most of its CPU in the AEN storm bench). Every other event,
 * and every AEN of any other session, passes. Other SCSI events of a muted
 * session are dropped too; iscsid ignores them anyway. */
#ifndef DAEMON_KFILTER_H
#define DAEMON_KFILTER_H
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#define KFILTER_MAX_SIDS 1024	/* more pending scans: the rest unfiltered */
#define KFILTER_MAX_INSNS (12 + 2 * KFILTER_MAX_SIDS)

/* The classic BPF program muting sids[0..n-1] (n capped at
 * KFILTER_MAX_SIDS) into prog (KFILTER_MAX_INSNS long); returns its length. */
size_t kfilter_build(const uint32_t *sids, size_t n, struct sock_filter *prog);
/* Attaches that program to fd, replacing the one before; n == 0 detaches.
 * RC_OK or RC_TRANS (logged). */
int kfilter_attach(int fd, const uint32_t *sids, size_t n);

#endif
