/* ksmoke: proves the kernel edge inside the lab guest, without iscsid.
 * Connects, logs in with the project's login driver, turns the socket into
 * an iscsi_tcp session, scans per the autoscan policy (or one LUN), lists
 * /sys/class/scsi_device, optionally exercises recovery (suspend, new
 * connection, re-login with the same ISID+TSIH, reconnect) and logs out.
 *
 *   ksmoke ADDR PORT TARGET INITIATOR [yes|no|lunN] [recover|events] [loglevel]
 *
 * "events" listens to the kernel for $KSMOKE_EVENTS seconds (default 30)
 * after the scan: an async SCSI event runs the AEN policy row, a connection
 * error runs recovery (re-login through the kernel), as iscsid would.
 *
 *   ksmoke adopt SID [yes|no]
 *
 * "adopt" takes over a session another process created (iscsid restart):
 * finds it in sysfs, runs the startup policy row, logs it out.
 * $KSMOKE_KEEP set: leave the session up and exit (a crashed iscsid).
 *
 * Exit 0 when every step worked; each step prints one "ksmoke:" line. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#undef LOGIN_NAME_MAX
#include "err.h"
#include "log.h"
#include "net.h"
#include "login.h"
#include "scan_policy.h"
#include "../../daemon/kernel.h"
#include "../../daemon/ksession.h"
#include "../../daemon/scan.h"
#include "sense.h"

struct smoke {
	const char *sm_addr, *sm_target, *sm_iname, *sm_mode;
	uint16_t sm_port;
	int sm_recover, sm_events;
	struct kevents sm_ke;
	struct login_params sm_lp;
	struct login_result sm_lr;
	struct ksess_conf sm_kc;
	struct ksess sm_ks;
	struct kern sm_k;
};

static int step(const char *what, int rc)
{
	printf("ksmoke: %-28s %s (%d)\n", what, rc == RC_OK ? "ok" : rc_str(rc), rc);
	fflush(stdout);
	return rc;
}

static void list_devices(void)
{
	DIR *d = opendir("/sys/class/scsi_device");
	struct dirent *e;

	printf("ksmoke: scsi_device:");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			printf(" %s", e->d_name);
	printf("\n");
	if (d)
		closedir(d);
}

static int do_login(struct smoke *s, uint16_t tsih, int *fd)
{
	int err = 0, rc = net_connect(s->sm_addr, s->sm_port, 5000, fd, &err);

	if (step("connect", rc) != RC_OK)
		return rc;
	s->sm_lp.lp_tsih = tsih;
	rc = login_run(*fd, &s->sm_lp, &s->sm_lr);
	if (rc != RC_OK)
		printf("ksmoke: login: %s\n", s->sm_lr.lr_msg);
	printf("ksmoke: login tsih=%u cmdsn=%u exp_statsn=%u mrdsl=%u xmit=%u\n",
	       s->sm_lr.lr_tsih, s->sm_lr.lr_cmdsn, s->sm_lr.lr_exp_statsn,
	       s->sm_lr.lr_params.ip_max_recv_dlen, s->sm_lr.lr_params.ip_max_xmit_dlen);
	return step(tsih ? "re-login" : "login", rc);
}

static struct scan_settings smoke_settings(const struct smoke *s)
{
	struct scan_settings ss = { 0, -1, strcmp(s->sm_mode, "no") != 0 };
	return ss;
}

static int do_scan(struct smoke *s)
{
	struct scan_settings ss = smoke_settings(s);
	enum scan_event ev = strncmp(s->sm_mode, "lun", 3) == 0 ? SCAN_EV_RESCAN_LUN : SCAN_EV_LOGIN;
	struct scan_plan p = scan_plan(ev, &ss, strtoull(s->sm_mode + 3 * (ev == SCAN_EV_RESCAN_LUN), NULL, 10));
	int rc;

	printf("ksmoke: policy row \"%s\": %s\n", p.sp_row, p.sp_why);
	rc = scan_run(NULL, s->sm_ks.ks_host_no, &p, NULL);
	list_devices();
	return step("scan", rc);
}

/* Recovery as iscsid must do it: stop in recovery mode, new TCP
 * connection, re-login through the kernel (TSIH 0, same ISID). */
static int do_recover(struct smoke *s)
{
	int fd, err = 0, rc;

	rc = step("suspend (stop recover)", ksession_suspend(&s->sm_k, &s->sm_ks));
	if (rc != RC_OK)
		return rc;
	rc = step("connect", net_connect(s->sm_addr, s->sm_port, 5000, &fd, &err));
	if (rc != RC_OK)
		return rc;
	s->sm_lp.lp_tsih = 0;
	rc = ksession_relogin(&s->sm_k, &s->sm_ks, &s->sm_kc, &s->sm_lp, fd, &s->sm_lr);
	printf("ksmoke: relogin tsih=%u cmdsn=%u exp_statsn=%u %s\n", s->sm_lr.lr_tsih,
	       s->sm_lr.lr_cmdsn, s->sm_lr.lr_exp_statsn, s->sm_lr.lr_msg);
	if (rc != RC_OK)
		close(fd);
	step("relogin via kernel", rc);
	if (rc == RC_OK)
		rc = step("refresh after recovery", scan_refresh_host(NULL, s->sm_ks.ks_host_no, NULL));
	return rc;
}

/* An Asynchronous Message: AsyncEvent 0 carries sense data; only 3F/0E
 * leads to the AEN policy row, anything malformed is logged and dropped. */
static void on_async(struct smoke *s, const uint8_t *pdu, size_t len)
{
	struct scan_settings ss = smoke_settings(s);
	struct scan_plan p;
	struct sense sn;

	if (len < PDU_BHS_LEN || pdu[36] != 0) {
		printf("ksmoke: async event %d ignored\n", len >= PDU_BHS_LEN ? pdu[36] : -1);
		return;
	}
	if (sense_parse_aen(pdu + PDU_BHS_LEN, len - PDU_BHS_LEN, &sn) != 0) {
		printf("ksmoke: AEN with malformed sense ignored (no scan)\n");
		return;
	}
	printf("ksmoke: AEN sense %s asc=0x%02x ascq=0x%02x %s\n", sense_key_name(sn.sn_key),
	       sn.sn_asc, sn.sn_ascq, sn.sn_descriptor ? "descriptor" : "fixed");
	if (!sense_is_luns_changed(&sn))
		return;
	p = scan_plan(SCAN_EV_AEN, &ss, 0);
	printf("ksmoke: policy row \"%s\": %s\n", p.sp_row, p.sp_why);
	step("aen scan", scan_run(NULL, s->sm_ks.ks_host_no, &p, NULL));
	list_devices();
}

/* Reconnects with a short backoff until it works or 60 s pass. */
static int recover_loop(struct smoke *s)
{
	for (int i = 0, wait = 1; i < 12; i++, wait = wait < 8 ? wait * 2 : 8) {
		if (do_recover(s) == RC_OK)
			return RC_OK;
		sleep((unsigned)wait);
	}
	return RC_TRANS;
}

static int listen_events(struct smoke *s, int seconds)
{
	int64_t end = net_now_ms() + seconds * 1000LL;
	struct nl_event ev;
	int rc = RC_OK;

	while (net_now_ms() < end) {
		int r = kevents_read(&s->sm_ke, &ev, (int)(end - net_now_ms()));
		if (r != RC_OK || ev.ne_sid != s->sm_ks.ks_sid)
			continue;
		printf("ksmoke: event %s sid %u\n", nl_type_name(ev.ne_type), ev.ne_sid);
		if (ev.ne_type == NL_K_RECV_PDU && ev.ne_data_len >= 1 &&
		    (ev.ne_data[0] & PDU_OP_MASK) == OP_ASYNC)
			on_async(s, ev.ne_data, ev.ne_data_len);
		else if (ev.ne_type == NL_K_CONN_ERROR) {
			printf("ksmoke: connection error %s\n", nl_err_name(ev.ne_error));
			rc = step("recovery", recover_loop(s));
		}
	}
	return rc;
}

static void setup(struct smoke *s)
{
	login_params_init(&s->sm_lp);
	s->sm_lp.lp_initiator_name = s->sm_iname;
	s->sm_lp.lp_target_name = s->sm_target;
	s->sm_lp.lp_isid[5] = 0x42;
	s->sm_lp.lp_mine.ip_max_recv_dlen = 262144;
	ksess_conf_init(&s->sm_kc);
	snprintf(s->sm_kc.kc_target, sizeof(s->sm_kc.kc_target), "%s", s->sm_target);
	snprintf(s->sm_kc.kc_initiator, sizeof(s->sm_kc.kc_initiator), "%s", s->sm_iname);
	snprintf(s->sm_kc.kc_address, sizeof(s->sm_kc.kc_address), "%s", s->sm_addr);
	s->sm_kc.kc_port = s->sm_port;
	s->sm_kc.kc_recovery_tmo = 30;
	memcpy(s->sm_kc.kc_isid, s->sm_lp.lp_isid, 6);
}

static int run(struct smoke *s)
{
	int fd, rc;

	setup(s);
	if (step("kernel_open", kernel_open(&s->sm_k, NULL)) != RC_OK ||
	    step("kevents_open", kevents_open(&s->sm_ke)) != RC_OK)
		return 1;
	if (do_login(s, 0, &fd) != RC_OK)
		return 1;
	rc = ksession_start(&s->sm_k, &s->sm_kc, &s->sm_lr, fd, &s->sm_ks);
	printf("ksmoke: sid=%u cid=%u host=%u\n", s->sm_ks.ks_sid, s->sm_ks.ks_cid, s->sm_ks.ks_host_no);
	if (step("ksession_start", rc) != RC_OK)
		return 1;
	rc = do_scan(s);
	if (rc == RC_OK && s->sm_recover)
		rc = do_recover(s);
	if (rc == RC_OK && s->sm_events)
		rc = listen_events(s, getenv("KSMOKE_EVENTS") ? atoi(getenv("KSMOKE_EVENTS")) : 30);
	if (getenv("KSMOKE_KEEP")) {
		printf("ksmoke: leaving session %u up\n", s->sm_ks.ks_sid);
		return rc == RC_OK ? 0 : 1;
	}
	if (getenv("KSMOKE_HOLD"))
		sleep((unsigned)atoi(getenv("KSMOKE_HOLD")));
	if (step("ksession_stop", ksession_stop(&s->sm_k, &s->sm_ks, 5000)) != RC_OK)
		rc = RC_LOGOUT;
	list_devices();
	kernel_close(&s->sm_k);
	kevents_close(&s->sm_ke);
	return rc == RC_OK ? 0 : 1;
}

/* iscsid restart: a session that exists already is found in sysfs and
 * handled by the startup row, then logged out through the kernel. */
static int run_adopt(uint32_t sid, const char *mode)
{
	struct scan_settings ss = { 0, -1, strcmp(mode, "no") != 0 };
	struct scan_plan p = scan_plan(SCAN_EV_STARTUP, &ss, 0);
	struct ksess ks;
	struct kern k;
	int n = 0, rc;

	if (step("kernel_open", kernel_open(&k, NULL)) != RC_OK)
		return 1;
	rc = step("ksession_adopt", ksession_adopt(NULL, sid, &ks));
	printf("ksmoke: adopted sid=%u cid=%u host=%u\n", ks.ks_sid, ks.ks_cid, ks.ks_host_no);
	if (rc == RC_OK) {
		printf("ksmoke: policy row \"%s\": %s\n", p.sp_row, p.sp_why);
		rc = step("startup scan", scan_run(NULL, ks.ks_host_no, &p, &n));
		printf("ksmoke: refreshed %d device(s)\n", n);
		list_devices();
	}
	if (rc == RC_OK)
		rc = step("ksession_stop", ksession_stop(&k, &ks, 5000));
	list_devices();
	kernel_close(&k);
	return rc == RC_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	static struct smoke s;

	if (argc < 5 && !(argc >= 3 && strcmp(argv[1], "adopt") == 0)) {
		fprintf(stderr, "usage: ksmoke ADDR PORT TARGET INITIATOR [yes|no|lunN] [recover|events] [loglevel]\n");
		return 2;
	}
	log_set_prog("ksmoke");
	if (argc >= 3 && strcmp(argv[1], "adopt") == 0) {
		log_set_level(1);
		return run_adopt((uint32_t)atoi(argv[2]), argc > 3 ? argv[3] : "yes");
	}
	log_set_level(argc > 7 ? atoi(argv[7]) : 1);
	s.sm_addr = argv[1];
	s.sm_port = (uint16_t)atoi(argv[2]);
	s.sm_target = argv[3];
	s.sm_iname = argv[4];
	s.sm_mode = argc > 5 ? argv[5] : "no";
	s.sm_recover = argc > 6 && strcmp(argv[6], "recover") == 0;
	s.sm_events = argc > 6 && strcmp(argv[6], "events") == 0;
	return run(&s);
}
