/* iscsiadm -m discovery -t sendtargets|st -p IP[:PORT] [-I IFACE] [-o OP] [-P N]
 * and -m discoverydb ... --discover: runs a SendTargets discovery and
 * creates, updates or deletes node records the way stock iscsiadm does. */
#ifndef ADM_DISCOVERY_H
#define ADM_DISCOVERY_H

struct adm_opts;

/* Returns an enum iscsi_rc; prints the "IP:PORT,TPGT IQN" lines. */
int adm_discovery_run(const struct adm_opts *o);

#endif
