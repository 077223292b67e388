/* Target-supplied strings (names, aliases, addresses, login messages) on
 * root's terminal and in logs: control characters are shown as \xHH so an
 * ESC sequence or a line break from a target cannot drive the terminal or
 * forge a log line. Printable text, UTF-8 included, passes unchanged. */
#ifndef CORE_ESC_H
#define CORE_ESC_H
#include <stddef.h>

#define ESC_BUF 1024	/* enough for a 255-byte string escaped whole */

/* s itself when it needs no escaping, else its escaped form in buf
 * (truncated to cap - 1 bytes, never mid-escape). s NULL: "". */
const char *esc_str(const char *s, char *buf, size_t cap);
/* Does s hold a byte esc_str would escape? */
int esc_needed(const char *s);

#endif
