/* Negotiation tables: neg_resolve for every kind of key, both when the
 * peer answers our offer and when it offers first; a whole operational
 * exchange through neg_state. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "t.h"
#include "negotiate.h"

struct row {
	enum neg_key_id id;
	const char *mine, *his;
	bool i_offered;
	enum neg_result want;
	const char *out;
};

static const struct row rows[] = {
	/* MIN */
	{ K_MAX_BURST, "262144", "65536", false, NEG_OK, "65536" },
	{ K_MAX_BURST, "16384", "65536", false, NEG_OK, "16384" },
	{ K_MAX_BURST, "262144", "65536", true, NEG_OK, "65536" },
	{ K_MAX_BURST, "16384", "65536", true, NEG_REJECTED, NULL }, /* answer above offer */
	{ K_MAX_BURST, "262144", "100", false, NEG_REJECTED, NULL }, /* below 512 */
	{ K_MAX_BURST, "262144", "16777216", false, NEG_REJECTED, NULL },
	{ K_MAX_BURST, "262144", "0x1000", false, NEG_OK, "4096" },
	{ K_MAX_BURST, "262144", "12abc", false, NEG_REJECTED, NULL },
	{ K_ERL, "2", "0", true, NEG_OK, "0" },
	{ K_ERL, "0", "3", false, NEG_REJECTED, NULL },
	{ K_TIME2RETAIN, "0", "20", false, NEG_OK, "0" },
	/* MAX */
	{ K_TIME2WAIT, "2", "5", false, NEG_OK, "5" },
	{ K_TIME2WAIT, "2", "5", true, NEG_OK, "5" },
	{ K_TIME2WAIT, "2", "1", true, NEG_REJECTED, NULL },
	{ K_TIME2WAIT, "2", "3601", false, NEG_REJECTED, NULL },
	/* AND */
	{ K_IMMEDIATE_DATA, "Yes", "No", false, NEG_OK, "No" },
	{ K_IMMEDIATE_DATA, "Yes", "Yes", false, NEG_OK, "Yes" },
	{ K_IMMEDIATE_DATA, "No", "Yes", false, NEG_OK, "No" },
	{ K_IMMEDIATE_DATA, "No", "Yes", true, NEG_REJECTED, NULL },
	{ K_IMMEDIATE_DATA, "Yes", "maybe", false, NEG_REJECTED, NULL },
	/* OR */
	{ K_INITIAL_R2T, "No", "Yes", false, NEG_OK, "Yes" },
	{ K_INITIAL_R2T, "No", "No", true, NEG_OK, "No" },
	{ K_INITIAL_R2T, "Yes", "No", true, NEG_REJECTED, NULL },
	{ K_DATA_PDU_IN_ORDER, "Yes", "No", false, NEG_OK, "Yes" },
	/* LIST */
	{ K_HEADER_DIGEST, "CRC32C,None", "None", true, NEG_OK, "None" },
	{ K_HEADER_DIGEST, "CRC32C,None", "CRC32C", true, NEG_OK, "CRC32C" },
	{ K_HEADER_DIGEST, "None", "CRC32C", true, NEG_REJECTED, NULL },
	{ K_HEADER_DIGEST, "None,CRC32C", "CRC32C,None", false, NEG_OK, "CRC32C" },
	{ K_HEADER_DIGEST, "None", "CRC32C", false, NEG_REJECTED, NULL },
	{ K_AUTH_METHOD, "CHAP,None", "CHAP", true, NEG_OK, "CHAP" },
	{ K_AUTH_METHOD, "None", "SRP,KRB5,None", false, NEG_OK, "None" },
	/* declarative */
	{ K_MAX_RECV_DLEN, "8192", "262144", false, NEG_OK, "262144" },
	{ K_MAX_RECV_DLEN, "8192", "100", false, NEG_REJECTED, NULL },
	{ K_TARGET_ALIAS, "", "disk-a", false, NEG_OK, "disk-a" },
	/* special answers */
	{ K_MAX_BURST, "262144", "Irrelevant", true, NEG_IRRELEVANT, NULL },
	{ K_MAX_BURST, "262144", "Reject", true, NEG_REJECTED, NULL },
	{ K_ERL, "0", "NotUnderstood", true, NEG_NOT_UNDERSTOOD, NULL },
};

static void test_resolve_table(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[64] = "";
		const struct row *r = &rows[i];
		enum neg_result got = neg_resolve(r->id, r->mine, r->his, r->i_offered, out, sizeof(out));
		if (got != r->want || (r->out && strcmp(out, r->out) != 0))
			fprintf(stderr, "row %zu: %s mine=%s his=%s -> %d '%s'\n", i,
				neg_key_get(r->id)->nk_name, r->mine, r->his, got, out);
		T_INTEQ(got, r->want);
		if (r->out)
			T_STREQ(out, r->out);
	}
}

static void test_key_lookup(void)
{
	T_INTEQ(neg_key_find("MaxBurstLength"), K_MAX_BURST);
	T_INTEQ(neg_key_find("X-com.example.Foo"), -1);
	T_INTEQ(neg_key_find("maxburstlength"), -1);  /* keys are case sensitive */
	T_STREQ(neg_key_get(K_FIRST_BURST)->nk_default, "65536");
	enum digest_pref d;
	T_INTEQ(neg_digest_parse("CRC32C,None", &d), 0);
	T_INTEQ(d, DIGEST_CRC32C_NONE);
	T_CHECK(neg_digest_parse("crc", &d) != 0);
}

static void reply_has(const struct text_list *l, const char *k, const char *v)
{
	const char *got = text_get(l, k);
	if (!got || strcmp(got, v))
		fprintf(stderr, "reply %s=%s, expected %s\n", k, got ? got : "(none)", v);
	T_STREQ(got, v);
}

static void test_session_normal(void)
{
	struct iscsi_params mine;
	struct neg_state s;
	struct text_list offer, peer, reply;
	char err[128] = "";

	neg_params_default(&mine);
	mine.ip_max_recv_dlen = 262144;
	mine.ip_first_burst = 262144;
	mine.ip_hdig = DIGEST_CRC32C_NONE;
	mine.ip_immediate_data = true;
	mine.ip_initial_r2t = false;
	neg_begin(&s, &mine, false);
	text_init(&offer);
	T_INTEQ(neg_offer(&s, &offer), 0);
	T_STREQ(text_get(&offer, "HeaderDigest"), "CRC32C,None");
	T_STREQ(text_get(&offer, "MaxRecvDataSegmentLength"), "262144");
	T_STREQ(text_get(&offer, "InitialR2T"), "No");
	T_INTEQ(offer.tl_n, 16);
	/* a second call adds nothing: everything was sent */
	T_INTEQ(neg_offer(&s, &offer), 0);
	T_INTEQ(offer.tl_n, 16);

	text_init(&peer);
	text_init(&reply);
	text_add(&peer, "HeaderDigest", "CRC32C");
	text_add(&peer, "DataDigest", "None");
	text_add(&peer, "MaxRecvDataSegmentLength", "65536");
	text_add(&peer, "InitialR2T", "Yes");
	text_add(&peer, "ImmediateData", "Yes");
	text_add(&peer, "MaxBurstLength", "131072");
	text_add(&peer, "FirstBurstLength", "65536");
	text_add(&peer, "X-com.example.Magic", "1");   /* unknown: NotUnderstood */
	text_add(&peer, "TargetAlias", "lun-store");
	T_INTEQ(neg_process(&s, &peer, &reply, err, sizeof(err)), 0);
	reply_has(&reply, "X-com.example.Magic", "NotUnderstood");
	T_CHECK(text_get(&reply, "TargetAlias") == NULL);
	neg_finish(&s);
	T_INTEQ(s.ns_active.ip_hdig, DIGEST_CRC32C);
	T_INTEQ(s.ns_active.ip_ddig, DIGEST_NONE);
	T_INTEQ(s.ns_active.ip_max_xmit_dlen, 65536);
	T_INTEQ(s.ns_active.ip_max_recv_dlen, 262144);
	T_CHECK(s.ns_active.ip_initial_r2t);
	T_CHECK(s.ns_active.ip_immediate_data);
	T_INTEQ(s.ns_active.ip_max_burst, 131072);
	T_INTEQ(s.ns_active.ip_first_burst, 65536);
	/* never answered: outcome of mine vs RFC default */
	T_INTEQ(s.ns_active.ip_time2retain, 20);
	T_INTEQ(s.ns_active.ip_max_r2t, 1);
	T_STREQ(s.ns_val[K_TARGET_ALIAS], "lun-store");
	text_free(&offer); text_free(&peer); text_free(&reply);
}

static void test_session_violation(void)
{
	struct iscsi_params mine;
	struct neg_state s;
	struct text_list offer, peer, reply;
	char err[128] = "";

	neg_params_default(&mine);
	mine.ip_max_burst = 16384;
	neg_begin(&s, &mine, false);
	text_init(&offer); text_init(&peer); text_init(&reply);
	neg_offer(&s, &offer);
	text_add(&peer, "MaxBurstLength", "65536");  /* MIN answered above our offer */
	T_INTEQ(neg_process(&s, &peer, &reply, err, sizeof(err)), -EPROTO);
	T_CHECK(strstr(err, "MaxBurstLength=65536") != NULL);
	text_free(&offer); text_free(&peer); text_free(&reply);
}

static void test_session_peer_offers(void)
{
	struct iscsi_params mine;
	struct neg_state s;
	struct text_list peer, reply;
	char err[128] = "";

	neg_params_default(&mine);
	mine.ip_max_recv_dlen = 32768;
	neg_begin(&s, &mine, true);  /* discovery: normal-only keys are Irrelevant */
	text_init(&peer); text_init(&reply);
	text_add(&peer, "MaxBurstLength", "65536");
	text_add(&peer, "DefaultTime2Wait", "4");
	text_add(&peer, "MaxRecvDataSegmentLength", "16384");
	text_add(&peer, "HeaderDigest", "CRC32C");
	T_INTEQ(neg_process(&s, &peer, &reply, err, sizeof(err)), 0);
	reply_has(&reply, "MaxBurstLength", "Irrelevant");
	reply_has(&reply, "DefaultTime2Wait", "4");
	reply_has(&reply, "MaxRecvDataSegmentLength", "32768"); /* we declare ours back */
	reply_has(&reply, "HeaderDigest", "Reject"); /* discovery never offers CRC32C */
	neg_finish(&s);
	T_INTEQ(s.ns_active.ip_time2wait, 4);
	T_INTEQ(s.ns_active.ip_max_xmit_dlen, 16384);
	T_INTEQ(s.ns_active.ip_hdig, DIGEST_NONE);
	text_free(&peer); text_free(&reply);
}

/* Long declarations (legal up to 255 bytes) are never answered with Reject. */
static void test_long_declarations(void)
{
	struct iscsi_params mine;
	struct neg_state s;
	struct text_list peer, reply;
	char err[128] = "", alias[256], addr[200];

	neg_params_default(&mine);
	neg_begin(&s, &mine, false);
	memset(alias, 'a', sizeof(alias) - 1);
	alias[sizeof(alias) - 1] = '\0';
	snprintf(addr, sizeof(addr), "[fd00:1111:2222:3333:4444:5555:6666:7777]:3260,%0150d", 1);
	text_init(&peer); text_init(&reply);
	text_add(&peer, "TargetAlias", alias);
	text_add(&peer, "TargetAddress", addr);
	text_add(&peer, "TargetPortalGroupTag", "1");
	T_INTEQ(neg_process(&s, &peer, &reply, err, sizeof(err)), 0);
	T_INTEQ(reply.tl_n, 0);
	T_CHECK(text_get(&reply, "TargetAlias") == NULL);
	T_CHECK(text_get(&reply, "TargetAddress") == NULL);
	text_free(&peer); text_free(&reply);
}

int main(void)
{
	T_RUN(test_resolve_table);
	T_RUN(test_key_lookup);
	T_RUN(test_session_normal);
	T_RUN(test_session_violation);
	T_RUN(test_session_peer_offers);
	T_RUN(test_long_declarations);
	return T_DONE();
}
