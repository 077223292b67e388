/* libopeniscsiusr (autoscan project): read-only access to iSCSI sessions
 * (from sysfs), interfaces and node records (from the record database).
 *
 * Every call takes a context made by iscsi_context_new(). The context reads
 * two environment variables when it is created: ISCSI_SYSFS_ROOT (default
 * "/sys") and ISCSI_ETC_DIR (default: the build's /etc/iscsi), so tests and
 * tools can point the library at fake trees.
 *
 * Functions returning int return LIBISCSI_OK or one of the LIBISCSI_ERR_*
 * numbers; iscsi_strerror() turns them into text. Passing NULL where an
 * object is required is a programming error and aborts (assert). */
#ifndef _LIB_OPEN_ISCSI_USR_H_
#define _LIB_OPEN_ISCSI_USR_H_

#ifdef __cplusplus
extern "C" {
#endif

#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>

#include "libopeniscsiusr_common.h"
#include "libopeniscsiusr_session.h"
#include "libopeniscsiusr_iface.h"
#include "libopeniscsiusr_node.h"

/* "ERROR", "WARN", "INFO", "DEBUG", or "Invalid argument". */
__DLL_EXPORT const char *iscsi_log_priority_str(int priority);
/* Text of a LIBISCSI_* code; "Invalid argument" for unknown numbers. */
__DLL_EXPORT const char *iscsi_strerror(int rc);

/* A new context (NULL when out of memory). Logging starts at
 * LIBISCSI_LOG_PRIORITY_DEFAULT and goes to stderr. */
__DLL_EXPORT struct iscsi_context *iscsi_context_new(void);
/* Frees the context; the user data pointer is left alone. */
__DLL_EXPORT void iscsi_context_free(struct iscsi_context *ctx);

/* Messages at this priority or more important (smaller number) reach the
 * log function. */
__DLL_EXPORT void iscsi_context_log_priority_set(struct iscsi_context *ctx,
						 int priority);
__DLL_EXPORT int iscsi_context_log_priority_get(struct iscsi_context *ctx);
/* Replaces the log function (NULL restores the stderr one). */
__DLL_EXPORT void iscsi_context_log_func_set
	(struct iscsi_context *ctx,
	 void (*log_func) (struct iscsi_context *ctx, int priority,
			   const char *file, int line, const char *func_name,
			   const char *format, va_list args));
__DLL_EXPORT void iscsi_context_userdata_set(struct iscsi_context *ctx,
					     void *userdata);
__DLL_EXPORT void *iscsi_context_userdata_get(struct iscsi_context *ctx);

/* All sessions, in the order of their sysfs names (as iscsiadm lists
 * them). Free with iscsi_sessions_free(). */
__DLL_EXPORT int iscsi_sessions_get(struct iscsi_context *ctx,
				    struct iscsi_session ***ses,
				    uint32_t *se_count);
/* Does nothing for NULL or a zero count. */
__DLL_EXPORT void iscsi_sessions_free(struct iscsi_session **ses,
				      uint32_t session_count);
/* One session; LIBISCSI_ERR_SESS_NOT_FOUND (and *se = NULL) when sysfs has
 * no such session. Free with iscsi_session_free(). */
__DLL_EXPORT int iscsi_session_get(struct iscsi_context *ctx, uint32_t sid,
				   struct iscsi_session **se);
__DLL_EXPORT void iscsi_session_free(struct iscsi_session *se);

/* Makes sure <etc>/ifaces exists. Offload cards are not supported by this
 * project, so no per-card iface file is ever written. */
__DLL_EXPORT int iscsi_default_iface_setup(struct iscsi_context *ctx);
/* Built-in ifaces ("default", "iser") then the files of <etc>/ifaces sorted by name;
 * unreadable files are skipped with a warning. */
__DLL_EXPORT int iscsi_ifaces_get(struct iscsi_context *ctx,
				  struct iscsi_iface ***ifaces,
				  uint32_t *iface_count);
__DLL_EXPORT void iscsi_ifaces_free(struct iscsi_iface **ifaces,
				    uint32_t iface_count);
/* One iface by name: LIBISCSI_ERR_INVAL when it does not exist,
 * LIBISCSI_ERR_IDBM when its file cannot be parsed. */
__DLL_EXPORT int iscsi_iface_get(struct iscsi_context *ctx,
				 const char *iface_name,
				 struct iscsi_iface **iface);
__DLL_EXPORT void iscsi_iface_free(struct iscsi_iface *iface);

/* All node records, sorted by target name, address, port and iface. */
__DLL_EXPORT int iscsi_nodes_get(struct iscsi_context *ctx,
				 struct iscsi_node ***nodes,
				 uint32_t *node_count);
__DLL_EXPORT void iscsi_nodes_free(struct iscsi_node **nodes,
				   uint32_t node_count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif
