/* Host lookups shared by -m host and -m iface: -H parsing, one host's
 * attributes, the transport behind a SCSI host, and whether the kernel
 * answers NETLINK_ISCSI. Messages and exit codes are stock 2.1.8's. */
#include <errno.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "host.h"
#include "log.h"
#include "usr_sysfs.h"

#ifndef NETLINK_ISCSI
#define NETLINK_ISCSI 8
#endif

static void host_attr(const char *root, uint32_t no, const char *attr, char *buf, size_t size)
{
	char rel[96];

	snprintf(rel, sizeof(rel), "class/iscsi_host/host%" PRIu32 "/%s", no, attr);
	if (usr_sysfs_read(root, rel, buf, size))
		buf[0] = '\0';
}

void adm_host_transport_name(const char *proc_name, char *name, size_t size)
{
	/* software transports name their SCSI host driver iscsi_<transport> */
	if (!strncmp(proc_name, "iscsi_", 6))
		proc_name += 6;
	snprintf(name, size, "%s", proc_name);
}

/* Transport of host no when the kernel knows it ("" otherwise). */
static int host_transport_quiet(const char *root, uint32_t no, char *name, size_t size)
{
	char rel[96], proc[64];

	name[0] = '\0';
	snprintf(rel, sizeof(rel), "class/scsi_host/host%" PRIu32 "/proc_name", no);
	if (usr_sysfs_read(root, rel, proc, sizeof(proc)))
		return RC_SYSFS_LOOKUP;
	adm_host_transport_name(proc, name, size);
	snprintf(rel, sizeof(rel), "class/iscsi_transport/%s", name);
	if (!*name || !usr_sysfs_exists(root, rel)) {
		name[0] = '\0';
		return RC_TRANS_NOT_FOUND;
	}
	return RC_OK;
}

int adm_host_transport(const char *root, uint32_t no, char *name, size_t size)
{
	int rc = host_transport_quiet(root, no, name, size);

	if (rc == RC_SYSFS_LOOKUP)
		/* stock's sysfs reader reports a missing attribute as EIO (5) */
		log_error("Could not read proc_name for host%" PRIu32 " rc 5.", no);
	if (rc != RC_OK) {
		log_error("Could not match hostno %" PRIu32 " to transport.", no);
		return RC_TRANS_NOT_FOUND;
	}
	return RC_OK;
}

int adm_host_by_hwinfo(const char *root, const char *hwaddress, const char *netdev,
		       const char *ipaddress, uint32_t *host)
{
	const char *attr = "hwaddress", *want = hwaddress;
	uint32_t *ids = NULL;
	size_t n = 0, i;
	char have[64];

	if (!*hwaddress || !strcasecmp(hwaddress, "default")) {
		attr = "netdev";
		want = netdev;
	}
	if (!strcmp(attr, "netdev") && (!*netdev || !strcasecmp(netdev, "default"))) {
		attr = "ipaddress";
		want = ipaddress;
	}
	if (!strcmp(attr, "ipaddress") && (!*ipaddress || !strcmp(ipaddress, "0.0.0.0")))
		return RC_INVAL;
	usr_sysfs_list_ids(root, "class/iscsi_host", "host", &ids, &n);
	for (i = 0; i < n; i++) {
		host_attr(root, ids[i], attr, have, sizeof(have));
		if (!strcasecmp(have, want))
			break;
	}
	if (i < n)
		*host = ids[i];
	free(ids);
	return i < n ? RC_OK : RC_HOST_NOT_FOUND;
}

int adm_host_read(const char *root, uint32_t no, struct adm_host *h)
{
	char rel[64];

	memset(h, 0, sizeof(*h));
	h->h_no = no;
	snprintf(rel, sizeof(rel), "class/iscsi_host/host%" PRIu32, no);
	if (!usr_sysfs_exists(root, rel))
		return RC_HOST_NOT_FOUND;
	host_transport_quiet(root, no, h->h_transport, sizeof(h->h_transport));
	host_attr(root, no, "initiatorname", h->h_iname, sizeof(h->h_iname));
	host_attr(root, no, "ipaddress", h->h_ipaddress, sizeof(h->h_ipaddress));
	host_attr(root, no, "hwaddress", h->h_hwaddress, sizeof(h->h_hwaddress));
	host_attr(root, no, "netdev", h->h_netdev, sizeof(h->h_netdev));
	return RC_OK;
}

/* First host (in sysfs name order) whose hwaddress is mac. */
static int host_by_mac(const char *root, const char *mac, uint32_t *host)
{
	uint32_t *ids = NULL;
	size_t n = 0, i;
	char hw[64];

	usr_sysfs_list_ids(root, "class/iscsi_host", "host", &ids, &n);
	for (i = 0; i < n; i++) {
		host_attr(root, ids[i], "hwaddress", hw, sizeof(hw));
		if (!strcasecmp(hw, mac))
			break;
	}
	if (i < n)
		*host = ids[i];
	free(ids);
	if (i < n)
		return RC_OK;
	log_error("Could not match MAC to host.");
	return RC_INVAL;
}

int adm_host_parse(const char *root, const char *arg, uint32_t *host)
{
	unsigned long long v;
	int err;

	*host = 0;
	if (!arg)
		return RC_OK;
	if (strchr(arg, ':'))
		return host_by_mac(root, arg, host);
	errno = 0;
	v = strtoull(arg, NULL, 10);
	err = errno;
	if (err || v > UINT32_MAX) {
		log_error("Invalid host no %s. %s.", arg, strerror(err ? err : ERANGE));
		return RC_INVAL;
	}
	*host = (uint32_t)v;
	return RC_OK;
}

int adm_host_offload(const char *transport, const char *what)
{
	if (!strcmp(transport, "tcp") || !strcmp(transport, "iser"))
		return RC_OK;
	log_error("%s of %s hosts: offload adapters are not driven by this iscsiadm",
		  what, transport);
	return RC_OP_NOT_SUPP;
}

int adm_host_netlink_probe(const char *failed)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ISCSI);

	if (fd < 0) {
		log_error("can not create NETLINK_ISCSI socket [%s]", strerror(errno));
		log_error("%s", failed);
		return RC_INTERNAL;
	}
	close(fd);
	return RC_OK;
}
