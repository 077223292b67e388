/* The sysfs edge of libopeniscsiusr, usable on its own (iscsid links it to
 * find sessions that already exist). Every function takes the sysfs root
 * ("/sys", or a fake tree in tests) and a path relative to it, so the same
 * code reads a real machine and usr/tests/data/sysfs/<tree>. */
#ifndef USR_SYSFS_H
#define USR_SYSFS_H
#include <stddef.h>
#include <stdint.h>

/* $ISCSI_SYSFS_ROOT, or "/sys". */
const char *usr_sysfs_root(void);

/* Reads the attribute root/rel into buf: one trailing newline dropped, and
 * the kernel's "(null)" for an unset string becomes "". Returns 0 or an
 * errno value (ENOENT when the attribute does not exist). */
int usr_sysfs_read(const char *root, const char *rel, char *buf, size_t size);
/* Same, as a decimal integer; EINVAL when the text is not one. */
int usr_sysfs_read_ll(const char *root, const char *rel, long long *val);
/* Non-zero when root/rel exists. */
int usr_sysfs_exists(const char *root, const char *rel);

/* Numbers N of the entries "<prefix>N" in root/dir, in the order of their
 * names compared as strings (open-iscsi lists "session10" before
 * "session5", and iscsiadm's output follows that order). *ids is
 * malloc'd (NULL when none). A missing dir is an empty list. */
int usr_sysfs_list_ids(const char *root, const char *dir, const char *prefix,
		       uint32_t **ids, size_t *n);

/* SCSI host number of a session: the "hostN" directory its device sits
 * under (devices/platform/hostN/sessionS). 0 or ENOENT. */
int usr_sysfs_session_host(const char *root, uint32_t sid, uint32_t *host);

/* One SCSI device (LUN) below a session's target. */
struct usr_lun {
	uint32_t l_host, l_channel, l_target;
	uint64_t l_lun;
	char l_disk[64];	/* block device name ("sda"), "" if none */
	char l_state[32];	/* "running", "blocked", ... ("" unknown) */
};
/* LUNs of a session, in sysfs name order as iscsiadm prints them.
 * *luns malloc'd (NULL when none). 0 or an errno value. */
int usr_sysfs_session_luns(const char *root, uint32_t sid, uint32_t host,
			   struct usr_lun **luns, size_t *n);

/* Version of the iSCSI transport class module, "" when not loaded. */
int usr_sysfs_transport_version(const char *root, char *buf, size_t size);

#endif
