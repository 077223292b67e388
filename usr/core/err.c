/* Short texts for exit codes, worded as stock iscsiadm prints them in
 * "initiator reported error (N - text)" so scripts matching them keep
 * working. */
#include "err.h"

static const char *const rc_texts[RC_MAX] = {
	[RC_OK] = "",
	[RC_ERR] = "unknown error",
	[RC_SESS_NOT_FOUND] = "session not found",
	[RC_NOMEM] = "no available memory",
	[RC_TRANS] = "encountered connection failure",
	[RC_LOGIN] = "encountered iSCSI login failure",
	[RC_IDBM] = "encountered iSCSI database failure",
	[RC_INVAL] = "invalid parameter",
	[RC_TRANS_TIMEOUT] = "connection timed out",
	[RC_INTERNAL] = "internal error",
	[RC_LOGOUT] = "encountered iSCSI logout failure",
	[RC_PDU_TIMEOUT] = "iSCSI PDU timed out",
	[RC_TRANS_NOT_FOUND] = "iSCSI driver not found. Please make sure it is loaded, and retry the operation",
	[RC_ACCESS] = "daemon access denied",
	[RC_TRANS_CAPS] = "iSCSI driver does not support requested capability.",
	[RC_SESS_EXISTS] = "session exists",
	[RC_INVALID_MGMT_REQ] = "Unknown request",
	[RC_ISNS_UNAVAILABLE] = "iSNS service not supported",
	[RC_ISCSID_COMM_ERR] = "could not communicate to iscsid",
	[RC_FATAL_LOGIN] = "encountered non-retryable iSCSI login failure",
	[RC_ISCSID_NOTCONN] = "could not connect to iscsid",
	[RC_NO_OBJS_FOUND] = "no objects found",
	[RC_SYSFS_LOOKUP] = "sysfs lookup failure",
	[RC_HOST_NOT_FOUND] = "host not found",
	[RC_LOGIN_AUTH_FAILED] = "iSCSI login failed due to authorization failure",
	[RC_ISNS_QUERY] = "iSNS query failed",
	[RC_ISNS_REG_FAILED] = "iSNS registration failed",
	[RC_OP_NOT_SUPP] = "operation not supported",
	[RC_BUSY] = "device or resource in use",
	[RC_AGAIN] = "operation failed but retry may succeed",
	[RC_UNKNOWN_DISCOVERY_TYPE] = "unknown discovery type",
	[RC_CHILD_TERMINATED] = "child process terminated",
	[RC_SESS_NOT_CONNECTED] = "session likely not connected",
	[RC_REQ_TIMEDOUT] = "iscsid request timed out",
};

const char *rc_str(int rc)
{
	if (rc < 0 || rc >= RC_MAX || !rc_texts[rc])
		return "unknown error";
	return rc_texts[rc];
}
