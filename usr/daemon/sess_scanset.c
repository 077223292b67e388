/* Cached scan settings (see sess_scanset.h). */
#include <stdlib.h>
#include <string.h>
#include "sess_scanset.h"

void file_sig_read(const char *path, struct file_sig *sig)
{
	struct stat st;

	memset(sig, 0, sizeof(*sig));
	if (!path || stat(path, &st) != 0)
		return;
	sig->fs_present = 1;
	sig->fs_dev = st.st_dev;
	sig->fs_ino = st.st_ino;
	sig->fs_size = st.st_size;
	sig->fs_mtim = st.st_mtim;
}

int file_sig_eq(const struct file_sig *a, const struct file_sig *b)
{
	if (a->fs_present != b->fs_present)
		return 0;
	return !a->fs_present ||
	       (a->fs_dev == b->fs_dev && a->fs_ino == b->fs_ino && a->fs_size == b->fs_size &&
		a->fs_mtim.tv_sec == b->fs_mtim.tv_sec && a->fs_mtim.tv_nsec == b->fs_mtim.tv_nsec);
}

int scanset_fresh(const struct scanset *c, const struct file_sig sig[SCANSET_FILES])
{
	if (!c->ss_valid)
		return 0;
	for (int i = 0; i < SCANSET_FILES; i++)
		if (!file_sig_eq(&c->ss_sig[i], &sig[i]))
			return 0;
	return 1;
}

void scanset_store(struct scanset *c, const struct file_sig sig[SCANSET_FILES],
		   const struct scan_settings *set)
{
	memcpy(c->ss_sig, sig, sizeof(c->ss_sig));
	c->ss_set = *set;
	c->ss_valid = 1;
}

void scanset_free(struct scanset *c)
{
	for (int i = 0; i < SCANSET_FILES; i++) {
		free(c->ss_path[i]);
		c->ss_path[i] = NULL;
	}
	c->ss_valid = 0;
}
