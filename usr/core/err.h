/* Exit codes shared by iscsiadm, iscsid and libopeniscsiusr. The numbers are
 * open-iscsi's (include/iscsi_err.h): scripts and os-brick test for them. */
#ifndef CORE_ERR_H
#define CORE_ERR_H

enum iscsi_rc {
	RC_OK                = 0,
	RC_ERR               = 1,  /* generic */
	RC_SESS_NOT_FOUND    = 2,
	RC_NOMEM             = 3,
	RC_TRANS             = 4,  /* transport (connection) error */
	RC_LOGIN             = 5,  /* generic login failure */
	RC_IDBM              = 6,  /* record database */
	RC_INVAL             = 7,  /* invalid argument */
	RC_TRANS_TIMEOUT     = 8,  /* connect/login timed out */
	RC_INTERNAL          = 9,
	RC_LOGOUT            = 10,
	RC_PDU_TIMEOUT       = 11,
	RC_TRANS_NOT_FOUND   = 12, /* transport module missing */
	RC_ACCESS            = 13,
	RC_TRANS_CAPS        = 14,
	RC_SESS_EXISTS       = 15,
	RC_INVALID_MGMT_REQ  = 16,
	RC_ISNS_UNAVAILABLE  = 17,
	RC_ISCSID_COMM_ERR   = 18,
	RC_FATAL_LOGIN       = 19, /* e.g. target not found */
	RC_ISCSID_NOTCONN    = 20,
	RC_NO_OBJS_FOUND     = 21, /* no records/sessions to act on */
	RC_SYSFS_LOOKUP      = 22,
	RC_HOST_NOT_FOUND    = 23,
	RC_LOGIN_AUTH_FAILED = 24,
	RC_ISNS_QUERY        = 25,
	RC_ISNS_REG_FAILED   = 26,
	RC_OP_NOT_SUPP       = 27,
	RC_BUSY              = 28,
	RC_AGAIN             = 29,
	RC_UNKNOWN_DISCOVERY_TYPE = 30,
	RC_CHILD_TERMINATED  = 31,
	RC_SESS_NOT_CONNECTED = 32,
	RC_REQ_TIMEDOUT      = 33, /* iscsid did not answer in time */
	RC_MAX
};

/* The short text stock iscsiadm prints for a code, e.g.
 * "iscsiadm: initiator reported error (20 - could not connect to iscsid)". */
const char *rc_str(int rc);

#endif
