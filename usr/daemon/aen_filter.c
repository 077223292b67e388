/* The AEN folding filters (see aen_filter.h). */
#include <arpa/inet.h>

#include "aen_filter.h"
#include "netlink.h"
#include "pdu.h"

/* Offsets in the message as the filter sees it: nlmsghdr, iscsi_uevent,
 * then the BHS of the PDU the kernel passed up. */
#define OFF_TYPE   (NL_HDR_LEN + NL_OFF_TYPE)
#define OFF_SID    (NL_HDR_LEN + NL_OFF_R)
#define OFF_BHS    (NL_HDR_LEN + NL_UEVENT_LEN)
#define OFF_OPCODE (OFF_BHS + 0)
#define OFF_EVENT  (OFF_BHS + 36)   /* AsyncEvent */

#define PASS 0xffffffffu
#define DROP 0u

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ .code = code, .k = k };
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
}

unsigned aen_filter_build(enum aen_filter_side side, const uint32_t *sids, unsigned n,
			  struct sock_filter *prog)
{
	/* "not folded" is what the main socket passes and the sink drops */
	uint32_t no = side == AEN_FILTER_MAIN ? PASS : DROP;
	uint32_t yes = side == AEN_FILTER_MAIN ? DROP : PASS;
	unsigned i = 0;

	if (n > AEN_FILTER_MAX_SIDS)
		return 0;
	/* word loads read network order: compare with ntohl of the host
	 * value, which is the same bytes on either endianness */
	prog[i++] = stmt(BPF_LD | BPF_W | BPF_LEN, 0);
	prog[i++] = jump(BPF_JMP | BPF_JGE | BPF_K, OFF_EVENT + 1, 1, 0);
	prog[i++] = stmt(BPF_RET | BPF_K, no);
	prog[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, OFF_TYPE);
	prog[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, ntohl(NL_K_RECV_PDU), 1, 0);
	prog[i++] = stmt(BPF_RET | BPF_K, no);
	prog[i++] = stmt(BPF_LD | BPF_B | BPF_ABS, OFF_OPCODE);
	prog[i++] = stmt(BPF_ALU | BPF_AND | BPF_K, PDU_OP_MASK);
	prog[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, OP_ASYNC, 1, 0);
	prog[i++] = stmt(BPF_RET | BPF_K, no);
	prog[i++] = stmt(BPF_LD | BPF_B | BPF_ABS, OFF_EVENT);
	prog[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, ASYNC_SCSI_EVENT, 1, 0);
	prog[i++] = stmt(BPF_RET | BPF_K, no);
	prog[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, OFF_SID);
	for (unsigned k = 0; k < n; k++) {
		prog[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, ntohl(sids[k]), 0, 1);
		prog[i++] = stmt(BPF_RET | BPF_K, yes);
	}
	prog[i++] = stmt(BPF_RET | BPF_K, no);
	return i;
}
