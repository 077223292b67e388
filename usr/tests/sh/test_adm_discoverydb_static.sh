#!/bin/sh
# -m discoverydb / -m discovery -P 1 with only static node records (made
# with -o new): stock prints the tree and exits 0, and os-brick's
# single-path disconnect depends on that exit code. Empty database: 21.
. usr/tests/sh/adm_common.sh
stock_required "discoverydb -P 1 against stock"
S=$(etc_dir s none)
O=$(etc_dir o none)
check_p1() {
	for args in "-m discoverydb -P 1" "-m discoverydb -o show -P 1" "-m discovery -P 1"; do
		# shellcheck disable=SC2086
		stock "$S" $args; ours "$O" $args
		same_out "$1: $args"
		[ "$(cat "$WORK/o.rc")" = "$2" ] || fail "$1: $args exits $(cat "$WORK/o.rc"), want $2"
	done
}
check_p1 "empty database" 21
for run in stock ours; do
	d=$S; [ $run = ours ] && d=$O
	$run "$d" -m node -o new -T iqn.s:1 -p 127.0.0.1:3370,1
	$run "$d" -m node -o new -T iqn.s:2 -p 127.0.0.1:3372
done
check_p1 "static records only" 0
finish
