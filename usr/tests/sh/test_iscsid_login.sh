#!/bin/sh
# iscsiadm --login through our iscsid against Debian's tgtd on the host, as
# far as a host without the kernel's iSCSI transport goes: the iSCSI login
# runs for real, so target refusals must come back with stock's lines and
# exit codes (19 unknown target, 24 CHAP failure, also a target failing
# mutual CHAP), and a login the target accepts ends at the missing kernel
# transport (12) without leaving a session behind. Ports 3345-3349.
set -u
TOP=$(pwd)
ADM="$TOP/usr/iscsiadm"
TMP=$(mktemp -d /tmp/h7login.XXXXXX)
export ISCSI_ETC_DIR="$TMP/etc" ISCSI_SYSFS_ROOT="$TMP/sys" ISCSID_IPC_NAME="iscsid_login_test_$$"
mkdir -p "$ISCSI_ETC_DIR" "$ISCSI_SYSFS_ROOT/class/iscsi_session"
echo "InitiatorName=iqn.2026-01.test.h7:initiator" > "$ISCSI_ETC_DIR/initiatorname.iscsi"
: > "$ISCSI_ETC_DIR/iscsid.conf"
TGTD_PID= ISCSID_PID=
fail() { echo "FAIL: $*" >&2; [ -f "$TMP/iscsid.log" ] && tail -20 "$TMP/iscsid.log" >&2; exit 1; }
cleanup() {
	[ -n "$TGTD_PID" ] && { kill -9 "$TGTD_PID"; wait "$TGTD_PID"; } 2>/dev/null
	[ -n "$ISCSID_PID" ] && { kill "$ISCSID_PID"; wait "$ISCSID_PID"; } 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
command -v tgtd >/dev/null || fail "tgtd missing (Debian package tgt)"
[ -d /sys/class/iscsi_transport ] && { echo "host has an iSCSI transport: this test is for hosts without"; exit 0; }

PORT=
for p in $(shuf -i 3345-3349); do
	ss -Htln "sport = :$p" | grep -q . || { PORT=$p; break; }
done
[ -n "$PORT" ] || fail "no free port in 3345-3349"
P=127.0.0.1:$PORT
IQN=iqn.2026-01.test.h7
tgtd -f -C "$PORT" --iscsi portal=$P > "$TMP/tgtd.log" 2>&1 &
TGTD_PID=$!
adm() { tgtadm -C "$PORT" --lld iscsi "$@" >/dev/null || fail "tgtadm $*"; }
i=0
until tgtadm -C "$PORT" --lld iscsi --op show --mode target >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "tgtd did not start"; sleep 0.1
done
truncate -s 4M "$TMP/lun1"
for t in 1 2; do
	adm --op new --mode target --tid $t -T $IQN:t$t
	adm --op new --mode logicalunit --tid $t --lun 1 -b "$TMP/lun1"
	adm --op bind --mode target --tid $t -I ALL
done
adm --op new --mode account --user alice --password alicesecret12
adm --op bind --mode account --tid 2 --user alice
adm --op new --mode account --user tgtuser --password tgtsecret123
adm --op bind --mode account --tid 2 --user tgtuser --outgoing

: > "$TMP/iscsid.log"
"$TOP/usr/iscsid" -f -n -d 1 2> "$TMP/iscsid.log" &
ISCSID_PID=$!
i=0
until grep -q "serving @" "$TMP/iscsid.log"; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "iscsid did not start"; sleep 0.1
done

node() { "$ADM" -m node -T "$1" -p $P "$@"; }
# login TARGET EXPECTED-RC EXPECTED-ERROR-LINE
login() {
	"$ADM" -m node -T "$1" -p $P --login > "$TMP/out" 2> "$TMP/err"
	rc=$?
	[ "$rc" = "$2" ] || { cat "$TMP/out" "$TMP/err"; fail "$1: exit $rc, expected $2"; }
	grep -qx "Logging in to \[iface: default, target: $1, portal: 127.0.0.1,$PORT\]" "$TMP/out" ||
		fail "$1: no Logging in line"
	printf '%s\n' "iscsiadm: Could not login to [iface: default, target: $1, portal: 127.0.0.1,$PORT]." \
		"iscsiadm: initiator reported error ($3)" "iscsiadm: Could not log into all portals" > "$TMP/want"
	diff -u "$TMP/want" "$TMP/err" || fail "$1: error lines"
}

"$ADM" -m node -o new -T $IQN:nosuch -p $P >/dev/null || fail "record nosuch"
login $IQN:nosuch 19 "19 - encountered non-retryable iSCSI login failure"

"$ADM" -m node -o new -T $IQN:t2 -p $P >/dev/null || fail "record t2"
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.authmethod -v CHAP
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.username -v alice
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.password -v wrongsecret12
login $IQN:t2 24 "24 - iSCSI login failed due to authorization failure"

# right secret, but the target's mutual CHAP answer is checked against a
# wrong secret: our side refuses the target
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.password -v alicesecret12
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.username_in -v tgtuser
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.password_in -v notthetarget1
login $IQN:t2 24 "24 - iSCSI login failed due to authorization failure"

# all right: the login passes, the kernel has no iSCSI transport
"$ADM" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.password_in -v tgtsecret123
login $IQN:t2 12 "12 - iSCSI driver not found. Please make sure it is loaded, and retry the operation"
grep -q "login to \[target: $IQN:t2" "$TMP/iscsid.log" || fail "iscsid did not log the refusals"

# the open target as well; nothing is left in iscsid's table afterwards
"$ADM" -m node -o new -T $IQN:t1 -p $P >/dev/null || fail "record t1"
login $IQN:t1 12 "12 - iSCSI driver not found. Please make sure it is loaded, and retry the operation"
"$ADM" -m session -R > "$TMP/out" 2>&1
grep -q "No session found" "$TMP/out" || { cat "$TMP/out"; fail "a failed login left a session"; }
# nothing listens on the portal: stock's "8 - connection timed out"
CLOSED=
for p in $(shuf -i 3345-3349); do
	[ "$p" = "$PORT" ] && continue
	ss -Htln "sport = :$p" | grep -q . || { CLOSED=$p; break; }
done
if [ -n "$CLOSED" ]; then
	"$ADM" -m node -o new -T $IQN:t1 -p 127.0.0.1:$CLOSED >/dev/null || fail "record closed port"
	"$ADM" -m node -T $IQN:t1 -p 127.0.0.1:$CLOSED -o update -n node.session.initial_login_retry_max -v 1
	P=127.0.0.1:$CLOSED PORT=$CLOSED login $IQN:t1 8 "8 - connection timed out"
fi
kill -0 "$ISCSID_PID" || fail "iscsid died"
echo "ok: login refusals 19/24/24, closed portal 8 and kernel-less 12 as stock words them"
