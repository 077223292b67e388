/* Escaping of control characters in strings that reach a terminal or log. */
#include <stdio.h>
#include <string.h>
#include "esc.h"

/* C0 controls and DEL, one byte each. */
static int esc_c0(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* C1 controls (CSI is U+009B) as UTF-8: C2 80..C2 9F. */
static int esc_c1_at(const unsigned char *p)
{
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

int esc_needed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p && *p; p++)
		if (esc_c0(*p) || esc_c1_at(p))
			return 1;
	return 0;
}

const char *esc_str(const char *s, char *buf, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!s)
		return "";
	if (!esc_needed(s))
		return s;
	if (!cap)
		return "";
	for (; *p; p++) {
		int n;
		int c1 = esc_c1_at(p);

		if (esc_c0(*p)) {
			if (o + 4 >= cap)
				break;
			n = snprintf(buf + o, cap - o, "\\x%02x", *p);
		} else if (c1) {
			if (o + 8 >= cap)
				break;
			n = snprintf(buf + o, cap - o, "\\x%02x\\x%02x", p[0], p[1]);
			p++;
		} else {
			if (o + 1 >= cap)
				break;
			buf[o] = (char)*p;
			n = 1;
		}
		o += (size_t)n;
	}
	buf[o] = '\0';
	return buf;
}
