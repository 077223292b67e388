/* A node record in stock's wire form (struct ipc_abi_node) and back: one
 * table of (key, field, coding) used in both directions, so what iscsiadm
 * sends and what iscsid reads cannot drift apart. Pure. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ipc.h"
#include "log.h"
#include "rec.h"

enum fcode {
	FC_STR,    /* NUL-terminated char array of f_size bytes */
	FC_PASS,   /* byte array + a u32 length field at f_aux */
	FC_I32,
	FC_U8,
	FC_U16,
	FC_U32,
	FC_ENUM,   /* i32 index into f_words */
	FC_ALGS    /* u32[5] CHAP algorithm numbers, ~0 after the last */
};

struct field {
	enum key_id f_key;
	size_t f_off;
	enum fcode f_code;
	size_t f_size;
	size_t f_aux;
	const char *const *f_words;
};

/* Wire numbers are the position in these lists (stock's enums). */
static const char *const w_startup[] = { "manual", "automatic", "onboot", NULL };
static const char *const w_auth[] = { "None", "CHAP", NULL };
static const char *const w_bool[] = { "No", "Yes", NULL };
static const char *const w_scan[] = { "manual", "auto", NULL };
static const char *const w_digest[] = { "None", "CRC32C", "CRC32C,None",
					"None,CRC32C", NULL };
static const char *const w_dtype[] = { "send_targets", "isns", "offload_send_targets",
				       "slp", "static", "fw", NULL };
static const char *const w_algs[] = { "MD5", "SHA1", "SHA256", "SHA3-256", NULL };
#define ALG_FIRST 5  /* MD5 on the wire */

#define N_(m) offsetof(struct ipc_abi_node, m)
#define FS(k, m)  { k, N_(m), FC_STR, sizeof(((struct ipc_abi_node *)0)->m), 0, NULL }
#define FI(k, m)  { k, N_(m), FC_I32, 4, 0, NULL }
#define FE(k, m, w) { k, N_(m), FC_ENUM, 4, 0, w }
#define FU(k, m, c) { k, N_(m), c, sizeof(((struct ipc_abi_node *)0)->m), 0, NULL }

static const struct field fields[] = {
	FS(K_NODE_NAME, an_name),
	FI(K_NODE_TPGT, an_tpgt),
	FE(K_NODE_STARTUP, an_startup, w_startup),
	FE(K_NODE_LEADING_LOGIN, an_leading_login, w_bool),
	FS(K_IFACE_ISCSI_IFACENAME, an_iface.ai_name),
	FS(K_IFACE_NET_IFACENAME, an_iface.ai_netdev),
	FS(K_IFACE_IPADDRESS, an_iface.ai_ipaddress),
	FU(K_IFACE_PREFIX_LEN, an_iface.ai_prefix_len, FC_U8),
	FS(K_IFACE_HWADDRESS, an_iface.ai_hwaddress),
	FS(K_IFACE_TRANSPORT_NAME, an_iface.ai_transport_name),
	FS(K_IFACE_INITIATORNAME, an_iface.ai_iname),
	FS(K_IFACE_STATE, an_iface.ai_state),
	FU(K_IFACE_VLAN_ID, an_iface.ai_vlan_id, FC_U16),
	FU(K_IFACE_VLAN_PRIORITY, an_iface.ai_vlan_priority, FC_U8),
	FS(K_IFACE_VLAN_STATE, an_iface.ai_vlan_state),
	FU(K_IFACE_IFACE_NUM, an_iface.ai_iface_num, FC_U32),
	FU(K_IFACE_MTU, an_iface.ai_mtu, FC_U16),
	FU(K_IFACE_PORT, an_iface.ai_port, FC_U16),
	FS(K_IFACE_BOOTPROTO, an_iface.ai_bootproto),
	FS(K_IFACE_SUBNET_MASK, an_iface.ai_subnet_mask),
	FS(K_IFACE_GATEWAY, an_iface.ai_gateway),
	FS(K_NODE_DISCOVERY_ADDRESS, an_disc_address),
	FI(K_NODE_DISCOVERY_PORT, an_disc_port),
	FE(K_NODE_DISCOVERY_TYPE, an_disc_type, w_dtype),
	FI(K_NODE_SESSION_INITIAL_CMDSN, an_session.as_initial_cmdsn),
	FI(K_NODE_SESSION_INITIAL_LOGIN_RETRY_MAX, an_session.as_initial_login_retry_max),
	FI(K_NODE_SESSION_XMIT_THREAD_PRIORITY, an_session.as_xmit_thread_priority),
	FI(K_NODE_SESSION_CMDS_MAX, an_session.as_cmds_max),
	FI(K_NODE_SESSION_QUEUE_DEPTH, an_session.as_queue_depth),
	FI(K_NODE_SESSION_NR_SESSIONS, an_session.as_nr_sessions),
	FE(K_NODE_SESSION_AUTH_AUTHMETHOD, an_session.as_auth.aa_method, w_auth),
	FS(K_NODE_SESSION_AUTH_USERNAME, an_session.as_auth.aa_user),
	{ K_NODE_SESSION_AUTH_PASSWORD, N_(an_session.as_auth.aa_pass), FC_PASS,
	  IPC_ABI_AUTH_LEN, N_(an_session.as_auth.aa_pass_len), NULL },
	FS(K_NODE_SESSION_AUTH_USERNAME_IN, an_session.as_auth.aa_user_in),
	{ K_NODE_SESSION_AUTH_PASSWORD_IN, N_(an_session.as_auth.aa_pass_in), FC_PASS,
	  IPC_ABI_AUTH_LEN, N_(an_session.as_auth.aa_pass_in_len), NULL },
	{ K_NODE_SESSION_AUTH_CHAP_ALGS, N_(an_session.as_auth.aa_chap_algs), FC_ALGS,
	  sizeof(uint32_t) * IPC_ABI_CHAP_ALGS, 0, w_algs },
	FI(K_NODE_SESSION_TIMEO_REPLACEMENT_TIMEOUT, an_session.as_replacement_timeout),
	FI(K_NODE_SESSION_ERR_TIMEO_ABORT_TIMEOUT, an_session.as_abort_timeout),
	FI(K_NODE_SESSION_ERR_TIMEO_LU_RESET_TIMEOUT, an_session.as_lu_reset_timeout),
	FI(K_NODE_SESSION_ERR_TIMEO_TGT_RESET_TIMEOUT, an_session.as_tgt_reset_timeout),
	FI(K_NODE_SESSION_ERR_TIMEO_HOST_RESET_TIMEOUT, an_session.as_host_reset_timeout),
	FE(K_NODE_SESSION_ISCSI_FASTABORT, an_session.as_fast_abort, w_bool),
	FE(K_NODE_SESSION_ISCSI_INITIALR2T, an_session.as_initial_r2t, w_bool),
	FE(K_NODE_SESSION_ISCSI_IMMEDIATEDATA, an_session.as_immediate_data, w_bool),
	FI(K_NODE_SESSION_ISCSI_FIRSTBURSTLENGTH, an_session.as_first_burst),
	FI(K_NODE_SESSION_ISCSI_MAXBURSTLENGTH, an_session.as_max_burst),
	FI(K_NODE_SESSION_ISCSI_DEFAULTTIME2RETAIN, an_session.as_time2retain),
	FI(K_NODE_SESSION_ISCSI_DEFAULTTIME2WAIT, an_session.as_time2wait),
	FI(K_NODE_SESSION_ISCSI_MAXCONNECTIONS, an_session.as_max_conns),
	FI(K_NODE_SESSION_ISCSI_MAXOUTSTANDINGR2T, an_session.as_max_r2t),
	FI(K_NODE_SESSION_ISCSI_ERL, an_session.as_erl),
	FE(K_NODE_SESSION_SCAN, an_session.as_scan, w_scan),
	FI(K_NODE_SESSION_REOPEN_MAX, an_session.as_reopen_max),
	FS(K_NODE_CONN_0_ADDRESS, an_conn.ac_address),
	FI(K_NODE_CONN_0_PORT, an_conn.ac_port),
	FE(K_NODE_CONN_0_STARTUP, an_conn.ac_startup, w_startup),
	FI(K_NODE_CONN_0_TCP_WINDOW_SIZE, an_conn.ac_window_size),
	FI(K_NODE_CONN_0_TCP_TYPE_OF_SERVICE, an_conn.ac_tos),
	FI(K_NODE_CONN_0_TIMEO_LOGOUT_TIMEOUT, an_conn.ac_logout_timeout),
	FI(K_NODE_CONN_0_TIMEO_LOGIN_TIMEOUT, an_conn.ac_login_timeout),
	FI(K_NODE_CONN_0_TIMEO_AUTH_TIMEOUT, an_conn.ac_auth_timeout),
	FI(K_NODE_CONN_0_TIMEO_NOOP_OUT_INTERVAL, an_conn.ac_noop_interval),
	FI(K_NODE_CONN_0_TIMEO_NOOP_OUT_TIMEOUT, an_conn.ac_noop_timeout),
	FI(K_NODE_CONN_0_ISCSI_MAXXMITDATASEGMENTLENGTH, an_conn.ac_max_xmit_dlen),
	FI(K_NODE_CONN_0_ISCSI_MAXRECVDATASEGMENTLENGTH, an_conn.ac_max_recv_dlen),
	FE(K_NODE_CONN_0_ISCSI_HEADERDIGEST, an_conn.ac_header_digest, w_digest),
	FE(K_NODE_CONN_0_ISCSI_DATADIGEST, an_conn.ac_data_digest, w_digest),
	FE(K_NODE_CONN_0_ISCSI_IFMARKER, an_conn.ac_ifmarker, w_bool),
	FE(K_NODE_CONN_0_ISCSI_OFMARKER, an_conn.ac_ofmarker, w_bool),
};

static int word_index(const char *const *w, const char *v)
{
	for (int i = 0; w[i]; i++)
		if (!strcmp(w[i], v))
			return i;
	return -1;
}

static int algs_put(uint32_t *out, const char *v)
{
	char buf[128], *save = NULL;
	int n = 0;

	for (int i = 0; i < IPC_ABI_CHAP_ALGS; i++)
		out[i] = UINT32_MAX;
	snprintf(buf, sizeof(buf), "%s", v);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k = word_index(w_algs, t);

		if (k < 0 || n == IPC_ABI_CHAP_ALGS)
			return RC_INVAL;
		out[n++] = (uint32_t)(ALG_FIRST + k);
	}
	return RC_OK;
}

static int field_put(const struct field *f, const char *v, uint8_t *base)
{
	uint8_t *p = base + f->f_off;
	long long x = 0;
	int32_t i32;
	size_t len;

	switch (f->f_code) {
	case FC_STR:
	case FC_PASS:
		len = strlen(v);
		if (len >= f->f_size)
			return RC_INVAL;
		memcpy(p, v, len + 1);
		if (f->f_code == FC_PASS) {
			uint32_t l = (uint32_t)len;

			memcpy(base + f->f_aux, &l, sizeof(l));
		}
		return RC_OK;
	case FC_ENUM:
		i32 = word_index(f->f_words, v);
		if (i32 < 0)
			return RC_INVAL;
		memcpy(p, &i32, 4);
		return RC_OK;
	case FC_ALGS:
		return algs_put((uint32_t *)(void *)p, v);
	default:
		break;
	}
	{
		char *end;

		x = strtoll(v, &end, 10);
		if (!*v || *end)
			return RC_INVAL;
	}
	if (f->f_code == FC_I32) {
		if (x < INT32_MIN || x > INT32_MAX)
			return RC_INVAL;
		i32 = (int32_t)x;
		memcpy(p, &i32, 4);
	} else {
		uint32_t u = (uint32_t)x;

		if (x < 0 || (f->f_size < 4 && x >= (1LL << (8 * f->f_size))))
			return RC_INVAL;
		if (f->f_size == 1)
			*p = (uint8_t)u;
		else if (f->f_size == 2)
			memcpy(p, &(uint16_t){ (uint16_t)u }, 2);
		else
			memcpy(p, &u, 4);
	}
	return RC_OK;
}

int ipc_node_from_rec(const struct rec *r, struct ipc_abi_node *n)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = rec_get(r, fields[i].f_key);

		if (!v)
			continue;
		if (field_put(&fields[i], v, (uint8_t *)n)) {
			log_error("value '%s' of %s does not fit stock's request",
				  fields[i].f_code == FC_PASS ? "********" : v,
				  keys_name(fields[i].f_key));
			return RC_INVAL;
		}
	}
	/* a sender-side pointer and list links stock ignores; stay zero */
	return RC_OK;
}

static int algs_get(const uint32_t *in, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < IPC_ABI_CHAP_ALGS && in[i] != UINT32_MAX; i++) {
		uint32_t k = in[i] - ALG_FIRST;
		int n;

		if (in[i] < ALG_FIRST || k >= 4)
			return RC_INVAL;
		n = snprintf(out + used, size - used, "%s%s", used ? "," : "", w_algs[k]);
		if (n < 0 || (size_t)n >= size - used)
			return RC_INVAL;
		used += (size_t)n;
	}
	return RC_OK;
}

/* The value of one field as text into buf; RC_INVAL when the bytes are
 * not a value of that field (no NUL, unknown enum number). */
static int field_get(const struct field *f, const uint8_t *base, char *buf, size_t size)
{
	const uint8_t *p = base + f->f_off;
	int32_t i32;
	uint32_t u = 0;

	switch (f->f_code) {
	case FC_STR:
	case FC_PASS:
		if (!memchr(p, 0, f->f_size) || strlen((const char *)p) >= size)
			return RC_INVAL;
		strcpy(buf, (const char *)p);
		return RC_OK;
	case FC_ENUM:
		memcpy(&i32, p, 4);
		for (int i = 0; f->f_words[i]; i++)
			if (i == i32) {
				snprintf(buf, size, "%s", f->f_words[i]);
				return RC_OK;
			}
		return RC_INVAL;
	case FC_ALGS:
		return algs_get((const uint32_t *)(const void *)p, buf, size);
	case FC_I32:
		memcpy(&i32, p, 4);
		snprintf(buf, size, "%d", i32);
		return RC_OK;
	default:
		if (f->f_size == 1)
			u = *p;
		else if (f->f_size == 2) {
			uint16_t h;

			memcpy(&h, p, 2);
			u = h;
		} else
			memcpy(&u, p, 4);
		snprintf(buf, size, "%u", u);
		return RC_OK;
	}
}

int ipc_node_to_rec(const struct ipc_abi_node *n, struct rec *r)
{
	char *buf = malloc(IPC_ABI_HOST_LEN + 1);
	int rc = RC_OK;

	if (!buf)
		return RC_NOMEM;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && !rc; i++) {
		const struct field *f = &fields[i];
		char msg[256];

		if (field_get(f, (const uint8_t *)n, buf, IPC_ABI_HOST_LEN + 1)) {
			log_error("refusing malformed request: field %s", keys_name(f->f_key));
			rc = RC_INVALID_MGMT_REQ;
		} else if (rec_set_msg(r, f->f_key, buf, msg, sizeof(msg)) != RC_OK) {
			/* stock stores what it got; a value we would refuse
			 * from an operator keeps the record's default */
			log_debug("request field %s not taken: %s", keys_name(f->f_key), msg);
		}
	}
	free(buf);
	return rc;
}

int ipc_node_id(const struct ipc_abi_node *n, struct ipc_node_id *id)
{
	if (!memchr(n->an_name, 0, sizeof(n->an_name)) ||
	    !memchr(n->an_conn.ac_address, 0, sizeof(n->an_conn.ac_address)) ||
	    !memchr(n->an_iface.ai_name, 0, sizeof(n->an_iface.ai_name)) ||
	    !n->an_name[0] || !n->an_conn.ac_address[0] ||
	    n->an_conn.ac_port <= 0 || n->an_conn.ac_port > 65535)
		return RC_INVALID_MGMT_REQ;
	id->ni_target = n->an_name;
	id->ni_addr = n->an_conn.ac_address;
	id->ni_port = n->an_conn.ac_port;
	id->ni_tpgt = n->an_tpgt;
	id->ni_iface = n->an_iface.ai_name[0] ? n->an_iface.ai_name : IFACE_DEFAULT;
	return RC_OK;
}
