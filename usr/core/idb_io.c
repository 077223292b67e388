/* File edge of the record database: whole-file reads, atomic writes,
 * directory creation and the writer lock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "err.h"
#include "idb.h"
#include "log.h"

int idb_file_read(const char *path, char **text)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return errno == ENOENT || errno == ENOTDIR ? RC_NO_OBJS_FOUND : RC_IDBM;
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return RC_NOMEM;
			}
			buf = nb;
			cap += 8192;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	*text = buf;
	return RC_OK;
}

int idb_mkdirs(const char *dir)
{
	char *p = strdup(dir);
	int rc = RC_OK;

	if (!p)
		return RC_NOMEM;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) && errno != EEXIST) {
			log_error("Could not make %s: %s", p, strerror(errno));
			rc = RC_IDBM;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

static int fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = RC_OK;

	if (!copy)
		return RC_NOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		rc = RC_IDBM;
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writers put their temporaries in <root>/.idb.tmp/, never beside the
 * record: a listing then needs no name filter (any legal name stays
 * visible), and a writer killed half-way leaves its file where the next
 * writer, holding the lock, finds and removes it. */
static char *tmp_dir(const struct idb *db)
{
	char *d = NULL;

	return asprintf(&d, "%s/.idb.tmp", db->db_root) < 0 ? NULL : d;
}

/* Under the lock every temporary belongs to a writer that died. With
 * rmdir, the directory itself goes too: stock leaves nothing of the kind
 * in /etc/iscsi. */
static void sweep_tmp(const struct idb *db, int rmdir_too)
{
	char *dir = tmp_dir(db);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	if (d && rmdir_too)
		rmdir(dir);
	free(dir);
}

/* Temporary file (random name, O_EXCL, 0600), fsync, rename over the
 * record, fsync the directory: a crash leaves the old record or the new
 * one, never half. */
int idb_file_write(const struct idb *db, const char *path, const char *text)
{
	char *dir = tmp_dir(db), *tmp = NULL;
	size_t len = strlen(text);
	int fd, ok;

	if (!dir || asprintf(&tmp, "%s/XXXXXX", dir) < 0) {
		free(dir);
		return RC_NOMEM;
	}
	fd = idb_mkdirs(dir) == RC_OK ? mkostemp(tmp, O_CLOEXEC) : -1;
	free(dir);
	if (fd < 0) {
		log_error("Could not open a temporary file for %s: %s", path, strerror(errno));
		free(tmp);
		return RC_IDBM;
	}
	ok = write_all(fd, text, len) == 0 && fsync(fd) == 0;
	ok = (close(fd) == 0) && ok;
	if (ok && rename(tmp, path) == 0) {
		free(tmp);
		return fsync_dir_of(path);
	}
	log_error("Could not write %s: %s", path, strerror(errno));
	unlink(tmp);
	free(tmp);
	return RC_IDBM;
}

/* The writer lock is a flock on the database directory itself: nothing is
 * left behind in /etc/iscsi, where stock keeps no lock file either. */
int idb_lock(struct idb *db)
{
	if (db->db_locks++ > 0)
		return RC_OK;
	if (idb_mkdirs(db->db_root) != RC_OK) {
		db->db_locks--;
		return RC_IDBM;
	}
	db->db_lockfd = open(db->db_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (db->db_lockfd < 0 || flock(db->db_lockfd, LOCK_EX)) {
		log_error("Could not lock the record database: %s", strerror(errno));
		if (db->db_lockfd >= 0)
			close(db->db_lockfd);
		db->db_lockfd = -1;
		db->db_locks--;
		return RC_IDBM;
	}
	sweep_tmp(db, 0);
	return RC_OK;
}

void idb_unlock(struct idb *db)
{
	if (db->db_locks == 0 || --db->db_locks > 0)
		return;
	if (db->db_lockfd >= 0) {
		sweep_tmp(db, 1);
		flock(db->db_lockfd, LOCK_UN);
		close(db->db_lockfd);
	}
	db->db_lockfd = -1;
}

/* Every name but "." and ".." is an entry, as stock lists them: names
 * beginning with "." or holding ".tmp." are legal record names. */
static int dot_filter(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

int idb_list_dir(const char *dir, struct dirent ***ents)
{
	int n = scandir(dir, ents, dot_filter, alphasort);

	if (n < 0) {
		*ents = NULL;
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	}
	return n;
}

void idb_ents_free(struct dirent **ents, int n)
{
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

int idb_rec_read(const char *path, enum rec_kind kind, struct rec **out)
{
	char *text = NULL;
	struct rec *r;
	int rc = idb_file_read(path, &text);

	if (rc != RC_OK)
		return rc;
	r = rec_new(kind);
	rc = r ? rec_parse(r, text) : RC_NOMEM;
	free(text);
	if (rc != RC_OK) {
		rec_free(r);
		return rc;
	}
	*out = r;
	return RC_OK;
}
