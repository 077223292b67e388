/* Key table and the per-key negotiation rules (RFC 7143 section 13 gives
 * each key's kind, range and default). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "negotiate.h"

#define NUM24 16777215u

static const struct neg_key neg_keys[K_NKEYS] = {
	[K_HEADER_DIGEST] = { "HeaderDigest", NEG_LIST, 0, 0, "None", false, false },
	[K_DATA_DIGEST] = { "DataDigest", NEG_LIST, 0, 0, "None", false, false },
	[K_MAX_CONNECTIONS] = { "MaxConnections", NEG_MIN, 1, 65535, "1", true, true },
	[K_INITIAL_R2T] = { "InitialR2T", NEG_OR, 0, 0, "Yes", true, true },
	[K_IMMEDIATE_DATA] = { "ImmediateData", NEG_AND, 0, 0, "Yes", true, true },
	[K_MAX_RECV_DLEN] = { "MaxRecvDataSegmentLength", NEG_DECLARE_NUM, 512, NUM24, "8192", false, false },
	[K_MAX_BURST] = { "MaxBurstLength", NEG_MIN, 512, NUM24, "262144", true, true },
	[K_FIRST_BURST] = { "FirstBurstLength", NEG_MIN, 512, NUM24, "65536", true, true },
	[K_TIME2WAIT] = { "DefaultTime2Wait", NEG_MAX, 0, 3600, "2", true, false },
	[K_TIME2RETAIN] = { "DefaultTime2Retain", NEG_MIN, 0, 3600, "20", true, false },
	[K_MAX_OUTSTANDING_R2T] = { "MaxOutstandingR2T", NEG_MIN, 1, 65535, "1", true, true },
	[K_DATA_PDU_IN_ORDER] = { "DataPDUInOrder", NEG_OR, 0, 0, "Yes", true, true },
	[K_DATA_SEQ_IN_ORDER] = { "DataSequenceInOrder", NEG_OR, 0, 0, "Yes", true, true },
	[K_ERL] = { "ErrorRecoveryLevel", NEG_MIN, 0, 2, "0", true, false },
	[K_IFMARKER] = { "IFMarker", NEG_AND, 0, 0, "No", false, false },
	[K_OFMARKER] = { "OFMarker", NEG_AND, 0, 0, "No", false, false },
	[K_IFMARKINT] = { "IFMarkInt", NEG_DECLARE, 0, 0, NULL, false, false },
	[K_OFMARKINT] = { "OFMarkInt", NEG_DECLARE, 0, 0, NULL, false, false },
	[K_TASK_REPORTING] = { "TaskReporting", NEG_LIST, 0, 0, "RFC3720", true, true },
	[K_PROTOCOL_LEVEL] = { "iSCSIProtocolLevel", NEG_MIN, 0, 31, "1", true, false },
	[K_SESSION_TYPE] = { "SessionType", NEG_DECLARE, 0, 0, "Normal", true, false },
	[K_AUTH_METHOD] = { "AuthMethod", NEG_LIST, 0, 0, "None", false, false },
	[K_TARGET_NAME] = { "TargetName", NEG_DECLARE, 0, 0, NULL, true, false },
	[K_INITIATOR_NAME] = { "InitiatorName", NEG_DECLARE, 0, 0, NULL, true, false },
	[K_TARGET_ALIAS] = { "TargetAlias", NEG_DECLARE, 0, 0, NULL, true, false },
	[K_INITIATOR_ALIAS] = { "InitiatorAlias", NEG_DECLARE, 0, 0, NULL, true, false },
	[K_TARGET_ADDRESS] = { "TargetAddress", NEG_DECLARE, 0, 0, NULL, false, false },
	[K_TPGT] = { "TargetPortalGroupTag", NEG_DECLARE_NUM, 0, 65535, NULL, true, false },
	[K_SEND_TARGETS] = { "SendTargets", NEG_DECLARE, 0, 0, NULL, false, false },
};

const struct neg_key *neg_key_get(enum neg_key_id id)
{
	return id < K_NKEYS ? &neg_keys[id] : NULL;
}

int neg_key_find(const char *name)
{
	for (int i = 0; i < K_NKEYS; i++)
		if (strcmp(neg_keys[i].nk_name, name) == 0)
			return i;
	return -1;
}

/* ---- value parsing ---- */
static int parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "Yes") == 0)
		*out = true;
	else if (strcmp(s, "No") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

/* Decimal or 0x hex (RFC 7143 5.1: numbers may be hex-constants). */
static int parse_num(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
	const char *digits = base == 16 ? s + 2 : s;

	if (!(base == 16 ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(digits, &end, base);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Is word one of the comma-separated items of list? */
static bool list_has(const char *list, const char *word, size_t wlen)
{
	while (*list) {
		size_t len = strcspn(list, ",");
		if (len == wlen && strncmp(list, word, wlen) == 0)
			return true;
		list += len;
		if (*list == ',')
			list++;
	}
	return false;
}

static enum neg_result put(char *out, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		return NEG_REJECTED;
	memcpy(out, s, len);
	out[len] = '\0';
	return NEG_OK;
}

static enum neg_result resolve_list(const char *mine, const char *his, bool i_offered,
				    char *out, size_t cap)
{
	if (i_offered) {  /* his is one choice out of my list */
		if (strchr(his, ',') || !list_has(mine, his, strlen(his)))
			return NEG_REJECTED;
		return put(out, cap, his, strlen(his));
	}
	for (const char *p = his; *p;) {  /* first of his I can do */
		size_t len = strcspn(p, ",");
		if (len && list_has(mine, p, len))
			return put(out, cap, p, len);
		p += len;
		if (*p == ',')
			p++;
	}
	return NEG_REJECTED;
}

static enum neg_result resolve_bool(enum neg_kind k, const char *mine, const char *his,
				    bool i_offered, char *out, size_t cap)
{
	bool m, h, r;

	if (parse_bool(mine, &m) || parse_bool(his, &h))
		return NEG_REJECTED;
	r = k == NEG_AND ? (m && h) : (m || h);
	if (i_offered && r != h)  /* an answer must be the outcome */
		return NEG_REJECTED;
	return put(out, cap, r ? "Yes" : "No", r ? 3 : 2);
}

static enum neg_result resolve_num(const struct neg_key *k, const char *mine,
				   const char *his, bool i_offered, char *out, size_t cap)
{
	uint32_t m, h, r;
	char buf[16];

	if (parse_num(his, k->nk_min, k->nk_max, &h))
		return NEG_REJECTED;
	if (k->nk_kind == NEG_DECLARE_NUM)
		r = h;
	else {
		if (parse_num(mine, k->nk_min, k->nk_max, &m))
			return NEG_REJECTED;
		r = k->nk_kind == NEG_MIN ? (m < h ? m : h) : (m > h ? m : h);
		if (i_offered && r != h)
			return NEG_REJECTED;
	}
	int n = snprintf(buf, sizeof(buf), "%u", r);
	return put(out, cap, buf, (size_t)n);
}

enum neg_result neg_resolve(enum neg_key_id id, const char *mine, const char *his,
			    bool i_offered, char *out, size_t cap)
{
	const struct neg_key *k = neg_key_get(id);

	if (!k)
		return NEG_NOT_UNDERSTOOD;
	if (strcmp(his, NEG_REJECT_STR) == 0)
		return NEG_REJECTED;
	if (strcmp(his, NEG_IRRELEVANT_STR) == 0)
		return NEG_IRRELEVANT;
	if (strcmp(his, NEG_NOTUNDERSTOOD) == 0)
		return NEG_NOT_UNDERSTOOD;
	switch (k->nk_kind) {
	case NEG_DECLARE:
		return put(out, cap, his, strlen(his));
	case NEG_LIST:
		return resolve_list(mine, his, i_offered, out, cap);
	case NEG_AND:
	case NEG_OR:
		return resolve_bool(k->nk_kind, mine, his, i_offered, out, cap);
	case NEG_DECLARE_NUM:
	case NEG_MIN:
	case NEG_MAX:
		return resolve_num(k, mine, his, i_offered, out, cap);
	}
	return NEG_NOT_UNDERSTOOD;
}

int neg_digest_parse(const char *s, enum digest_pref *out)
{
	static const char *names[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum digest_pref)i;
			return 0;
		}
	return -EINVAL;
}

const char *neg_digest_str(enum digest_pref d)
{
	static const char *names[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C" };
	return (unsigned)d < 4 ? names[d] : "None";
}

void neg_params_default(struct iscsi_params *p)
{
	memset(p, 0, sizeof(*p));
	p->ip_max_recv_dlen = 8192;
	p->ip_max_xmit_dlen = 8192;
	p->ip_max_burst = 262144;
	p->ip_first_burst = 65536;
	p->ip_max_conns = 1;
	p->ip_max_r2t = 1;
	p->ip_erl = 0;
	p->ip_time2wait = 2;
	p->ip_time2retain = 20;
	p->ip_initial_r2t = true;
	p->ip_immediate_data = true;
	p->ip_data_pdu_in_order = true;
	p->ip_data_seq_in_order = true;
	p->ip_hdig = DIGEST_NONE;
	p->ip_ddig = DIGEST_NONE;
}
