/* How many network parameters an iface record asks the kernel to set on
 * its host (iscsiadm -m iface -o apply|applyall). Stock counts them before
 * it sends anything and answers "Nothing to configure." when there are
 * none; the rules below reproduce its count (the number matters only as
 * zero or not). Pure: reads the record, nothing else. */
#include <string.h>

#include "err.h"
#include "iface_net.h"
#include "rec.h"

static const char *val(const struct rec *f, const char *key)
{
	const char *v = rec_get(f, key);

	return v ? v : "";
}

static int set(const struct rec *f, const char *key)
{
	long long n = 0;

	return rec_get_int(f, key, &n) == RC_OK && n != 0;
}

/* "enable" or "disable" given: the parameter is sent either way */
static int toggled(const struct rec *f, const char *key)
{
	const char *v = val(f, key);

	return !strcmp(v, "enable") || !strcmp(v, "disable");
}

int adm_iface_is_ipv6(const struct rec *f)
{
	const char *ip = val(f, "iface.ipaddress");

	if (!*ip || !strcmp(ip, "<empty>"))
		return strstr(val(f, "iface.iscsi_ifacename"), "ipv6") != NULL;
	return strcmp(val(f, "iface.bootproto"), "dhcp") && !strchr(ip, '.');
}

static int common_count(const struct rec *f)
{
	static const char *const toggles[] = {
		"iface.delayed_ack", "iface.tcp_nagle", "iface.tcp_wsf_state",
		"iface.tcp_timestamp", "iface.redirect", "iface.header_digest",
		"iface.data_digest", "iface.immediate_data", "iface.initial_r2t",
		"iface.data_seq_inorder", "iface.data_pdu_inorder", "iface.chap_auth",
		"iface.bidi_chap", "iface.strict_login_compliance", "iface.discovery_auth",
		"iface.discovery_logout",
	};
	static const char *const numbers[] = {
		"iface.mtu", "iface.port", "iface.tcp_wsf", "iface.tcp_timer_scale",
		"iface.def_task_mgmt_timeout", "iface.erl", "iface.max_receive_data_len",
		"iface.first_burst_len", "iface.max_burst_len", "iface.max_outstanding_r2t",
	};
	int n = 1;	/* the VLAN state, enabled or not */

	if (strcmp(val(f, "iface.vlan_state"), "disable") && set(f, "iface.vlan_id"))
		n++;
	for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++)
		n += toggled(f, toggles[i]);
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		n += set(f, numbers[i]);
	return n;
}

static int ipv4_count(const struct rec *f)
{
	static const char *const toggles[] = {
		"iface.dhcp_dns", "iface.dhcp_slp_da", "iface.tos_state",
		"iface.gratuitous_arp", "iface.dhcp_alt_client_id_state",
		"iface.dhcp_req_vendor_id_state", "iface.dhcp_vendor_id_state",
		"iface.dhcp_learn_iqn", "iface.fragmentation", "iface.incoming_forwarding",
	};
	int n = 0;

	if (strstr(val(f, "iface.bootproto"), "dhcp"))
		n = 1;
	else if (strstr(val(f, "iface.ipaddress"), "."))
		n = 2 + !!strstr(val(f, "iface.subnet_mask"), ".") +
		    !!strstr(val(f, "iface.gateway"), ".");
	if (!n)
		return 0;	/* neither DHCP nor a usable address */
	n++;		/* the iface state */
	for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++)
		n += toggled(f, toggles[i]);
	n += !!*val(f, "iface.dhcp_alt_client_id") + !!*val(f, "iface.dhcp_vendor_id");
	n += set(f, "iface.tos") + set(f, "iface.ttl");
	return n + common_count(f);
}

/* An IPv6 address source: automatic (one parameter), or a configured
 * address (two), or nothing usable. */
static int ipv6_source(const struct rec *f, int automatic, const char *addrkey)
{
	if (automatic)
		return 1;
	return strchr(val(f, addrkey), ':') ? 2 : 0;
}

static int ipv6_count(const struct rec *f)
{
	const char *cfg = val(f, "iface.ipv6_autocfg");
	int n = 0;

	n += ipv6_source(f, strstr(cfg, "nd") || strstr(cfg, "dhcpv6"), "iface.ipaddress");
	n += ipv6_source(f, !!strstr(val(f, "iface.linklocal_autocfg"), "auto"),
			 "iface.ipv6_linklocal");
	n += ipv6_source(f, !!strstr(val(f, "iface.router_autocfg"), "auto"),
			 "iface.ipv6_router");
	if (!n)
		return 0;
	return n + 1 + common_count(f);
}

int adm_iface_net_params(const struct rec *f)
{
	if (!strcmp(val(f, "iface.state"), "disable"))
		return 1;	/* only "disable this protocol" is sent */
	return adm_iface_is_ipv6(f) ? ipv6_count(f) : ipv4_count(f);
}
