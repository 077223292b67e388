/* The network parameters -m iface -o apply|applyall would send to an
 * offload host, counted as stock counts them (pure). */
#ifndef ADM_IFACE_NET_H
#define ADM_IFACE_NET_H

struct rec;

/* Number of network parameters the iface record f configures; 0 means
 * stock's "Nothing to configure.". */
int adm_iface_net_params(const struct rec *f);
/* The record describes an IPv6 iface (stock's guess from the address,
 * bootproto and name). */
int adm_iface_is_ipv6(const struct rec *f);

#endif
