/* SCSI sense data (fixed and descriptor formats) and iSCSI asynchronous
 * messages as iscsid classifies them. Input: 48 BHS bytes, then the data
 * segment. */
#include "fuzz.h"
#include "sense.h"
#include "../daemon/sess_events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sense s;
	uint8_t bhs[48] = { 0 };
	size_t n = size < 48 ? size : 48;

	fuzz_quiet();
	if (sense_parse(data, size, &s) == 0) {
		sense_key_name(s.sn_key);
		sense_is_luns_changed(&s);
	}
	if (sense_parse_aen(data, size, &s) == 0)
		sense_is_luns_changed(&s);
	memcpy(bhs, data, n);
	enum sess_aen a = sess_aen_classify(bhs, data + n, size - n);
	FUZZ_CHECK(a >= SESS_AEN_IGNORE && a <= SESS_AEN_RENEGOTIATE);
	return 0;
}
