/* Cached scan settings (sess_scanset.h): any change of a file the settings
 * came from makes them stale; an untouched file keeps them. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "t.h"
#include "../daemon/sess_scanset.h"

static char dir[] = "/tmp/scansetXXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void sigs(char *const path[SCANSET_FILES], struct file_sig sig[SCANSET_FILES])
{
	for (int i = 0; i < SCANSET_FILES; i++)
		file_sig_read(path[i], &sig[i]);
}

static void test_changes_make_it_stale(void)
{
	char rec[64], ext[64], conf[64], tmp[64];
	char *path[SCANSET_FILES] = { rec, ext, conf };
	struct file_sig sig[SCANSET_FILES];
	struct scan_settings set = { 0 }, other;
	struct scanset c = { 0 };

	snprintf(rec, sizeof(rec), "%s/rec", dir);
	snprintf(ext, sizeof(ext), "%s/ext", dir);
	snprintf(conf, sizeof(conf), "%s/conf", dir);
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	put(rec, "node.session.autoscan_en = Yes\n");
	put(conf, "node.session.scan = auto\n");
	sigs(path, sig);
	T_CHECK(sig[SCANSET_REC].fs_present);
	T_CHECK(!sig[SCANSET_EXT].fs_present);
	T_CHECK(!scanset_fresh(&c, sig));             /* nothing cached yet */
	memset(&set, 0x5a, sizeof(set));
	scanset_store(&c, sig, &set);
	sigs(path, sig);
	T_CHECK(scanset_fresh(&c, sig));
	memcpy(&other, &c.ss_set, sizeof(other));
	T_CHECK(memcmp(&other, &set, sizeof(set)) == 0);

	put(rec, "node.session.autoscan_en = No\n");  /* in place, other size */
	sigs(path, sig);
	T_CHECK(!scanset_fresh(&c, sig));
	scanset_store(&c, sig, &set);

	put(tmp, "node.session.autoscan_en = Ye\n");  /* replaced, same size */
	T_INTEQ(rename(tmp, rec), 0);
	sigs(path, sig);
	T_CHECK(!scanset_fresh(&c, sig));
	scanset_store(&c, sig, &set);

	put(ext, "node.session.autoscan_en = No\n");  /* sidecar appears */
	sigs(path, sig);
	T_CHECK(!scanset_fresh(&c, sig));
	scanset_store(&c, sig, &set);
	unlink(ext);                                  /* and goes */
	sigs(path, sig);
	T_CHECK(!scanset_fresh(&c, sig));
	scanset_store(&c, sig, &set);

	put(conf, "node.session.scan = manual\n");    /* iscsid.conf */
	sigs(path, sig);
	T_CHECK(!scanset_fresh(&c, sig));
	unlink(rec);
	unlink(conf);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	T_RUN(test_changes_make_it_stale);
	rmdir(dir);
	return T_DONE();
}
