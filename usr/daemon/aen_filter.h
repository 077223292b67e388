/* Socket filters that fold AENs in the kernel (aen_sink.h says why and
 * how). Pure: builds classic BPF programs over the bytes of one
 * NETLINK_ISCSI event message. */
#ifndef DAEMON_AEN_FILTER_H
#define DAEMON_AEN_FILTER_H

#include <stdint.h>
#include <linux/filter.h>

/* Most sessions a filter names (2 instructions each, under the kernel's
 * 4096); the AENs of any more are read as usual. */
#define AEN_FILTER_MAX_SIDS 1024
/* Room a program for n sessions needs. */
#define AEN_FILTER_LEN(n) (15 + 2 * (n))

enum aen_filter_side {
	AEN_FILTER_MAIN,  /* the event socket: everything but the folded AENs */
	AEN_FILTER_SINK   /* the sink: the folded AENs only */
};

/* A folded AEN: a RECV_PDU event carrying an Asynchronous Message with a
 * SCSI event, of one of the n sessions in sids. Writes the program for
 * side into prog (room for AEN_FILTER_LEN(n)) and returns its length; 0
 * when n > AEN_FILTER_MAX_SIDS. */
unsigned aen_filter_build(enum aen_filter_side side, const uint32_t *sids, unsigned n,
			  struct sock_filter *prog);

#endif
