/* net_raise_fd_limit: the soft limit on open files goes up to 16384, never
 * past the hard limit, never down. */
#include <sys/resource.h>
#include "t.h"
#include "net.h"

static rlim_t soft(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur;
}

static void set(rlim_t cur, rlim_t max)
{
	struct rlimit rl = { cur, max };

	setrlimit(RLIMIT_NOFILE, &rl);
}

static void test_raise_within_hard(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	set(64, rl.rlim_max);
	net_raise_fd_limit();
	T_INTEQ(soft(), rl.rlim_max < 16384 ? rl.rlim_max : 16384);
	if (rl.rlim_max > 20000) {        /* a soft limit above ours stays */
		set(20000, rl.rlim_max);
		net_raise_fd_limit();
		T_INTEQ(soft(), 20000);
	}
	set(50, 100);                     /* the operator's hard limit holds */
	net_raise_fd_limit();
	T_INTEQ(soft(), 100);
}

int main(void)
{
	T_RUN(test_raise_within_hard);
	return T_DONE();
}
