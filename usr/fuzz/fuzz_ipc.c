/* Requests on iscsid's socket (and the answers iscsiadm decodes): header,
 * fields, strings, the session list. Input: the bytes of one message. */
#include "fuzz.h"
#include "ipc.h"
#include "../adm/daemon_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_msg m;
	struct ipc_field f;
	struct adm_sess *v = NULL;
	uint16_t op;
	int32_t rc;
	uint32_t len, u;
	size_t pos = 0, n = 0;
	char s[256];

	fuzz_quiet();
	if (size >= IPC_HDR_LEN)
		ipc_decode_hdr(data, &op, &rc, &len);
	if (ipc_decode(data, size, &m) != 0)
		return 0;
	FUZZ_CHECK(m.im_len <= sizeof(m.im_buf));
	while (ipc_field_next(&m, &pos, &f) == 1)
		FUZZ_CHECK(pos <= m.im_len);
	for (uint16_t tag = 0; tag < 24; tag++) {
		ipc_get_u32(&m, tag, &u);
		if (ipc_get_str(&m, tag, s, sizeof(s)) == 0)
			FUZZ_CHECK(memchr(s, '\0', sizeof(s)) != NULL);
	}
	ipc_op_name(m.im_op);
	if (adm_sess_decode(&m, &v, &n) == 0)
		free(v);
	return 0;
}
