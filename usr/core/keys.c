/* The key table. Row order is print order: a record of one kind prints the
 * rows carrying its kind bit, top to bottom. Discovery records print their
 * own keys around node.session.auth.chap_algs (stock shares that key with
 * node records), hence the discovery rows sit on both sides of the node
 * rows. Names, order and built-in defaults follow stock open-iscsi 2.1.8. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "keys.h"

static const char *const e_startup[] = { "manual", "automatic", "onboot", NULL };
static const char *const e_dstartup[] = { "manual", "automatic", NULL };
static const char *const e_dtype[] = { "sendtargets", "isns", "offload_send_targets",
				       "slp", "static", "fw", NULL };
static const char *const e_ntype[] = { "send_targets", "isns", "offload_send_targets",
				       "slp", "static", "fw", NULL };
static const char *const e_auth[] = { "None", "CHAP", NULL };
static const char *const e_algs[] = { "MD5", "SHA1", "SHA256", "SHA3-256", NULL };
static const char *const e_scan[] = { "auto", "manual", NULL };
static const char *const e_digest[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C", NULL };

#define N  KEY_NODE
#define D  KEY_DISC
#define I  (KEY_NODE | KEY_IFACE)
#define IMIN INT_MIN
#define IMAX INT_MAX
/* row helpers: string, password, int (range), bool, enum, list */
#define S(n, k, d, f)        { n, k, KT_STR, 0, 0, NULL, d, f }
#define P(n, k)              { n, k, KT_PASSWD, 0, 0, NULL, "", 0 }
#define V(n, k, lo, hi, d, f) { n, k, KT_INT, lo, hi, NULL, d, f }
#define B(n, k, d, f)        { n, k, KT_BOOL, 0, 0, NULL, d, f }
#define E(n, k, e, d, f)     { n, k, KT_ENUM, 0, 0, e, d, f }
#define L(n, k, e, d)        { n, k, KT_LIST, 0, 0, e, d, 0 }
#define RO KF_RO
#define IM KF_IFACE_MODE

/* Ranges: values iSCSI negotiation clamps at login (burst and segment
 * lengths, queue sizes) take any non-negative int here, because stock
 * stores them unchecked and its records must load unchanged; fields that
 * are small by nature (ports, VLAN, TOS, ERL) are checked. */
static const struct key_def key_table[] = {
	/* discovery (SendTargets) record, first part */
	E("discovery.startup", D, e_dstartup, "manual", 0),
	E("discovery.type", D, e_dtype, "sendtargets", RO),
	S("discovery.sendtargets.address", D, "", RO),
	V("discovery.sendtargets.port", D, 0, 65535, ISCSI_PORT_DEFAULT_STR, RO),
	E("discovery.sendtargets.auth.authmethod", D, e_auth, "None", 0),
	S("discovery.sendtargets.auth.username", D, "", 0),
	P("discovery.sendtargets.auth.password", D),
	S("discovery.sendtargets.auth.username_in", D, "", 0),
	P("discovery.sendtargets.auth.password_in", D),
	/* node record */
	S("node.name", N, "", RO),
	V("node.tpgt", N, -1, 65535, "-1", RO),
	E("node.startup", N, e_startup, "manual", 0),
	B("node.leading_login", N, "No", 0),
	/* iface part: node records embed it, iface records are only this */
	S("iface.iscsi_ifacename", I, IFACE_DEFAULT, IM),
	S("iface.net_ifacename", I, "", IM),
	S("iface.ipaddress", I, "", IM),
	V("iface.prefix_len", I, 0, 128, "0", IM),
	S("iface.hwaddress", I, "", IM),
	S("iface.transport_name", I, "tcp", 0),
	S("iface.initiatorname", I, "", IM),
	S("iface.state", I, "", IM),
	V("iface.vlan_id", I, 0, 4095, "0", IM),
	V("iface.vlan_priority", I, 0, 7, "0", IM),
	S("iface.vlan_state", I, "", IM),
	V("iface.iface_num", I, 0, IMAX, "0", IM),
	V("iface.mtu", I, 0, 65535, "0", IM),
	V("iface.port", I, 0, 65535, "0", IM),
	S("iface.bootproto", I, "", IM),
	S("iface.subnet_mask", I, "", IM),
	S("iface.gateway", I, "", IM),
	S("iface.dhcp_alt_client_id_state", I, "", IM),
	S("iface.dhcp_alt_client_id", I, "", IM),
	S("iface.dhcp_dns", I, "", IM),
	S("iface.dhcp_learn_iqn", I, "", IM),
	S("iface.dhcp_req_vendor_id_state", I, "", IM),
	S("iface.dhcp_vendor_id_state", I, "", IM),
	S("iface.dhcp_vendor_id", I, "", IM),
	S("iface.dhcp_slp_da", I, "", IM),
	S("iface.fragmentation", I, "", IM),
	S("iface.gratuitous_arp", I, "", IM),
	S("iface.incoming_forwarding", I, "", IM),
	S("iface.tos_state", I, "", IM),
	V("iface.tos", I, 0, 255, "0", IM),
	V("iface.ttl", I, 0, 255, "0", IM),
	S("iface.delayed_ack", I, "", IM),
	S("iface.tcp_nagle", I, "", IM),
	S("iface.tcp_wsf_state", I, "", IM),
	V("iface.tcp_wsf", I, 0, 255, "0", IM),
	V("iface.tcp_timer_scale", I, 0, 255, "0", IM),
	S("iface.tcp_timestamp", I, "", IM),
	S("iface.redirect", I, "", IM),
	V("iface.def_task_mgmt_timeout", I, 0, 65535, "0", IM),
	S("iface.header_digest", I, "", IM),
	S("iface.data_digest", I, "", IM),
	S("iface.immediate_data", I, "", IM),
	S("iface.initial_r2t", I, "", IM),
	S("iface.data_seq_inorder", I, "", IM),
	S("iface.data_pdu_inorder", I, "", IM),
	V("iface.erl", I, 0, 2, "0", IM),
	V("iface.max_receive_data_len", I, 0, IMAX, "0", IM),
	V("iface.first_burst_len", I, 0, IMAX, "0", IM),
	V("iface.max_outstanding_r2t", I, 0, 65535, "0", IM),
	V("iface.max_burst_len", I, 0, IMAX, "0", IM),
	S("iface.chap_auth", I, "", IM),
	S("iface.bidi_chap", I, "", IM),
	S("iface.strict_login_compliance", I, "", IM),
	S("iface.discovery_auth", I, "", IM),
	S("iface.discovery_logout", I, "", IM),
	/* node record, continued */
	S("node.discovery_address", N, "", RO),
	V("node.discovery_port", N, 0, 65535, "0", RO),
	E("node.discovery_type", N, e_ntype, "static", RO),
	V("node.session.initial_cmdsn", N, 0, IMAX, "0", 0),
	V("node.session.initial_login_retry_max", N, 0, IMAX, "4", 0),
	V("node.session.xmit_thread_priority", N, IMIN, IMAX, "-20", 0),
	V("node.session.cmds_max", N, 0, IMAX, "128", 0),
	V("node.session.queue_depth", N, 0, IMAX, "32", 0),
	V("node.session.nr_sessions", N, 1, 1024, "1", 0),
	E("node.session.auth.authmethod", N, e_auth, "None", 0),
	S("node.session.auth.username", N, "", 0),
	P("node.session.auth.password", N),
	S("node.session.auth.username_in", N, "", 0),
	P("node.session.auth.password_in", N),
	L("node.session.auth.chap_algs", N | D, e_algs, "MD5"),
	V("node.session.timeo.replacement_timeout", N, IMIN, IMAX, "120", 0),
	V("node.session.err_timeo.abort_timeout", N, 0, IMAX, "15", 0),
	V("node.session.err_timeo.lu_reset_timeout", N, 0, IMAX, "30", 0),
	V("node.session.err_timeo.tgt_reset_timeout", N, 0, IMAX, "30", 0),
	V("node.session.err_timeo.host_reset_timeout", N, 0, IMAX, "60", 0),
	B("node.session.iscsi.FastAbort", N, "Yes", 0),
	B("node.session.iscsi.InitialR2T", N, "No", 0),
	B("node.session.iscsi.ImmediateData", N, "Yes", 0),
	V("node.session.iscsi.FirstBurstLength", N, 0, IMAX, "262144", 0),
	V("node.session.iscsi.MaxBurstLength", N, 0, IMAX, "16776192", 0),
	V("node.session.iscsi.DefaultTime2Retain", N, 0, IMAX, "0", 0),
	V("node.session.iscsi.DefaultTime2Wait", N, 0, IMAX, "2", 0),
	V("node.session.iscsi.MaxConnections", N, 0, IMAX, "1", 0),
	V("node.session.iscsi.MaxOutstandingR2T", N, 0, IMAX, "1", 0),
	V("node.session.iscsi.ERL", N, 0, 2, "0", 0),
	E(KEY_SCAN, N, e_scan, "auto", 0),
	/* ours: no built-in default, an unset value follows iscsid.conf */
	B(KEY_AUTOSCAN_EN, N, NULL, KF_NOSTOCK),
	V("node.session.reopen_max", N, 0, IMAX, "0", 0),
	S("node.conn[0].address", N, "", RO),
	V("node.conn[0].port", N, 0, 65535, ISCSI_PORT_DEFAULT_STR, RO),
	E("node.conn[0].startup", N, e_startup, "manual", 0),
	V("node.conn[0].tcp.window_size", N, 0, IMAX, "524288", 0),
	V("node.conn[0].tcp.type_of_service", N, 0, 255, "0", 0),
	V("node.conn[0].timeo.logout_timeout", N, 0, IMAX, "15", 0),
	V("node.conn[0].timeo.login_timeout", N, 0, IMAX, "30", 0),
	V("node.conn[0].timeo.auth_timeout", N, 0, IMAX, "45", 0),
	V("node.conn[0].timeo.noop_out_interval", N, 0, IMAX, "5", 0),
	V("node.conn[0].timeo.noop_out_timeout", N, 0, IMAX, "5", 0),
	V("node.conn[0].iscsi.MaxXmitDataSegmentLength", N, 0, IMAX, "0", 0),
	V("node.conn[0].iscsi.MaxRecvDataSegmentLength", N, 0, IMAX, "262144", 0),
	E("node.conn[0].iscsi.HeaderDigest", N, e_digest, "None", 0),
	E("node.conn[0].iscsi.DataDigest", N, e_digest, "None", 0),
	B("node.conn[0].iscsi.IFMarker", N, "No", 0),
	B("node.conn[0].iscsi.OFMarker", N, "No", 0),
	/* discovery record, second part */
	V("discovery.sendtargets.timeo.login_timeout", D, 0, IMAX, "15", 0),
	B("discovery.sendtargets.use_discoveryd", D, "No", 0),
	V("discovery.sendtargets.discoveryd_poll_inval", D, 0, IMAX, "30", 0),
	V("discovery.sendtargets.reopen_max", D, 0, IMAX, "5", 0),
	V("discovery.sendtargets.timeo.auth_timeout", D, 0, IMAX, "45", 0),
	V("discovery.sendtargets.timeo.active_timeout", D, 0, IMAX, "30", 0),
	V("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", D, 0, IMAX, "32768", 0),
};

size_t keys_count(void)
{
	return sizeof(key_table) / sizeof(key_table[0]);
}

const struct key_def *keys_at(size_t idx)
{
	return idx < keys_count() ? &key_table[idx] : NULL;
}

/* Rows sorted by name, built once: every line of every record and of
 * iscsid.conf is looked up here, and iscsid reads both at each event
 * (a scan per AEN in a storm), so a search, not a walk of the table. */
#define KEYS_N (sizeof(key_table) / sizeof(key_table[0]))
static unsigned short by_name[KEYS_N];
_Static_assert(KEYS_N <= 65535, "row numbers fit by_name");
static pthread_once_t by_name_once = PTHREAD_ONCE_INIT;

static int by_name_cmp(const void *a, const void *b)
{
	return strcmp(key_table[*(const unsigned short *)a].k_name,
		      key_table[*(const unsigned short *)b].k_name);
}

static void by_name_build(void)
{
	for (size_t i = 0; i < KEYS_N; i++)
		by_name[i] = (unsigned short)i;
	qsort(by_name, KEYS_N, sizeof(by_name[0]), by_name_cmp);
}

int keys_find(const char *name)
{
	size_t lo = 0, hi = KEYS_N;

	if (!name)
		return -1;
	pthread_once(&by_name_once, by_name_build);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, key_table[by_name[mid]].k_name);

		if (c == 0)
			return by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int keys_find_kind(const char *name, unsigned kind)
{
	int i = keys_find(name);

	if (i < 0 || !(key_table[i].k_kinds & kind))
		return -1;
	return i;
}

/* Index of val in a NULL-terminated list, -1 if absent (exact case). */
static int enum_index(const char *const *e, const char *val, size_t len)
{
	for (int i = 0; e[i]; i++)
		if (strlen(e[i]) == len && strncmp(e[i], val, len) == 0)
			return i;
	return -1;
}

static int check_int(const struct key_def *k, const char *val)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (end == val || *end || errno || isspace((unsigned char)*val))
		return -1;
	return v >= k->k_min && v <= k->k_max ? 0 : -1;
}

/* Every comma-separated item must be a known one, none repeated. */
static int check_list(const struct key_def *k, const char *val)
{
	unsigned seen = 0;
	const char *p = val;

	for (;;) {
		size_t len = strcspn(p, ",");
		int i = enum_index(k->k_enum, p, len);

		if (i < 0 || (seen & (1u << i)))
			return -1;
		seen |= 1u << i;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int keys_check(const struct key_def *k, const char *val, const char **canon,
	       char *msg, size_t msglen)
{
	int bad = 0;
	int i;

	*canon = val;
	switch (k->k_type) {
	case KT_STR:
	case KT_PASSWD:
		bad = strchr(val, '\n') != NULL;
		break;
	case KT_INT:
		bad = check_int(k, val);
		break;
	case KT_BOOL:
		/* exactly as stock: "yes" is refused there too */
		bad = strcmp(val, "Yes") != 0 && strcmp(val, "No") != 0;
		break;
	case KT_ENUM:
		i = enum_index(k->k_enum, val, strlen(val));
		if (i < 0)
			bad = 1;
		else
			*canon = k->k_enum[i];
		break;
	case KT_LIST:
		bad = check_list(k, val);
		break;
	}
	if (!bad)
		return RC_OK;
	/* a refused secret still goes to the terminal and logs: never echo it */
	if (msg && msglen && k->k_type == KT_PASSWD)
		snprintf(msg, msglen, "unknown value format (not shown) for parameter name '%s'",
			 k->k_name);
	else if (msg && msglen)
		snprintf(msg, msglen, "unknown value format '%s' for parameter name '%s'",
			 val, k->k_name);
	return RC_INVAL;
}
