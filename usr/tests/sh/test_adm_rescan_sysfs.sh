#!/bin/sh
# -m session -r SID -R / -m node -R with no iscsid: the rescan goes through
# sysfs as stock's does, and each one is still decided by the scan policy
# (usr/core/scan_policy.c): present devices are refreshed, then the host is
# scanned for all LUNs only with autoscan on; --lun N scans that LUN alone.
set -u
TOP=$(pwd)
ADM=$TOP/usr/iscsiadm
T=$(mktemp -d /tmp/test_rescan.XXXXXX)
trap 'rm -rf "$T"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
export ISCSID_IPC_NAME="test-rescan-$$-nobody" ISCSI_ETC_DIR="$T/etc"
mkdir -p "$ISCSI_ETC_DIR"
echo "iscsid.startup = /bin/true" > "$ISCSI_ETC_DIR/iscsid.conf"
echo "InitiatorName=iqn.1993-08.org.debian:01:rescan" > "$ISCSI_ETC_DIR/initiatorname.iscsi"
"$ADM" -m node -o new -T iqn.2003-01.org.example:disk1 -p 10.0.2.2:3260,1 >/dev/null || fail "node -o new"
SCAN=devices/platform/host0/scsi_host/host0/scan
DEV=devices/platform/host0/session1/target0:0:0/0:0:0:1/rescan

# case NAME SETTING_ARGS IPC_ARGS WANT_HOST_SCAN
case_() {
	rm -rf "$T/sys"; cp -a "$TOP/usr/tests/data/sysfs/two-sessions" "$T/sys"
	export ISCSI_SYSFS_ROOT="$T/sys"
	# shellcheck disable=SC2086
	[ -z "$2" ] || "$ADM" -m node -T iqn.2003-01.org.example:disk1 -p 10.0.2.2:3260 -o update $2 || fail "$1: update"
	# shellcheck disable=SC2086
	"$ADM" $3 > "$T/out" 2> "$T/err"; rc=$?
	[ "$rc" = 0 ] || { fail "$1: exit $rc"; cat "$T/err"; }
	grep -qx "Rescanning session \[sid: 1, target: iqn.2003-01.org.example:disk1, portal: 10.0.2.2,3260\]" "$T/out" ||
		fail "$1: no progress line"
	[ "$(cat "$T/sys/$DEV")" = 1 ] || fail "$1: present device not refreshed"
	got=$(cat "$T/sys/$SCAN")
	[ "$got" = "$4" ] || fail "$1: host scan '$got', want '$4'"
	[ ! -s "$T/err" ] || { fail "$1: stderr"; cat "$T/err"; }
	echo "ok: $1"
}
case_ "autoscan on (default)" "" "-m session -r 1 -R" "- - -"
case_ "autoscan_en = No" "-n node.session.autoscan_en -v No" "-m session -r 1 --rescan" ""
case_ "autoscan_en = No, --lun 2" "" "-m session -r 1 -R --lun 2" "0 0 2"
case_ "scan = manual" "-n node.session.autoscan_en -v Yes -n node.session.scan -v manual" "-m node -T iqn.2003-01.org.example:disk1 -R" ""
case_ "autoscan on, node -R" "-n node.session.scan -v auto" "-m node -p 10.0.2.2:3260 -R" "- - -"
[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo "all checks passed"
