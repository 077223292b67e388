/* iscsid.conf and initiatorname.iscsi as read at start-up, and iscsid.conf
 * applied to fresh node and discovery records. Input: the file text (the
 * same bytes go to both parsers). */
#include "fuzz.h"
#include "conf.h"
#include "rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *name = NULL;
	struct conf *c = NULL;

	fuzz_quiet();
	if (!text)
		return 0;
	if (conf_parse(text, "fuzz.conf", &c) == 0 && c) {
		struct rec *n = rec_new_default(REC_NODE), *d = rec_new_default(REC_DISC);

		conf_get(c, keys_name(K_NODE_STARTUP));
		conf_autoscan_default(c);
		if (n) {
			conf_apply_node(c, n);
			free(rec_format(n, REC_FMT_FILE));
		}
		if (d)
			conf_apply_disc(c, d);
		rec_free(n);
		rec_free(d);
		conf_free(c);
	}
	if (conf_initiator_parse(text, &name) == 0 && name) {
		FUZZ_CHECK(strchr(name, '\n') == NULL);
		free(name);
	}
	free(text);
	return 0;
}
