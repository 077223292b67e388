/* iscsi-iname: the name it prints, as a pure function of its inputs. */
#ifndef INAME_H
#define INAME_H
#include <stdbool.h>
#include <stddef.h>

/* open-iscsi's default prefix; a prefix may be at most INAME_PREFIX_MAX long
 * so that prefix, ':' and the 12 hex digits fit in an iSCSI name (223). */
#define INAME_PREFIX_DEFAULT "iqn.2016-04.com.open-iscsi"
#define INAME_PREFIX_MAX 210
#define INAME_RANDOM_BYTES 6

/* Writes "[InitiatorName=]PREFIX:XXXXXXXXXXXX\n" into buf. Each random byte
 * is printed in lower-case hex without zero padding, as stock does, so the
 * suffix is 6 to 12 digits long. Returns the length, or -1 when the prefix
 * is too long or buf too small. */
int iname_format(char *buf, size_t len, const char *prefix,
		 const unsigned char rnd[INAME_RANDOM_BYTES], bool with_key);

/* The usage text stock prints on stderr for -h and for bad arguments. */
const char *iname_usage(void);

#endif
