/* NETLINK_ISCSI messages from the kernel (replies and events): nlmsghdr,
 * the iscsi_uevent and what follows. Invariant: the data pointer stays
 * inside the message. */
#include "fuzz.h"
#include "../daemon/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_event ev;

	fuzz_quiet();
	if (nl_decode(data, size, &ev) == 0) {
		nl_type_name(ev.ne_type);
		nl_err_name(ev.ne_error);
		if (ev.ne_data_len) {
			FUZZ_CHECK(ev.ne_data >= data && ev.ne_data + ev.ne_data_len <= data + size);
		}
	}
	return 0;
}
