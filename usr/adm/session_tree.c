/* The -P 1..3 session tree and the flat listing of iscsiadm -m session.
 * Layout, labels and tabs are stock 2.1.8's, which scripts parse. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "session.h"
#include "libopeniscsiusr/libopeniscsiusr.h"
#include "usr_sysfs.h"

#define UNKNOWN "<empty>"

/* stock brackets any address without a dot (IPv6) */
/* Every line of the tree starts with px: "" for -m session, "\t" when
 * -m host prints a host's sessions. */
static void out(const char *px, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(const char *px, const char *fmt, ...)
{
	va_list ap;

	fputs(px, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void print_portal(const char *px, const char *label, const char *addr, int32_t port, int32_t tpgt)
{
	if (strchr(addr, '.'))
		out(px, "\t%s: %s:%" PRIi32 ",%" PRIi32 "\n", label, addr, port, tpgt);
	else
		out(px, "\t%s: [%s]:%" PRIi32 ",%" PRIi32 "\n", label, addr, port, tpgt);
}

static const char *node_type(struct iscsi_session *se)
{
	return iscsi_session_creator_get(se) == -1 ? "flash" : "non-flash";
}

static const char *or_unknown(const char *s)
{
	return (s && *s) ? s : UNKNOWN;
}

static void print_banner(const char *px, const char *title, const char *stars)
{
	out(px, "\t\t%s\n", stars);
	out(px, "\t\t%s\n", title);
	out(px, "\t\t%s\n", stars);
}

static void print_iface(const char *px, struct iscsi_iface *f)
{
	const char *ip = f ? iscsi_iface_ipaddress_get(f) : "";

	print_banner(px, "Interface:", "**********");
	out(px, "\t\tIface Name: %s\n", or_unknown(f ? iscsi_iface_name_get(f) : ""));
	out(px, "\t\tIface Transport: %s\n", or_unknown(f ? iscsi_iface_transport_name_get(f) : ""));
	out(px, "\t\tIface Initiatorname: %s\n", or_unknown(f ? iscsi_iface_iname_get(f) : ""));
	if (!*ip)
		out(px, "\t\tIface IPaddress: %s\n", UNKNOWN);
	else if (strchr(ip, '.'))
		out(px, "\t\tIface IPaddress: %s\n", ip);
	else
		out(px, "\t\tIface IPaddress: [%s]\n", ip);
	out(px, "\t\tIface HWaddress: %s\n", or_unknown(f ? iscsi_iface_hwaddress_get(f) : ""));
	out(px, "\t\tIface Netdev: %s\n", or_unknown(f ? iscsi_iface_netdev_get(f) : ""));
}

static void print_state(const char *px, struct iscsi_session *se)
{
	struct adm_sess_daemon st;
	const char *s = iscsi_session_state_get(se);

	out(px, "\t\tSID: %" PRIu32 "\n", iscsi_session_sid_get(se));
	adm_session_daemon_state(se, &st);
	out(px, "\t\tiSCSI Connection State: %s\n", st.sd_conn);
	out(px, "\t\tiSCSI Session State: %s\n", *s ? s : "Unknown");
	out(px, "\t\tInternal iscsid Session State: %s\n", st.sd_internal);
}

static void print_tmo(const char *px, const char *label, int32_t v)
{
	if (v >= 0)
		out(px, "\t\t%s: %" PRIi32 "\n", label, v);
	else
		out(px, "\t\t%s: %s\n", label, UNKNOWN);
}

static void print_timeouts(const char *px, struct iscsi_session *se)
{
	print_banner(px, "Timeouts:", "*********");
	out(px, "\t\tRecovery Timeout: %" PRIi32 "\n", iscsi_session_recovery_tmo_get(se));
	print_tmo(px, "Target Reset Timeout", iscsi_session_tgt_reset_tmo_get(se));
	print_tmo(px, "LUN Reset Timeout", iscsi_session_lu_reset_tmo_get(se));
	print_tmo(px, "Abort Timeout", iscsi_session_abort_tmo_get(se));
}

static void print_chap(const char *px, struct iscsi_session *se, int show)
{
	print_banner(px, "CHAP:", "*****");
	out(px, "\t\tusername: %s\n", or_unknown(iscsi_session_username_get(se)));
	out(px, "\t\tpassword: %s\n", show ? or_unknown(iscsi_session_password_get(se)) : "********");
	out(px, "\t\tusername_in: %s\n", or_unknown(iscsi_session_username_in_get(se)));
	/* stock labels the shown inbound secret "password" too */
	if (show)
		out(px, "\t\tpassword: %s\n", or_unknown(iscsi_session_password_in_get(se)));
	else
		out(px, "\t\tpassword_in: %s\n", "********");
}

static void print_nego_num(const char *px, const char *label, int32_t v)
{
	if (v != -1)
		out(px, "\t\t%s: %" PRIi32 "\n", label, v);
}

static void print_nego_word(const char *px, const char *label, int32_t v, const char *yes, const char *no)
{
	if (v != -1)
		out(px, "\t\t%s: %s\n", label, v ? yes : no);
}

static void print_params(const char *px, struct iscsi_session *se)
{
	print_banner(px, "Negotiated iSCSI params:", "************************");
	print_nego_word(px, "HeaderDigest", iscsi_session_nego_get(se, ISCSI_NEGO_HEADER_DIGEST), "CRC32C", "None");
	print_nego_word(px, "DataDigest", iscsi_session_nego_get(se, ISCSI_NEGO_DATA_DIGEST), "CRC32C", "None");
	print_nego_num(px, "MaxRecvDataSegmentLength", iscsi_session_nego_get(se, ISCSI_NEGO_MAX_RECV_DLENGTH));
	print_nego_num(px, "MaxXmitDataSegmentLength", iscsi_session_nego_get(se, ISCSI_NEGO_MAX_XMIT_DLENGTH));
	print_nego_num(px, "FirstBurstLength", iscsi_session_nego_get(se, ISCSI_NEGO_FIRST_BURST_LEN));
	print_nego_num(px, "MaxBurstLength", iscsi_session_nego_get(se, ISCSI_NEGO_MAX_BURST_LEN));
	print_nego_word(px, "ImmediateData", iscsi_session_nego_get(se, ISCSI_NEGO_IMMEDIATE_DATA), "Yes", "No");
	print_nego_word(px, "InitialR2T", iscsi_session_nego_get(se, ISCSI_NEGO_INITIAL_R2T), "Yes", "No");
	print_nego_num(px, "MaxOutstandingR2T", iscsi_session_nego_get(se, ISCSI_NEGO_MAX_OUTSTANDING_R2T));
}

static void print_luns(const char *px, struct iscsi_session *se, const char *root)
{
	struct usr_lun *luns;
	size_t n, i;

	if (usr_sysfs_session_luns(root, iscsi_session_sid_get(se),
				   iscsi_session_host_no_get(se), &luns, &n))
		return;
	for (i = 0; i < n; i++) {
		out(px, "\t\tscsi%" PRIu32 " Channel 00 Id %" PRIu32 " Lun: %" PRIu64 "\n",
		       luns[i].l_host, luns[i].l_target, luns[i].l_lun);
		if (!luns[i].l_disk[0])
			continue;
		out(px, "\t\t\tAttached scsi disk %s\t\t", luns[i].l_disk);
		printf("State: %s\n", luns[i].l_state[0] ? luns[i].l_state : "Unknown");
	}
	free(luns);
}

static void print_scsi(const char *px, struct iscsi_session *se, const char *root, int host_line)
{
	char rel[64], state[64];
	uint32_t host = iscsi_session_host_no_get(se);

	print_banner(px, "Attached SCSI devices:", "************************");
	snprintf(rel, sizeof(rel), "class/scsi_host/host%" PRIu32 "/state", host);
	if (usr_sysfs_read(root, rel, state, sizeof(state)))
		snprintf(state, sizeof(state), "Unknown");
	if (host_line)
		out(px, "\t\tHost Number: %" PRIu32 "\tState: %s\n", host, state);
	print_luns(px, se, root);
}

/* Target and portal headings: a new target opens a "Target:" block; a
 * session on the same target and current portal as the one before gets
 * an empty line instead of the portal lines (stock's grouping). */
static void print_heading(const char *px, struct iscsi_session *se, struct iscsi_session **prev)
{
	struct iscsi_session *p = *prev;
	char e[ESC_BUF];

	if (!p || strcmp(iscsi_session_target_name_get(p), iscsi_session_target_name_get(se))) {
		out(px, "Target: %s (%s)\n", esc_str(iscsi_session_target_name_get(se), e, sizeof(e)),
		    node_type(se));
		p = NULL;
	}
	if (p && iscsi_session_port_get(p) && iscsi_session_port_get(se) &&
	    iscsi_session_port_get(p) == iscsi_session_port_get(se) &&
	    strcmp(iscsi_session_address_get(p), iscsi_session_address_get(se)) == 0) {
		out(px, "\n");
	} else {
		print_portal(px, "Current Portal", iscsi_session_address_get(se),
			     iscsi_session_port_get(se), iscsi_session_tpgt_get(se));
		print_portal(px, "Persistent Portal", iscsi_session_persistent_address_get(se),
			     iscsi_session_persistent_port_get(se), iscsi_session_tpgt_get(se));
	}
	*prev = se;
}

void adm_session_print_sections(struct iscsi_session **ses, uint32_t n, unsigned sections,
				const char *px, int show_secrets, const char *root)
{
	struct iscsi_session *prev = NULL;

	for (uint32_t i = 0; i < n; i++) {
		print_heading(px, ses[i], &prev);
		print_iface(px, iscsi_session_iface_get(ses[i]));
		print_state(px, ses[i]);
		if (sections & ADM_TREE_TIMEOUTS)
			print_timeouts(px, ses[i]);
		if (sections & ADM_TREE_CHAP)
			print_chap(px, ses[i], show_secrets);
		if (sections & ADM_TREE_PARAMS)
			print_params(px, ses[i]);
		if (sections & ADM_TREE_SCSI)
			print_scsi(px, ses[i], root, sections & ADM_TREE_HOST_LINE);
	}
}

void adm_session_print_version(const char *root)
{
	char ver[64];

	if (usr_sysfs_transport_version(root, ver, sizeof(ver)) == 0 && ver[0])
		printf("iSCSI Transport Class version %s\nversion %s\n", ver, ADM_STOCK_VERSION);
}

void adm_session_print_tree(struct iscsi_session **ses, uint32_t n, int level,
			    int show_secrets, const char *root)
{
	unsigned sections = 0;

	if (level >= 2)
		sections |= ADM_TREE_TIMEOUTS | ADM_TREE_CHAP | ADM_TREE_PARAMS;
	if (level >= 3) {
		sections |= ADM_TREE_SCSI | ADM_TREE_HOST_LINE;
		adm_session_print_version(root);
	}
	adm_session_print_sections(ses, n, sections, "", show_secrets, root);
}

/* Transport of a session as stock names it: the iface's transport if the
 * kernel has that transport class loaded, else "<empty>". */
static const char *transport_name(struct iscsi_session *se, const char *root)
{
	struct iscsi_iface *f = iscsi_session_iface_get(se);
	const char *t = f ? iscsi_iface_transport_name_get(f) : "";
	char rel[128];

	snprintf(rel, sizeof(rel), "class/iscsi_transport/%s", t);
	return (*t && usr_sysfs_exists(root, rel)) ? t : UNKNOWN;
}

void adm_session_print_flat(struct iscsi_session **ses, uint32_t n, const char *root)
{
	for (uint32_t i = 0; i < n; i++) {
		struct iscsi_session *se = ses[i];
		const char *a = iscsi_session_persistent_address_get(se);
		char e[ESC_BUF];
		const char *fmt = strchr(a, '.') ? "%s: [%" PRIu32 "] %s:%" PRIi32 ",%" PRIi32 " %s (%s)\n"
						 : "%s: [%" PRIu32 "] [%s]:%" PRIi32 ",%" PRIi32 " %s (%s)\n";

		printf(fmt, transport_name(se, root), iscsi_session_sid_get(se), a,
		       iscsi_session_persistent_port_get(se), iscsi_session_tpgt_get(se),
		       esc_str(iscsi_session_target_name_get(se), e, sizeof(e)), node_type(se));
	}
}
