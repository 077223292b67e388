#!/bin/sh
# Shared by test_adm_session*.sh: runs every case of the cases file $1
# (usr/tests/data/golden/<file>) with our iscsiadm on the fake sysfs trees
# and compares stdout, stderr and exit code with what stock 2.1.8 gave
# (mk-session-golden.sh). No iscsid answers (a private IPC name), as when
# the goldens were made. Our node records carry one key stock does not
# know, node.session.autoscan_en: it must sit right after
# node.session.scan and is then left out of the comparison.
set -u
cases=$1
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
	"$adm" -m session $args > "$tmp/raw" 2> "$tmp/err"
	rc=$?
	n=$((n + 1))
	if grep -q '^node.session.autoscan_en = ' "$tmp/raw" &&
	   ! grep -A1 '^node.session.scan = ' "$tmp/raw" | grep -q '^node.session.autoscan_en = '; then
		echo "FAIL $name: autoscan_en is not right after node.session.scan"; fail=1
	fi
	grep -v '^node.session.autoscan_en = ' "$tmp/raw" > "$tmp/out"
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
done < "$gold/$cases"

echo "$n cases of $cases run"
[ "$n" -ge 1 ] || fail=1
exit "$fail"
