#!/bin/sh
# iscsi-iname against stock 2.1.8's: same stdout, stderr and exit code for
# help and every kind of bad argument, and the same output line format.
set -u
TOP=$(pwd)
OURS=$TOP/usr/iscsi-iname
STOCK=/sbin/iscsi-iname
WORK=$(mktemp -d /tmp/test_iname.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

[ -x "$OURS" ] || { echo "FAIL: $OURS not built"; exit 1; }
[ -x "$STOCK" ] || { echo "FAIL: stock $STOCK missing (apt-get install open-iscsi)"; exit 1; }

# run WHO PROG ARGS...: getopt's messages name argv[0], so both are run
# under the same name through a symlink.
run() {
	who=$1 prog=$2; shift 2
	mkdir -p "$WORK/$who"
	ln -sf "$prog" "$WORK/$who/iscsi-iname"
	(cd "$WORK/$who" && ./iscsi-iname "$@" > out 2> err; echo $? > rc)
}
long=$(printf '%0210d' 0)
for args in "-h" "--help" "-x" "--bogus" "-p" "extra" "-g extra" "-p ${long}9" \
	"-p ${long}9 -h" "-h -p ${long}9" "-gh"; do
	# shellcheck disable=SC2086
	run ours "$OURS" $args
	# shellcheck disable=SC2086
	run stock "$STOCK" $args
	for f in out err rc; do
		cmp -s "$WORK/ours/$f" "$WORK/stock/$f" || {
			fail "iscsi-iname $args: $f differs"
			diff "$WORK/stock/$f" "$WORK/ours/$f" | head -6
		}
	done
done

# Output lines: PREFIX ':' and 6 bytes as unpadded hex (6-12 digits).
check_line() {
	what=$1 re=$2
	for who in ours stock; do
		[ "$(cat "$WORK/$who/rc")" = 0 ] || fail "$who $what: exit $(cat "$WORK/$who/rc")"
		[ -s "$WORK/$who/err" ] && fail "$who $what: stderr $(cat "$WORK/$who/err")"
		grep -Eqx "$re" "$WORK/$who/out" && [ "$(wc -l < "$WORK/$who/out")" -eq 1 ] ||
			fail "$who $what: '$(cat "$WORK/$who/out")' !~ $re"
	done
}
hex='[0-9a-f]{6,12}'
for who in ours stock; do eval "p=\$$(echo "$who" | tr a-z A-Z)"; run "$who" "$p"; done
check_line "no options" "iqn\.2016-04\.com\.open-iscsi:$hex"
for who in ours stock; do eval "p=\$$(echo "$who" | tr a-z A-Z)"; run "$who" "$p" -p iqn.1993-08.org.debian:01; done
check_line "-p debian" "iqn\.1993-08\.org\.debian:01:$hex"
for who in ours stock; do eval "p=\$$(echo "$who" | tr a-z A-Z)"; run "$who" "$p" --prefix=x -g; done
check_line "--prefix=x -g" "InitiatorName=x:$hex"
for who in ours stock; do eval "p=\$$(echo "$who" | tr a-z A-Z)"; run "$who" "$p" -p "$long"; done
check_line "210-char prefix" "${long}:$hex"

# Names differ from run to run (random part), and the unpadded hex gives
# short suffixes sometimes: in 300 names about 100 are shorter than 12.
i=0; : > "$WORK/names"
while [ $i -lt 300 ]; do "$OURS" -p x >> "$WORK/names"; i=$((i + 1)); done
[ "$(sort -u "$WORK/names" | wc -l)" -eq 300 ] || fail "300 names are not all different"
short=$(cut -d: -f2 "$WORK/names" | awk 'length($0) < 12' | wc -l)
[ "$short" -ge 40 ] && [ "$short" -le 180 ] || fail "$short of 300 suffixes shorter than 12 (expect ~96)"

[ "$FAILS" -eq 0 ] && echo "iscsi-iname: all checks passed"
exit "$FAILS"
