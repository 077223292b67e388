/* iscsi-iname's output and usage text (pure; main.c does the I/O). */
#include "iname.h"

#include <stdio.h>
#include <string.h>

int iname_format(char *buf, size_t len, const char *prefix,
		 const unsigned char rnd[INAME_RANDOM_BYTES], bool with_key)
{
	if (strnlen(prefix, INAME_PREFIX_MAX + 1) > INAME_PREFIX_MAX)
		return -1;
	int n = snprintf(buf, len, "%s%s:%x%x%x%x%x%x\n",
			 with_key ? "InitiatorName=" : "", prefix,
			 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

const char *iname_usage(void)
{
	/* byte for byte what open-iscsi 2.1.8 prints: scripts compare it */
	return "Usage: iscsi-iname [OPTIONS]\n"
	       "Where OPTIONS are from:\n"
	       "    -p/--prefix <prefix>          -- set IQN prefix [" INAME_PREFIX_DEFAULT "]\n"
	       "    -g/--generate-iname-prefix    -- generate the InitiatorName= prefix\n"
	       "where <prefix> has max length of 210\n";
}
