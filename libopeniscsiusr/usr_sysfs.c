/* sysfs reading for libopeniscsiusr and iscsid. Paths are built from the
 * root given by the caller; nothing here keeps state. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs_root.h"
#include "usr_sysfs.h"

const char *usr_sysfs_root(void)
{
	return sysfs_root_of(NULL);
}

static int path_join(char *out, size_t size, const char *root, const char *rel)
{
	int n = snprintf(out, size, "%s/%s", root, rel);

	return (n < 0 || (size_t)n >= size) ? ENAMETOOLONG : 0;
}

int usr_sysfs_read(const char *root, const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t got;
	int fd, err;

	if (size == 0)
		return EINVAL;
	buf[0] = '\0';
	if ((err = path_join(path, sizeof(path), root, rel)) != 0)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	got = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (got < 0)
		return err;
	buf[got] = '\0';
	if (got > 0 && buf[got - 1] == '\n')
		buf[got - 1] = '\0';
	/* The kernel prints an unset string attribute as "(null)". */
	if (strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
	return 0;
}

int usr_sysfs_read_ll(const char *root, const char *rel, long long *val)
{
	char buf[64], *end;
	int err = usr_sysfs_read(root, rel, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*val = strtoll(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return EINVAL;
	return 0;
}

int usr_sysfs_exists(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (path_join(path, sizeof(path), root, rel))
		return 0;
	return access(path, F_OK) == 0;
}

/* Directory entries (without "." and "..") sorted by name. */
static int list_names(const char *root, const char *dir, char ***names, size_t *n)
{
	char path[PATH_MAX];
	struct dirent **nl = NULL;
	int cnt, i, err;

	*names = NULL;
	*n = 0;
	if ((err = path_join(path, sizeof(path), root, dir)) != 0)
		return err;
	cnt = scandir(path, &nl, NULL, alphasort);
	if (cnt < 0)
		return errno == ENOENT ? 0 : errno;
	*names = calloc((size_t)cnt + 1, sizeof(char *));
	for (i = 0; i < cnt; i++) {
		if (*names && strcmp(nl[i]->d_name, ".") && strcmp(nl[i]->d_name, ".."))
			(*names)[(*n)++] = strdup(nl[i]->d_name);
		free(nl[i]);
	}
	free(nl);
	return *names ? 0 : ENOMEM;
}

static void names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* "<prefix><digits>" exactly; the number into *id. */
static int parse_id(const char *name, const char *prefix, uint32_t *id)
{
	size_t pl = strlen(prefix);
	char *end;
	unsigned long v;

	if (strncmp(name, prefix, pl) != 0 || name[pl] < '0' || name[pl] > '9')
		return 0;
	errno = 0;
	v = strtoul(name + pl, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return 0;
	*id = (uint32_t)v;
	return 1;
}

int usr_sysfs_list_ids(const char *root, const char *dir, const char *prefix,
		       uint32_t **ids, size_t *n)
{
	char **names;
	size_t cnt, i;
	int err = list_names(root, dir, &names, &cnt);

	*ids = NULL;
	*n = 0;
	if (err)
		return err;
	if (cnt && !(*ids = calloc(cnt, sizeof(uint32_t)))) {
		names_free(names, cnt);
		return ENOMEM;
	}
	for (i = 0; i < cnt; i++)
		if (parse_id(names[i], prefix, &(*ids)[*n]))
			(*n)++;
	names_free(names, cnt);
	return 0;
}

int usr_sysfs_session_host(const char *root, uint32_t sid, uint32_t *host)
{
	char rel[64], path[PATH_MAX], *real, *p, *tok, *save = NULL;
	int found = 0, err;

	snprintf(rel, sizeof(rel), "class/iscsi_session/session%" PRIu32, sid);
	if ((err = path_join(path, sizeof(path), root, rel)) != 0)
		return err;
	real = realpath(path, NULL);
	if (!real)
		return errno;
	/* The session device is a child of its Scsi_Host device, so the last
	 * "hostN" component of the resolved path names the host. */
	for (p = real; (tok = strtok_r(p, "/", &save)) != NULL; p = NULL)
		if (parse_id(tok, "host", host))
			found = 1;
	free(real);
	return found ? 0 : ENOENT;
}

/* "H:C:T:L" into a usr_lun; 0 when the name is not one. */
static int parse_hctl(const char *name, struct usr_lun *l)
{
	int used = 0;

	memset(l, 0, sizeof(*l));
	if (sscanf(name, "%" SCNu32 ":%" SCNu32 ":%" SCNu32 ":%" SCNu64 "%n",
		   &l->l_host, &l->l_channel, &l->l_target, &l->l_lun, &used) != 4)
		return 0;
	return name[used] == '\0';
}

/* The first entry of <dev>/block, the disk's name. */
static void lun_fill(const char *root, const char *tdir, const char *name,
		     struct usr_lun *l)
{
	char rel[PATH_MAX], **blk;
	size_t nb;

	snprintf(rel, sizeof(rel), "%s/%s/state", tdir, name);
	usr_sysfs_read(root, rel, l->l_state, sizeof(l->l_state));
	snprintf(rel, sizeof(rel), "%s/%s/block", tdir, name);
	if (list_names(root, rel, &blk, &nb) == 0) {
		if (nb)
			snprintf(l->l_disk, sizeof(l->l_disk), "%s", blk[0]);
		names_free(blk, nb);
	}
}

/* The session's "targetH:C:T" directory, relative to root. */
static int target_dir(const char *root, uint32_t sid, char *out, size_t size)
{
	char sdir[96], **names;
	size_t n, i;
	int err, found = 0;

	snprintf(sdir, sizeof(sdir), "class/iscsi_session/session%" PRIu32 "/device", sid);
	if ((err = list_names(root, sdir, &names, &n)) != 0)
		return err;
	for (i = 0; i < n && !found; i++)
		if (strncmp(names[i], "target", 6) == 0) {
			snprintf(out, size, "%s/%s", sdir, names[i]);
			found = 1;
		}
	names_free(names, n);
	return found ? 0 : ENOENT;
}

int usr_sysfs_session_luns(const char *root, uint32_t sid, uint32_t host,
			   struct usr_lun **luns, size_t *n)
{
	char tdir[512], **names;
	size_t cnt, i;
	int err;

	*luns = NULL;
	*n = 0;
	if (target_dir(root, sid, tdir, sizeof(tdir)) != 0)
		return 0;	/* not scanned yet: no target, no LUN */
	if ((err = list_names(root, tdir, &names, &cnt)) != 0)
		return err;
	if (cnt && !(*luns = calloc(cnt, sizeof(struct usr_lun)))) {
		names_free(names, cnt);
		return ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		struct usr_lun *l = &(*luns)[*n];

		if (!parse_hctl(names[i], l) || l->l_host != host)
			continue;
		lun_fill(root, tdir, names[i], l);
		(*n)++;
	}
	names_free(names, cnt);
	return 0;
}

int usr_sysfs_transport_version(const char *root, char *buf, size_t size)
{
	return usr_sysfs_read(root, "module/scsi_transport_iscsi/version", buf, size);
}
