/* Properties of an iSCSI interface: a built-in one ("default" over tcp,
 * "iser"), one configured in <etc>/ifaces/<name>, or the one a session
 * runs over. Strings belong to the iface object. */
#ifndef _LIB_OPEN_ISCSI_USR_IFACE_H_
#define _LIB_OPEN_ISCSI_USR_IFACE_H_

#include <stdbool.h>
#include "libopeniscsiusr_common.h"

__DLL_EXPORT const char *iscsi_iface_ipaddress_get(struct iscsi_iface *iface);
__DLL_EXPORT const char *iscsi_iface_hwaddress_get(struct iscsi_iface *iface);
__DLL_EXPORT const char *iscsi_iface_netdev_get(struct iscsi_iface *iface);
/* "tcp", "iser", "bnx2i", ... */
__DLL_EXPORT const char *iscsi_iface_transport_name_get
	(struct iscsi_iface *iface);
__DLL_EXPORT const char *iscsi_iface_iname_get(struct iscsi_iface *iface);
/* "LINK_UP", "LINK_DOWN" or "unknown". */
__DLL_EXPORT const char *iscsi_iface_port_state_get(struct iscsi_iface *iface);
/* e.g. "10 Gbps", or "unknown". */
__DLL_EXPORT const char *iscsi_iface_port_speed_get(struct iscsi_iface *iface);
__DLL_EXPORT const char *iscsi_iface_name_get(struct iscsi_iface *iface);

/* The iface record as "key = value" lines without empty values, suitable
 * for <etc>/ifaces/<name>. The caller frees the string with free(). */
__DLL_EXPORT const char *iscsi_iface_dump_config(struct iscsi_iface *iface);
/* The whole record on stdout, empty values shown as "<empty>". */
__DLL_EXPORT void iscsi_iface_print_config(struct iscsi_iface *iface);

/* True for the built-in "default" (tcp) and "iser" interfaces. */
__DLL_EXPORT bool iscsi_is_default_iface(struct iscsi_iface *iface);

#endif
