/* libopeniscsiusr (autoscan project): error numbers, log priorities and the
 * opaque types shared by every part of the public API. Names, numbers and
 * signatures follow open-iscsi's libopeniscsiusr so that programs written
 * for it build against this library unchanged. */
#ifndef _LIB_OPEN_ISCSI_USR_COMMON_H_
#define _LIB_OPEN_ISCSI_USR_COMMON_H_

#include <errno.h>

/* Return codes; the numbers are those of iscsiadm's exit codes. */
#define LIBISCSI_OK			0
#define LIBISCSI_ERR_BUG		1	/* internal error */
#define LIBISCSI_ERR_SESS_NOT_FOUND	2	/* no such session */
#define LIBISCSI_ERR_NOMEM		3	/* out of memory */
#define LIBISCSI_ERR_IDBM		6	/* record database trouble */
#define LIBISCSI_ERR_INVAL		7	/* invalid argument */
#define LIBISCSI_ERR_TRANS_NOT_FOUND	12	/* transport not loaded */
#define LIBISCSI_ERR_ACCESS		13	/* permission denied */
#define LIBISCSI_ERR_SYSFS_LOOKUP	22	/* sysfs object missing */

/* Log priorities use syslog's severity numbers. */
#define LIBISCSI_LOG_PRIORITY_ERROR	3
#define LIBISCSI_LOG_PRIORITY_WARNING	4
#define LIBISCSI_LOG_PRIORITY_INFO	6
#define LIBISCSI_LOG_PRIORITY_DEBUG	7

#define LIBISCSI_LOG_PRIORITY_DEFAULT	LIBISCSI_LOG_PRIORITY_WARNING

#define __DLL_EXPORT	__attribute__ ((visibility ("default")))
#define __DLL_LOCAL	__attribute__ ((visibility ("hidden")))

struct __DLL_EXPORT iscsi_context;
struct __DLL_EXPORT iscsi_session;
struct __DLL_EXPORT iscsi_iface;
struct __DLL_EXPORT iscsi_node;

#endif
