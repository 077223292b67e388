/* The scan executor: turns a scan plan into writes under sysfs. The kernel
 * finishes a scan inside the write(2), so returning means done. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include "scan.h"
#include "sysfs_root.h"
#include "conf.h"
#include "err.h"
#include "keys.h"
#include "log.h"
#include "rec.h"

/* Existing attribute only: never create files in a (fake) sysfs. */
static int write_attr(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	do
		n = write(fd, val, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

const char *scan_spec(enum scan_action a, uint64_t lun, char *buf, size_t cap)
{
	switch (a) {
	case SCAN_LUN0:
		snprintf(buf, cap, "%d %d 0", SCAN_CHANNEL, SCAN_TARGET);
		return buf;
	case SCAN_ALL:
		snprintf(buf, cap, "- - -");
		return buf;
	case SCAN_LUN:
		snprintf(buf, cap, "%d %d %" PRIu64, SCAN_CHANNEL, SCAN_TARGET, lun);
		return buf;
	default:
		return NULL;
	}
}

int scan_host_write(const char *sysfs_root, uint32_t host_no, const char *spec)
{
	char path[512];
	int e;

	snprintf(path, sizeof(path), "%s/class/scsi_host/host%u/scan", sysfs_root_of(sysfs_root), host_no);
	e = write_attr(path, spec);
	if (e == 0) {
		log_debug("scan: host%u: wrote \"%s\"", host_no, spec);
		return RC_OK;
	}
	log_error("scan: host%u: writing \"%s\" to %s failed: %s", host_no, spec, path, strerror(-e));
	return e == -ENOENT ? RC_HOST_NOT_FOUND : RC_SYSFS_LOOKUP;
}

/* "H:C:T:L" names of class/scsi_device belonging to host_no. */
static int dev_on_host(const char *name, uint32_t host_no)
{
	unsigned h, c, t;
	unsigned long long l;
	char end;

	return sscanf(name, "%u:%u:%u:%llu%c", &h, &c, &t, &l, &end) == 4 && h == host_no;
}

int scan_refresh_host(const char *sysfs_root, uint32_t host_no, int *ndev)
{
	const char *root = sysfs_root_of(sysfs_root);
	char dir[512], path[1024];
	struct dirent *e;
	int n = 0, failed = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/class/scsi_device", root);
	d = opendir(dir);
	if (!d)  /* no SCSI device at all: nothing to refresh */
		return ndev ? (*ndev = 0, RC_OK) : RC_OK;
	while ((e = readdir(d))) {
		if (!dev_on_host(e->d_name, host_no))
			continue;
		int err;

		snprintf(path, sizeof(path), "%s/%s/device/rescan", dir, e->d_name);
		err = write_attr(path, "1");
		if (err == 0)
			n++;
		else {
			log_warn("scan: rescan of %s failed: %s", e->d_name, strerror(-err));
			failed++;
		}
	}
	closedir(d);
	if (ndev)
		*ndev = n;
	log_debug("scan: host%u: refreshed %d device(s)", host_no, n);
	return failed ? RC_SYSFS_LOOKUP : RC_OK;
}

int scan_run(const char *sysfs_root, uint32_t host_no, const struct scan_plan *p, int *ndev)
{
	char spec[48];

	if (ndev)
		*ndev = 0;
	switch (p->sp_action) {
	case SCAN_NONE:
		return RC_OK;
	case SCAN_REFRESH:
		return scan_refresh_host(sysfs_root, host_no, ndev);
	default:
		if (!scan_spec(p->sp_action, p->sp_lun, spec, sizeof(spec)))
			return RC_INVAL;
		return scan_host_write(sysfs_root, host_no, spec);
	}
}

void scan_settings_from(const struct rec *r, const struct conf *conf, struct scan_settings *s)
{
	const char *scan = r ? rec_get(r, K_NODE_SESSION_SCAN) : NULL;
	int v;

	s->ss_manual = scan && !strcmp(scan, "manual");
	s->ss_rec_autoscan = -1;
	if (r && rec_is_set(r, K_NODE_SESSION_AUTOSCAN_EN) &&
	    rec_get_bool(r, K_NODE_SESSION_AUTOSCAN_EN, &v) == RC_OK)
		s->ss_rec_autoscan = v;
	s->ss_conf_autoscan = conf ? conf_autoscan_default(conf) : 1;
}
