/* Logging shared by iscsiadm, iscsid and the library. The level is the only
 * mutable global of the project (set once from -d). iscsiadm prints
 * "iscsiadm: message" on stderr as stock does; iscsid may switch to syslog. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

enum log_level {
	LOG_LVL_ERROR = -1,	/* always printed */
	LOG_LVL_WARN  = 0,	/* printed at the default level */
	LOG_LVL_INFO  = 1,	/* -d 1 and up */
	LOG_LVL_DEBUG = 2	/* -d 2 and up; log_debugn picks finer levels */
};

void log_set_prog(const char *name);
void log_set_level(int level);
/* Drops every message, errors included (the fuzz targets in usr/fuzz). */
void log_set_silent(int on);
int log_get_level(void);
/* Non-zero: messages go to syslog(3) instead of stderr (daemon mode). */
void log_set_syslog(int on);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Info priority, printed at every level: the few decisions an operator
 * must be able to audit without -d (which scan policy row ran, and why). */
void log_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Debug message shown only when the level (-d N) is at least lvl. */
void log_debugn(int lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
