/* The scan executor against a fake sysfs tree in a temporary directory:
 * plain files stand in for the kernel's attributes, so the test reads back
 * exactly what the executor wrote and where. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "scan.h"

static char root[64];

static void mkfile(const char *rel)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd) != 0)
		return;
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

static const char *slurp(const char *rel)
{
	static char buf[128];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	buf[0] = 0;
	f = fopen(path, "r");
	if (!f)
		return "(missing)";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void setup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	T_INTEQ(system(cmd), 0);
	mkfile("class/scsi_host/host3/scan");
	mkfile("class/scsi_host/host4/scan");
	mkfile("class/scsi_device/3:0:0:0/device/rescan");
	mkfile("class/scsi_device/3:0:0:2/device/rescan");
	mkfile("class/scsi_device/4:0:0:0/device/rescan");
	mkfile("class/scsi_device/13:0:0:1/device/rescan");  /* host 13, not 3 */
}

static int run(uint32_t host, enum scan_action a, uint64_t lun, int *ndev)
{
	struct scan_plan p = { a, lun, "row", "why" };
	return scan_run(root, host, &p, ndev);
}

static void test_specs(void)
{
	int n = -1;

	setup();
	T_INTEQ(run(3, SCAN_LUN0, 0, &n), RC_OK);
	T_STREQ(slurp("class/scsi_host/host3/scan"), "0 0 0");
	T_STREQ(slurp("class/scsi_host/host4/scan"), "");      /* other host untouched */
	T_INTEQ(run(4, SCAN_ALL, 0, NULL), RC_OK);
	T_STREQ(slurp("class/scsi_host/host4/scan"), "- - -");
	T_INTEQ(run(3, SCAN_LUN, 63, NULL), RC_OK);
	T_STREQ(slurp("class/scsi_host/host3/scan"), "0 0 63");
	T_INTEQ(run(3, SCAN_LUN, 16384, NULL), RC_OK);
	T_STREQ(slurp("class/scsi_host/host3/scan"), "0 0 16384");
}

static void test_none_writes_nothing(void)
{
	int n = -1;

	setup();
	T_INTEQ(run(3, SCAN_NONE, 0, &n), RC_OK);
	T_INTEQ(n, 0);
	T_STREQ(slurp("class/scsi_host/host3/scan"), "");
	T_STREQ(slurp("class/scsi_device/3:0:0:0/device/rescan"), "");
}

static void test_refresh(void)
{
	int n = -1;

	setup();
	T_INTEQ(run(3, SCAN_REFRESH, 0, &n), RC_OK);
	T_INTEQ(n, 2);
	T_STREQ(slurp("class/scsi_device/3:0:0:0/device/rescan"), "1");
	T_STREQ(slurp("class/scsi_device/3:0:0:2/device/rescan"), "1");
	T_STREQ(slurp("class/scsi_device/4:0:0:0/device/rescan"), "");
	T_STREQ(slurp("class/scsi_device/13:0:0:1/device/rescan"), "");
	T_STREQ(slurp("class/scsi_host/host3/scan"), "");      /* refresh adds nothing */
}

static void test_missing(void)
{
	int n = -1;

	setup();
	T_INTEQ(run(9, SCAN_LUN0, 0, NULL), RC_HOST_NOT_FOUND);
	/* the executor must not create the attribute */
	T_STREQ(slurp("class/scsi_host/host9/scan"), "(missing)");
	T_INTEQ(run(9, SCAN_REFRESH, 0, &n), RC_OK);
	T_INTEQ(n, 0);
}

int main(void)
{
	char cmd[128];

	snprintf(root, sizeof(root), "/tmp/test_scan.%d", (int)getpid());
	T_RUN(test_specs);
	T_RUN(test_none_writes_nothing);
	T_RUN(test_refresh);
	T_RUN(test_missing);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		return 1;
	return T_DONE();
}
