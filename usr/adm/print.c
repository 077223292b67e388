/* Output formats of the record modes. */
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "print.h"
#include "rec.h"

static const char *val(const struct rec *r, enum key_id key)
{
	const char *v = rec_get(r, key);

	return v ? v : "";
}

static const char *or_empty(const char *v)
{
	return v && *v ? v : "<empty>";
}

static long long ival(const struct rec *r, enum key_id key)
{
	long long v = -1;

	rec_get_int(r, key, &v);
	return v;
}

void adm_print_portal(FILE *f, const char *addr, long long port)
{
	char e[ESC_BUF];

	addr = esc_str(addr, e, sizeof(e));	/* records may hold what a target sent */
	/* IPv6 addresses get brackets so the port stays readable */
	if (strchr(addr, ':'))
		fprintf(f, "[%s]:%lld", addr, port);
	else
		fprintf(f, "%s:%lld", addr, port);
}

void adm_print_node_flat(FILE *f, const struct rec *r)
{
	char e[ESC_BUF];

	adm_print_portal(f, val(r, K_NODE_CONN_0_ADDRESS), ival(r, K_NODE_CONN_0_PORT));
	/* stock prints the tpgt as unsigned: -1 becomes 4294967295 */
	fprintf(f, ",%u %s\n", (unsigned)ival(r, K_NODE_TPGT), esc_str(val(r, K_NODE_NAME), e, sizeof(e)));
}

static int same(const struct rec *a, const struct rec *b, enum key_id key)
{
	return strcmp(val(a, key), val(b, key)) == 0;
}

void adm_print_node_tree(FILE *f, struct rec *const *recs, size_t n, int portal_per_iface)
{
	for (size_t i = 0; i < n; i++) {
		const struct rec *r = recs[i], *prev = i ? recs[i - 1] : NULL;
		int new_target = !prev || !same(prev, r, K_NODE_NAME);
		char e[ESC_BUF];

		if (new_target)
			fprintf(f, "Target: %s\n", esc_str(val(r, K_NODE_NAME), e, sizeof(e)));
		if (portal_per_iface || new_target || !same(prev, r, K_NODE_CONN_0_ADDRESS) ||
		    !same(prev, r, K_NODE_CONN_0_PORT) || !same(prev, r, K_NODE_TPGT)) {
			fprintf(f, "\tPortal: ");
			adm_print_portal(f, val(r, K_NODE_CONN_0_ADDRESS),
					 ival(r, K_NODE_CONN_0_PORT));
			fprintf(f, ",%lld\n", ival(r, K_NODE_TPGT));
		}
		fprintf(f, "\t\tIface Name: %s\n",
			esc_str(or_empty(val(r, K_IFACE_ISCSI_IFACENAME)), e, sizeof(e)));
	}
}

void adm_print_iface_flat(FILE *f, const struct rec *r)
{
	fprintf(f, "%s %s,%s,%s,%s,%s\n", val(r, K_IFACE_ISCSI_IFACENAME),
		or_empty(val(r, K_IFACE_TRANSPORT_NAME)), or_empty(val(r, K_IFACE_HWADDRESS)),
		or_empty(val(r, K_IFACE_IPADDRESS)), or_empty(val(r, K_IFACE_NET_IFACENAME)),
		or_empty(val(r, K_IFACE_INITIATORNAME)));
}

static int wanted(const char *key, const char *const *names, size_t n)
{
	if (!n)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], key))
			return 1;
	return 0;
}

void adm_print_record(FILE *f, const struct rec *r, int secrets,
		      const char *const *names, size_t nnames)
{
	char *text = rec_format(r, secrets ? REC_FMT_SECRETS : REC_FMT_SHOW);
	char *line, *next;

	if (!text)
		return;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* BEGIN/END lines always; key lines filtered by -n */
		if (line[0] == '#' || nnames == 0) {
			fprintf(f, "%s\n", line);
		} else {
			size_t klen = strcspn(line, " ");
			char key[256];

			if (klen < sizeof(key)) {
				memcpy(key, line, klen);
				key[klen] = '\0';
				if (wanted(key, names, nnames))
					fprintf(f, "%s\n", line);
			}
		}
	}
	free(text);
}

void adm_print_usage(FILE *f)
{
	fputs("iscsiadm -m discoverydb [-hV] [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-Dl]] | [[-p ip:port -t type] [-o operation] [-n name] [-v value] [-lD]] \n"
	      "iscsiadm -m discovery [-hV] [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-l]] | [[-p ip:port] [-l | -D]] [-W]\n"
	      "iscsiadm -m node [-hV] [-d debug_level] [-P printlevel] [-L all,manual,automatic,onboot] [-W] [-U all,manual,automatic,onboot] [-S] [[-T targetname -p ip:port -I ifaceN] [-l | -u | -R | -s]] [[-o operation ] [-n name] [-v value]]\n"
	      "iscsiadm -m session [-hV] [-d debug_level] [-P printlevel] [-r sessionid | sysfsdir [-R [--lun N] | -u | -s] [-o operation] [-n name] [-v value]]\n"
	      "iscsiadm -m iface [-hV] [-d debug_level] [-P printlevel] [-I ifacename | -H hostno|MAC] [[-o operation ] [-n name] [-v value]] [-C ping [-a ip] [-b packetsize] [-c count] [-i interval]]\n"
	      "iscsiadm -m fw [-d debug_level] [-l] [-W] [[-n name] [-v value]]\n"
	      "iscsiadm -m host [-P printlevel] [-H hostno|MAC] [[-C chap [-x chap_tbl_idx]] | [-C flashnode [-A portal_type] [-x flashnode_idx]] | [-C stats]] [[-o operation] [-n name] [-v value]] \n"
	      "iscsiadm -k priority\n", f);
}
