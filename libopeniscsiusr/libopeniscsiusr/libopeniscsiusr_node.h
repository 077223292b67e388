/* Node records of the database (<etc>/nodes/...). Strings belong to the
 * node object and live until iscsi_nodes_free(). */
#ifndef _LIB_OPEN_ISCSI_USR_NODE_H_
#define _LIB_OPEN_ISCSI_USR_NODE_H_

#include <stdbool.h>
#include <stdint.h>
#include "libopeniscsiusr_common.h"

/* The record as "key = value" lines, empty values left out; passwords are
 * "********" unless show_secret. The caller frees it with free(). */
__DLL_EXPORT const char *iscsi_node_dump_config(struct iscsi_node *node,
						bool show_secret);
/* The whole record on stdout, empty values shown as "<empty>". */
__DLL_EXPORT void iscsi_node_print_config(struct iscsi_node *node,
					  bool show_secret);

__DLL_EXPORT const char *iscsi_node_target_name_get
	(struct iscsi_node *node);
__DLL_EXPORT bool iscsi_node_conn_is_ipv6(struct iscsi_node *node);
__DLL_EXPORT const char *iscsi_node_conn_address_get(struct iscsi_node *node);
__DLL_EXPORT uint32_t iscsi_node_conn_port_get(struct iscsi_node *node);
/* "192.168.1.1:3260" or "[::1]:3260". */
__DLL_EXPORT const char *iscsi_node_portal_get(struct iscsi_node *node);
/* -1 when unknown. */
__DLL_EXPORT int32_t iscsi_node_tpgt_get(struct iscsi_node *node);
/* "default" for the tcp interface. */
__DLL_EXPORT const char *iscsi_node_iface_name_get(struct iscsi_node *node);

#endif
