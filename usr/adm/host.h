/* iscsiadm -m host: the iSCSI hosts the kernel shows in sysfs
 * (class/iscsi_host, class/scsi_host), printed as stock 2.1.8 prints them,
 * and its -C chap|flashnode|stats sub-modes. The host helpers here are
 * shared with -m iface -o applyall and -C ping. */
#ifndef ADM_HOST_H
#define ADM_HOST_H
#include <stddef.h>
#include <stdint.h>
#include "opts.h"

/* What sysfs tells about one iSCSI host ("" for an unset attribute). */
struct adm_host {
	uint32_t h_no;
	char h_transport[32];	/* "tcp": scsi_host proc_name without "iscsi_" */
	char h_iname[224];
	char h_ipaddress[64];
	char h_hwaddress[64];
	char h_netdev[64];
};

int adm_host_run(const struct adm_opts *o);

/* -H as stock reads it: a number (0 when not given), or a MAC address
 * (any text with ':') looked up among the hosts' hwaddress. RC_OK, or
 * RC_INVAL after stock's message. */
int adm_host_parse(const char *root, const char *arg, uint32_t *host);
/* Reads host no's attributes. RC_OK, or RC_HOST_NOT_FOUND when
 * class/iscsi_host/hostN does not exist. */
int adm_host_read(const char *root, uint32_t no, struct adm_host *h);
/* The transport of host no, as stock's lookup by SCSI host: RC_OK, or
 * RC_TRANS_NOT_FOUND after stock's two messages. */
int adm_host_transport(const char *root, uint32_t no, char *name, size_t size);
/* Transport "tcp" from a scsi_host proc_name "iscsi_tcp" (pure). */
void adm_host_transport_name(const char *proc_name, char *name, size_t size);
/* Which CHAP entry -n names make for -m host -C chap -o new|update
 * (pure): 0 outgoing (host.auth.username + password), 1 incoming (the
 * _in pair), -1 when they form no pair. */
int adm_host_chap_pair(const char *const *names, size_t n);
/* The host an iface is bound to, looked up as stock does: by hwaddress,
 * else netdev, else ipaddress (the first one set and not "default").
 * RC_OK, RC_HOST_NOT_FOUND, or RC_INVAL when the iface names none. */
int adm_host_by_hwinfo(const char *root, const char *hwaddress, const char *netdev,
		       const char *ipaddress, uint32_t *host);
/* RC_OK for a software transport (tcp, iser), whose kernel side refuses
 * every offload request (what: "host statistics", ...), so the caller
 * prints stock's lines for the refusal; RC_OP_NOT_SUPP with a message for
 * an offload transport, which this iscsiadm does not drive. */
int adm_host_offload(const char *transport, const char *what);
/* Opens and closes a NETLINK_ISCSI socket, the first step of every
 * request stock sends the kernel from iscsiadm. RC_OK when the kernel has
 * the iSCSI transport class, else RC_INTERNAL after stock's line and the
 * caller's "failed" line. */
int adm_host_netlink_probe(const char *failed);

#endif
