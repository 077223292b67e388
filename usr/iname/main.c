/* iscsi-iname: prints a new, random iSCSI initiator name. Options, exit
 * codes, messages and output format are those of open-iscsi 2.1.8 (the
 * Debian postinst runs "iscsi-iname -p iqn.1993-08.org.debian:01"). */
#include "iname.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int usage_exit(int rc)
{
	fputs(iname_usage(), stderr);
	return rc;
}

/* The random part must differ between hosts cloned from one image, so it
 * comes from the kernel's generator, never from time or host name. */
static int random_read(unsigned char *out, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(out + got, len - got, 0);
		if (n < 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "generate-iname-prefix", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prefix = INAME_PREFIX_DEFAULT;
	bool with_key = false;
	int c;

	while ((c = getopt_long(argc, argv, "p:gh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			prefix = optarg;
			/* checked at once, as stock does: a later -h does not run */
			if (strnlen(prefix, INAME_PREFIX_MAX + 1) > INAME_PREFIX_MAX) {
				fputs("error: prefix too long\n", stderr);
				return usage_exit(1);
			}
			break;
		case 'g':
			with_key = true;
			break;
		case 'h':
			return usage_exit(0);
		default:
			return usage_exit(1);
		}
	}
	if (optind < argc) {
		fputs("unknown argument(s)\n", stderr);
		return usage_exit(1);
	}

	unsigned char rnd[INAME_RANDOM_BYTES];
	if (random_read(rnd, sizeof(rnd)) < 0) {
		perror("error: getrandom failed");
		return 1;
	}
	char line[INAME_PREFIX_MAX + 64];
	if (iname_format(line, sizeof(line), prefix, rnd, with_key) < 0)
		return 1;
	if (fputs(line, stdout) == EOF || fflush(stdout) == EOF)
		return 1;
	return 0;
}
