/* The boot targets the firmware describes in sysfs: the iBFT
 * (<sysfs>/firmware/ibft/{initiator,ethernetN,targetN}, Linux's
 * iscsi_ibft) and offload adapters' iscsi_boot* trees of the same shape.
 * One fw_boot per usable target, joined with its NIC and the initiator,
 * as stock 2.1.8 joins them. */
#ifndef ADM_FW_IBFT_H
#define ADM_FW_IBFT_H
#include <stddef.h>
#include <stdio.h>

struct rec;

struct fw_boot {
	/* initiator */
	char fb_iname[224];
	char fb_isid[16];
	/* NIC (ethernetN) */
	char fb_mac[32];
	char fb_ipaddr[64];
	char fb_mask[64];
	char fb_gateway[64];
	char fb_dns1[64], fb_dns2[64];
	char fb_dhcp[64];
	char fb_vlan[16];
	char fb_netdev[32];	/* from the NIC's PCI device link, "" if none */
	int fb_prefix;
	int fb_origin;		/* 3: address from DHCP */
	/* target (targetN) */
	char fb_target[224];
	char fb_taddr[64];
	int fb_tport;
	char fb_lun[32];
	char fb_chap_name[256], fb_chap_secret[256];
	char fb_rchap_name[256], fb_rchap_secret[256];
};

/* A sysfs integer attribute ("3\n"): RC_OK, or RC_INVAL when the text is
 * not a decimal number (pure). */
int fw_ibft_int(const char *text, int *out);
/* Reads every usable boot target below root (a sysfs root). RC_OK with
 * *n >= 1; RC_NO_OBJS_FOUND when there is none; RC_SYSFS_LOOKUP when
 * <root>/firmware cannot be read (stock's 21 and 22). *out malloc'd. */
int fw_ibft_read(const char *root, struct fw_boot **out, size_t *n);
/* The "# BEGIN RECORD" block -m fw prints for one target (pure). */
void fw_boot_print(FILE *f, const struct fw_boot *b);
/* Sets the fields a firmware target gives a node record: identity (tpgt
 * 1, iface default), CHAP names and secrets, the initiator name (pure on
 * r; RC_INVAL when the target's name or address does not fit a record). */
int fw_boot_to_node(const struct fw_boot *b, struct rec *r);

#endif
