/* sysfs attributes as libopeniscsiusr (and so iscsiadm -m session) reads
 * them: the input is cut at NUL bytes into the values of a fake session's
 * attribute files, written under a private sysfs root, and the session is
 * read back through the public API. Values are whatever the kernel (or a
 * target, through it) put there. */
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "libopeniscsiusr/libopeniscsiusr.h"

static const char *const attrs[] = {
	"class/iscsi_session/session1/targetname",
	"class/iscsi_session/session1/tpgt",
	"class/iscsi_session/session1/recovery_tmo",
	"class/iscsi_session/session1/username",
	"class/iscsi_session/session1/password",
	"class/iscsi_session/session1/state",
	"class/iscsi_session/session1/ifacename",
	"class/iscsi_session/session1/initiatorname",
	"class/iscsi_session/session1/first_burst_len",
	"class/iscsi_session/session1/immediate_data",
	"class/iscsi_connection/connection1:0/persistent_address",
	"class/iscsi_connection/connection1:0/persistent_port",
	"class/iscsi_connection/connection1:0/address",
	"class/iscsi_connection/connection1:0/port",
	"class/iscsi_connection/connection1:0/state",
	"class/iscsi_connection/connection1:0/header_digest",
	"class/iscsi_connection/connection1:0/max_recv_dlength",
	"class/iscsi_transport/tcp/handle",
};
#define NATTRS (sizeof(attrs) / sizeof(attrs[0]))

static char root[64];

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

static void setup(void)
{
	char p[256];

	snprintf(root, sizeof(root), "/tmp/fuzz_sysfs.%ld", (long)getpid());
	for (size_t i = 0; i < NATTRS; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, attrs[i]);
		for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	setenv("ISCSI_SYSFS_ROOT", root, 1);
	atexit(cleanup);
}

static void put(const char *rel, const uint8_t *v, size_t n)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if ((f = fopen(p, "w")) != NULL) {
		fwrite(v, 1, n, f);
		fclose(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iscsi_context *ctx;
	struct iscsi_session *se = NULL;
	const uint8_t *p = data, *end = data + size;

	fuzz_quiet();
	if (!root[0])
		setup();
	for (size_t i = 0; i < NATTRS; i++) {
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);

		put(attrs[i], p, n);
		p = nul ? nul + 1 : end;
	}
	if (!(ctx = iscsi_context_new()))
		return 0;
	iscsi_context_log_priority_set(ctx, -1);
	if (iscsi_session_get(ctx, 1, &se) == LIBISCSI_OK) {
		const char *t = iscsi_session_target_name_get(se);

		FUZZ_CHECK(t != NULL);
		FUZZ_CHECK(iscsi_session_address_get(se) != NULL);
		iscsi_session_tpgt_get(se);
		iscsi_session_port_get(se);
		iscsi_session_free(se);
	}
	iscsi_context_free(ctx);
	return 0;
}
