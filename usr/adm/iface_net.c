/* How many network parameters an iface record asks the kernel to set on
 * its host (iscsiadm -m iface -o apply|applyall). Stock counts them before
 * it sends anything and answers "Nothing to configure." when there are
 * none; the rules below reproduce its count (the number matters only as
 * zero or not). Pure: reads the record, nothing else. */
#include <string.h>

#include "err.h"
#include "iface_net.h"
#include "rec.h"

static const char *val(const struct rec *f, enum key_id key)
{
	const char *v = rec_get(f, key);

	return v ? v : "";
}

static int set(const struct rec *f, enum key_id key)
{
	long long n = 0;

	return rec_get_int(f, key, &n) == RC_OK && n != 0;
}

/* "enable" or "disable" given: the parameter is sent either way */
static int toggled(const struct rec *f, enum key_id key)
{
	const char *v = val(f, key);

	return !strcmp(v, "enable") || !strcmp(v, "disable");
}

int adm_iface_is_ipv6(const struct rec *f)
{
	const char *ip = val(f, K_IFACE_IPADDRESS);

	if (!*ip || !strcmp(ip, "<empty>"))
		return strstr(val(f, K_IFACE_ISCSI_IFACENAME), "ipv6") != NULL;
	return strcmp(val(f, K_IFACE_BOOTPROTO), "dhcp") && !strchr(ip, '.');
}

static int common_count(const struct rec *f)
{
	static const enum key_id toggles[] = {
		K_IFACE_DELAYED_ACK, K_IFACE_TCP_NAGLE, K_IFACE_TCP_WSF_STATE,
		K_IFACE_TCP_TIMESTAMP, K_IFACE_REDIRECT, K_IFACE_HEADER_DIGEST,
		K_IFACE_DATA_DIGEST, K_IFACE_IMMEDIATE_DATA, K_IFACE_INITIAL_R2T,
		K_IFACE_DATA_SEQ_INORDER, K_IFACE_DATA_PDU_INORDER, K_IFACE_CHAP_AUTH,
		K_IFACE_BIDI_CHAP, K_IFACE_STRICT_LOGIN_COMPLIANCE, K_IFACE_DISCOVERY_AUTH,
		K_IFACE_DISCOVERY_LOGOUT,
	};
	static const enum key_id numbers[] = {
		K_IFACE_MTU, K_IFACE_PORT, K_IFACE_TCP_WSF, K_IFACE_TCP_TIMER_SCALE,
		K_IFACE_DEF_TASK_MGMT_TIMEOUT, K_IFACE_ERL, K_IFACE_MAX_RECEIVE_DATA_LEN,
		K_IFACE_FIRST_BURST_LEN, K_IFACE_MAX_BURST_LEN, K_IFACE_MAX_OUTSTANDING_R2T,
	};
	int n = 1;	/* the VLAN state, enabled or not */

	if (strcmp(val(f, K_IFACE_VLAN_STATE), "disable") && set(f, K_IFACE_VLAN_ID))
		n++;
	for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++)
		n += toggled(f, toggles[i]);
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		n += set(f, numbers[i]);
	return n;
}

static int ipv4_count(const struct rec *f)
{
	static const enum key_id toggles[] = {
		K_IFACE_DHCP_DNS, K_IFACE_DHCP_SLP_DA, K_IFACE_TOS_STATE,
		K_IFACE_GRATUITOUS_ARP, K_IFACE_DHCP_ALT_CLIENT_ID_STATE,
		K_IFACE_DHCP_REQ_VENDOR_ID_STATE, K_IFACE_DHCP_VENDOR_ID_STATE,
		K_IFACE_DHCP_LEARN_IQN, K_IFACE_FRAGMENTATION, K_IFACE_INCOMING_FORWARDING,
	};
	int n = 0;

	if (strstr(val(f, K_IFACE_BOOTPROTO), "dhcp"))
		n = 1;
	else if (strstr(val(f, K_IFACE_IPADDRESS), "."))
		n = 2 + !!strstr(val(f, K_IFACE_SUBNET_MASK), ".") +
		    !!strstr(val(f, K_IFACE_GATEWAY), ".");
	if (!n)
		return 0;	/* neither DHCP nor a usable address */
	n++;		/* the iface state */
	for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++)
		n += toggled(f, toggles[i]);
	n += !!*val(f, K_IFACE_DHCP_ALT_CLIENT_ID) + !!*val(f, K_IFACE_DHCP_VENDOR_ID);
	n += set(f, K_IFACE_TOS) + set(f, K_IFACE_TTL);
	return n + common_count(f);
}

/* Stock counts each IPv6 address source (address, link-local, router):
 * automatic is one parameter, a configured address two. The key table has
 * no IPv6 autoconfiguration, link-local or router keys, so a record can
 * only give the configured address. */
static int ipv6_count(const struct rec *f)
{
	int n = strchr(val(f, K_IFACE_IPADDRESS), ':') ? 2 : 0;

	if (!n)
		return 0;
	return n + 1 + common_count(f);
}

int adm_iface_net_params(const struct rec *f)
{
	if (!strcmp(val(f, K_IFACE_STATE), "disable"))
		return 1;	/* only "disable this protocol" is sent */
	return adm_iface_is_ipv6(f) ? ipv6_count(f) : ipv4_count(f);
}
