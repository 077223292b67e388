/* iscsiadm's command line, spelled as stock's getopt table (long and short
 * names), into struct adm_opts. Errors print stock's words and give
 * RC_INVAL (exit 7). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "keys.h"
#include "err.h"
#include "idb.h"
#include "log.h"
#include "opts.h"

#define OPT_LUN 1000	/* ours: --lun N, no short form */

static const struct option adm_long[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "portal", required_argument, NULL, 'p' },
	{ "targetname", required_argument, NULL, 'T' },
	{ "interface", required_argument, NULL, 'I' },
	{ "op", required_argument, NULL, 'o' },
	{ "type", required_argument, NULL, 't' },
	{ "name", required_argument, NULL, 'n' },
	{ "value", required_argument, NULL, 'v' },
	{ "host", required_argument, NULL, 'H' },
	{ "sid", required_argument, NULL, 'r' },
	{ "rescan", no_argument, NULL, 'R' },
	{ "print", required_argument, NULL, 'P' },
	{ "discover", no_argument, NULL, 'D' },
	{ "login", no_argument, NULL, 'l' },
	{ "loginall", required_argument, NULL, 'L' },
	{ "logout", no_argument, NULL, 'u' },
	{ "logoutall", required_argument, NULL, 'U' },
	{ "stats", no_argument, NULL, 's' },
	{ "killiscsid", required_argument, NULL, 'k' },
	{ "debug", required_argument, NULL, 'd' },
	{ "show", no_argument, NULL, 'S' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "submode", required_argument, NULL, 'C' },
	{ "ip", required_argument, NULL, 'a' },
	{ "packetsize", required_argument, NULL, 'b' },
	{ "count", required_argument, NULL, 'c' },
	{ "interval", required_argument, NULL, 'i' },
	{ "index", required_argument, NULL, 'x' },
	{ "portal_type", required_argument, NULL, 'A' },
	{ "no_wait", no_argument, NULL, 'W' },
	{ "lun", required_argument, NULL, OPT_LUN },
	{ NULL, 0, NULL, 0 }
};
static const char adm_short[] = ":RlDVhm:a:b:c:C:p:P:T:H:i:I:U:k:L:d:r:n:v:o:sSt:ux:A:W";

static const struct { const char *name; enum adm_mode mode; } adm_modes[] = {
	{ "discovery", ADM_MODE_DISCOVERY }, { "discoverydb", ADM_MODE_DISCOVERYDB },
	{ "node", ADM_MODE_NODE }, { "session", ADM_MODE_SESSION },
	{ "iface", ADM_MODE_IFACE }, { "fw", ADM_MODE_FW }, { "host", ADM_MODE_HOST },
};

/* Short options each mode takes (stock 2.1.8 refuses the others, naming
 * the mode); --lun goes with -R. */
static const struct { enum adm_mode mode; const char *allowed; } adm_allowed[] = {
	{ ADM_MODE_NODE, "RlpPTIULdnvosSuWm" },
	{ ADM_MODE_SESSION, "RPidrnvosSum" },
	{ ADM_MODE_DISCOVERY, "lDpPIdnvoStm" },
	{ ADM_MODE_DISCOVERYDB, "lDpPIdnvoStm" },
	{ ADM_MODE_IFACE, "abcCPHiIdnvom" },
	{ ADM_MODE_HOST, "CHdmPotnvxA" },
	{ ADM_MODE_FW, "dmlWnv" },
};

static const struct { const char *name; enum adm_op op; } adm_ops[] = {
	{ "new", ADM_OP_NEW }, { "delete", ADM_OP_DELETE }, { "update", ADM_OP_UPDATE },
	{ "show", ADM_OP_SHOW }, { "nonpersistent", ADM_OP_NONPERSISTENT },
	{ "apply", ADM_OP_APPLY }, { "applyall", ADM_OP_APPLY_ALL },
};

void adm_opts_init(struct adm_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->o_port = -1;
	o->o_tpgt = -1;
	o->o_sid = -1;
	o->o_print = -1;
	o->o_lun = -1;
	o->o_killiscsid = -1;
}

/* Mode as stock names it in refusals (discoverydb says "discovery"). */
static const char *mode_name(enum adm_mode m)
{
	if (m == ADM_MODE_DISCOVERYDB)
		m = ADM_MODE_DISCOVERY;
	for (size_t i = 0; i < sizeof(adm_modes) / sizeof(adm_modes[0]); i++)
		if (adm_modes[i].mode == m)
			return adm_modes[i].name;
	return "";
}

static int set_mode(struct adm_opts *o, const char *s)
{
	for (size_t i = 0; i < sizeof(adm_modes) / sizeof(adm_modes[0]); i++) {
		if (!strcmp(adm_modes[i].name, s)) {
			o->o_mode = adm_modes[i].mode;
			return RC_OK;
		}
	}
	log_error("mode -1 is not yet supported");	/* stock's words */
	return RC_INVAL;
}

static int add_op(struct adm_opts *o, const char *s)
{
	for (size_t i = 0; i < sizeof(adm_ops) / sizeof(adm_ops[0]); i++) {
		if (!strcmp(adm_ops[i].name, s)) {
			o->o_ops |= adm_ops[i].op;
			return RC_OK;
		}
	}
	log_error("can not recognize operation: '%s'", s);
	return RC_INVAL;
}

/* Decimal within [lo, hi]: no wrapping (4294967297 is not 1). */
static int parse_range(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno == ERANGE || v < lo || v > hi)
		return RC_INVAL;
	*out = v;
	return RC_OK;
}

static int parse_int(const char *s, int *out)
{
	long long v;

	if (parse_range(s, INT_MIN, INT_MAX, &v) != RC_OK)
		return RC_INVAL;
	*out = (int)v;
	return RC_OK;
}

static int set_portal(struct adm_opts *o, const char *s)
{
	o->o_portal = s;
	if (idb_portal_parse(s, o->o_addr, sizeof(o->o_addr), &o->o_port, &o->o_tpgt) != RC_OK) {
		log_error("Please specify portal as <ipaddr>[:<ipport>]");
		return RC_INVAL;
	}
	return RC_OK;
}

static int add_nv(const char **arr, size_t *n, const char *s)
{
	if (*n >= ADM_MAX_NV) {
		log_error("too many name/value pairs (at most %d)", ADM_MAX_NV);
		return RC_INVAL;
	}
	arr[(*n)++] = s;
	return RC_OK;
}

static int numeric_opt(const char *s, int *out, const char *what)
{
	if (parse_int(s, out) != RC_OK) {
		log_error("Invalid %s '%s'", what, s);
		return RC_INVAL;
	}
	return RC_OK;
}

/* -P and -d: read as stock reads them (atoi: "x" is 0, "2x" is 2), but a
 * number that does not fit an int is refused instead of wrapping. */
static int level_opt(const char *s, int *out, const char *what)
{
	long long v;

	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX) {
		log_error("Invalid %s '%s'", what, s);
		return RC_INVAL;
	}
	*out = (int)v;
	return RC_OK;
}

/* -k PRIORITY: a negative one is refused here, as stock does (7). */
static int kill_opt(const char *s, struct adm_opts *o)
{
	int rc = numeric_opt(s, &o->o_killiscsid, "priority");

	if (rc == RC_OK && o->o_killiscsid < 0) {
		log_error("Invalid killiscsid priority %d Priority must be greater "
			  "than or equal to zero.", o->o_killiscsid);
		return RC_INVAL;
	}
	return rc;
}

/* --lun: a LUN is a u32 on the way to iscsid; "-1" is no LUN, not all. */
static int set_lun(struct adm_opts *o, const char *s)
{
	if (parse_range(s, 0, UINT32_MAX, &o->o_lun) != RC_OK) {
		log_error("Invalid LUN '%s'", s);
		return RC_INVAL;
	}
	return RC_OK;
}

/* -r takes a session id or a sysfs path ending in session<N>. */
static int set_sid(struct adm_opts *o, const char *s)
{
	const char *p = strstr(s, "session");

	o->o_sid_text = s;
	if (parse_int(s, &o->o_sid) == RC_OK && o->o_sid >= 0)
		return RC_OK;
	while (p && strstr(p + 1, "session"))
		p = strstr(p + 1, "session");
	/* a path must name an existing sysfs session directory, as in stock */
	if (p && access(s, F_OK) == 0 && parse_int(p + 7, &o->o_sid) == RC_OK && o->o_sid >= 0)
		return RC_OK;
	o->o_sid = -1;
	log_error("%s is an invalid session ID or path", s);
	return RC_ERR;	/* stock exits 1 here */
}

static int take_opt(struct adm_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'm': return set_mode(o, arg);
	case 'o': return add_op(o, arg);
	case 'p': return set_portal(o, arg);
	case 'T': o->o_target = arg; return RC_OK;
	case 't': o->o_type = arg; return RC_OK;
	case 'n': return add_nv(o->o_names, &o->o_nname, arg);
	case 'v': return add_nv(o->o_values, &o->o_nvalue, arg);
	case 'r': return set_sid(o, arg);
	case 'P': return level_opt(arg, &o->o_print, "print level");
	case 'd': return level_opt(arg, &o->o_debug, "debug level");
	case 'k': return kill_opt(arg, o);
	case OPT_LUN: return set_lun(o, arg);
	case 'L': o->o_loginall = arg; return RC_OK;
	case 'U': o->o_logoutall = arg; return RC_OK;
	case 'H': o->o_host = arg; return RC_OK;
	case 'C': o->o_submode = arg; return RC_OK;
	case 'l': o->o_login = 1; return RC_OK;
	case 'u': o->o_logout = 1; return RC_OK;
	case 'R': o->o_rescan = 1; return RC_OK;
	case 'D': o->o_discover = 1; return RC_OK;
	case 's': o->o_stats = 1; return RC_OK;
	case 'S': o->o_show_secrets = 1; return RC_OK;
	case 'W': o->o_no_wait = 1; return RC_OK;
	case 'V': o->o_version = 1; return RC_OK;
	case 'h': o->o_help = 1; return RC_OK;
	case 'a': o->o_ping_ip = arg; return RC_OK;
	case 'b': o->o_ping_size = arg; return RC_OK;
	case 'c': o->o_ping_count = arg; return RC_OK;
	case 'i': o->o_ping_interval = arg; return RC_OK;
	case 'x': o->o_index = arg; return RC_OK;
	case 'A': o->o_portal_type = arg; return RC_OK;
	case 'I':
		if (o->o_niface >= ADM_MAX_IFACES) {
			log_error("too many interfaces (at most %d)", ADM_MAX_IFACES);
			return RC_INVAL;
		}
		o->o_ifaces[o->o_niface++] = arg;
		return RC_OK;
	}
	return RC_INVAL;
}

/* Unknown option: stock lets getopt complain (naming argv[0] as typed),
 * then names the mode. */
static int bad_option(struct adm_opts *o, int c, const char *argv0, const char *arg)
{
	if (c == ':')
		fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv0, optopt);
	else if (optopt && optopt < 256)
		fprintf(stderr, "%s: invalid option -- '%c'\n", argv0, optopt);
	else
		fprintf(stderr, "%s: unrecognized option '%s'\n", argv0, arg ? arg : "");
	if (o->o_mode != ADM_MODE_NONE)
		log_error("%s mode: option '-?' is not allowed/supported", mode_name(o->o_mode));
	else if (optopt && optopt < 256)
		log_error("unrecognized character '%c'", optopt);
	return RC_INVAL;
}

static int allowed_in_mode(enum adm_mode mode, int c)
{
	if (c == OPT_LUN)
		c = 'R';
	for (size_t i = 0; i < sizeof(adm_allowed) / sizeof(adm_allowed[0]); i++)
		if (adm_allowed[i].mode == mode)
			return strchr(adm_allowed[i].allowed, c) != NULL;
	return 1;
}

static int refuse_in_mode(enum adm_mode mode, int c)
{
	if (c == OPT_LUN)
		log_error("%s mode: option '--lun' is not allowed/supported", mode_name(mode));
	else
		log_error("%s mode: option '-%c' is not allowed/supported", mode_name(mode), c);
	return RC_INVAL;
}

/* Options seen before -m are checked once the mode is known. */
static int check_earlier(const struct adm_opts *o, const int *seen, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!allowed_in_mode(o->o_mode, seen[i]))
			return refuse_in_mode(o->o_mode, seen[i]);
	return RC_OK;
}

int adm_opts_parse(struct adm_opts *o, int argc, char **argv)
{
	int c, rc, seen[64];
	size_t nseen = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, adm_short, adm_long, NULL)) != -1) {
		if (c == '?' || c == ':')
			return bad_option(o, c, argv[0], argv[optind - 1]);
		/* before any -m, -h and -V answer at once, as stock */
		if ((c == 'h' || c == 'V') && o->o_mode == ADM_MODE_NONE)
			return take_opt(o, c, optarg);
		if (o->o_mode != ADM_MODE_NONE && !allowed_in_mode(o->o_mode, c))
			return refuse_in_mode(o->o_mode, c);
		if (o->o_mode == ADM_MODE_NONE && nseen < 64)
			seen[nseen++] = c;
		rc = take_opt(o, c, optarg);
		if (rc == RC_OK && c == 'm')
			rc = check_earlier(o, seen, nseen);
		if (rc != RC_OK)
			return rc;
	}
	if (optind < argc) {
		log_error("unrecognized argument '%s'", argv[optind]);
		return RC_INVAL;
	}
	return RC_OK;
}

int adm_opts_port(const struct adm_opts *o)
{
	return o->o_port >= 0 ? o->o_port : ISCSI_PORT_DEFAULT;
}

const char *adm_opts_iface(const struct adm_opts *o)
{
	return o->o_niface ? o->o_ifaces[0] : IFACE_DEFAULT;
}
