/* Properties of one iSCSI session as the kernel shows it in sysfs. Strings
 * belong to the session object and live until iscsi_session_free() or
 * iscsi_sessions_free(); never free them yourself. */
#ifndef _LIB_OPEN_ISCSI_USR_SESSION_H_
#define _LIB_OPEN_ISCSI_USR_SESSION_H_

#include <stdint.h>
#include "libopeniscsiusr_common.h"

/* N of /sys/class/iscsi_session/sessionN. */
__DLL_EXPORT uint32_t iscsi_session_sid_get(struct iscsi_session *se);

/* Portal the session was first logged in to (before any redirection);
 * "" / -1 when the transport does not say. */
__DLL_EXPORT const char *iscsi_session_persistent_address_get
	(struct iscsi_session *se);
__DLL_EXPORT int32_t iscsi_session_persistent_port_get
	(struct iscsi_session *se);

__DLL_EXPORT const char *iscsi_session_target_name_get
	(struct iscsi_session *se);

/* CHAP credentials the kernel holds for the session ("" when none). */
__DLL_EXPORT const char *iscsi_session_username_get(struct iscsi_session *se);
__DLL_EXPORT const char *iscsi_session_password_get(struct iscsi_session *se);
__DLL_EXPORT const char *iscsi_session_username_in_get
	(struct iscsi_session *se);
__DLL_EXPORT const char *iscsi_session_password_in_get
	(struct iscsi_session *se);

/* Seconds; -1 when not supported. A negative recovery timeout queues I/O
 * until the session comes back or is logged out. */
__DLL_EXPORT int32_t iscsi_session_recovery_tmo_get(struct iscsi_session *se);
__DLL_EXPORT int32_t iscsi_session_lu_reset_tmo_get(struct iscsi_session *se);
__DLL_EXPORT int32_t iscsi_session_tgt_reset_tmo_get(struct iscsi_session *se);
__DLL_EXPORT int32_t iscsi_session_abort_tmo_get(struct iscsi_session *se);

/* Target portal group tag, -1 when unknown. */
__DLL_EXPORT int32_t iscsi_session_tpgt_get(struct iscsi_session *se);

/* Portal currently in use ("" / -1 when not exported). */
__DLL_EXPORT const char *iscsi_session_address_get
	(struct iscsi_session *se);
__DLL_EXPORT int32_t iscsi_session_port_get(struct iscsi_session *se);

/* The interface the session runs over; owned by the session. */
__DLL_EXPORT struct iscsi_iface *iscsi_session_iface_get
	(struct iscsi_session *se);

/* ---- Additions of this project (not in open-iscsi's header) ---- */

/* Kernel session state: "LOGGED_IN", "FAILED" (in recovery), "FREE";
 * "" when unreadable. */
__DLL_EXPORT const char *iscsi_session_state_get(struct iscsi_session *se);
/* Kernel state of the leading connection: "up", "down", "failed",
 * "bound"; "" on kernels without the attribute. */
__DLL_EXPORT const char *iscsi_session_conn_state_get
	(struct iscsi_session *se);
/* SCSI host number N of /sys/class/scsi_host/hostN. */
__DLL_EXPORT uint32_t iscsi_session_host_no_get(struct iscsi_session *se);
/* Pid of the process that created the session, -1 when the kernel or
 * firmware created it (a "flash" session), 0 when the kernel does not
 * say. */
__DLL_EXPORT int32_t iscsi_session_creator_get(struct iscsi_session *se);

/* Values negotiated at login, as the kernel reports them. */
enum iscsi_nego_param {
	ISCSI_NEGO_HEADER_DIGEST = 0,	/* 0 None, 1 CRC32C */
	ISCSI_NEGO_DATA_DIGEST,		/* 0 None, 1 CRC32C */
	ISCSI_NEGO_MAX_RECV_DLENGTH,	/* MaxRecvDataSegmentLength */
	ISCSI_NEGO_MAX_XMIT_DLENGTH,	/* MaxXmitDataSegmentLength */
	ISCSI_NEGO_FIRST_BURST_LEN,
	ISCSI_NEGO_MAX_BURST_LEN,
	ISCSI_NEGO_IMMEDIATE_DATA,	/* 0 No, 1 Yes */
	ISCSI_NEGO_INITIAL_R2T,		/* 0 No, 1 Yes */
	ISCSI_NEGO_MAX_OUTSTANDING_R2T,
	ISCSI_NEGO_COUNT
};
/* The value, or -1 when the kernel does not export it. */
__DLL_EXPORT int32_t iscsi_session_nego_get(struct iscsi_session *se,
					    enum iscsi_nego_param param);

#endif
