/* ksmoke: proves the kernel edge inside the lab guest, without iscsid.
 * Connects, logs in with the project's login driver, turns the socket into
 * an iscsi_tcp session, scans per the autoscan policy (or one LUN), lists
 * /sys/class/scsi_device, optionally exercises recovery (suspend, new
 * connection, re-login with the same ISID+TSIH, reconnect) and logs out.
 *
 *   ksmoke ADDR PORT TARGET INITIATOR [yes|no|lunN] [recover]
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

struct smoke {
	const char *sm_addr, *sm_target, *sm_iname, *sm_mode;
	uint16_t sm_port;
	int sm_recover;
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

static int do_scan(struct smoke *s)
{
	struct scan_settings ss = { 0, -1, strcmp(s->sm_mode, "no") != 0 };
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
	if (step("kernel_open", kernel_open(&s->sm_k, NULL)) != RC_OK)
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
	if (getenv("KSMOKE_HOLD"))
		sleep((unsigned)atoi(getenv("KSMOKE_HOLD")));
	if (step("ksession_stop", ksession_stop(&s->sm_k, &s->sm_ks, 5000)) != RC_OK)
		rc = RC_LOGOUT;
	list_devices();
	kernel_close(&s->sm_k);
	return rc == RC_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	static struct smoke s;

	if (argc < 5) {
		fprintf(stderr, "usage: ksmoke ADDR PORT TARGET INITIATOR [yes|no|lunN] [recover]\n");
		return 2;
	}
	log_set_prog("ksmoke");
	log_set_level(argc > 7 ? atoi(argv[7]) : 1);
	s.sm_addr = argv[1];
	s.sm_port = (uint16_t)atoi(argv[2]);
	s.sm_target = argv[3];
	s.sm_iname = argv[4];
	s.sm_mode = argc > 5 ? argv[5] : "no";
	s.sm_recover = argc > 6 && strcmp(argv[6], "recover") == 0;
	return run(&s);
}
