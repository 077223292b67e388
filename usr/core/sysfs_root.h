/* Where sysfs is: tests and the fuzz targets point every reader and writer
 * of sysfs (iscsid, iscsiadm, libopeniscsiusr) at a fake tree through one
 * environment variable. */
#ifndef CORE_SYSFS_ROOT_H
#define CORE_SYSFS_ROOT_H

#define SYSFS_ROOT_ENV     "ISCSI_SYSFS_ROOT"
#define SYSFS_ROOT_DEFAULT "/sys"

/* root itself when not NULL, else $ISCSI_SYSFS_ROOT when set and not
 * empty, else "/sys". */
const char *sysfs_root_of(const char *root);

#endif
