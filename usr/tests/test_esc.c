/* esc_str: control characters (C0, DEL, C1 as UTF-8) become \xHH, other
 * text (UTF-8 included) passes unchanged; truncation never splits an
 * escape; log lines go through it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "t.h"
#include "esc.h"
#include "log.h"

static void test_escape_table(void)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "iqn.2026-01.example:disk1", "iqn.2026-01.example:disk1" },
		{ "a\x1b[2Jb", "a\\x1b[2Jb" },
		{ "line\nforged: ok", "line\\x0aforged: ok" },
		{ "tab\there", "tab\\x09here" },
		{ "del\x7f", "del\\x7f" },
		{ "csi\xc2\x9b" "31m", "csi\\xc2\\x9b31m" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },	/* é € stay */
		{ "", "" },
	};
	char buf[ESC_BUF];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		T_STREQ(esc_str(rows[i].in, buf, sizeof(buf)), rows[i].out);
	T_STREQ(esc_str(NULL, buf, sizeof(buf)), "");
	/* truncation keeps whole escapes */
	T_STREQ(esc_str("ab\x1b\x1b", buf, 7), "ab\\x1b");
	T_STREQ(esc_str("ab\x1b", buf, 5), "ab");
}

static void test_log_escapes(void)
{
	char path[] = "/tmp/test_esc.XXXXXX", line[256] = "";
	int fd = mkstemp(path), saved = dup(2);
	FILE *f;

	T_CHECK(fd >= 0);
	fflush(stderr);
	dup2(fd, 2);
	log_set_prog("test_esc");
	log_error("target said %s", "\x1b]0;owned\x07\nfake line");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	T_CHECK(fgets(line, sizeof(line), f) != NULL);
	T_STREQ(line, "test_esc: target said \\x1b]0;owned\\x07\\x0afake line\n");
	fclose(f);
	unlink(path);
}

int main(void)
{
	T_RUN(test_escape_table);
	T_RUN(test_log_escapes);
	return T_DONE();
}
