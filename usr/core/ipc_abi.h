/* open-iscsi 2.1.8's management IPC as its iscsiadm and iscsid put it on
 * the wire: native-endian C structs of fixed size (x86_64 layout), one
 * request and one response per connection. The field order and sizes are
 * facts of that ABI; the names are ours. _Static_asserts pin every size
 * and the offsets checked against a capture of stock iscsiadm. */
#ifndef CORE_IPC_ABI_H
#define CORE_IPC_ABI_H

#include <stddef.h>
#include <stdint.h>

#define IPC_ABI_NAME_LEN     255   /* TARGET_NAME_MAXLEN (VALUE_MAXLEN) */
#define IPC_ABI_HOST_LEN     1025  /* NI_MAXHOST */
#define IPC_ABI_AUTH_LEN     256
#define IPC_ABI_CHAP_ALGS    5
#define IPC_ABI_BOOT_LEN     256
#define IPC_ABI_IFACE_LEN    65
#define IPC_ABI_IFNAMSIZ     16
#define IPC_ABI_STR_LEN      80
#define IPC_ABI_HWADDR_LEN   18
#define IPC_ABI_XPORT_LEN    16
#define IPC_ABI_VALUE_LEN    255

struct ipc_abi_auth {
	uint32_t aa_method;             /* 0 None, 1 CHAP */
	char     aa_user[IPC_ABI_AUTH_LEN];
	uint8_t  aa_pass[IPC_ABI_AUTH_LEN];
	uint32_t aa_pass_len;
	char     aa_user_in[IPC_ABI_AUTH_LEN];
	uint8_t  aa_pass_in[IPC_ABI_AUTH_LEN];
	uint32_t aa_pass_in_len;
	uint32_t aa_chap_algs[IPC_ABI_CHAP_ALGS]; /* 5 MD5 .. 8 SHA3-256, ~0 = end */
};

struct ipc_abi_session {
	int32_t as_initial_cmdsn;
	int32_t as_reopen_max;
	int32_t as_xmit_thread_priority;
	int32_t as_cmds_max;
	int32_t as_queue_depth;
	int32_t as_initial_login_retry_max;
	int32_t as_nr_sessions;
	int32_t as_scan;                /* 0 manual, 1 auto */
	struct ipc_abi_auth as_auth;
	int32_t as_replacement_timeout;
	int32_t as_abort_timeout;
	int32_t as_host_reset_timeout;
	int32_t as_lu_reset_timeout;
	int32_t as_tgt_reset_timeout;
	int32_t as_data_pdu_in_order;
	int32_t as_data_seq_in_order;
	int32_t as_protocol;
	int32_t as_initial_r2t;
	int32_t as_immediate_data;
	int32_t as_first_burst;
	int32_t as_max_burst;
	int32_t as_time2wait;
	int32_t as_time2retain;
	int32_t as_max_conns;
	int32_t as_max_r2t;
	int32_t as_erl;
	int32_t as_fast_abort;
	uint64_t as_info_ptr;           /* a pointer in the sender: ignored */
	uint32_t as_sid;
	uint8_t  as_multiple;           /* one more session to the same target */
	char     as_boot_root[IPC_ABI_BOOT_LEN];
	char     as_boot_nic[IPC_ABI_BOOT_LEN];
	char     as_boot_target[IPC_ABI_BOOT_LEN];
};

struct ipc_abi_conn {
	int32_t ac_startup;             /* 0 manual, 1 automatic, 2 onboot */
	char    ac_address[IPC_ABI_HOST_LEN];
	int32_t ac_port;
	int32_t ac_window_size;
	int32_t ac_tos;
	int32_t ac_login_timeout;
	int32_t ac_logout_timeout;
	int32_t ac_auth_timeout;
	int32_t ac_active_timeout;
	int32_t ac_noop_interval;
	int32_t ac_noop_timeout;
	int32_t ac_max_recv_dlen;
	int32_t ac_max_xmit_dlen;
	int32_t ac_header_digest;       /* 0 None, 1 CRC32C, 2 CRC32C,None, 3 None,CRC32C */
	int32_t ac_data_digest;
	int32_t ac_ifmarker;
	int32_t ac_ofmarker;
};

#define S_(n) char n[IPC_ABI_STR_LEN]
struct ipc_abi_iface {
	uint64_t ai_list[2];
	char     ai_name[IPC_ABI_IFACE_LEN];
	uint32_t ai_iface_num;
	char     ai_netdev[IPC_ABI_IFNAMSIZ];
	char     ai_ipaddress[IPC_ABI_HOST_LEN];
	char     ai_subnet_mask[IPC_ABI_HOST_LEN];
	char     ai_gateway[IPC_ABI_HOST_LEN];
	S_(ai_bootproto);
	char     ai_ipv6_linklocal[IPC_ABI_HOST_LEN];
	char     ai_ipv6_router[IPC_ABI_HOST_LEN];
	char     ai_ipv6_autocfg[IPC_ABI_HOST_LEN];
	char     ai_linklocal_autocfg[IPC_ABI_HOST_LEN];
	char     ai_router_autocfg[IPC_ABI_HOST_LEN];
	uint8_t  ai_prefix_len;
	uint16_t ai_vlan_id;
	uint8_t  ai_vlan_priority;
	S_(ai_vlan_state);
	S_(ai_state);
	uint16_t ai_mtu;
	uint16_t ai_port;
	S_(ai_delayed_ack);
	S_(ai_nagle);
	S_(ai_tcp_wsf_state);
	uint8_t  ai_tcp_wsf;
	uint8_t  ai_tcp_timer_scale;
	S_(ai_tcp_timestamp);
	S_(ai_dhcp_dns);
	S_(ai_dhcp_slp_da);
	S_(ai_tos_state);
	uint8_t  ai_tos;
	S_(ai_gratuitous_arp);
	S_(ai_dhcp_alt_client_id_state);
	S_(ai_dhcp_alt_client_id);
	S_(ai_dhcp_req_vendor_id_state);
	S_(ai_dhcp_vendor_id_state);
	S_(ai_dhcp_vendor_id);
	S_(ai_dhcp_learn_iqn);
	S_(ai_fragmentation);
	S_(ai_incoming_forwarding);
	uint8_t  ai_ttl;
	S_(ai_gratuitous_neighbor_adv);
	S_(ai_redirect);
	S_(ai_mld);
	uint32_t ai_flow_label;
	uint32_t ai_traffic_class;
	uint8_t  ai_hop_limit;
	uint32_t ai_nd_reachable_tmo;
	uint32_t ai_nd_rexmit_time;
	uint32_t ai_nd_stale_tmo;
	uint8_t  ai_dup_addr_detect_cnt;
	uint32_t ai_router_adv_link_mtu;
	uint16_t ai_def_task_mgmt_tmo;
	S_(ai_header_digest);
	S_(ai_data_digest);
	S_(ai_immediate_data);
	S_(ai_initial_r2t);
	S_(ai_data_seq_inorder);
	S_(ai_data_pdu_inorder);
	uint8_t  ai_erl;
	uint32_t ai_max_recv_dlength;
	uint32_t ai_first_burst_len;
	uint16_t ai_max_out_r2t;
	uint32_t ai_max_burst_len;
	S_(ai_chap_auth);
	S_(ai_bidi_chap);
	S_(ai_strict_login_comp);
	S_(ai_discovery_auth);
	S_(ai_discovery_logout);
	S_(ai_port_state);
	S_(ai_port_speed);
	char     ai_hwaddress[IPC_ABI_HWADDR_LEN];
	char     ai_transport_name[IPC_ABI_XPORT_LEN];
	char     ai_alias[IPC_ABI_NAME_LEN + 1];
	char     ai_iname[IPC_ABI_NAME_LEN + 1];
};
#undef S_

struct ipc_abi_node {
	uint64_t an_list[2];
	char     an_name[IPC_ABI_NAME_LEN];
	int32_t  an_tpgt;
	int32_t  an_startup;
	int32_t  an_leading_login;
	struct ipc_abi_session an_session;
	struct ipc_abi_conn an_conn;    /* ISCSI_CONN_MAX is 1 */
	struct ipc_abi_iface an_iface;
	int32_t  an_disc_type;
	char     an_disc_address[IPC_ABI_HOST_LEN];
	int32_t  an_disc_port;
};

struct ipc_abi_req {
	int32_t  ar_cmd;
	uint32_t ar_payload_len;        /* extra bytes after the struct: 0 */
	union {
		struct {
			int32_t as_sid;
			struct ipc_abi_node as_rec;
		} ar_session;
		struct {
			int32_t ac_sid;
			int32_t ac_cid;
		} ar_conn;
		/* ours only: -m session -r SID --rescan [--lun N] */
		struct {
			int32_t ax_sid;
			int32_t ax_has_lun;
			uint64_t ax_lun;
		} ar_rescan;
	} ar_u;
};

struct ipc_abi_stats {
	uint64_t st_txdata_octets;
	uint64_t st_rxdata_octets;
	uint32_t st_noptx_pdus, st_scsicmd_pdus, st_tmfcmd_pdus, st_login_pdus;
	uint32_t st_text_pdus, st_dataout_pdus, st_logout_pdus, st_snack_pdus;
	uint32_t st_noprx_pdus, st_scsirsp_pdus, st_tmfrsp_pdus, st_textrsp_pdus;
	uint32_t st_datain_pdus, st_logoutrsp_pdus, st_r2t_pdus, st_async_pdus;
	uint32_t st_rjt_pdus;
	uint32_t st_digest_err, st_timeout_err;
	uint32_t st_custom_length;
};

#define IPC_ABI_CUSTOM_MAX   32
#define IPC_ABI_CUSTOM_DESC  64
struct ipc_abi_custom {
	char     cu_desc[IPC_ABI_CUSTOM_DESC];
	uint64_t cu_value;
};

#define IPC_ABI_UEVENT_LEN 56   /* struct iscsi_uevent */

struct ipc_abi_rsp {
	int32_t ap_cmd;
	int32_t ap_err;                 /* enum iscsi_rc */
	union {
		struct {
			uint8_t  ag_uevent[IPC_ABI_UEVENT_LEN];
			struct ipc_abi_stats ag_stats;
			struct ipc_abi_custom ag_custom[IPC_ABI_CUSTOM_MAX];
		} ap_stats;
		char ap_config[IPC_ABI_VALUE_LEN];
		struct {
			int32_t ss_session_state;   /* r_stage: 0 no change ... */
			int32_t ss_conn_state;      /* 0 free .. 6 cleanup wait */
		} ap_state;
	} ap_u;
};

_Static_assert(sizeof(struct ipc_abi_req) == 16104, "stock iscsiadm_req_t");
_Static_assert(sizeof(struct ipc_abi_rsp) == 2464, "stock iscsiadm_rsp_t");
_Static_assert(sizeof(struct ipc_abi_node) == 16088, "stock node_rec_t");
_Static_assert(offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_name) == 32, "name");
_Static_assert(offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_session.as_auth.aa_user) == 340, "username");
_Static_assert(offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_session.as_auth.aa_pass_in) == 1112, "password_in");
_Static_assert(offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_conn.ac_address) == 2252, "address");
_Static_assert(offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_iface.ai_name) == 3360, "iface name");
_Static_assert(offsetof(struct ipc_abi_req, ar_u.ar_session.as_rec.an_iface.ai_transport_name) == 14534, "transport");

#endif
