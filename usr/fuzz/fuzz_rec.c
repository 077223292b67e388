/* Record files (node, discovery, iface) as iscsiadm and iscsid read them
 * from /etc/iscsi. Input: a kind selector byte, then the file text.
 * Invariant: the on-disk form reaches a fixed point after one round trip
 * (format, read back, format again gives the same text). */
#include "fuzz.h"
#include "rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum rec_kind kinds[] = { REC_NODE, REC_DISC, REC_IFACE };
	struct fuzz_in in = { data, size };
	enum rec_kind kind = kinds[fuzz_u8(&in) % 3];
	char *text = fuzz_cstr(in.fi_p, in.fi_n), *f1, *f2, *f3, *show;
	struct rec *r, *r2, *r3;

	fuzz_quiet();
	if (!text || !(r = rec_new(kind))) {
		free(text);
		return 0;
	}
	rec_parse(r, text);
	f1 = rec_format(r, REC_FMT_FILE);
	show = rec_format(r, REC_FMT_SHOW | REC_FMT_SECRETS);
	/* A key set to "" is left out of the file and reads back as its
	 * default, so the first round may move; from then on it must not. */
	if (f1 && (r2 = rec_new(kind)) != NULL) {
		rec_parse(r2, f1);
		f2 = rec_format(r2, REC_FMT_FILE);
		if (f2 && (r3 = rec_new(kind)) != NULL) {
			rec_parse(r3, f2);
			f3 = rec_format(r3, REC_FMT_FILE);
			FUZZ_CHECK(f3 && strcmp(f2, f3) == 0);
			free(f3);
			rec_free(r3);
		}
		free(f2);
		rec_free(r2);
	}
	free(show);
	free(f1);
	rec_free(r);
	free(text);
	return 0;
}
