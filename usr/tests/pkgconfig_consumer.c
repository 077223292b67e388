/* A program written against open-iscsi's libopeniscsiusr API, built by
 * usr/tests/sh/test_libiscsiusr_pkgconfig.sh only from what "make install"
 * puts in DESTDIR (header + .so, found through the pkg-config file). It
 * prints one line per session and one per iface. */
#include <inttypes.h>
#include <stdio.h>
#include <libopeniscsiusr.h>

int main(void)
{
	struct iscsi_context *ctx = iscsi_context_new();
	struct iscsi_session **ses = NULL;
	struct iscsi_iface **ifs = NULL;
	uint32_t n = 0, ni = 0, i;
	int rc;

	if (!ctx)
		return 1;
	iscsi_context_log_priority_set(ctx, LIBISCSI_LOG_PRIORITY_ERROR);
	rc = iscsi_sessions_get(ctx, &ses, &n);
	if (rc != LIBISCSI_OK) {
		fprintf(stderr, "sessions: %s\n", iscsi_strerror(rc));
		return 2;
	}
	for (i = 0; i < n; i++) {
		struct iscsi_iface *f = iscsi_session_iface_get(ses[i]);

		printf("session %" PRIu32 " %s %s:%" PRIi32 ",%" PRIi32 " via %s/%s\n",
		       iscsi_session_sid_get(ses[i]), iscsi_session_target_name_get(ses[i]),
		       iscsi_session_address_get(ses[i]), iscsi_session_port_get(ses[i]),
		       iscsi_session_tpgt_get(ses[i]), iscsi_iface_name_get(f),
		       iscsi_iface_transport_name_get(f));
	}
	iscsi_sessions_free(ses, n);
	rc = iscsi_ifaces_get(ctx, &ifs, &ni);
	if (rc != LIBISCSI_OK) {
		fprintf(stderr, "ifaces: %s\n", iscsi_strerror(rc));
		return 3;
	}
	for (i = 0; i < ni; i++)
		printf("iface %s %s\n", iscsi_iface_name_get(ifs[i]),
		       iscsi_iface_transport_name_get(ifs[i]));
	iscsi_ifaces_free(ifs, ni);
	iscsi_context_free(ctx);
	return 0;
}
