/* iscsiadm's parsed command line. main.c fills it with getopt_long using
 * stock's spellings (long and short); mode handlers only read it. */
#ifndef ADM_OPTS_H
#define ADM_OPTS_H
#include <stddef.h>

enum adm_mode {
	ADM_MODE_NONE = 0,
	ADM_MODE_DISCOVERY,
	ADM_MODE_DISCOVERYDB,
	ADM_MODE_NODE,
	ADM_MODE_SESSION,
	ADM_MODE_IFACE,
	ADM_MODE_FW,
	ADM_MODE_HOST
};

/* -o may be given more than once (stock ORs them). */
enum adm_op {
	ADM_OP_NONE          = 0,
	ADM_OP_NEW           = 1 << 0,
	ADM_OP_DELETE        = 1 << 1,
	ADM_OP_UPDATE        = 1 << 2,
	ADM_OP_SHOW          = 1 << 3,
	ADM_OP_NONPERSISTENT = 1 << 4,
	ADM_OP_APPLY         = 1 << 5,
	ADM_OP_APPLY_ALL     = 1 << 6
};

#define ADM_MAX_NV     32	/* -n/-v pairs */
#define ADM_MAX_IFACES 16	/* -I may repeat in discovery */

struct adm_opts {
	enum adm_mode o_mode;
	unsigned o_ops;			/* enum adm_op bits */
	const char *o_type;		/* -t: "sendtargets", "st", "isns", "fw" */
	const char *o_target;		/* -T */
	const char *o_portal;		/* -p as typed */
	char o_addr[256];		/* -p parsed: address ("" if no -p) */
	int o_port;			/* -p parsed: port, -1 if not given */
	int o_tpgt;			/* -p parsed: ",tpgt", -1 if not given */
	const char *o_ifaces[ADM_MAX_IFACES];	/* -I / --interface */
	size_t o_niface;
	const char *o_names[ADM_MAX_NV];	/* -n / --name */
	const char *o_values[ADM_MAX_NV];	/* -v / --value */
	size_t o_nname, o_nvalue;
	int o_login;			/* -l */
	int o_logout;			/* -u */
	int o_rescan;			/* -R */
	int o_discover;			/* -D */
	int o_stats;			/* -s */
	int o_show_secrets;		/* -S */
	int o_no_wait;			/* -W */
	const char *o_loginall;		/* -L all|manual|automatic|onboot */
	const char *o_logoutall;	/* -U all|manual|automatic|onboot */
	const char *o_sid_text;		/* -r as typed (number or sysfs path) */
	int o_sid;			/* -r parsed, -1 if none */
	int o_print;			/* -P, -1 if not given */
	int o_debug;			/* -d, 0 default */
	long long o_lun;		/* --lun N (ours, with --rescan, 0..2^32-1), -1 none */
	const char *o_host;		/* -H */
	const char *o_submode;		/* -C */
	int o_killiscsid;		/* -k priority, -1 none */
	const char *o_index;		/* -x (host chap / flashnode index) */
	const char *o_portal_type;	/* -A ipv4|ipv6 (flashnode -o new) */
	const char *o_ping_ip;		/* -a (iface -C ping) */
	const char *o_ping_size, *o_ping_count, *o_ping_interval;	/* -b -c -i */
	int o_help, o_version;
};

/* Sets every field to "not given". */
void adm_opts_init(struct adm_opts *o);
/* Parses argv into o. RC_OK, or RC_INVAL after printing stock's message
 * ("iscsiadm: ..." + "Try `iscsiadm --help' for more information."). */
int adm_opts_parse(struct adm_opts *o, int argc, char **argv);
/* Portal of -p with 3260 filled in when no port was typed. */
int adm_opts_port(const struct adm_opts *o);
/* First -I or "default". */
const char *adm_opts_iface(const struct adm_opts *o);

/* Handler signature for mode/ops dispatch: returns an enum iscsi_rc. */
typedef int (*adm_handler_fn)(const struct adm_opts *o);

#endif
