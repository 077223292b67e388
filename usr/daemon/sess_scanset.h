/* The scan settings a session's next event uses: its node record (with the
 * sidecar of our own keys) and iscsid.conf as they are at that moment. An
 * AEN storm asks for them at every scan, and reading and parsing the three
 * files cost about 7 ms a scan under emulation; so the settings are kept
 * with the identity of the files they came from (device, inode, size,
 * modification time) and read again only when one of them changed. A file
 * rewritten in place twice within one clock tick at the same size is the
 * blind spot, and it only delays the new value to the next change. */
#ifndef DAEMON_SESS_SCANSET_H
#define DAEMON_SESS_SCANSET_H
#include <sys/stat.h>
#include "scan_policy.h"

struct file_sig {
	int fs_present;
	dev_t fs_dev;
	ino_t fs_ino;
	off_t fs_size;
	struct timespec fs_mtim;
};

/* stat(2) of path (absent: fs_present 0). */
void file_sig_read(const char *path, struct file_sig *sig);
int file_sig_eq(const struct file_sig *a, const struct file_sig *b);

enum { SCANSET_REC, SCANSET_EXT, SCANSET_CONF, SCANSET_FILES };

struct scanset {
	char *ss_path[SCANSET_FILES];	/* filled on first use */
	struct file_sig ss_sig[SCANSET_FILES];
	struct scan_settings ss_set;
	int ss_valid;
};

/* Whether the cached settings still hold for the signatures just read. */
int scanset_fresh(const struct scanset *c, const struct file_sig sig[SCANSET_FILES]);
void scanset_store(struct scanset *c, const struct file_sig sig[SCANSET_FILES],
		   const struct scan_settings *set);
void scanset_free(struct scanset *c);

#endif
