/* Requests on iscsid's socket in stock 2.1.8's fixed layout, and the
 * answers iscsiadm checks: command check, the record's identity, the whole
 * record decoded into a rec. Input: the bytes of one request (shorter
 * inputs are zero-filled, as a short read would leave the buffer) and,
 * past it, of one answer. */
#include "fuzz.h"
#include "err.h"
#include "ipc.h"
#include "rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_abi_req req;
	static struct ipc_abi_rsp rsp;
	struct ipc_node_id id;
	struct rec *r;
	size_t n = size < sizeof(req) ? size : sizeof(req);

	fuzz_quiet();
	memset(&req, 0, sizeof(req));
	memcpy(&req, data, n);
	memset(&rsp, 0, sizeof(rsp));
	if (size > sizeof(req))
		memcpy(&rsp, data + sizeof(req),
		       size - sizeof(req) < sizeof(rsp) ? size - sizeof(req) : sizeof(rsp));
	ipc_cmd_name(req.ar_cmd);
	ipc_rsp_check(&rsp, req.ar_cmd);
	if (ipc_req_check(&req) != RC_OK)
		return 0;
	if (ipc_node_id(&req.ar_u.ar_session.as_rec, &id) == RC_OK) {
		/* the pointers stay inside the request and end in a NUL */
		FUZZ_CHECK((const uint8_t *)id.ni_target >= (const uint8_t *)&req &&
			   (const uint8_t *)id.ni_target < (const uint8_t *)&req + sizeof(req));
		FUZZ_CHECK(id.ni_target[0] != '\0' && id.ni_addr[0] != '\0');
		FUZZ_CHECK(memchr(id.ni_target, '\0', (size_t)((const char *)&req + sizeof(req) - id.ni_target)));
	}
	r = rec_new(REC_NODE);
	if (r) {
		ipc_node_to_rec(&req.ar_u.ar_session.as_rec, r);
		rec_free(r);
	}
	return 0;
}
