/* Context, logging and error texts of libopeniscsiusr. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usr_priv.h"
#include "usr_sysfs.h"
#include "idb.h"

static void log_stderr(struct iscsi_context *ctx, int priority,
		       const char *file, int line, const char *func_name,
		       const char *format, va_list args)
{
	(void)ctx; (void)file; (void)line;
	fprintf(stderr, "libopeniscsiusr %s: %s(): ",
		iscsi_log_priority_str(priority), func_name);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

void usr_log(struct iscsi_context *ctx, int prio, const char *file, int line,
	     const char *func, const char *fmt, ...)
{
	va_list ap;

	if (!ctx || prio > ctx->ctx_prio)
		return;
	va_start(ap, fmt);
	ctx->ctx_log(ctx, prio, file, line, func, fmt, ap);
	va_end(ap);
}

const char *iscsi_log_priority_str(int priority)
{
	switch (priority) {
	case LIBISCSI_LOG_PRIORITY_ERROR:	return "ERROR";
	case LIBISCSI_LOG_PRIORITY_WARNING:	return "WARN";
	case LIBISCSI_LOG_PRIORITY_INFO:	return "INFO";
	case LIBISCSI_LOG_PRIORITY_DEBUG:	return "DEBUG";
	}
	return "Invalid argument";
}

const char *iscsi_strerror(int rc)
{
	switch (rc) {
	case LIBISCSI_OK:			return "OK";
	case LIBISCSI_ERR_BUG:			return "BUG of libopeniscsiusr library";
	case LIBISCSI_ERR_SESS_NOT_FOUND:	return "Specified iSCSI session not found";
	case LIBISCSI_ERR_NOMEM:		return "Out of memory";
	case LIBISCSI_ERR_IDBM:			return "Error accessing/managing iSCSI DB";
	case LIBISCSI_ERR_INVAL:		return "Invalid argument";
	case LIBISCSI_ERR_TRANS_NOT_FOUND:	return "iSCSI transport module not loaded in kernel or iscsid";
	case LIBISCSI_ERR_ACCESS:		return "Permission deny";
	case LIBISCSI_ERR_SYSFS_LOOKUP:		return "Could not lookup object in sysfs";
	}
	return "Invalid argument";
}

int usr_errno_rc(int err)
{
	switch (err) {
	case 0:		return LIBISCSI_OK;
	case ENOMEM:	return LIBISCSI_ERR_NOMEM;
	case EACCES:
	case EPERM:	return LIBISCSI_ERR_ACCESS;
	case ENOENT:
	case ENOTDIR:	return LIBISCSI_ERR_SYSFS_LOOKUP;
	}
	return LIBISCSI_ERR_BUG;
}

struct iscsi_context *iscsi_context_new(void)
{
	struct iscsi_context *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->ctx_prio = LIBISCSI_LOG_PRIORITY_DEFAULT;
	ctx->ctx_log = log_stderr;
	/* Roots are fixed at creation so one context sees one machine. */
	ctx->ctx_sysfs = strdup(usr_sysfs_root());
	ctx->ctx_etc = strdup(idb_default_root());
	if (!ctx->ctx_sysfs || !ctx->ctx_etc) {
		iscsi_context_free(ctx);
		return NULL;
	}
	return ctx;
}

void iscsi_context_free(struct iscsi_context *ctx)
{
	if (!ctx)
		return;
	free(ctx->ctx_sysfs);
	free(ctx->ctx_etc);
	free(ctx);
}

void iscsi_context_log_priority_set(struct iscsi_context *ctx, int priority)
{
	assert(ctx != NULL);
	ctx->ctx_prio = priority;
}

int iscsi_context_log_priority_get(struct iscsi_context *ctx)
{
	assert(ctx != NULL);
	return ctx->ctx_prio;
}

void iscsi_context_log_func_set
	(struct iscsi_context *ctx,
	 void (*log_func) (struct iscsi_context *ctx, int priority,
			   const char *file, int line, const char *func_name,
			   const char *format, va_list args))
{
	assert(ctx != NULL);
	ctx->ctx_log = log_func ? log_func : log_stderr;
}

void iscsi_context_userdata_set(struct iscsi_context *ctx, void *userdata)
{
	assert(ctx != NULL);
	ctx->ctx_userdata = userdata;
}

void *iscsi_context_userdata_get(struct iscsi_context *ctx)
{
	assert(ctx != NULL);
	return ctx->ctx_userdata;
}
