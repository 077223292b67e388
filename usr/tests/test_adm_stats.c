/* iscsiadm -s output: one answer printed as stock 2.1.8 prints it (format
 * of usr/iscsiadm.c's session_stats: SNMP counters, then the transport's
 * extended counters when there are any). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adm/session_stats.h"
#include "t.h"

static void test_print(void)
{
	static struct ipc_abi_rsp rsp;
	struct adm_sess s = { .as_sid = 3, .as_port = 3260 };
	struct ipc_abi_stats *st = &rsp.ap_u.ap_stats.ag_stats;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	static const char want[] =
		"Stats for session [sid: 3, target: iqn.2026-01.test:t1, portal: 10.0.2.2,3260]\n"
		"iSCSI SNMP:\n"
		"\ttxdata_octets: 5368709120\n\trxdata_octets: 7\n"
		"\tnoptx_pdus: 1\n\tscsicmd_pdus: 2\n\ttmfcmd_pdus: 3\n\tlogin_pdus: 4\n"
		"\ttext_pdus: 5\n\tdataout_pdus: 6\n\tlogout_pdus: 7\n\tsnack_pdus: 8\n"
		"\tnoprx_pdus: 9\n\tscsirsp_pdus: 10\n\ttmfrsp_pdus: 11\n\ttextrsp_pdus: 12\n"
		"\tdatain_pdus: 13\n\tlogoutrsp_pdus: 14\n\tr2t_pdus: 15\n\tasync_pdus: 16\n"
		"\trjt_pdus: 17\n"
		"\tdigest_err: 18\n\ttimeout_err: 19\n"
		"iSCSI Extended:\n"
		"\ttx_sendpage_failures: 0\n"
		"\trx_discontiguous_hdr: 42\n";
	uint32_t *c = &st->st_noptx_pdus;

	strcpy(s.as_target, "iqn.2026-01.test:t1");
	strcpy(s.as_addr, "10.0.2.2");
	st->st_txdata_octets = 5368709120ULL;
	st->st_rxdata_octets = 7;
	for (uint32_t i = 0; i < 19; i++)   /* noptx .. timeout_err, in order */
		c[i] = i + 1;
	st->st_custom_length = 2;
	strcpy(rsp.ap_u.ap_stats.ag_custom[0].cu_desc, "tx_sendpage_failures");
	strcpy(rsp.ap_u.ap_stats.ag_custom[1].cu_desc, "rx_discontiguous_hdr");
	rsp.ap_u.ap_stats.ag_custom[1].cu_value = 42;
	adm_stats_print(f, &s, &rsp);
	fclose(f);
	T_STREQ(out, want);
	free(out);
	/* no extended counters: no "iSCSI Extended:" line */
	st->st_custom_length = 0;
	out = NULL;
	f = open_memstream(&out, &len);
	adm_stats_print(f, &s, &rsp);
	fclose(f);
	T_CHECK(strstr(out, "Extended") == NULL);
	T_CHECK(strstr(out, "\ttimeout_err: 19\n") != NULL);
	free(out);
}

int main(void)
{
	T_RUN(test_print);
	return T_DONE();
}
