/* Linked into every fuzz target. */
#include "fuzz.h"
#include "log.h"

void fuzz_quiet(void)
{
	/* a hostile input makes every parser complain; the fuzzer reports
	 * crashes itself, and ASan's reports do not go through the log */
	if (!getenv("FUZZ_VERBOSE"))
		log_set_silent(1);
}
