/* SendTargets answer: reassembled from text PDUs of fuzz-chosen sizes
 * (text_buf_append), parsed into keys and then into targets and portals.
 * Invariants: no more than ST_MAX_PORTALS portals, every kept name is a
 * non-empty string shorter than LOGIN_NAMELEN, every portal has a host. */
#include "fuzz.h"
#include "keys.h"
#include "sendtargets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct st_portal def = { "192.0.2.1", ISCSI_PORT_DEFAULT, ST_TPGT_UNKNOWN };
	size_t chunk = 1 + fuzz_u8(&in) * 16, len, total = 0;
	struct text_buf tb;
	struct text_list kv;
	struct st_result r;

	fuzz_quiet();
	text_buf_init(&tb);
	while (in.fi_n) {
		const uint8_t *p = fuzz_take(&in, chunk, &len);

		if (text_buf_append(&tb, p, len))
			goto out;
	}
	if (text_parse(tb.tb_data, tb.tb_len, &kv))
		goto out;
	if (st_parse_response(&kv, &def, &r) == 0) {
		for (size_t i = 0; i < r.sr_n; i++) {
			size_t n = strlen(r.sr_targets[i].stt_name);

			FUZZ_CHECK(n > 0 && n < LOGIN_NAMELEN);
			for (size_t j = 0; j < r.sr_targets[i].stt_n; j++)
				FUZZ_CHECK(r.sr_targets[i].stt_portals[j].sp_host[0] != '\0');
			total += r.sr_targets[i].stt_n;
		}
		FUZZ_CHECK(total <= ST_MAX_PORTALS);
		st_result_free(&r);
	}
	text_free(&kv);
out:
	text_buf_free(&tb);
	return 0;
}
