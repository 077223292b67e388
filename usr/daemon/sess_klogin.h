/* Re-login of a kernel session through the kernel's connection (see
 * sess_klogin.c for why). */
#ifndef DAEMON_SESS_KLOGIN_H
#define DAEMON_SESS_KLOGIN_H

#include "ksession.h"
#include "login.h"

/* fd: a freshly connected TCP socket. Binds it to ks's connection, logs in
 * with p (TSIH 0 reinstates the session at the target, a kept TSIH
 * continues it), sets the negotiated parameters and starts the connection.
 * RC_OK with ks->ks_fd = fd; else the connection is back in recovery mode
 * and fd is the caller's to close. */
int sess_klogin(struct kern *k, struct ksess *ks, const struct ksess_conf *c,
		const struct login_params *p, int fd, struct login_result *res);

#endif
