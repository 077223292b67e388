/* iscsiadm -m session: listing (-P 0..3) and -r SID, from sysfs through
 * libopeniscsiusr, printed exactly as stock 2.1.8 prints it. Login, logout
 * and rescan in session mode are daemon operations (daemon_ops.h). */
#ifndef ADM_SESSION_H
#define ADM_SESSION_H
#include <stdint.h>

/* The open-iscsi release whose behaviour and output we reproduce; -P 3
 * prints it on its "version" line as stock does. */
#define ADM_STOCK_VERSION "2.1.8"

struct adm_opts;
struct iscsi_session;

/* The mode handler: returns an enum iscsi_rc (RC_NO_OBJS_FOUND and
 * "iscsiadm: No active sessions." when there is none). */
int adm_session_run(const struct adm_opts *o);

/* What iscsid says about a session, for the -P 1 state lines. */
struct adm_sess_daemon {
	const char *sd_conn;		/* "LOGGED IN", ... or "Unknown" */
	const char *sd_internal;	/* "NO CHANGE", "REOPEN", ... or "Unknown" */
};

/* Prints sessions as the -P level tree (1..3). show_secrets: -S. The
 * daemon states come from adm_session_daemon_state(). Pure output: the
 * sysfs root is only read for LUNs, host state and module version. */
void adm_session_print_tree(struct iscsi_session **ses, uint32_t n, int level,
			    int show_secrets, const char *sysfs_root);
/* Optional parts of the tree after the interface and state lines; -m
 * session -P 2 and 3 and -m host -P 3 and 4 pick different sets. */
enum adm_tree_section {
	ADM_TREE_TIMEOUTS  = 1 << 0,
	ADM_TREE_CHAP      = 1 << 1,
	ADM_TREE_PARAMS    = 1 << 2,
	ADM_TREE_SCSI      = 1 << 3,	/* "Attached SCSI devices" */
	ADM_TREE_HOST_LINE = 1 << 4,	/* its "Host Number: N\tState: S" line */
};
/* The tree with the chosen sections, every line starting with px. */
void adm_session_print_sections(struct iscsi_session **ses, uint32_t n, unsigned sections,
				const char *px, int show_secrets, const char *sysfs_root);
/* "iSCSI Transport Class version V" and "version 2.1.8" when the
 * transport class module is loaded. */
void adm_session_print_version(const char *sysfs_root);
/* One line per session: "tcp: [SID] IP:PORT,TPGT IQN (non-flash)". */
void adm_session_print_flat(struct iscsi_session **ses, uint32_t n,
			    const char *sysfs_root);
/* The same listing read straight from sysfs, only what it prints
 * (session_flat.c); -1, having printed nothing, when the library path
 * must run instead (no sessions, one unreadable). */
int adm_session_list_flat(const char *sysfs_root);
/* Asks iscsid about a session; "Unknown" for both when it cannot be
 * reached (with stock's stderr line) or does not know the session. */
void adm_session_daemon_state(struct iscsi_session *se, struct adm_sess_daemon *st);
/* Pure part of it: iscsid's states (enum ipc_conn_state, enum
 * ipc_r_stage; -1: iscsid unreachable or does not know the session) and
 * the kernel's connection state, in stock's words. */
void adm_session_state_words(int conn, int stage, const char *kconn,
			     struct adm_sess_daemon *st);

#endif
