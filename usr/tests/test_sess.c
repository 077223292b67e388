/* iscsid's pure parts: session table (reservation under concurrency, one
 * more session when asked, session state in stock's numbers), request
 * dispatch in stock's protocol, socket
 * activation parsing, async message classification, record -> login and
 * kernel parameters, autoscan inputs. */
#include <pthread.h>
#include <stdlib.h>

#include "../adm/daemon_req.h"
#include "../daemon/daemon.h"
#include "../daemon/sess.h"
#include "../daemon/sess_events.h"
#include "../daemon/sess_params.h"
#include "../daemon/sess_stats.h"
#include "conf.h"
#include "err.h"
#include "idb.h"
#include "rec.h"
#include "t.h"

static struct ipc_abi_req req;
static struct ipc_abi_rsp rsp;

static void key_init(struct sess_key *k, const char *target)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->sk_target, sizeof(k->sk_target), "%s", target);
	strcpy(k->sk_addr, "10.0.2.2");
	k->sk_port = 3341;
	strcpy(k->sk_iface, "default");
}

static void test_reserve_dup(void)
{
	struct sess_table t;
	struct sess_key k;
	struct sess *a, *b;
	int rc;

	T_INTEQ(sess_table_init(&t, NULL, "iqn.i"), RC_OK);
	key_init(&k, "iqn.t1");
	a = sess_reserve(&t, &k, 0, &rc);
	T_CHECK(a != NULL);
	T_INTEQ(rc, RC_OK);
	b = sess_reserve(&t, &k, 0, &rc);
	T_CHECK(b == NULL);
	T_INTEQ(rc, RC_SESS_EXISTS);
	b = sess_reserve(&t, &k, 1, &rc);  /* -o new on a session: one more */
	T_CHECK(b != NULL);
	sess_unlink(&t, b);
	k.sk_port = 3342;  /* another portal is another session */
	b = sess_reserve(&t, &k, 0, &rc);
	T_CHECK(b != NULL);
	sess_unlink(&t, a);
	key_init(&k, "iqn.t1");
	a = sess_reserve(&t, &k, 0, &rc);  /* free again after unlink */
	T_CHECK(a != NULL);
	sess_table_fini(&t);
}

struct race { struct sess_table *t; int ok; };

static void *race_main(void *arg)
{
	struct race *r = arg;
	struct sess_key k;
	int rc;

	key_init(&k, "iqn.race");
	r->ok = sess_reserve(r->t, &k, 0, &rc) != NULL;
	return NULL;
}

/* two "-L all" at once must not create the same session twice */
static void test_reserve_race(void)
{
	struct sess_table t;
	pthread_t th[16];
	struct race r[16];
	int wins = 0;

	sess_table_init(&t, NULL, "iqn.i");
	for (int i = 0; i < 16; i++) {
		r[i].t = &t;
		pthread_create(&th[i], NULL, race_main, &r[i]);
	}
	for (int i = 0; i < 16; i++) {
		pthread_join(th[i], NULL);
		wins += r[i].ok;
	}
	T_INTEQ(wins, 1);
	sess_table_fini(&t);
}

static void test_state_wire(void)
{
	struct sess_table t;
	struct sess_key k;
	struct sess *s;
	int rc, conn = -1, stage = -1;

	sess_table_init(&t, NULL, "iqn.i");
	key_init(&k, "iqn.t1");
	s = sess_reserve(&t, &k, 0, &rc);
	s->s_sid = 7;
	T_INTEQ(sess_state_get(&t, 7, &conn, &stage), RC_OK);
	T_INTEQ(conn, IPC_CONN_IN_LOGIN);
	T_INTEQ(sess_fsm(&t, s, SEV_LOGIN_OK), SACT_NONE);
	T_INTEQ(sess_state_get(&t, 7, &conn, &stage), RC_OK);
	T_INTEQ(conn, IPC_CONN_LOGGED_IN);
	T_INTEQ(stage, IPC_R_NO_CHANGE);
	T_INTEQ(sess_fsm(&t, s, SEV_RELEASE), SACT_RELEASE);
	T_INTEQ(sess_fsm(&t, s, SEV_CONN_ERR), SACT_CLAIM);
	T_INTEQ(sess_state_get(&t, 7, &conn, &stage), RC_OK);
	T_INTEQ(conn, IPC_CONN_XPT_WAIT);
	T_INTEQ(stage, IPC_R_REOPEN);
	T_INTEQ(sess_state_get(&t, 8, &conn, &stage), RC_SESS_NOT_FOUND);
	sess_table_fini(&t);
}

static void test_dispatch(void)
{
	struct sess_table t;

	sess_table_init(&t, "/x/iscsid.conf", "iqn.2026-01.test:me");
	ipc_req_init(&req, IPC_CMD_CONFIG_INAME);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_OK);
	T_INTEQ(rsp.ap_cmd, IPC_CMD_CONFIG_INAME);
	T_STREQ(rsp.ap_u.ap_config, "iqn.2026-01.test:me");
	ipc_req_init(&req, IPC_CMD_CONFIG_FILE);
	daemon_dispatch(&t, &req, &rsp);
	T_STREQ(rsp.ap_u.ap_config, "/x/iscsid.conf");
	adm_req_sid_msg(IPC_CMD_LOGOUT, 3, &req);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_SESS_NOT_FOUND);
	adm_req_sid_msg(IPC_CMD_STATS, 3, &req);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_SESS_NOT_FOUND);
	adm_req_sid_msg(IPC_CMD_SESSION_INFO, 3, &req);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_SESS_NOT_FOUND);
	ipc_req_init(&req, IPC_CMD_X_RESCAN);
	req.ar_u.ar_rescan.ax_sid = 3;
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_SESS_NOT_FOUND);
	req.ar_u.ar_rescan.ax_has_lun = 1;
	req.ar_u.ar_rescan.ax_lun = 1ULL << 40;  /* never wraps to a whole-target scan */
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_INVAL);
	ipc_req_init(&req, IPC_CMD_LOGIN);       /* no target/portal */
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_INVALID_MGMT_REQ);
	ipc_req_init(&req, IPC_CMD_CONN_ADD);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.ap_err, RC_ERR);
	sess_table_fini(&t);
}

/* the kernel's stats message as stock's answer carries it */
static void test_stats_fill(void)
{
	static uint8_t msg[IPC_ABI_UEVENT_LEN + sizeof(struct ipc_abi_stats) +
			   2 * sizeof(struct ipc_abi_custom)];
	struct ipc_abi_stats st = { .st_txdata_octets = 4096, .st_scsicmd_pdus = 9,
				    .st_timeout_err = 1, .st_custom_length = 5 };
	struct ipc_abi_custom cu = { .cu_value = 77 };

	strcpy(cu.cu_desc, "tx_sendpage_failures");
	memcpy(msg + IPC_ABI_UEVENT_LEN, &st, sizeof(st));
	memcpy(msg + IPC_ABI_UEVENT_LEN + sizeof(st), &cu, sizeof(cu));
	T_INTEQ(sess_stats_fill(msg, sizeof(msg), &rsp), RC_OK);
	T_INTEQ(rsp.ap_u.ap_stats.ag_stats.st_txdata_octets, 4096);
	T_INTEQ(rsp.ap_u.ap_stats.ag_stats.st_scsicmd_pdus, 9);
	T_INTEQ(rsp.ap_u.ap_stats.ag_stats.st_timeout_err, 1);
	/* 5 announced, 2 present */
	T_INTEQ(rsp.ap_u.ap_stats.ag_stats.st_custom_length, 2);
	T_STREQ(rsp.ap_u.ap_stats.ag_custom[0].cu_desc, "tx_sendpage_failures");
	T_INTEQ(rsp.ap_u.ap_stats.ag_custom[0].cu_value, 77);
	T_INTEQ(sess_stats_fill(msg, IPC_ABI_UEVENT_LEN + 10, &rsp), RC_INTERNAL);
}

static void test_listen_fds(void)
{
	T_INTEQ(daemon_listen_fds("123", "1", 123), 1);
	T_INTEQ(daemon_listen_fds("123", "2", 123), 2);
	T_INTEQ(daemon_listen_fds("124", "1", 123), 0);   /* not for us */
	T_INTEQ(daemon_listen_fds(NULL, "1", 123), 0);
	T_INTEQ(daemon_listen_fds("123", NULL, 123), 0);
	T_INTEQ(daemon_listen_fds("12x", "1", 123), 0);
	T_INTEQ(daemon_listen_fds("123", "-1", 123), 0);
	T_INTEQ(daemon_listen_fds("", "1", 0), 0);
}

static void aen_bhs(uint8_t *bhs, uint8_t event)
{
	memset(bhs, 0, 48);
	bhs[0] = 0x32;
	bhs[1] = 0x80;
	bhs[36] = event;
}

static void test_aen(void)
{
	/* SenseLength 18, fixed format, UNIT ATTENTION, 3F/0E */
	uint8_t data[20] = { 0, 18, 0x70, 0, 0x06, 0, 0, 0, 0, 10,
			     0, 0, 0, 0, 0x3f, 0x0e, 0, 0, 0, 0 };
	uint8_t bhs[48];

	aen_bhs(bhs, 0);
	T_INTEQ(sess_aen_classify(bhs, data, sizeof(data)), SESS_AEN_SCAN);
	data[15] = 0x03;  /* 3F/03: inquiry data changed: no scan */
	T_INTEQ(sess_aen_classify(bhs, data, sizeof(data)), SESS_AEN_IGNORE);
	data[15] = 0x0e;
	T_INTEQ(sess_aen_classify(bhs, data, 5), SESS_AEN_IGNORE);   /* truncated */
	T_INTEQ(sess_aen_classify(bhs, data, 0), SESS_AEN_IGNORE);
	data[1] = 200;  /* SenseLength beyond the segment */
	T_INTEQ(sess_aen_classify(bhs, data, sizeof(data)), SESS_AEN_IGNORE);
	aen_bhs(bhs, 1);
	T_INTEQ(sess_aen_classify(bhs, NULL, 0), SESS_AEN_LOGOUT);
	aen_bhs(bhs, 2);
	T_INTEQ(sess_aen_classify(bhs, NULL, 0), SESS_AEN_DROP);
	aen_bhs(bhs, 4);
	T_INTEQ(sess_aen_classify(bhs, NULL, 0), SESS_AEN_RENEGOTIATE);
	aen_bhs(bhs, 255);
	T_INTEQ(sess_aen_classify(bhs, NULL, 0), SESS_AEN_IGNORE);
	bhs[0] = 0x21;  /* not an async message */
	T_INTEQ(sess_aen_classify(bhs, NULL, 0), SESS_AEN_IGNORE);
}

static struct rec *node_rec(void)
{
	struct rec *r = rec_new_default(REC_NODE);

	rec_set(r, K_NODE_NAME, "iqn.2026-01.test:t1");
	rec_set(r, K_NODE_CONN_0_ADDRESS, "10.0.2.2");
	rec_set(r, K_NODE_CONN_0_PORT, "3341");
	return r;
}

static void test_cfg_build(void)
{
	struct sess_cfg *c = malloc(sizeof(*c));
	struct rec *r = node_rec();
	uint8_t isid[6];

	sess_isid(0x123456, isid);
	T_INTEQ(isid[0], 0x00);
	T_INTEQ(isid[2], 0x3d);
	T_INTEQ(isid[5], 0x56);
	T_INTEQ(sess_cfg_build(r, "iqn.2026-01.test:init", isid, c), RC_OK);
	T_STREQ(c->sc_login.lp_target_name, "iqn.2026-01.test:t1");
	T_STREQ(c->sc_login.lp_initiator_name, "iqn.2026-01.test:init");
	T_CHECK(c->sc_login.lp_username == NULL);
	T_INTEQ(c->sc_kern.kc_port, 3341);
	T_STREQ(c->sc_kern.kc_address, "10.0.2.2");
	T_STREQ(c->sc_kern.kc_iface, "default");
	T_INTEQ(c->sc_login.lp_timeout_ms, 30000);
	T_INTEQ(c->sc_replacement_tmo, 120);
	T_INTEQ(c->sc_login.lp_mine.ip_max_recv_dlen, 262144);
	T_INTEQ(memcmp(c->sc_login.lp_isid, isid, 6), 0);

	rec_set(r, K_NODE_SESSION_AUTH_AUTHMETHOD, "CHAP");
	rec_set(r, K_NODE_SESSION_AUTH_USERNAME, "alice");
	rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, "secretsecret");
	rec_set(r, K_NODE_SESSION_AUTH_USERNAME_IN, "tgt");
	rec_set(r, K_NODE_SESSION_AUTH_PASSWORD_IN, "targetsecret");
	rec_set(r, K_NODE_SESSION_TIMEO_REPLACEMENT_TIMEOUT, "20");
	rec_set(r, K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT, "7");
	T_INTEQ(sess_cfg_build(r, "iqn.2026-01.test:init", isid, c), RC_OK);
	T_STREQ(c->sc_login.lp_username, "alice");
	T_STREQ(c->sc_login.lp_password, "secretsecret");
	T_STREQ(c->sc_login.lp_username_in, "tgt");
	T_INTEQ(c->sc_replacement_tmo, 20);
	T_INTEQ(c->sc_login.lp_timeout_ms, 7000);
	T_CHECK(c->sc_login.lp_n_chap_algs >= 1);
	T_INTEQ(sess_cfg_build(r, "", isid, c), RC_INVAL);  /* no initiator name */
	rec_free(r);
	free(c);
}

static void test_scan_settings(void)
{
	struct rec *r = node_rec();
	struct conf *no = NULL;
	struct scan_settings s;

	sess_scan_settings(r, NULL, &s);
	T_INTEQ(s.ss_manual, 0);
	T_INTEQ(s.ss_rec_autoscan, -1);
	T_INTEQ(s.ss_conf_autoscan, 1);
	T_INTEQ(conf_parse("node.session.autoscan_en = No\n", "t", &no), RC_OK);
	sess_scan_settings(r, no, &s);
	T_INTEQ(s.ss_rec_autoscan, -1);
	T_INTEQ(s.ss_conf_autoscan, 0);
	rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "Yes");
	rec_set(r, K_NODE_SESSION_SCAN, "manual");
	sess_scan_settings(r, no, &s);
	T_INTEQ(s.ss_rec_autoscan, 1);
	T_INTEQ(s.ss_manual, 1);
	conf_free(no);
	rec_free(r);
}

/* live settings: the record on disk now wins over the login copy; a
 * deleted record leaves the login copy; unset on disk means iscsid.conf */
static void test_scan_settings_now(void)
{
	struct rec *login = node_rec(), *disk = node_rec();
	struct conf *no = NULL;
	struct scan_settings s;

	rec_set(login, K_NODE_SESSION_AUTOSCAN_EN, "Yes");
	rec_set(disk, K_NODE_SESSION_AUTOSCAN_EN, "No");
	sess_scan_settings_now(login, disk, NULL, &s);
	T_INTEQ(s.ss_rec_autoscan, 0);
	T_INTEQ(scan_plan(SCAN_EV_AEN, &s, 0).sp_action, SCAN_LUN0);
	sess_scan_settings_now(login, NULL, NULL, &s);
	T_INTEQ(s.ss_rec_autoscan, 1);
	T_INTEQ(scan_plan(SCAN_EV_AEN, &s, 0).sp_action, SCAN_ALL);
	rec_set(disk, K_NODE_SESSION_SCAN, "manual");
	sess_scan_settings_now(login, disk, NULL, &s);
	T_INTEQ(s.ss_manual, 1);
	T_INTEQ(scan_plan(SCAN_EV_AEN, &s, 0).sp_action, SCAN_NONE);
	rec_free(disk);
	disk = node_rec();  /* autoscan_en never set on disk: the conf decides */
	T_INTEQ(conf_parse("node.session.autoscan_en = No\n", "t", &no), RC_OK);
	sess_scan_settings_now(login, disk, no, &s);
	T_INTEQ(s.ss_rec_autoscan, -1);
	T_INTEQ(scan_plan(SCAN_EV_AEN, &s, 0).sp_action, SCAN_LUN0);
	conf_free(no);
	rec_free(disk);
	rec_free(login);
}

/* sess_rec_now reads the record as iscsiadm -o update left it, with the
 * autoscan_en sidecar merged; NULL once the record is deleted */
static void test_rec_now(void)
{
	char dir[] = "/tmp/test_sess_recnow.XXXXXX", *old = getenv("ISCSI_ETC_DIR");
	struct rec *r = node_rec(), *got;
	struct sess_key k;
	struct idb *db;
	int v = -1;

	T_CHECK(mkdtemp(dir) != NULL);
	setenv("ISCSI_ETC_DIR", dir, 1);
	key_init(&k, "iqn.2026-01.test:t1");
	T_CHECK(sess_rec_now(&k, -1) == NULL);
	rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "Yes");
	T_INTEQ(idb_open(NULL, &db), RC_OK);
	T_INTEQ(idb_node_write(db, r), RC_OK);
	rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "No");  /* the "-o update" */
	T_INTEQ(idb_node_write(db, r), RC_OK);
	got = sess_rec_now(&k, -1);
	T_CHECK(got != NULL);
	if (got) {
		T_INTEQ(rec_get_bool(got, K_NODE_SESSION_AUTOSCAN_EN, &v), RC_OK);
		T_INTEQ(v, 0);
		rec_free(got);
	}
	strcpy(k.sk_iface, "other");  /* another iface's session: not this record */
	T_CHECK(sess_rec_now(&k, -1) == NULL);
	strcpy(k.sk_iface, "default");
	T_INTEQ(idb_node_delete(db, r), RC_OK);
	T_CHECK(sess_rec_now(&k, -1) == NULL);
	idb_close(db);
	rec_free(r);
	if (old)
		setenv("ISCSI_ETC_DIR", old, 1);
	else
		unsetenv("ISCSI_ETC_DIR");
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	T_INTEQ(system(cmd), 0);
}

/* the login request carries the record in stock's layout, secrets
 * included (stock's iscsid logs in with them) */
static void test_login_msg_record(void)
{
	struct rec *r = node_rec(), *back = rec_new(REC_NODE);
	struct ipc_node_id id;

	rec_set(r, K_NODE_SESSION_AUTH_PASSWORD, "secretsecret");
	T_INTEQ(adm_req_login_msg(r, &req), RC_OK);
	T_INTEQ(req.ar_cmd, IPC_CMD_LOGIN);
	T_INTEQ(ipc_node_id(&req.ar_u.ar_session.as_rec, &id), RC_OK);
	T_STREQ(id.ni_target, "iqn.2026-01.test:t1");
	T_INTEQ(id.ni_port, 3341);
	T_INTEQ(ipc_node_to_rec(&req.ar_u.ar_session.as_rec, back), RC_OK);
	T_STREQ(rec_get(back, K_NODE_SESSION_AUTH_PASSWORD), "secretsecret");
	T_STREQ(rec_get(back, K_NODE_CONN_0_ADDRESS), "10.0.2.2");
	rec_free(r);
	rec_free(back);
}

/* --rescan --lun N reaches the kernel as that LUN for every u32 N: a LUN
 * of 2^31 or more must not turn into a whole-target scan ("- - -"). */
static void test_rescan_wide_lun(void)
{
	static const uint32_t luns[] = { 0x80000000u, 0xfffffffeu, 0xffffffffu, 7 };
	static const char *want[] = { "0 0 2147483648", "0 0 4294967294", "0 0 4294967295", "0 0 7" };
	char root[64], dir[160], path[192], cmd[256], got[64];
	struct sess_table t;
	struct sess_key k;
	struct sess *s;
	int rc;

	snprintf(root, sizeof(root), "/tmp/test_sess_scan.XXXXXX");
	T_CHECK(mkdtemp(root) != NULL);
	snprintf(dir, sizeof(dir), "%s/class/scsi_host/host5", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s", dir);
	T_INTEQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/scan", dir);
	setenv("ISCSI_SYSFS_ROOT", root, 1);
	sess_table_init(&t, NULL, "iqn.i");
	key_init(&k, "iqn.t1");
	s = sess_reserve(&t, &k, 0, &rc);
	s->s_sid = 9;
	s->s_ks.ks_sid = 9;
	s->s_ks.ks_host_no = 5;
	sess_fsm(&t, s, SEV_LOGIN_OK);
	sess_fsm(&t, s, SEV_RELEASE);
	s->s_rec = node_rec();
	rec_set(s->s_rec, K_NODE_SESSION_AUTOSCAN_EN, "No");
	for (size_t i = 0; i < 4; i++) {
		FILE *f;

		if ((f = fopen(path, "w")) != NULL)	/* sysfs: the file exists */
			fclose(f);
		ipc_req_init(&req, IPC_CMD_X_RESCAN);
		req.ar_u.ar_rescan.ax_sid = 9;
		req.ar_u.ar_rescan.ax_has_lun = 1;
		req.ar_u.ar_rescan.ax_lun = luns[i];
		daemon_dispatch(&t, &req, &rsp);
		T_INTEQ(rsp.ap_err, RC_OK);
		got[0] = '\0';
		if ((f = fopen(path, "r")) != NULL) {
			if (!fgets(got, sizeof(got), f))
				got[0] = '\0';
			fclose(f);
		}
		T_STREQ(got, want[i]);
	}
	sess_table_fini(&t);
	unsetenv("ISCSI_SYSFS_ROOT");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	T_INTEQ(system(cmd), 0);
}

int main(void)
{
	T_RUN(test_reserve_dup);
	T_RUN(test_reserve_race);
	T_RUN(test_state_wire);
	T_RUN(test_dispatch);
	T_RUN(test_stats_fill);
	T_RUN(test_listen_fds);
	T_RUN(test_aen);
	T_RUN(test_cfg_build);
	T_RUN(test_scan_settings);
	T_RUN(test_scan_settings_now);
	T_RUN(test_rec_now);
	T_RUN(test_login_msg_record);
	T_RUN(test_rescan_wide_lun);
	return T_DONE();
}
