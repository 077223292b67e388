/* The pure parts of -m fw, -m host and -m iface -o apply: iBFT attribute
 * parsing and the joined boot entries (on the fake trees of
 * usr/tests/data/ibft, run from the top directory), the "# BEGIN RECORD"
 * block, the node record a firmware target gives, host -H and transport
 * names, CHAP pairs, and the iface network-parameter count. */
#include <stdio.h>
#include <stdlib.h>
#include "t.h"
#include "err.h"
#include "rec.h"
#include "../adm/fw_ibft.h"
#include "../adm/host.h"
#include "../adm/iface_net.h"

#define IBFT "usr/tests/data/ibft/"

static void test_ibft_int(void)
{
	int v = -1;

	T_INTEQ(fw_ibft_int("3\n", &v), RC_OK);
	T_INTEQ(v, 3);
	T_INTEQ(fw_ibft_int("0", &v), RC_OK);
	T_INTEQ(v, 0);
	T_INTEQ(fw_ibft_int("-2\n", &v), RC_OK);
	T_INTEQ(v, -2);
	T_INTEQ(fw_ibft_int("", &v), RC_INVAL);
	T_INTEQ(fw_ibft_int("3x", &v), RC_INVAL);
	T_INTEQ(fw_ibft_int("0x39", &v), RC_INVAL);
	T_INTEQ(v, -2);		/* untouched on error */
}

static void test_ibft_read_two(void)
{
	struct fw_boot *v = NULL;
	size_t n = 0;

	T_INTEQ(fw_ibft_read(IBFT "two", &v, &n), RC_OK);
	T_INTEQ(n, 2);
	if (n != 2)
		return;
	T_STREQ(v[0].fb_target, "iqn.2026-12.lab.autoscan:boot");
	T_STREQ(v[0].fb_taddr, "10.0.2.2");
	T_INTEQ(v[0].fb_tport, 3260);
	T_STREQ(v[0].fb_mac, "52:54:00:12:34:56");
	T_STREQ(v[0].fb_netdev, "eth0");
	T_STREQ(v[0].fb_mask, "255.255.255.0");	/* the kernel prints it without '\n' */
	T_STREQ(v[0].fb_vlan, "5");
	T_INTEQ(v[0].fb_prefix, 24);
	T_STREQ(v[0].fb_chap_name, "");
	/* the second target's nic-assoc is 1: the DHCP NIC */
	T_STREQ(v[1].fb_target, "iqn.2026-12.lab.autoscan:data");
	T_INTEQ(v[1].fb_tport, 3262);
	T_STREQ(v[1].fb_netdev, "eth1");
	T_INTEQ(v[1].fb_origin, 3);
	T_STREQ(v[1].fb_chap_name, "chapuser");
	T_STREQ(v[1].fb_rchap_secret, "tsecret123456");
	T_STREQ(v[1].fb_lun, "01000000");
	T_STREQ(v[1].fb_iname, "iqn.2026-12.lab.autoscan:fwboot2");
	free(v);
}

static void test_ibft_read_missing(void)
{
	struct fw_boot *v = NULL;
	size_t n = 9;

	/* target flags 0: no usable entry */
	T_INTEQ(fw_ibft_read(IBFT "noboot", &v, &n), RC_NO_OBJS_FOUND);
	T_INTEQ(n, 0);
	T_CHECK(v == NULL);
	T_INTEQ(fw_ibft_read(IBFT "noibft", &v, &n), RC_NO_OBJS_FOUND);
	/* no <sysfs>/firmware at all */
	T_INTEQ(fw_ibft_read("usr/tests/data/sysfs/empty", &v, &n), RC_SYSFS_LOOKUP);
	/* a NIC without a PCI device link: usable, no network interface */
	T_INTEQ(fw_ibft_read(IBFT "nodev", &v, &n), RC_OK);
	T_INTEQ(n, 1);
	if (n == 1)
		T_STREQ(v[0].fb_netdev, "");
	free(v);
}

static char *print_block(const struct fw_boot *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fw_boot_print(f, b);
	fclose(f);
	return buf;
}

static void test_boot_print(void)
{
	struct fw_boot b = { 0 };
	char *s;

	snprintf(b.fb_iname, sizeof(b.fb_iname), "iqn.a:init");
	snprintf(b.fb_mac, sizeof(b.fb_mac), "52:54:00:00:00:01");
	snprintf(b.fb_ipaddr, sizeof(b.fb_ipaddr), "10.0.3.15");
	snprintf(b.fb_dhcp, sizeof(b.fb_dhcp), "0.0.0.0");	/* Broadcom's "no DHCP" */
	snprintf(b.fb_vlan, sizeof(b.fb_vlan), "0");
	snprintf(b.fb_target, sizeof(b.fb_target), "iqn.a:t");
	snprintf(b.fb_taddr, sizeof(b.fb_taddr), "10.0.3.2");
	snprintf(b.fb_rchap_name, sizeof(b.fb_rchap_name), "r");
	b.fb_tport = 3261;
	s = print_block(&b);
	T_STREQ(s, "# BEGIN RECORD 2.1.8\n"
		   "iface.initiatorname = iqn.a:init\n"
		   "iface.transport_name = tcp\n"
		   "iface.hwaddress = 52:54:00:00:00:01\n"
		   "iface.bootproto = STATIC\n"
		   "iface.ipaddress = 10.0.3.15\n"
		   "iface.vlan_id = 0\n"
		   "node.name = iqn.a:t\n"
		   "node.conn[0].address = 10.0.3.2\n"
		   "node.conn[0].port = 3261\n"
		   "node.session.auth.username_in = r\n"
		   "# END RECORD\n");
	free(s);
	b.fb_origin = 3;	/* DHCP by origin */
	s = print_block(&b);
	T_CHECK(s && strstr(s, "iface.bootproto = DHCP\n"));
	free(s);
}

static void test_boot_to_node(void)
{
	struct fw_boot b = { 0 };
	struct rec *r = rec_new_default(REC_NODE);

	snprintf(b.fb_target, sizeof(b.fb_target), "iqn.a:t");
	snprintf(b.fb_taddr, sizeof(b.fb_taddr), "10.0.3.2");
	snprintf(b.fb_iname, sizeof(b.fb_iname), "iqn.a:init");
	snprintf(b.fb_chap_name, sizeof(b.fb_chap_name), "u");
	snprintf(b.fb_chap_secret, sizeof(b.fb_chap_secret), "secretsecret");
	b.fb_tport = 3262;
	T_INTEQ(fw_boot_to_node(&b, r), RC_OK);
	T_STREQ(rec_get(r, K_NODE_NAME), "iqn.a:t");
	T_STREQ(rec_get(r, K_NODE_CONN_0_PORT), "3262");
	T_STREQ(rec_get(r, K_NODE_TPGT), "1");
	T_STREQ(rec_get(r, K_IFACE_ISCSI_IFACENAME), "default");
	T_STREQ(rec_get(r, K_IFACE_INITIATORNAME), "iqn.a:init");
	T_STREQ(rec_get(r, K_NODE_SESSION_AUTH_PASSWORD), "secretsecret");
	/* stock leaves the method alone: the secrets are stored, not used */
	T_STREQ(rec_get(r, K_NODE_SESSION_AUTH_AUTHMETHOD), "None");
	rec_free(r);
}

static void test_host_names(void)
{
	char t[32];
	uint32_t h = 99;
	const char *two = "usr/tests/data/sysfs/two-sessions";

	adm_host_transport_name("iscsi_tcp", t, sizeof(t));
	T_STREQ(t, "tcp");
	adm_host_transport_name("bnx2i", t, sizeof(t));
	T_STREQ(t, "bnx2i");
	T_INTEQ(adm_host_parse(two, NULL, &h), RC_OK);
	T_INTEQ(h, 0);		/* no -H: host 0, as stock */
	T_INTEQ(adm_host_parse(two, "12", &h), RC_OK);
	T_INTEQ(h, 12);
	T_INTEQ(adm_host_parse(two, "4294967296", &h), RC_INVAL);
	T_INTEQ(adm_host_parse("usr/tests/data/modes/hosts", "52:54:00:AA:BB:CC", &h), RC_OK);
	T_INTEQ(h, 3);
	T_INTEQ(adm_host_parse(two, "52:54:00:aa:bb:cc", &h), RC_INVAL);
}

static void test_chap_pair(void)
{
	const char *out[] = { "host.auth.password", "host.auth.username" };
	const char *in[] = { "host.auth.username_in", "host.auth.password_in" };
	const char *mixed[] = { "host.auth.username", "host.auth.password_in" };
	const char *one[] = { "host.auth.username" };

	T_INTEQ(adm_host_chap_pair(out, 2), 0);
	T_INTEQ(adm_host_chap_pair(in, 2), 1);
	T_INTEQ(adm_host_chap_pair(mixed, 2), -1);
	T_INTEQ(adm_host_chap_pair(one, 1), -1);
	T_INTEQ(adm_host_chap_pair(out, 0), -1);
}

static struct rec *iface(const char *name, const char *k1, const char *v1,
			 const char *k2, const char *v2)
{
	struct rec *r = rec_new_default(REC_IFACE);

	rec_set(r, K_IFACE_ISCSI_IFACENAME, name);
	if (k1)
		rec_set_name(r, k1, v1);
	if (k2)
		rec_set_name(r, k2, v2);
	return r;
}

static void test_net_params(void)
{
	struct rec *r;

	r = iface("default", NULL, NULL, NULL, NULL);
	T_INTEQ(adm_iface_net_params(r), 0);	/* "Nothing to configure." */
	T_INTEQ(adm_iface_is_ipv6(r), 0);
	rec_free(r);
	/* static IPv4: protocol, address, state and the VLAN state */
	r = iface("t1", "iface.ipaddress", "10.0.2.15", NULL, NULL);
	T_INTEQ(adm_iface_net_params(r), 4);
	rec_free(r);
	r = iface("t2", "iface.ipaddress", "10.0.2.15", "iface.subnet_mask", "255.255.255.0");
	T_INTEQ(adm_iface_net_params(r), 5);
	rec_free(r);
	r = iface("h", "iface.bootproto", "dhcp", "iface.mtu", "9000");
	T_INTEQ(adm_iface_net_params(r), 4);
	rec_free(r);
	r = iface("d", "iface.state", "disable", NULL, NULL);
	T_INTEQ(adm_iface_net_params(r), 1);
	rec_free(r);
	/* IPv6 from the address, or from the name when there is none */
	r = iface("v6", "iface.ipaddress", "fd00::5", NULL, NULL);
	T_INTEQ(adm_iface_is_ipv6(r), 1);
	T_INTEQ(adm_iface_net_params(r), 4);
	rec_free(r);
	r = iface("eth0.ipv6", NULL, NULL, NULL, NULL);
	T_INTEQ(adm_iface_is_ipv6(r), 1);
	T_INTEQ(adm_iface_net_params(r), 0);
	rec_free(r);
}

int main(void)
{
	T_RUN(test_ibft_int);
	T_RUN(test_ibft_read_two);
	T_RUN(test_ibft_read_missing);
	T_RUN(test_boot_print);
	T_RUN(test_boot_to_node);
	T_RUN(test_host_names);
	T_RUN(test_chap_pair);
	T_RUN(test_net_params);
	return T_DONE();
}
