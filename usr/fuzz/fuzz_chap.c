/* CHAP values and algorithm lists as a target or a record spells them:
 * CHAP_A lists, hex/base64 values (CHAP_C, CHAP_R), responses over the
 * decoded challenge. Input: a selector byte, then the text. Invariants: a
 * decoded value fits the buffer and encodes back to the same bytes. */
#include "fuzz.h"
#include "chap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t sel = fuzz_u8(&in);
	char *s = fuzz_cstr(in.fi_p, in.fi_n), hex[2 * CHAP_CHALLENGE_MAX + 3];
	uint8_t val[CHAP_CHALLENGE_MAX], back[CHAP_CHALLENGE_MAX], r[HASH_MAX_LEN];
	int algs[CHAP_MAX_ALGS];
	char list[64];

	fuzz_quiet();
	if (!s)
		return 0;
	int n = chap_algs_parse(s, algs);
	FUZZ_CHECK(n >= 0 && n <= CHAP_MAX_ALGS);
	chap_algs_format(algs, n, list, sizeof(list));
	long len = chap_value_decode(s, val, sizeof(val));
	FUZZ_CHECK(len <= (long)sizeof(val));
	if (len > 0) {
		enum hash_alg alg;

		chap_value_encode_hex(val, (size_t)len, hex, sizeof(hex));
		FUZZ_CHECK(chap_value_decode(hex, back, sizeof(back)) == len);
		FUZZ_CHECK(memcmp(val, back, (size_t)len) == 0);
		if (chap_alg_hash(5 + (sel & 3), &alg)) {
			size_t rl = chap_response(alg, sel, s, strlen(s), val, (size_t)len, r);
			FUZZ_CHECK(rl > 0 && rl <= sizeof(r));
		}
	}
	free(s);
	return 0;
}
