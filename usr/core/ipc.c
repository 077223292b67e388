/* iscsiadm <-> iscsid protocol: pure parts (see ipc.h). */
#include <string.h>

#include "err.h"
#include "ipc.h"

void ipc_req_init(struct ipc_abi_req *r, int cmd)
{
	memset(r, 0, sizeof(*r));
	r->ar_cmd = cmd;
}

void ipc_rsp_init(struct ipc_abi_rsp *r, int cmd)
{
	memset(r, 0, sizeof(*r));
	r->ap_cmd = cmd;
}

static int cmd_known(int cmd)
{
	return (cmd > 0 && cmd < IPC_CMD_STOCK_MAX && cmd != 3) ||
	       cmd == IPC_CMD_X_RESCAN;
}

int ipc_req_check(const struct ipc_abi_req *r)
{
	if (!cmd_known(r->ar_cmd) || r->ar_payload_len > IPC_PAYLOAD_MAX)
		return RC_INVALID_MGMT_REQ;
	return RC_OK;
}

/* As stock's client: a failure may come before the request was read (a
 * refused peer gets command 0), a success must name the command. */
int ipc_rsp_check(const struct ipc_abi_rsp *r, int cmd)
{
	if (r->ap_err < 0 || r->ap_err >= RC_MAX)
		return RC_ISCSID_COMM_ERR;
	if (r->ap_cmd != cmd && (r->ap_err == RC_OK || r->ap_cmd != 0))
		return RC_ISCSID_COMM_ERR;
	return RC_OK;
}

const char *ipc_cmd_name(int cmd)
{
	static const char *const names[IPC_CMD_STOCK_MAX] = {
		[IPC_CMD_LOGIN] = "login", [IPC_CMD_LOGOUT] = "logout",
		[IPC_CMD_ACTIVESTAT] = "activestat",
		[IPC_CMD_CONN_ADD] = "conn-add", [IPC_CMD_CONN_REMOVE] = "conn-remove",
		[IPC_CMD_STATS] = "stats", [IPC_CMD_CONFIG_INAME] = "config-iname",
		[IPC_CMD_CONFIG_IALIAS] = "config-ialias",
		[IPC_CMD_CONFIG_FILE] = "config-file", [IPC_CMD_STOP] = "immediate-stop",
		[IPC_CMD_SYNC] = "session-sync", [IPC_CMD_SESSION_INFO] = "session-info",
		[IPC_CMD_ISNS_QUERY] = "isns-query", [IPC_CMD_SEND_TARGETS] = "send-targets",
		[16] = "notify-add-node", [17] = "notify-del-node",
		[18] = "notify-add-portal", [19] = "notify-del-portal",
	};

	if (cmd == IPC_CMD_X_RESCAN)
		return "rescan";
	if (cmd <= 0 || cmd >= IPC_CMD_STOCK_MAX || !names[cmd])
		return "unknown";
	return names[cmd];
}

/* The words stock's iscsiadm prints for iscsid's states (-P 1 and up). */
const char *ipc_conn_state_name(int st)
{
	static const char *const w[] = {
		"FREE", "TRANSPORT WAIT", "IN LOGIN", "LOGGED IN", "IN LOGOUT",
		"LOGOUT REQUESTED", "CLEANUP WAIT",
	};

	return st >= 0 && st < (int)(sizeof(w) / sizeof(w[0])) ? w[st] : "Unknown";
}

const char *ipc_r_stage_name(int st)
{
	static const char *const w[] = { "NO CHANGE", "CLEANUP", "REOPEN", "REDIRECT" };

	return st >= 0 && st < (int)(sizeof(w) / sizeof(w[0])) ? w[st] : "Unknown";
}
