#!/bin/sh
# Debian's stock iscsiadm 2.1.8 against our iscsid on the host, over the
# real socket name @ISCSIADM_ABSTRACT_NAMESPACE in a private network and
# mount namespace (stock has no knob for the name or /etc/iscsi):
# SendTargets discovery (stock asks iscsid for the initiator name), logins
# that our iscsid carries out against tgtd with the record from the
# database (unknown target 19, CHAP refusal 24, accepted login ending at
# the missing kernel transport 12, each with stock's lines), and -k 0
# stopping our iscsid. The lab runs the same with a kernel (mixed_test.go).
set -u
command -v iscsiadm >/dev/null && [ -x /usr/sbin/iscsiadm ] ||
	{ echo "stock iscsiadm missing (Debian package open-iscsi)"; exit 1; }
command -v tgtd >/dev/null || { echo "tgtd missing (Debian package tgt)"; exit 1; }
[ -d /sys/class/iscsi_transport ] && { echo "host has an iSCSI transport: this test is for hosts without"; exit 0; }
if [ -z "${MIXED_NS:-}" ]; then
	MIXED_NS=1 exec unshare -m -n sh "$0" "$@"
fi
TOP=$(pwd)
STOCK=/usr/sbin/iscsiadm
TMP=$(mktemp -d /tmp/mixedstock.XXXXXX)
ip link set lo up
mkdir -p "$TMP/etc" "$TMP/sys/class/iscsi_session"
mount --bind "$TMP/etc" /etc/iscsi
# stock checks that the tcp transport is loaded before it asks iscsid:
# show it a sysfs class tree where it is (the host kernel has none)
mount -t tmpfs sysclass /sys/class
mkdir -p /sys/class/iscsi_transport/tcp /sys/class/iscsi_session /sys/class/iscsi_host
echo 18446744072102411264 > /sys/class/iscsi_transport/tcp/handle
echo 0x39 > /sys/class/iscsi_transport/tcp/caps
unset ISCSI_ETC_DIR ISCSID_IPC_NAME
export ISCSI_SYSFS_ROOT="$TMP/sys"
echo "InitiatorName=iqn.2026-01.test.mixed:initiator" > /etc/iscsi/initiatorname.iscsi
printf 'node.startup = manual\nnode.session.initial_login_retry_max = 0\n' > /etc/iscsi/iscsid.conf
TGTD_PID= ISCSID_PID=
fail() { echo "FAIL: $*" >&2; [ -f "$TMP/iscsid.log" ] && tail -20 "$TMP/iscsid.log" >&2; exit 1; }
cleanup() {
	[ -n "$TGTD_PID" ] && { kill -9 "$TGTD_PID"; wait "$TGTD_PID"; } 2>/dev/null
	[ -n "$ISCSID_PID" ] && { kill "$ISCSID_PID"; wait "$ISCSID_PID"; } 2>/dev/null
	umount /sys/class /etc/iscsi 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

PORT=3260 P=127.0.0.1:3260 IQN=iqn.2026-01.test.mixed
tgtd -f -C 0 --iscsi portal=$P > "$TMP/tgtd.log" 2>&1 &
TGTD_PID=$!
tadm() { tgtadm -C 0 --lld iscsi "$@" >/dev/null || fail "tgtadm $*"; }
i=0
until tgtadm -C 0 --lld iscsi --op show --mode target >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "tgtd did not start"; sleep 0.1
done
truncate -s 4M "$TMP/lun1"
for t in 1 2; do
	tadm --op new --mode target --tid $t -T $IQN:t$t
	tadm --op new --mode logicalunit --tid $t --lun 1 -b "$TMP/lun1"
	tadm --op bind --mode target --tid $t -I ALL
done
tadm --op new --mode account --user alice --password alicesecret12
tadm --op bind --mode account --tid 2 --user alice

"$TOP/usr/iscsid" -f -n -d 2 2> "$TMP/iscsid.log" &
ISCSID_PID=$!
i=0
until grep -q "serving @ISCSIADM_ABSTRACT_NAMESPACE" "$TMP/iscsid.log"; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "iscsid did not start"; sleep 0.1
done

"$STOCK" -m discovery -t st -p $P > "$TMP/out" 2> "$TMP/err" || { cat "$TMP/err"; fail "stock discovery"; }
printf '%s\n' "$P,1 $IQN:t1" "$P,1 $IQN:t2" > "$TMP/want"
diff -u "$TMP/want" "$TMP/out" || fail "stock discovery output"

# login TARGET EXPECTED-RC EXPECTED-ERROR-LINE (stock iscsiadm)
login() {
	"$STOCK" -m node -T "$1" -p $P --login > "$TMP/out" 2> "$TMP/err"
	rc=$?
	[ "$rc" = "$2" ] || { cat "$TMP/out" "$TMP/err"; fail "$1: stock exit $rc, expected $2"; }
	grep -qx "Logging in to \[iface: default, target: $1, portal: 127.0.0.1,$PORT\]" "$TMP/out" ||
		fail "$1: no Logging in line"
	printf '%s\n' "iscsiadm: Could not login to [iface: default, target: $1, portal: 127.0.0.1,$PORT]." \
		"iscsiadm: initiator reported error ($3)" "iscsiadm: Could not log into all portals" > "$TMP/want"
	diff -u "$TMP/want" "$TMP/err" || fail "$1: error lines"
}

"$STOCK" -m node -o new -T $IQN:nosuch -p $P >/dev/null 2>&1 || fail "record nosuch"
login $IQN:nosuch 19 "19 - encountered non-retryable iSCSI login failure"

"$STOCK" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.authmethod -v CHAP
"$STOCK" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.username -v alice
"$STOCK" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.password -v wrongsecret12
login $IQN:t2 24 "24 - iSCSI login failed due to authorization failure"
"$STOCK" -m node -T $IQN:t2 -p $P -o update -n node.session.auth.password -v alicesecret12
login $IQN:t2 12 "12 - iSCSI driver not found. Please make sure it is loaded, and retry the operation"
login $IQN:t1 12 "12 - iSCSI driver not found. Please make sure it is loaded, and retry the operation"
grep -q "login $IQN:t2 127.0.0.1,$PORT: record from the database" "$TMP/iscsid.log" ||
	fail "iscsid did not take the record from the database"

# -k 0: stock's immediate stop; our iscsid answers, then exits
"$STOCK" -k 0 > "$TMP/out" 2> "$TMP/err" || { cat "$TMP/err"; fail "stock -k 0: exit $?"; }
i=0
while kill -0 "$ISCSID_PID" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "iscsid still running after -k 0"; sleep 0.1
done
wait "$ISCSID_PID"; ISCSID_PID=
echo "ok: stock iscsiadm drove our iscsid (discovery, logins 19/24/12, -k 0)"
