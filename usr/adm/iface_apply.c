/* iscsiadm -m iface -o apply|applyall and -C ping. In stock 2.1.8 these
 * push an iface's network settings to, or send a ping through, an offload
 * host over NETLINK_ISCSI; node records are not touched. The steps before
 * the kernel request (record, transport, host lookup), their messages and
 * exit codes are stock's. The request itself is not sent: the kernel
 * refuses it for iscsi_tcp, the transport this project drives, and the
 * lines and codes for that refusal are stock's as seen in the lab. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "host.h"
#include "iface.h"
#include "iface_net.h"
#include "idb.h"
#include "log.h"
#include "rec.h"
#include "usr_sysfs.h"

static const char *val(const struct rec *f, enum key_id key)
{
	const char *v = rec_get(f, key);

	return v ? v : "";
}

static int transport_known(const char *root, const char *name)
{
	char rel[96];

	snprintf(rel, sizeof(rel), "class/iscsi_transport/%s", name);
	return *name && usr_sysfs_exists(root, rel);
}

/* Sends the settings of nparams parameters for transport t to the host
 * bound by hw/netdev/ip, as far as stock gets without the kernel. */
static int net_config(const char *root, int nparams, const char *t, const char *hw,
		      const char *netdev, const char *ip)
{
	uint32_t host = 0;
	int rc;

	if (!nparams) {
		log_error("Nothing to configure.");
		return RC_OK;
	}
	if (!transport_known(root, t)) {
		log_error("Can't find transport.");
		return RC_ERR;
	}
	/* stock treats host 0 as "not found" and gives up without error */
	if (adm_host_by_hwinfo(root, hw, netdev, ip, &host) == RC_OK && host == 0) {
		log_error("Can't find host_no.");
		return RC_OK;
	}
	if ((rc = adm_host_netlink_probe("Netlink open failed.")) != RC_OK)
		return RC_ERR;
	if ((rc = adm_host_offload(t, "network configuration")) != RC_OK)
		return rc;
	log_error("Set net_config failed. errno=2");	/* stock's line for the refusal */
	return RC_ERR;
}

static int read_iface(struct idb *db, const char *name, struct rec **r)
{
	if (idb_iface_read(db, name, r) != RC_OK) {
		log_error("Could not read iface %s (%d).", name, RC_IDBM);
		return RC_IDBM;
	}
	return RC_OK;
}

int adm_iface_apply(struct idb *db, const struct adm_opts *o)
{
	const char *name = o->o_niface ? o->o_ifaces[0] : NULL;
	struct rec *r = NULL;
	int rc;

	if (!name) {
		log_error("Apply requires iface.");
		return RC_INVAL;
	}
	if ((rc = read_iface(db, name, &r)) != RC_OK)
		return rc;
	rc = net_config(usr_sysfs_root(), adm_iface_net_params(r), val(r, K_IFACE_TRANSPORT_NAME),
			val(r, K_IFACE_HWADDRESS), val(r, K_IFACE_NET_IFACENAME),
			val(r, K_IFACE_IPADDRESS));
	rec_free(r);
	if (rc != RC_OK) {
		log_error("Could not apply net configuration: %s", rc_str(rc));
		return rc;
	}
	printf("%s applied.\n", name);
	return RC_OK;
}

struct applyall {
	const char *aa_hwaddress;
	int aa_count;
};

/* Every iface with the host's hwaddress counts (stock's "all ifaces of
 * this host"). */
static int applyall_cb(struct rec *r, void *arg)
{
	struct applyall *a = arg;

	if (!strcmp(val(r, K_IFACE_HWADDRESS), a->aa_hwaddress))
		a->aa_count += adm_iface_net_params(r);
	return 0;
}

int adm_iface_applyall(struct idb *db, uint32_t host)
{
	const char *root = usr_sysfs_root();
	struct applyall a = { "", 0 };
	struct adm_host h;
	size_t n = 0;
	int rc;

	if (adm_host_read(root, host, &h) != RC_OK) {
		/* stock carries on with an empty host description */
		log_error("Could not read proc_name for host%u rc 5.", (unsigned)host);
		memset(&h, 0, sizeof(h));
	}
	a.aa_hwaddress = h.h_hwaddress;
	idb_iface_foreach(db, applyall_cb, &a, &n);
	rc = net_config(root, a.aa_count, h.h_transport, h.h_hwaddress, h.h_netdev,
			h.h_ipaddress);
	if (rc != RC_OK) {
		log_error("Could not apply net configuration: %s", rc_str(rc));
		return rc;
	}
	printf("Applied settings to ifaces attached to host%u.\n", (unsigned)host);
	return RC_OK;
}

/* -b -c -i as stock reads them (atoi), with its defaults 32, 1 and 0. */
static int ping_args(const struct adm_opts *o, int *size, int *count, int *interval)
{
	*size = o->o_ping_size ? atoi(o->o_ping_size) : 32;
	*count = o->o_ping_count ? atoi(o->o_ping_count) : 1;
	*interval = o->o_ping_interval ? atoi(o->o_ping_interval) : 0;
	if (*size <= 0)
		log_error("Invalid packet size: %d.", *size);
	else if (*count <= 0)
		log_error("Invalid number of packets to transmit: %d.", *count);
	else if (*interval < 0)
		log_error("Invalid timing interval: %d.", *interval);
	else
		return RC_OK;
	return RC_INVAL;
}

static int ping_address_ok(const char *ip)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC }, *res = NULL;
	int err = getaddrinfo(ip, NULL, &hints, &res);

	if (err) {
		log_error("Cannot resolve host %s. getaddrinfo error: [%s]", ip, gai_strerror(err));
		return 0;
	}
	freeaddrinfo(res);
	return 1;
}

/* One ping as far as this iscsiadm takes it: stock's netlink failure, or
 * the kernel's answer for a host without ping (operation not supported). */
static int ping_once(void)
{
	if (adm_host_netlink_probe("Could not open netlink socket.") != RC_OK)
		return RC_ERR;
	return RC_OP_NOT_SUPP;	/* the kernel's answer for iscsi_tcp (lab, Linux 6.1) */
}

static int ping_run(int count, int interval)
{
	int rc = RC_OK;

	for (int i = 1; i <= count; i++) {
		rc = ping_once();
		printf("Ping %d failed: %s\n", i, rc_str(rc));
		fflush(stdout);
		if (i < count && interval > 0)
			sleep((unsigned)interval);
	}
	return rc;
}

int adm_iface_ping(struct idb *db, const struct adm_opts *o)
{
	const char *root = usr_sysfs_root();
	int size, count, interval, rc;
	struct rec *r = NULL;
	uint32_t host = 1;

	if (!o->o_niface) {
		log_error("Ping requires iface.");
		return RC_INVAL;
	}
	if (!o->o_ping_ip) {
		log_error("Ping requires destination ipaddress.");
		return RC_INVAL;
	}
	if ((rc = ping_args(o, &size, &count, &interval)) != RC_OK)
		return rc;
	if ((rc = read_iface(db, o->o_ifaces[0], &r)) != RC_OK)
		return rc;
	rc = RC_INVAL;
	if (!transport_known(root, val(r, K_IFACE_TRANSPORT_NAME)))
		log_error("Can't find transport.");
	else if (adm_host_by_hwinfo(root, val(r, K_IFACE_HWADDRESS), val(r, K_IFACE_NET_IFACENAME),
				    val(r, K_IFACE_IPADDRESS), &host) == RC_OK && host == 0)
		log_error("Can't find host_no.");	/* host 0 counts as none, as in stock */
	else if (!ping_address_ok(o->o_ping_ip))
		log_error("Invalid IP address.");
	else if ((rc = adm_host_offload(val(r, K_IFACE_TRANSPORT_NAME), "ping")) == RC_OK)
		rc = ping_run(count, interval);
	rec_free(r);
	return rc;
}
