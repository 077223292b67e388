/* iscsiadm -m host: listing (-P 0..4) and the -C chap|flashnode|stats
 * sub-modes. Layout, messages and exit codes are stock 2.1.8's as
 * observed on the same sysfs trees and, for the kernel's answers, in the
 * lab (Linux 6.1, iscsi_tcp). The requests stock sends the kernel for the
 * sub-modes (host statistics, CHAP table, flash nodes) exist only for
 * offload hosts: the kernel refuses them for the software transports, the
 * ones this project drives, so none is sent and stock's lines for the
 * refusal are printed; an offload host gets exit 27. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "host.h"
#include "log.h"
#include "session.h"
#include "libopeniscsiusr/libopeniscsiusr.h"
#include "usr_sysfs.h"

#define UNKNOWN "<empty>"
/* stock's largest CHAP table and flash node indexes (-x); an index above
 * them means "none given" */
#define HOST_MAX_CHAP_ENTRIES 2048u
#define HOST_MAX_FLASHNODE_IDX 0xffffffffull

static const char *or_unknown(const char *s)
{
	return *s ? s : UNKNOWN;
}

static void host_print_flat(const struct adm_host *h)
{
	printf("%s: [%" PRIu32 "] ", or_unknown(h->h_transport), h->h_no);
	if (!*h->h_ipaddress)
		printf("%s,", UNKNOWN);
	else if (strchr(h->h_ipaddress, '.'))
		printf("%s,", h->h_ipaddress);
	else
		printf("[%s],", h->h_ipaddress);
	printf("[%s],%s %s\n", or_unknown(h->h_hwaddress), or_unknown(h->h_netdev),
	       or_unknown(h->h_iname));
}

static void host_print_info(const struct adm_host *h, const char *root)
{
	char rel[64], state[64];

	snprintf(rel, sizeof(rel), "class/scsi_host/host%" PRIu32 "/state", h->h_no);
	printf("Host Number: %" PRIu32 "\n", h->h_no);
	printf("\tState: %s\n", usr_sysfs_read(root, rel, state, sizeof(state)) ? "Unknown" : state);
	printf("\tTransport: %s\n", or_unknown(h->h_transport));
	printf("\tInitiatorname: %s\n", or_unknown(h->h_iname));
	if (!*h->h_ipaddress || strchr(h->h_ipaddress, '.'))
		printf("\tIPaddress: %s\n", or_unknown(h->h_ipaddress));
	else
		printf("\tIPaddress: [%s]\n", h->h_ipaddress);
	printf("\tHWaddress: %s\n", or_unknown(h->h_hwaddress));
	printf("\tNetdev: %s\n", or_unknown(h->h_netdev));
}

/* The sessions of one host, one tab further in than -m session's tree. */
static void host_print_sessions(const struct adm_host *h, struct iscsi_session **ses,
				uint32_t n, unsigned sections, const char *root)
{
	struct iscsi_session **mine = calloc(n ? n : 1, sizeof(*mine));
	uint32_t k = 0;

	if (!mine)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (iscsi_session_host_no_get(ses[i]) == h->h_no)
			mine[k++] = ses[i];
	if (k) {
		printf("\t*********\n\tSessions:\n\t*********\n");
		adm_session_print_sections(mine, k, sections, "\t", 0, root);
	}
	free(mine);
}

/* Section sets of -P 2, 3 and 4 (-P 1: the host lines alone). */
static unsigned host_sections(int level)
{
	if (level >= 4)
		return ADM_TREE_PARAMS | ADM_TREE_SCSI;
	return level == 3 ? ADM_TREE_PARAMS : 0;
}

/* Every host at -P level; returns how many there were. */
static size_t host_print_all(int level, struct iscsi_session **ses, uint32_t nses,
			     const char *root)
{
	uint32_t *ids = NULL;
	size_t n = 0, found = 0;

	usr_sysfs_list_ids(root, "class/iscsi_host", "host", &ids, &n);
	for (size_t i = 0; i < n; i++) {
		struct adm_host h;

		if (adm_host_read(root, ids[i], &h) != RC_OK)
			continue;
		found++;
		if (level <= 0) {
			host_print_flat(&h);
			continue;
		}
		host_print_info(&h, root);
		if (level >= 2)
			host_print_sessions(&h, ses, nses, host_sections(level), root);
	}
	free(ids);
	return found;
}

static int host_list(const struct adm_opts *o, const char *root)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_session **ses = NULL;
	uint32_t nses = 0;
	int level = o->o_print, rc;

	if (!ctx)
		return RC_NOMEM;
	/* stock reads the sessions first, whatever the level */
	rc = iscsi_sessions_get(ctx, &ses, &nses);
	if (rc != LIBISCSI_OK) {
		/* the library's codes are iscsiadm's exit codes */
		log_error("Failed to query iSCSI sessions, error %d: %s", rc, iscsi_strerror(rc));
	} else if (level < -1 || level > 4) {
		log_error("Invalid info level %d. Try 0 - 4.", level);
		rc = RC_INVAL;
	} else {
		if (level == 4)
			adm_session_print_version(root);
		if (!host_print_all(level, ses, nses, root)) {
			log_error("No iSCSI hosts.");
			rc = RC_NO_OBJS_FOUND;
		}
	}
	iscsi_sessions_free(ses, nses);
	iscsi_context_free(ctx);
	return rc;
}

/* -x as stock reads it; "none" (max + 1) when not given. */
static unsigned long long host_index(const struct adm_opts *o, unsigned long long none)
{
	return o->o_index ? strtoull(o->o_index, NULL, 10) : none;
}

/* -x out of strtoull's range is refused before anything else, as stock
 * does while parsing options. */
static int host_index_check(const struct adm_opts *o)
{
	if (!o->o_index)
		return RC_OK;
	errno = 0;
	strtoull(o->o_index, NULL, 10);
	if (!errno)
		return RC_OK;
	log_error("Invalid index %s. %s.", o->o_index, strerror(errno));
	return RC_INVAL;
}

int adm_host_chap_pair(const char *const *names, size_t n)
{
	static const char *const keys[] = {
		"host.auth.username", "host.auth.password",
		"host.auth.username_in", "host.auth.password_in",
	};
	int user = -1, pass = -1;

	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			if (!strcmp(names[i], keys[k]))
				*(k % 2 ? &pass : &user) = k / 2;
	return (user >= 0 && user == pass) ? user : -1;
}

/* -o new|update: the checks stock makes before asking the kernel. */
static int host_chap_params(const struct adm_opts *o)
{
	size_t pairs = o->o_nname < o->o_nvalue ? o->o_nname : o->o_nvalue;

	if (!pairs) {
		log_error("Chap username/password not provided.");
		return -1;	/* stock exits 0 here */
	}
	if (adm_host_chap_pair(o->o_names, pairs) < 0) {
		log_error("Invalid username/password pair passed. Unable to determine the type of chap entry");
		return RC_INVAL;
	}
	if (pairs > 2) {
		log_error("Only one pair of username/password can be passed.");
		return RC_ERR;
	}
	return RC_OK;
}

static int host_chap(const struct adm_opts *o, uint32_t host, const char *root)
{
	char t[32] = "";
	int rc;

	if (!o->o_ops) {
		log_error("CHAP mode requires host no and valid operation");
		return RC_INVAL;
	}
	if (o->o_ops == ADM_OP_NEW || o->o_ops == ADM_OP_UPDATE) {
		/* stock looks the transport up first, then checks the pair */
		if (!o->o_nname || !o->o_nvalue) {
			log_error("Chap username/password not provided.");
			return RC_OK;	/* stock exits 0 here */
		}
		if ((rc = adm_host_transport(root, host, t, sizeof(t))) != RC_OK)
			return rc;
		if ((rc = host_chap_params(o)) != RC_OK)
			return rc < 0 ? RC_OK : rc;
	} else if (o->o_ops == ADM_OP_DELETE) {
		/* stock passes the index on as 16 bits before checking it */
		if ((uint16_t)host_index(o, HOST_MAX_CHAP_ENTRIES + 1) > HOST_MAX_CHAP_ENTRIES) {
			log_error("Invalid chap table index.");
			return RC_OK;	/* stock exits 0 here */
		}
	} else if (o->o_ops != ADM_OP_SHOW) {
		log_error("Invalid operation.");
		return RC_INVAL;
	}
	if (!*t && (rc = adm_host_transport(root, host, t, sizeof(t))) != RC_OK)
		return rc;
	if ((rc = adm_host_netlink_probe("Netlink open failed.")) != RC_OK)
		return rc;
	if ((rc = adm_host_offload(t, "a CHAP table")) != RC_OK)
		return rc;
	/* stock's lines after the kernel's refusal (its errno is stale) */
	if (o->o_ops == ADM_OP_SHOW) {
		log_error("Received iferror -22: Invalid argument.");
		log_error("get_chap_info failed. errno=0");
	} else if (o->o_ops == ADM_OP_DELETE) {
		printf("Deleting CHAP index: %u\n", (unsigned)(uint16_t)host_index(o, 0));
		log_error("CHAP Delete failed.");
	} else {
		log_error("CHAP setting failed");
	}
	return RC_ERR;
}

/* Flash node sessions of host in bus/iscsi_flashnode (offload only). */
static size_t host_flashnodes(const char *root, uint32_t host)
{
	char prefix[48];
	uint32_t *ids = NULL;
	size_t n = 0;

	snprintf(prefix, sizeof(prefix), "flashnode_sess-%" PRIu32 ":", host);
	usr_sysfs_list_ids(root, "bus/iscsi_flashnode/devices", prefix, &ids, &n);
	free(ids);
	return n;
}

static int host_flashnode_exists(const char *root, uint32_t host, unsigned long long idx)
{
	char rel[96];

	snprintf(rel, sizeof(rel), "bus/iscsi_flashnode/devices/flashnode_sess-%" PRIu32 ":%llu",
		 host, idx);
	return usr_sysfs_exists(root, rel);
}

static int host_flashnode_show(const struct adm_opts *o, uint32_t host, const char *root)
{
	unsigned long long idx = host_index(o, HOST_MAX_FLASHNODE_IDX + 1);

	if (idx <= HOST_MAX_FLASHNODE_IDX) {
		if (!host_flashnode_exists(root, host, idx)) {
			log_error("Could not read info for flashnode %llu of host %" PRIu32 ", %s",
				  idx, host, strerror(ENOENT));
			return ENOENT;	/* stock exits with the errno */
		}
	} else if (!host_flashnodes(root, host)) {
		log_error("No flashnodes attached to host %" PRIu32 ".", host);
		return RC_NO_OBJS_FOUND;
	}
	log_error("flash nodes of offload hosts are not shown by this iscsiadm");
	return RC_OP_NOT_SUPP;
}

static void host_flashnode_failed(const struct adm_opts *o, uint32_t host)
{
	unsigned long long idx = host_index(o, 0);

	if (o->o_ops == ADM_OP_NEW)
		log_error("Creation of flashnode for host %" PRIu32 " failed.", host);
	else if (o->o_ops == ADM_OP_DELETE)
		log_error("Deletion of flashnode %llu of host %" PRIu32 " failed.", idx, host);
	else
		log_error("Update for flashnode %llu of host %" PRIu32 " failed.", idx, host);
}

static int host_flashnode(const struct adm_opts *o, uint32_t host, const char *root)
{
	unsigned ops = o->o_ops;
	char t[32];
	int rc;

	if (ops != ADM_OP_NONE && ops != ADM_OP_SHOW && ops != ADM_OP_NEW &&
	    host_index(o, HOST_MAX_FLASHNODE_IDX + 1) > HOST_MAX_FLASHNODE_IDX) {
		log_error("Invalid flashnode index");
		return RC_INVAL;
	}
	if ((rc = adm_host_transport(root, host, t, sizeof(t))) != RC_OK)
		return rc;
	if (ops == ADM_OP_NONE || ops == ADM_OP_SHOW)
		return host_flashnode_show(o, host, root);
	if (ops == ADM_OP_NEW && (!o->o_portal_type || (strcmp(o->o_portal_type, "ipv4") &&
							 strcmp(o->o_portal_type, "ipv6")))) {
		log_error("Invalid type mentioned for flashnode");
		return RC_INVAL;
	}
	if (ops != ADM_OP_NEW && ops != ADM_OP_DELETE && ops != ADM_OP_UPDATE) {
		log_error("Invalid operation");
		return RC_INVAL;
	}
	if (ops == ADM_OP_UPDATE && !host_flashnode_exists(root, host, host_index(o, 0))) {
		log_error("Could not read info for flashnode %llu, %s", host_index(o, 0),
			  strerror(ENOENT));
		rc = ENOENT;
	} else if ((rc = adm_host_netlink_probe("Netlink open failed.")) == RC_OK) {
		if ((rc = adm_host_offload(t, "flash nodes")) != RC_OK)
			return rc;
		if (ops == ADM_OP_NEW)
			printf("Create new flashnode for host %" PRIu32 ".\n", host);
		else if (ops == ADM_OP_DELETE)
			printf("Delete flashnode %llu.\n", host_index(o, 0));
		rc = RC_ERR;	/* the kernel's refusal */
	}
	host_flashnode_failed(o, host);
	return rc;
}

static int host_stats(uint32_t host, const char *root)
{
	char t[32];
	int rc;

	if ((rc = adm_host_transport(root, host, t, sizeof(t))) != RC_OK)
		return rc;
	if ((rc = adm_host_netlink_probe("Netlink open failed.")) != RC_OK)
		return rc;
	if ((rc = adm_host_offload(t, "host statistics")) != RC_OK)
		return rc;
	log_error("get_host_stats failed. errno=0");	/* stock's line for the refusal */
	return RC_ERR;
}

int adm_host_run(const struct adm_opts *o)
{
	const char *root = usr_sysfs_root();
	const char *sub = o->o_submode;
	uint32_t host;
	int rc = adm_host_parse(root, o->o_host, &host);

	if (rc != RC_OK)
		return rc;
	if ((rc = host_index_check(o)) != RC_OK)
		return rc;
	/* stock lists the hosts for any -C it does not know, except ping */
	if (!sub || (strcmp(sub, "chap") && strcmp(sub, "flashnode") &&
		     strcmp(sub, "stats") && strcmp(sub, "ping")))
		return host_list(o, root);
	if (!strcmp(sub, "chap"))
		return host_chap(o, host, root);
	if (!strcmp(sub, "flashnode"))
		return host_flashnode(o, host, root);
	if (!strcmp(sub, "stats"))
		return host_stats(host, root);
	log_error("Invalid Sub Mode");
	return RC_OK;	/* stock exits 0 here */
}
