/* iBFT reading for iscsiadm -m fw and -t fw (see fw_ibft.h). Which
 * entries count and how a target finds its NIC follow stock 2.1.8: a
 * target or NIC whose flags are 0 (or unreadable) is skipped, a target
 * needs a name and an address, its nic-assoc names the NIC by index. */
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "err.h"
#include "fw_ibft.h"
#include "rec.h"
#include "usr_sysfs.h"

#define FW_MAX_ENTRIES 255	/* stock's limit of targets and NICs per tree */

int fw_ibft_int(const char *text, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || errno || (*end && *end != '\n'))
		return RC_INVAL;
	*out = (int)v;
	return RC_OK;
}

/* One attribute of <dir>/<id>; "" when missing. RC_OK or RC_NO_OBJS_FOUND. */
static int attr(const char *root, const char *dir, const char *id, const char *name,
		char *buf, size_t size)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "%s/%s/%s", dir, id, name);
	return usr_sysfs_read(root, rel, buf, size) ? RC_NO_OBJS_FOUND : RC_OK;
}

static int attr_int(const char *root, const char *dir, const char *id, const char *name,
		    int *out)
{
	char buf[32];

	if (attr(root, dir, id, name, buf, sizeof(buf)) != RC_OK)
		return RC_NO_OBJS_FOUND;
	return fw_ibft_int(buf, out);
}

/* Entries of dir whose name starts with prefix, sorted. */
static size_t list_entries(const char *root, const char *dir, const char *prefix,
			   char names[][32], size_t max)
{
	char path[4096];
	struct dirent **ents = NULL;
	size_t n = 0;
	int cnt;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	cnt = scandir(path, &ents, NULL, alphasort);
	for (int i = 0; i < cnt; i++) {
		if (ents[i]->d_name[0] != '.' && n < max &&
		    !strncmp(ents[i]->d_name, prefix, strlen(prefix)) &&
		    strlen(ents[i]->d_name) < 32)
			strcpy(names[n++], ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return n;
}

static void copy_name(char *out, size_t size, const char *name)
{
	size_t len = strnlen(name, size - 1);

	memcpy(out, name, len);
	out[len] = '\0';
}

/* The network interface behind a NIC entry: device/net:NAME (old
 * layout) or the first entry of device/net/. No device link: "" and
 * RC_OK (the firmware names no PCI function). */
static int nic_netdev(const char *root, const char *dir, const char *id, char *out, size_t size)
{
	char rel[512], names[4][32];

	out[0] = '\0';
	snprintf(rel, sizeof(rel), "%s/%s/device", dir, id);
	if (!usr_sysfs_exists(root, rel))
		return RC_OK;
	if (list_entries(root, rel, "net:", names, 1)) {
		copy_name(out, size, names[0] + 4);
		return RC_OK;
	}
	strncat(rel, "/net", sizeof(rel) - strlen(rel) - 1);
	if (list_entries(root, rel, "", names, 1)) {
		copy_name(out, size, names[0]);
		return RC_OK;
	}
	return RC_NO_OBJS_FOUND;
}

/* The live network interface with this MAC, when the firmware's PCI
 * device shows none (stock's fallback). */
static int netdev_by_mac(const char *mac, char *out, size_t size)
{
	struct ifaddrs *ifa = NULL, *p;
	int rc = RC_NO_OBJS_FOUND;

	if (getifaddrs(&ifa))
		return rc;
	for (p = ifa; p && rc != RC_OK; p = p->ifa_next) {
		struct sockaddr_ll *ll = (struct sockaddr_ll *)p->ifa_addr;
		char have[32];

		if (!ll || ll->sll_family != AF_PACKET || ll->sll_halen != 6)
			continue;
		snprintf(have, sizeof(have), "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0],
			 ll->sll_addr[1], ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4],
			 ll->sll_addr[5]);
		if (!strcasecmp(have, mac)) {
			copy_name(out, size, p->ifa_name);
			rc = RC_OK;
		}
	}
	freeifaddrs(ifa);
	return rc;
}

static int entry_valid(const char *root, const char *dir, const char *id)
{
	int flags = 0;

	return attr_int(root, dir, id, "flags", &flags) == RC_OK && flags != 0;
}

#define ATTR(id, name, field) attr(root, dir, id, name, b->field, sizeof(b->field))

static int read_nic(const char *root, const char *dir, const char *id, struct fw_boot *b)
{
	if (!entry_valid(root, dir, id) || ATTR(id, "mac", fb_mac) != RC_OK)
		return RC_NO_OBJS_FOUND;
	if (nic_netdev(root, dir, id, b->fb_netdev, sizeof(b->fb_netdev)) != RC_OK &&
	    netdev_by_mac(b->fb_mac, b->fb_netdev, sizeof(b->fb_netdev)) != RC_OK)
		return RC_NO_OBJS_FOUND;
	ATTR(id, "ip-addr", fb_ipaddr);
	ATTR(id, "vlan", fb_vlan);
	ATTR(id, "subnet-mask", fb_mask);
	ATTR(id, "gateway", fb_gateway);
	ATTR(id, "primary-dns", fb_dns1);
	ATTR(id, "secondary-dns", fb_dns2);
	ATTR(id, "dhcp", fb_dhcp);
	attr_int(root, dir, id, "prefix-len", &b->fb_prefix);
	attr_int(root, dir, id, "origin", &b->fb_origin);
	return RC_OK;
}

static int read_target(const char *root, const char *dir, const char *id, struct fw_boot *b)
{
	if (!entry_valid(root, dir, id) || ATTR(id, "target-name", fb_target) != RC_OK ||
	    ATTR(id, "ip-addr", fb_taddr) != RC_OK)
		return RC_NO_OBJS_FOUND;
	if (attr_int(root, dir, id, "port", &b->fb_tport) != RC_OK)
		b->fb_tport = ISCSI_PORT_DEFAULT;
	ATTR(id, "lun", fb_lun);
	ATTR(id, "chap-name", fb_chap_name);
	ATTR(id, "chap-secret", fb_chap_secret);
	ATTR(id, "rev-chap-name", fb_rchap_name);
	ATTR(id, "rev-chap-name-secret", fb_rchap_secret);
	return RC_OK;
}

/* The NIC whose index is the target's nic-assoc. */
static int read_assoc_nic(const char *root, const char *dir, const char *tid,
			  char nics[][32], size_t nnic, struct fw_boot *b)
{
	int want, idx;

	if (attr_int(root, dir, tid, "nic-assoc", &want) != RC_OK)
		return RC_NO_OBJS_FOUND;
	for (size_t i = 0; i < nnic; i++)
		if (attr_int(root, dir, nics[i], "index", &idx) == RC_OK && idx == want)
			return read_nic(root, dir, nics[i], b);
	printf("Invalid nic-assoc of %d. Max id %zu.\n", want, nnic);	/* stock's stdout line */
	return RC_NO_OBJS_FOUND;
}

/* Targets of one tree (firmware/ibft or firmware/iscsi_bootN). */
static void read_tree(const char *root, const char *dir, struct fw_boot *v, size_t *n)
{
	char (*tgts)[32] = NULL, (*nics)[32] = NULL;
	char rel[512];
	size_t nt, nn;

	snprintf(rel, sizeof(rel), "%s/initiator", dir);
	if (!usr_sysfs_exists(root, rel))
		return;
	tgts = calloc(FW_MAX_ENTRIES, sizeof(*tgts));
	nics = calloc(FW_MAX_ENTRIES, sizeof(*nics));
	if (!tgts || !nics) {
		free(tgts);
		free(nics);
		return;
	}
	nt = list_entries(root, dir, "target", tgts, FW_MAX_ENTRIES);
	nn = list_entries(root, dir, "ethernet", nics, FW_MAX_ENTRIES);
	for (size_t i = 0; i < nt && *n < FW_MAX_ENTRIES; i++) {
		struct fw_boot *b = &v[*n];

		memset(b, 0, sizeof(*b));
		if (read_target(root, dir, tgts[i], b) != RC_OK ||
		    read_assoc_nic(root, dir, tgts[i], nics, nn, b) != RC_OK)
			continue;
		attr(root, dir, "initiator", "initiator-name", b->fb_iname, sizeof(b->fb_iname));
		attr(root, dir, "initiator", "isid", b->fb_isid, sizeof(b->fb_isid));
		(*n)++;
	}
	free(tgts);
	free(nics);
}

int fw_ibft_read(const char *root, struct fw_boot **out, size_t *n)
{
	char boots[16][32];
	struct fw_boot *v = calloc(FW_MAX_ENTRIES, sizeof(*v));
	char dir[64];
	size_t nb;

	*out = NULL;
	*n = 0;
	if (!v)
		return RC_NOMEM;
	read_tree(root, "firmware/ibft", v, n);
	if (!usr_sysfs_exists(root, "firmware")) {
		free(v);
		return RC_SYSFS_LOOKUP;
	}
	nb = list_entries(root, "firmware", "iscsi_boot", boots, 16);
	for (size_t i = 0; i < nb; i++) {
		snprintf(dir, sizeof(dir), "firmware/%s", boots[i]);
		read_tree(root, dir, v, n);
	}
	if (!*n) {
		free(v);
		return RC_NO_OBJS_FOUND;
	}
	*out = v;
	return RC_OK;
}

static void line(FILE *f, const char *key, const char *val)
{
	if (*val)
		fprintf(f, "%s = %s\n", key, val);
}

static void kline(FILE *f, enum key_id key, const char *val)
{
	line(f, keys_name(key), val);
}

void fw_boot_print(FILE *f, const struct fw_boot *b)
{
	int dhcp = b->fb_origin == 3 || (*b->fb_dhcp && strcmp(b->fb_dhcp, "0.0.0.0"));
	char num[16];

	fprintf(f, "# BEGIN RECORD 2.1.8\n");
	kline(f, K_IFACE_INITIATORNAME, b->fb_iname);
	line(f, keys_label(K_IFACE_ISID), b->fb_isid);
	kline(f, K_IFACE_TRANSPORT_NAME, "tcp");
	kline(f, K_IFACE_HWADDRESS, b->fb_mac);
	kline(f, K_IFACE_BOOTPROTO, dhcp ? "DHCP" : "STATIC");
	kline(f, K_IFACE_IPADDRESS, b->fb_ipaddr);
	snprintf(num, sizeof(num), "%d", b->fb_prefix);
	if (b->fb_prefix)
		kline(f, K_IFACE_PREFIX_LEN, num);
	kline(f, K_IFACE_SUBNET_MASK, b->fb_mask);
	kline(f, K_IFACE_GATEWAY, b->fb_gateway);
	line(f, keys_label(K_IFACE_PRIMARY_DNS), b->fb_dns1);
	line(f, keys_label(K_IFACE_SECONDARY_DNS), b->fb_dns2);
	kline(f, K_IFACE_VLAN_ID, b->fb_vlan);
	kline(f, K_IFACE_NET_IFACENAME, b->fb_netdev);
	kline(f, K_NODE_NAME, b->fb_target);
	kline(f, K_NODE_CONN_0_ADDRESS, b->fb_taddr);
	snprintf(num, sizeof(num), "%d", b->fb_tport);
	kline(f, K_NODE_CONN_0_PORT, num);
	kline(f, K_NODE_SESSION_AUTH_USERNAME, b->fb_chap_name);
	kline(f, K_NODE_SESSION_AUTH_PASSWORD, b->fb_chap_secret);
	kline(f, K_NODE_SESSION_AUTH_USERNAME_IN, b->fb_rchap_name);
	kline(f, K_NODE_SESSION_AUTH_PASSWORD_IN, b->fb_rchap_secret);
	line(f, keys_label(K_NODE_BOOT_LUN), b->fb_lun);
	fprintf(f, "# END RECORD\n");
}

int fw_boot_to_node(const struct fw_boot *b, struct rec *r)
{
	char port[16];
	int rc;

	snprintf(port, sizeof(port), "%d", b->fb_tport);
	rc = rec_set(r, K_NODE_NAME, b->fb_target);
	rc = rc ? rc : rec_set(r, K_NODE_CONN_0_ADDRESS, b->fb_taddr);
	rc = rc ? rc : rec_set(r, K_NODE_CONN_0_PORT, port);
	rc = rc ? rc : rec_set(r, K_NODE_TPGT, "1");	/* stock fixes it at 1 */
	rc = rc ? rc : rec_set(r, K_IFACE_ISCSI_IFACENAME, IFACE_DEFAULT);
	if (rc)
		return RC_INVAL;
	if (*b->fb_iname)
		rec_set(r, K_IFACE_INITIATORNAME, b->fb_iname);
	if (*b->fb_chap_name)
		rec_set(r, K_NODE_SESSION_AUTH_USERNAME, b->fb_chap_name);
	if (*b->fb_chap_secret)
		rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, b->fb_chap_secret);
	if (*b->fb_rchap_name)
		rec_set(r, K_NODE_SESSION_AUTH_USERNAME_IN, b->fb_rchap_name);
	if (*b->fb_rchap_secret)
		rec_set(r, K_NODE_SESSION_AUTH_PASSWORD_IN, b->fb_rchap_secret);
	return RC_OK;
}
