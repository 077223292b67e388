#!/bin/sh
# iscsiadm -m session against the fake sysfs trees, compared with what stock
# open-iscsi 2.1.8 printed on the same trees (usr/tests/data/golden/session-*,
# made by mk-session-golden.sh): stdout, stderr and exit code must all match.
# No iscsid answers (a private IPC name), as when the goldens were made.
set -u
top=$(pwd)
adm="$top/usr/iscsiadm"
gold="$top/usr/tests/data/golden"
trees="$top/usr/tests/data/sysfs"
[ -x "$adm" ] || { echo "no $adm (run make first)"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0; n=0

while read -r name tree rest; do
	case "$name" in ''|'#'*) continue ;; esac
	args=${rest%%;*}
	pre=""
	case "$rest" in *";"*) pre=${rest#*;} ;; esac
	etc="$tmp/etc-$name"; mkdir -p "$etc"
	echo "iscsid.startup = /bin/true" > "$etc/iscsid.conf"
	export ISCSI_ETC_DIR="$etc" ISCSI_SYSFS_ROOT="$trees/$tree"
	export ISCSID_IPC_NAME="h3-test-session-$$-nobody"
	if [ -n "$pre" ]; then
		# shellcheck disable=SC2086
		"$adm" -m node -o new $pre > /dev/null 2>&1 || { echo "FAIL $name: node -o new"; fail=1; }
	fi
	# shellcheck disable=SC2086
	"$adm" -m session $args > "$tmp/out" 2> "$tmp/err"
	rc=$?
	n=$((n + 1))
	want=$(cat "$gold/$name.rc")
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, stock $want"; fail=1
	fi
	if ! diff -u "$gold/$name.out" "$tmp/out"; then
		echo "FAIL $name: stdout differs from stock"; fail=1
	fi
	if ! diff -u "$gold/$name.err" "$tmp/err"; then
		echo "FAIL $name: stderr differs from stock"; fail=1
	fi
done < "$gold/session-cases"

[ "$n" -ge 15 ] || { echo "FAIL: only $n cases ran"; fail=1; }
[ "$fail" -eq 0 ] && echo "$n session cases match stock"
exit "$fail"
