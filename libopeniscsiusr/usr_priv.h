/* Internal to libopeniscsiusr: the object layouts behind the public opaque
 * types and the context's logging helpers. */
#ifndef USR_PRIV_H
#define USR_PRIV_H
#include <stdint.h>
#include "libopeniscsiusr/libopeniscsiusr.h"

struct rec;

struct iscsi_context {
	int ctx_prio;
	void (*ctx_log)(struct iscsi_context *ctx, int priority,
			const char *file, int line, const char *func_name,
			const char *format, va_list args);
	void *ctx_userdata;
	char *ctx_sysfs;	/* sysfs root */
	char *ctx_etc;		/* record database directory */
};

struct iscsi_iface {
	char *if_name, *if_transport, *if_iname, *if_ipaddress;
	char *if_hwaddress, *if_netdev, *if_port_state, *if_port_speed;
	struct rec *if_rec;	/* the record form, for dump/print */
};

struct iscsi_session {
	uint32_t se_sid;
	uint32_t se_host;
	int32_t se_creator;
	char *se_target, *se_paddr, *se_addr;
	int32_t se_pport, se_port, se_tpgt;
	char *se_user, *se_pass, *se_user_in, *se_pass_in;
	int32_t se_recovery_tmo, se_lu_reset_tmo, se_tgt_reset_tmo, se_abort_tmo;
	char *se_state, *se_conn_state;
	int32_t se_nego[ISCSI_NEGO_COUNT];
	struct iscsi_iface *se_iface;
};

struct iscsi_node {
	struct rec *nd_rec;
	char *nd_target, *nd_addr, *nd_iface, *nd_portal;
	uint32_t nd_port;
	int32_t nd_tpgt;
};

void usr_log(struct iscsi_context *ctx, int prio, const char *file, int line,
	     const char *func, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#define usr_err(ctx, ...) \
	usr_log(ctx, LIBISCSI_LOG_PRIORITY_ERROR, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define usr_warn(ctx, ...) \
	usr_log(ctx, LIBISCSI_LOG_PRIORITY_WARNING, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define usr_info(ctx, ...) \
	usr_log(ctx, LIBISCSI_LOG_PRIORITY_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define usr_dbg(ctx, ...) \
	usr_log(ctx, LIBISCSI_LOG_PRIORITY_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Maps an errno from the sysfs edge to a LIBISCSI_* code. */
int usr_errno_rc(int err);

/* Iface of a session: host attributes from sysfs, plus the session's own
 * initiator name and iface name as read by the caller ("" when unset). */
int usr_iface_from_sysfs(struct iscsi_context *ctx, uint32_t host,
			 const char *sess_iname, const char *sess_iface,
			 struct iscsi_iface **out);
/* Iface object from a record (built-in or ifaces/ file). */
struct iscsi_iface *usr_iface_from_rec(const struct rec *r);

#endif
