#!/bin/sh
# iscsiadm's daemon operations with no iscsid listening: same stdout,
# stderr and exit codes as stock iscsiadm 2.1.8 (20 for a login; 21/22 when
# there is no session to act on). When stock iscsiadm is installed and
# unshare works, stock is run on the same steps and must agree too.
set -u
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ISCSID_IPC_NAME="iscsid_down_test_$$"
fail=0

# the steps, run by both iscsiadms ($1); prints output and exit codes
cat > "$tmp/steps.sh" <<'STEPS'
a=$1
# (stock -o new also asks iscsid and complains; not what this test is about)
$a -m node -o new -T iqn.2026-01.test:down -p 127.0.0.1:3341 >/dev/null 2>&1
$a -m node -T iqn.2026-01.test:down -p 127.0.0.1:3341 --login; echo "rc=$?"
$a -m node -L all; echo "rc=$?"
$a -m node -U all; echo "rc=$?"
$a -m node -T iqn.2026-01.test:down -p 127.0.0.1:3341 -u; echo "rc=$?"
$a -m session -r 1 -u; echo "rc=$?"
$a -m session -R; echo "rc=$?"
STEPS

cat > "$tmp/expected" <<'EOF'
Logging in to [iface: default, target: iqn.2026-01.test:down, portal: 127.0.0.1,3341]
iscsiadm: can't open iscsid.startup configuration file /etc/iscsi/iscsid.conf
iscsiadm: iscsid is not running. Could not start it up automatically using the startup command in the iscsid.conf iscsid.startup setting. Please check that the file exists or that your init scripts have started iscsid.
iscsiadm: can not connect to iSCSI daemon (111)!
iscsiadm: Could not login to [iface: default, target: iqn.2026-01.test:down, portal: 127.0.0.1,3341].
iscsiadm: initiator reported error (20 - could not connect to iscsid)
iscsiadm: Could not log into all portals
rc=20
Logging in to [iface: default, target: iqn.2026-01.test:down, portal: 127.0.0.1,3341]
iscsiadm: can't open iscsid.startup configuration file /etc/iscsi/iscsid.conf
iscsiadm: iscsid is not running. Could not start it up automatically using the startup command in the iscsid.conf iscsid.startup setting. Please check that the file exists or that your init scripts have started iscsid.
iscsiadm: can not connect to iSCSI daemon (111)!
iscsiadm: Could not login to [iface: default, target: iqn.2026-01.test:down, portal: 127.0.0.1,3341].
iscsiadm: initiator reported error (20 - could not connect to iscsid)
iscsiadm: Could not log into all portals
rc=20
iscsiadm: No matching sessions found
rc=21
iscsiadm: No matching sessions found
rc=21
iscsiadm: could not read session targetname: 5
iscsiadm: Could not get session info for sid 1
rc=22
iscsiadm: No session found.
rc=21
EOF

mkdir -p "$tmp/etc" "$tmp/sys/class/iscsi_session"
echo "InitiatorName=iqn.2026-01.test:down" > "$tmp/etc/initiatorname.iscsi"
# stdout (progress lines, rc=) and stderr compared separately: stock's
# stdout is block-buffered when redirected, so only each stream's order is
# defined
grep -E '^(Logging in|rc=)' "$tmp/expected" > "$tmp/expected.out"
grep -vE '^(Logging in|rc=)' "$tmp/expected" > "$tmp/expected.err"
ISCSI_ETC_DIR="$tmp/etc" ISCSI_SYSFS_ROOT="$tmp/sys" sh "$tmp/steps.sh" "$top/usr/iscsiadm" \
	> "$tmp/ours.out" 2> "$tmp/ours.err"
sed -i "s|$tmp/etc|/etc/iscsi|g" "$tmp/ours.err"
if ! diff -u "$tmp/expected.out" "$tmp/ours.out" || ! diff -u "$tmp/expected.err" "$tmp/ours.err"; then
	echo "FAIL: project iscsiadm differs from stock's lines"
	fail=1
fi

# the same steps with stock, when it can run without touching /etc/iscsi
stock=$(command -v /usr/sbin/iscsiadm || command -v /sbin/iscsiadm || true)
if [ -n "$stock" ] && [ -d /sys/class ] && unshare -m true 2>/dev/null; then
	unshare -m sh -c '
		mount -t tmpfs none /etc/iscsi || exit 3
		echo "InitiatorName=iqn.2026-01.test:down" > /etc/iscsi/initiatorname.iscsi
		sh "$1" "$2"' sh "$tmp/steps.sh" "$stock" > "$tmp/stock.out" 2> "$tmp/stock.err"
	# stock uses its own socket name: only run the comparison when no stock
	# iscsid is serving it on this machine
	if ! grep -q "Login to" "$tmp/stock.out" && grep -q "rc=20" "$tmp/stock.out"; then
		if ! diff -u "$tmp/stock.out" "$tmp/ours.out" ||
		   ! diff -u "$tmp/stock.err" "$tmp/ours.err"; then
			echo "FAIL: project iscsiadm differs from stock run now"
			fail=1
		fi
	fi
fi
exit $fail
