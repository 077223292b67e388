/* iscsid's pure parts: session table (reservation under concurrency, the
 * session list answer as iscsiadm decodes it), request dispatch, socket
 * activation parsing, async message classification, record -> login and
 * kernel parameters, autoscan inputs. */
#include <pthread.h>
#include <stdlib.h>

#include "../adm/daemon_req.h"
#include "../daemon/daemon.h"
#include "../daemon/sess.h"
#include "../daemon/sess_events.h"
#include "../daemon/sess_params.h"
#include "conf.h"
#include "err.h"
#include "rec.h"
#include "t.h"

static struct ipc_msg req, rsp;

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
	a = sess_reserve(&t, &k, &rc);
	T_CHECK(a != NULL);
	T_INTEQ(rc, RC_OK);
	b = sess_reserve(&t, &k, &rc);
	T_CHECK(b == NULL);
	T_INTEQ(rc, RC_SESS_EXISTS);
	k.sk_port = 3342;  /* another portal is another session */
	b = sess_reserve(&t, &k, &rc);
	T_CHECK(b != NULL);
	sess_unlink(&t, a);
	key_init(&k, "iqn.t1");
	a = sess_reserve(&t, &k, &rc);  /* free again after unlink */
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
	r->ok = sess_reserve(r->t, &k, &rc) != NULL;
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

static void test_info_roundtrip(void)
{
	struct sess_table t;
	struct sess_key k;
	struct adm_sess *v = NULL;
	struct sess *s;
	size_t n = 0;
	int rc;

	sess_table_init(&t, NULL, "iqn.i");
	key_init(&k, "iqn.t1");
	s = sess_reserve(&t, &k, &rc);
	s->s_sid = 7;
	s->s_tpgt = 1;
	s->s_state = SESS_LOGGED_IN;
	key_init(&k, "iqn.t2");
	sess_reserve(&t, &k, &rc);  /* still logging in: not listed */
	ipc_msg_init(&rsp, IPC_OP_SESSION_INFO);
	T_INTEQ(sess_info_put(&t, -1, &rsp), RC_OK);
	T_INTEQ(adm_sess_decode(&rsp, &v, &n), RC_OK);
	T_INTEQ(n, 1);
	if (n == 1) {
		T_INTEQ(v[0].as_sid, 7);
		T_STREQ(v[0].as_target, "iqn.t1");
		T_STREQ(v[0].as_addr, "10.0.2.2");
		T_INTEQ(v[0].as_port, 3341);
		T_INTEQ(v[0].as_tpgt, 1);
		T_STREQ(v[0].as_iface, "default");
		T_STREQ(v[0].as_state, "LOGGED_IN");
	}
	free(v);
	ipc_msg_init(&rsp, IPC_OP_SESSION_INFO);
	T_INTEQ(sess_info_put(&t, 8, &rsp), RC_SESS_NOT_FOUND);
	sess_table_fini(&t);
}

static void test_dispatch(void)
{
	struct sess_table t;
	char buf[64];
	uint32_t v;

	sess_table_init(&t, "/x/iscsid.conf", "iqn.2026-01.test:me");
	ipc_msg_init(&req, IPC_OP_PING);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.im_rc, RC_OK);
	T_INTEQ(rsp.im_op, IPC_OP_PING);
	ipc_msg_init(&req, IPC_OP_CONFIG);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(ipc_get_str(&rsp, IPC_T_INAME, buf, sizeof(buf)), RC_OK);
	T_STREQ(buf, "iqn.2026-01.test:me");
	ipc_msg_init(&req, IPC_OP_LOGOUT);  /* no SID */
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.im_rc, RC_INVALID_MGMT_REQ);
	ipc_put_u32(&req, IPC_T_SID, 3);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.im_rc, RC_SESS_NOT_FOUND);
	ipc_msg_init(&req, IPC_OP_RESCAN);
	ipc_put_u32(&req, IPC_T_SID, 3);
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.im_rc, RC_SESS_NOT_FOUND);
	ipc_msg_init(&req, IPC_OP_LOGIN);  /* no target/portal */
	daemon_dispatch(&t, &req, &rsp);
	T_INTEQ(rsp.im_rc, RC_INVALID_MGMT_REQ);
	T_INTEQ(ipc_get_u32(&rsp, IPC_T_SID, &v), RC_NO_OBJS_FOUND);
	sess_table_fini(&t);
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

	rec_set(r, "node.name", "iqn.2026-01.test:t1");
	rec_set(r, "node.conn[0].address", "10.0.2.2");
	rec_set(r, "node.conn[0].port", "3341");
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

	rec_set(r, "node.session.auth.authmethod", "CHAP");
	rec_set(r, "node.session.auth.username", "alice");
	rec_set(r, "node.session.auth.password", "secretsecret");
	rec_set(r, "node.session.auth.username_in", "tgt");
	rec_set(r, "node.session.auth.password_in", "targetsecret");
	rec_set(r, "node.session.timeo.replacement_timeout", "20");
	rec_set(r, "node.conn[0].timeo.login_timeout", "7");
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
	rec_set(r, "node.session.autoscan_en", "Yes");
	rec_set(r, "node.session.scan", "manual");
	sess_scan_settings(r, no, &s);
	T_INTEQ(s.ss_rec_autoscan, 1);
	T_INTEQ(s.ss_manual, 1);
	conf_free(no);
	rec_free(r);
}

/* the login request carries the record, our own keys included */
static void test_login_msg_record(void)
{
	struct rec *r = node_rec(), *back = rec_new(REC_NODE);
	char *text = malloc(IPC_MAX_PAYLOAD), buf[256];
	uint32_t port = 0;

	rec_set(r, "node.session.autoscan_en", "No");
	rec_set(r, "node.session.auth.password", "secretsecret");
	T_INTEQ(adm_req_login_msg(r, &req), RC_OK);
	T_INTEQ(ipc_get_str(&req, IPC_T_TARGET, buf, sizeof(buf)), RC_OK);
	T_STREQ(buf, "iqn.2026-01.test:t1");
	T_INTEQ(ipc_get_u32(&req, IPC_T_PORT, &port), RC_OK);
	T_INTEQ(port, 3341);
	T_INTEQ(ipc_get_str(&req, IPC_T_REC, text, IPC_MAX_PAYLOAD), RC_OK);
	T_INTEQ(rec_parse(back, text), RC_OK);
	T_STREQ(rec_get_raw(back, "node.session.autoscan_en"), "No");
	T_STREQ(rec_get(back, "node.session.auth.password"), "secretsecret");
	T_STREQ(rec_get(back, "node.conn[0].address"), "10.0.2.2");
	rec_free(r);
	rec_free(back);
	free(text);
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
	s = sess_reserve(&t, &k, &rc);
	s->s_sid = 9;
	s->s_ks.ks_sid = 9;
	s->s_ks.ks_host_no = 5;
	s->s_state = SESS_LOGGED_IN;
	s->s_rec = node_rec();
	rec_set(s->s_rec, "node.session.autoscan_en", "No");
	for (size_t i = 0; i < 4; i++) {
		FILE *f;

		if ((f = fopen(path, "w")) != NULL)	/* sysfs: the file exists */
			fclose(f);
		ipc_msg_init(&req, IPC_OP_RESCAN);
		ipc_put_u32(&req, IPC_T_SID, 9);
		ipc_put_u32(&req, IPC_T_LUN, luns[i]);
		daemon_dispatch(&t, &req, &rsp);
		T_INTEQ(rsp.im_rc, RC_OK);
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
	T_RUN(test_info_roundtrip);
	T_RUN(test_dispatch);
	T_RUN(test_listen_fds);
	T_RUN(test_aen);
	T_RUN(test_cfg_build);
	T_RUN(test_scan_settings);
	T_RUN(test_login_msg_record);
	T_RUN(test_rescan_wide_lun);
	return T_DONE();
}
