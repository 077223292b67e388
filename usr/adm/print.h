/* iscsiadm output formats shared by the record modes (node, discoverydb,
 * iface), each line as stock 2.1.8 prints it. */
#ifndef ADM_PRINT_H
#define ADM_PRINT_H
#include <stddef.h>
#include <stdio.h>

struct rec;
struct adm_opts;

/* "IP:PORT,TPGT IQN" ("[v6]:PORT,TPGT IQN"; tpgt -1 shows as 4294967295,
 * as stock prints it). */
void adm_print_node_flat(FILE *f, const struct rec *r);
/* -P 1 tree: "Target:", "\tPortal:", "\t\tIface Name:" lines; repeated
 * targets of consecutive records are not repeated, nor are portals unless
 * portal_per_iface (stock's -m node -P 1 repeats them, discoverydb does
 * not). */
void adm_print_node_tree(FILE *f, struct rec *const *recs, size_t n, int portal_per_iface);
/* "name transport,hwaddress,ipaddress,net_ifacename,initiatorname". */
void adm_print_iface_flat(FILE *f, const struct rec *r);
/* A whole record block; names (o_names of -n) limit the keys printed. */
void adm_print_record(FILE *f, const struct rec *r, int secrets,
		      const char *const *names, size_t nnames);
/* "IP:PORT" or "[v6]:PORT". */
void adm_print_portal(FILE *f, const char *addr, long long port);
/* --help text (stdout). */
void adm_print_usage(FILE *f);

#endif
