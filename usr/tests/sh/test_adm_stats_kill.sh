#!/bin/sh
# -s, -m session -r SID -o new and -k on the host (no kernel, so no
# session): ours and Debian's stock iscsiadm print the same lines and exit
# with the same codes on the same state, in a private mount and network
# namespace (stock has no knob for /etc/iscsi or the socket name); then
# our -k 0 stops our iscsid (answered first, exit 0) and, with nothing
# listening, says what stock says and still exits 0 as stock does.
set -u
[ -x /usr/sbin/iscsiadm ] || { echo "stock iscsiadm missing (Debian package open-iscsi)"; exit 1; }
if [ -z "${STATSK_NS:-}" ]; then
	STATSK_NS=1 exec unshare -m -n sh "$0" "$@"
fi
TOP=$(pwd)
TMP=$(mktemp -d /tmp/statsk.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; umount /etc/iscsi 2>/dev/null; rm -rf "$TMP"' EXIT
mkdir -p "$TMP/etc"
mount --bind "$TMP/etc" /etc/iscsi
unset ISCSI_ETC_DIR ISCSID_IPC_NAME ISCSI_SYSFS_ROOT
fail=0

run() {  # ADM -> $TMP/<tool>.txt
	out=$TMP/$(basename "$(dirname "$1")").txt
	rm -rf /etc/iscsi/*
	echo "InitiatorName=iqn.2026-01.test:statsk" > /etc/iscsi/initiatorname.iscsi
	"$1" -m node -o new -T iqn.2026-01.test:t1 -p 127.0.0.1 >/dev/null 2>&1
	: > "$out"
	while read -r args; do
		echo "== $args" >> "$out"
		# shellcheck disable=SC2086
		"$1" $args >> "$out" 2>&1
		echo "rc=$?" >> "$out"
	done <<-CASES
	-m session -s
	-m session -r 1 -s
	-m session -r 1 --stats
	-m session -o new
	-m session -r 1 -o new
	-m node -s
	-m node -T iqn.2026-01.test:t1 -p 127.0.0.1 -s
	-k 0 -m node
	-k 0 -m session
	-k 1
	-k -1
	-k 0
	CASES
}
mkdir -p "$TMP/stock" "$TMP/ours"
ln -s /usr/sbin/iscsiadm "$TMP/stock/iscsiadm"
ln -s "$TOP/usr/iscsiadm" "$TMP/ours/iscsiadm"
run "$TMP/stock/iscsiadm"
run "$TMP/ours/iscsiadm"
diff -u "$TMP/stock.txt" "$TMP/ours.txt" || { echo "FAIL: differs from stock"; fail=1; }
[ "$(grep -c '^==' "$TMP/ours.txt")" = 12 ] || { echo "FAIL: cases missing"; fail=1; }

# -k 0 against our iscsid: answered, then iscsid exits
echo "InitiatorName=iqn.2026-01.test:statsk" > /etc/iscsi/initiatorname.iscsi
ISCSI_SYSFS_ROOT="$TMP/sys" "$TOP/usr/iscsid" -f -n -d 1 2> "$TMP/iscsid.log" &
pid=$!
i=0
until grep -q "serving @" "$TMP/iscsid.log" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 50 ] && { echo "FAIL: iscsid did not start"; cat "$TMP/iscsid.log"; exit 1; }; sleep 0.1
done
"$TOP/usr/iscsiadm" -k 0 > "$TMP/out" 2>&1; rc=$?
[ $rc = 0 ] && [ ! -s "$TMP/out" ] || { echo "FAIL: -k 0 exit $rc"; cat "$TMP/out"; fail=1; }
i=0
while kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 50 ] && { echo "FAIL: iscsid still running after -k 0"; kill $pid; fail=1; break; }
	sleep 0.1
done
wait $pid 2>/dev/null
pid=
exit $fail
