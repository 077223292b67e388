/* The event socket's filter (see kfilter.h). Offsets are those of the
 * netlink codec: nlmsghdr, iscsi_uevent (type; r.recv_req.sid), then the
 * PDU's BHS (opcode, AsyncEvent at byte 36). Classic BPF loads words
 * big-endian, the uevent is in host order: hence ntohl on both sides. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "err.h"
#include "kfilter.h"
#include "log.h"
#include "netlink.h"
#include "pdu.h"

#define OFF_TYPE   (NL_HDR_LEN + NL_OFF_TYPE)
#define OFF_SID    (NL_HDR_LEN + NL_OFF_R)
#define OFF_OPCODE (NL_HDR_LEN + NL_UEVENT_LEN)
#define OFF_EVENT  (OFF_OPCODE + 36)
#define PASS       0xffffffffu
#define DROP       0u

size_t kfilter_build(const uint32_t *sids, size_t n, struct sock_filter *prog)
{
	/* each test falls through to "pass" or skips it: jump offsets stay
	 * 0 or 1 however many sessions are muted */
	const struct sock_filter head[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, OFF_TYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(NL_K_RECV_PDU), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, PASS),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_OPCODE),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PDU_OP_MASK),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, OP_ASYNC, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, PASS),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_EVENT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ASYNC_SCSI_EVENT, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, PASS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, OFF_SID),
	};
	size_t len = sizeof(head) / sizeof(head[0]);

	_Static_assert(sizeof(head) / sizeof(head[0]) + 1 <= KFILTER_MAX_INSNS - 2 * KFILTER_MAX_SIDS,
		       "head fits");
	memcpy(prog, head, sizeof(head));
	if (n > KFILTER_MAX_SIDS)
		n = KFILTER_MAX_SIDS;
	for (size_t i = 0; i < n; i++) {
		prog[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(sids[i]), 0, 1);
		prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DROP);
	}
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, PASS);
	return len;
}

int kfilter_attach(int fd, const uint32_t *sids, size_t n)
{
	struct sock_filter prog[KFILTER_MAX_INSNS];   /* 16 KiB */
	struct sock_fprog fp;
	int dummy = 0;

	if (n == 0) {
		if (setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy)) == 0 ||
		    errno == ENOENT)
			return RC_OK;
		log_error("netlink: cannot remove the AEN filter: %s", strerror(errno));
		return RC_TRANS;
	}
	fp.len = (unsigned short)kfilter_build(sids, n, prog);
	fp.filter = prog;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) == 0)
		return RC_OK;
	log_error("netlink: cannot set the AEN filter: %s", strerror(errno));
	return RC_TRANS;
}
