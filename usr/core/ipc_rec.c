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
	const char *f_key;
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
	FS("node.name", an_name),
	FI("node.tpgt", an_tpgt),
	FE("node.startup", an_startup, w_startup),
	FE("node.leading_login", an_leading_login, w_bool),
	FS("iface.iscsi_ifacename", an_iface.ai_name),
	FS("iface.net_ifacename", an_iface.ai_netdev),
	FS("iface.ipaddress", an_iface.ai_ipaddress),
	FU("iface.prefix_len", an_iface.ai_prefix_len, FC_U8),
	FS("iface.hwaddress", an_iface.ai_hwaddress),
	FS("iface.transport_name", an_iface.ai_transport_name),
	FS("iface.initiatorname", an_iface.ai_iname),
	FS("iface.state", an_iface.ai_state),
	FU("iface.vlan_id", an_iface.ai_vlan_id, FC_U16),
	FU("iface.vlan_priority", an_iface.ai_vlan_priority, FC_U8),
	FS("iface.vlan_state", an_iface.ai_vlan_state),
	FU("iface.iface_num", an_iface.ai_iface_num, FC_U32),
	FU("iface.mtu", an_iface.ai_mtu, FC_U16),
	FU("iface.port", an_iface.ai_port, FC_U16),
	FS("iface.bootproto", an_iface.ai_bootproto),
	FS("iface.subnet_mask", an_iface.ai_subnet_mask),
	FS("iface.gateway", an_iface.ai_gateway),
	FS("node.discovery_address", an_disc_address),
	FI("node.discovery_port", an_disc_port),
	FE("node.discovery_type", an_disc_type, w_dtype),
	FI("node.session.initial_cmdsn", an_session.as_initial_cmdsn),
	FI("node.session.initial_login_retry_max", an_session.as_initial_login_retry_max),
	FI("node.session.xmit_thread_priority", an_session.as_xmit_thread_priority),
	FI("node.session.cmds_max", an_session.as_cmds_max),
	FI("node.session.queue_depth", an_session.as_queue_depth),
	FI("node.session.nr_sessions", an_session.as_nr_sessions),
	FE("node.session.auth.authmethod", an_session.as_auth.aa_method, w_auth),
	FS("node.session.auth.username", an_session.as_auth.aa_user),
	{ "node.session.auth.password", N_(an_session.as_auth.aa_pass), FC_PASS,
	  IPC_ABI_AUTH_LEN, N_(an_session.as_auth.aa_pass_len), NULL },
	FS("node.session.auth.username_in", an_session.as_auth.aa_user_in),
	{ "node.session.auth.password_in", N_(an_session.as_auth.aa_pass_in), FC_PASS,
	  IPC_ABI_AUTH_LEN, N_(an_session.as_auth.aa_pass_in_len), NULL },
	{ "node.session.auth.chap_algs", N_(an_session.as_auth.aa_chap_algs), FC_ALGS,
	  sizeof(uint32_t) * IPC_ABI_CHAP_ALGS, 0, w_algs },
	FI("node.session.timeo.replacement_timeout", an_session.as_replacement_timeout),
	FI("node.session.err_timeo.abort_timeout", an_session.as_abort_timeout),
	FI("node.session.err_timeo.lu_reset_timeout", an_session.as_lu_reset_timeout),
	FI("node.session.err_timeo.tgt_reset_timeout", an_session.as_tgt_reset_timeout),
	FI("node.session.err_timeo.host_reset_timeout", an_session.as_host_reset_timeout),
	FE("node.session.iscsi.FastAbort", an_session.as_fast_abort, w_bool),
	FE("node.session.iscsi.InitialR2T", an_session.as_initial_r2t, w_bool),
	FE("node.session.iscsi.ImmediateData", an_session.as_immediate_data, w_bool),
	FI("node.session.iscsi.FirstBurstLength", an_session.as_first_burst),
	FI("node.session.iscsi.MaxBurstLength", an_session.as_max_burst),
	FI("node.session.iscsi.DefaultTime2Retain", an_session.as_time2retain),
	FI("node.session.iscsi.DefaultTime2Wait", an_session.as_time2wait),
	FI("node.session.iscsi.MaxConnections", an_session.as_max_conns),
	FI("node.session.iscsi.MaxOutstandingR2T", an_session.as_max_r2t),
	FI("node.session.iscsi.ERL", an_session.as_erl),
	FE("node.session.scan", an_session.as_scan, w_scan),
	FI("node.session.reopen_max", an_session.as_reopen_max),
	FS("node.conn[0].address", an_conn.ac_address),
	FI("node.conn[0].port", an_conn.ac_port),
	FE("node.conn[0].startup", an_conn.ac_startup, w_startup),
	FI("node.conn[0].tcp.window_size", an_conn.ac_window_size),
	FI("node.conn[0].tcp.type_of_service", an_conn.ac_tos),
	FI("node.conn[0].timeo.logout_timeout", an_conn.ac_logout_timeout),
	FI("node.conn[0].timeo.login_timeout", an_conn.ac_login_timeout),
	FI("node.conn[0].timeo.auth_timeout", an_conn.ac_auth_timeout),
	FI("node.conn[0].timeo.noop_out_interval", an_conn.ac_noop_interval),
	FI("node.conn[0].timeo.noop_out_timeout", an_conn.ac_noop_timeout),
	FI("node.conn[0].iscsi.MaxXmitDataSegmentLength", an_conn.ac_max_xmit_dlen),
	FI("node.conn[0].iscsi.MaxRecvDataSegmentLength", an_conn.ac_max_recv_dlen),
	FE("node.conn[0].iscsi.HeaderDigest", an_conn.ac_header_digest, w_digest),
	FE("node.conn[0].iscsi.DataDigest", an_conn.ac_data_digest, w_digest),
	FE("node.conn[0].iscsi.IFMarker", an_conn.ac_ifmarker, w_bool),
	FE("node.conn[0].iscsi.OFMarker", an_conn.ac_ofmarker, w_bool),
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
				  fields[i].f_key);
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
			log_error("refusing malformed request: field %s", f->f_key);
			rc = RC_INVALID_MGMT_REQ;
		} else if (rec_set_msg(r, f->f_key, buf, msg, sizeof(msg)) != RC_OK) {
			/* stock stores what it got; a value we would refuse
			 * from an operator keeps the record's default */
			log_debug("request field %s not taken: %s", f->f_key, msg);
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
