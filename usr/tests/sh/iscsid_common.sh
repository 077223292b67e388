# Shared by the test_iscsid_*.sh scripts that run iscsid on the host
# (sourced, not run). iscsid_env NAME: a private etc directory, an empty
# sysfs and an IPC name of the test's own, and $py, the client for the
# request socket (iscsid_ipc.py).
set -u
top=$(pwd)
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
py="$PY $top/usr/tests/sh/iscsid_ipc.py"

iscsid_env() {
	tmp=$(mktemp -d)
	export ISCSI_ETC_DIR="$tmp/etc" ISCSI_SYSFS_ROOT="$tmp/sys" ISCSID_IPC_NAME="iscsid_$1_test_$$"
	mkdir -p "$ISCSI_ETC_DIR" "$ISCSI_SYSFS_ROOT/class/iscsi_session"
	echo "InitiatorName=iqn.2026-01.test:$1" > "$ISCSI_ETC_DIR/initiatorname.iscsi"
}

# wait_ping LOG WHAT: until iscsid answers a ping; after 5 s "FAIL: WHAT",
# iscsid's LOG and exit 1.
wait_ping() {
	i=0
	until [ "$($py ping)" = "rc=0" ]; do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			echo "FAIL: $2"; cat "$1"; exit 1
		fi
		sleep 0.1
	done
}
