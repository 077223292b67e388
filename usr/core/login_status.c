/* Login Status-Class / Status-Detail (RFC 7143 10.13.5) to text and to
 * the exit codes stock iscsiadm gives for them. */
#include <stdint.h>
#include "login.h"
#include "err.h"

int login_status_rc(uint8_t cls, uint8_t detail)
{
	switch (cls) {
	case 0:
		return RC_OK;
	case 1:
		return RC_LOGIN;  /* redirection: the caller follows it */
	case 2:
		if (detail == 0x01 || detail == 0x02)
			return RC_LOGIN_AUTH_FAILED;
		/* not found, removed, bad version, missing fields...: retrying
		 * the same request cannot succeed */
		return RC_FATAL_LOGIN;
	case 3:
		/* target error, service unavailable, out of resources (0x0302):
		 * transient, and never an authentication failure */
		return RC_LOGIN;
	}
	return RC_LOGIN;
}

static const char *status_class2(uint8_t detail)
{
	switch (detail) {
	case 0x00: return "initiator error";
	case 0x01: return "authentication failed";
	case 0x02: return "authorization failed";
	case 0x03: return "target not found";
	case 0x04: return "target removed";
	case 0x05: return "unsupported version";
	case 0x06: return "too many connections";
	case 0x07: return "missing parameter";
	case 0x08: return "cannot include connection in session";
	case 0x09: return "session type not supported";
	case 0x0a: return "session does not exist";
	case 0x0b: return "invalid request during login";
	}
	return "unknown initiator error";
}

const char *login_status_str(uint8_t cls, uint8_t detail)
{
	switch (cls) {
	case 0: return "success";
	case 1: return detail == 0x02 ? "target moved permanently" : "target moved temporarily";
	case 2: return status_class2(detail);
	case 3:
		if (detail == 0x01) return "service unavailable";
		if (detail == 0x02) return "out of resources";
		return "target error";
	}
	return "unknown status class";
}
