/* Logging: "prog: message" on stderr, or syslog for the daemon. */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include "esc.h"
#include "log.h"

/* The project's only mutable globals: set once at start-up from -d/-f. */
static const char *log_prog = "iscsiadm";
static int log_level;
static int log_syslog;
static int log_silent;	/* fuzz targets: no output at all */

void log_set_prog(const char *name) { log_prog = name; }
void log_set_level(int level) { log_level = level; }
void log_set_silent(int on) { log_silent = on; }
int log_get_level(void) { return log_level; }

void log_set_syslog(int on)
{
	log_syslog = on;
	if (on)
		openlog(log_prog, LOG_PID, LOG_DAEMON);
}

/* Messages carry strings a target chose (names, aliases, login texts):
 * control characters are escaped so they cannot drive a terminal or forge
 * a log line. */
static void log_emit(int prio, const char *fmt, va_list ap)
{
	char msg[2048], safe[4 * sizeof(msg)];
	const char *out;

	if (log_silent)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	out = esc_str(msg, safe, sizeof(safe));
	if (log_syslog) {
		syslog(prio, "%s", out);
		return;
	}
	fprintf(stderr, "%s: %s\n", log_prog, out);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_ERR, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LVL_DEBUG)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void log_debugn(int lvl, const char *fmt, ...)
{
	va_list ap;

	if (log_level < lvl)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, fmt, ap);
	va_end(ap);
}
