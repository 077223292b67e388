/* The parameters iscsid hands the kernel for one connection, built as a
 * plain list first (pure, testable), then sent one SET_PARAM each. */
#ifndef DAEMON_KSESSION_PARAM_H
#define DAEMON_KSESSION_PARAM_H
#include "ksession.h"

#define KPARAM_MAX 40

struct kparam {
	enum nl_param kp_param;
	char kp_value[LOGIN_SECRET_MAX];
	int kp_optional;   /* failure is logged, not fatal (display-only values) */
};

/* Fills out[] in the order the kernel needs them; returns the count. */
int ksession_param_list(const struct ksess_conf *c, const struct login_result *lr,
			struct kparam *out, int max);
int ksession_set_params(struct kern *k, const struct ksess *ks,
			const struct ksess_conf *c, const struct login_result *lr);

#endif
