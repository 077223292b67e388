/* Shared by the libFuzzer targets in usr/fuzz (make fuzz): each file is one
 * program around one parser, built with clang -fsanitize=fuzzer,address,
 * undefined. A broken invariant calls FUZZ_CHECK, which aborts so libFuzzer
 * keeps the input as a crash. */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} } while (0)

/* A NUL-terminated copy of the input (text parsers take C strings). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Reads bytes off the front of the input: a tiny cursor so one input can
 * drive several choices (flags, lengths) and then the payloads. */
struct fuzz_in {
	const uint8_t *fi_p;
	size_t fi_n;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v = 0;

	if (in->fi_n) {
		v = *in->fi_p++;
		in->fi_n--;
	}
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	return (uint16_t)(fuzz_u8(in) << 8 | fuzz_u8(in));
}

/* Up to max bytes (fewer at the end of the input); *len gets the count. */
static inline const uint8_t *fuzz_take(struct fuzz_in *in, size_t max, size_t *len)
{
	const uint8_t *p = in->fi_p;

	*len = max < in->fi_n ? max : in->fi_n;
	in->fi_p += *len;
	in->fi_n -= *len;
	return p;
}

void fuzz_quiet(void);	/* log level below errors: keeps libFuzzer's output readable */

#endif
