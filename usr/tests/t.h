/* Minimal unit-test support: each test_X.c defines test functions, lists
 * them in main() through T_RUN, and ends with T_DONE, which prints the
 * "N passed, N failed" line the runner adds up. */
#ifndef T_H
#define T_H
#include <stdio.h>
#include <string.h>

static int t_pass, t_fail, t_cur_failed;

#define T_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		t_cur_failed = 1; \
	} } while (0)

#define T_STREQ(a, b) do { \
	const char *t_a_ = (a), *t_b_ = (b); \
	if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0) { \
		fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
			t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); \
		t_cur_failed = 1; \
	} } while (0)

#define T_INTEQ(a, b) do { \
	long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
	if (t_a_ != t_b_) { \
		fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
			#a, t_a_, t_b_); \
		t_cur_failed = 1; \
	} } while (0)

#define T_RUN(fn) do { \
	t_cur_failed = 0; fn(); \
	if (t_cur_failed) { t_fail++; fprintf(stderr, "FAIL %s\n", #fn); } \
	else t_pass++; } while (0)

#define T_DONE() (printf("%d passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)

#endif
