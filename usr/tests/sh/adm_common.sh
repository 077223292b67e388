# Shared by the test_adm_*.sh scripts (sourced, not run): our iscsiadm on a
# private etc directory, and stock open-iscsi 2.1.8 with a private
# /etc/iscsi (a bind mount inside its own mount namespace).
set -u
TOP=$(pwd)
OURS=${ISCSIADM:-$TOP/usr/iscsiadm}
STOCK=$(command -v iscsiadm 2>/dev/null || true)
[ -x /usr/sbin/iscsiadm ] && STOCK=/usr/sbin/iscsiadm
WORK=$(mktemp -d /tmp/test_adm.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FAILS=0

# etc_dir NAME [CONF]: a fresh etc directory with Debian's iscsid.conf
# (or CONF; "none" for no iscsid.conf at all).
etc_dir() {
	mkdir -p "$WORK/$1"
	case "${2:-}" in
	"") cp "$TOP/usr/tests/data/iscsid.conf.debian" "$WORK/$1/iscsid.conf" ;;
	none) ;;
	*) cp "$2" "$WORK/$1/iscsid.conf" ;;
	esac
	echo "InitiatorName=iqn.1993-08.org.debian:01:testhost" > "$WORK/$1/initiatorname.iscsi"
	echo "$WORK/$1"
}

# ours DIR ARGS...: our iscsiadm on DIR; stdout/stderr/rc in $WORK/o.{out,err,rc}
ours() {
	d=$1; shift
	ISCSI_ETC_DIR=$d "$OURS" "$@" > "$WORK/o.out" 2> "$WORK/o.err"
	echo $? > "$WORK/o.rc"
	# for comparing with stock, our directory is stock's /etc/iscsi
	# and the program is named as typed (getopt's messages carry argv[0])
	sed -e "s|$d|/etc/iscsi|g" -e "s|^$OURS:|iscsiadm:|" "$WORK/o.err" > "$WORK/o.err.cmp"
}

# stock DIR ARGS...: stock iscsiadm with DIR mounted over /etc/iscsi.
# Lines about starting or reaching iscsid are dropped from stderr: they
# depend on whether a daemon runs, not on the records.
stock() {
	d=$1; shift
	unshare -m sh -c 'mount --bind "$0" /etc/iscsi && exec "$@"' "$d" "$STOCK" "$@" \
		> "$WORK/s.out" 2> "$WORK/s.err.raw"
	echo $? > "$WORK/s.rc"
	grep -v -e 'iscsid' -e 'iSCSI daemon' -e 'systemd' -e 'connect to bus' \
		"$WORK/s.err.raw" | sed "s|^$STOCK:|iscsiadm:|" > "$WORK/s.err" || true
}

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }

# same_out WHAT: stdout, stderr and exit code of the last ours/stock calls agree;
# our extra autoscan_en line is left out of the comparison.
same_out() {
	# stderr too, unless the caller set ERR_DIFFERS for a known difference
	if [ -z "${ERR_DIFFERS:-}" ] && ! cmp -s "$WORK/o.err.cmp" "$WORK/s.err"; then
		fail "$1: stderr differs"
		diff "$WORK/s.err" "$WORK/o.err.cmp" | head -6
	fi
	grep -v '^node.session.autoscan_en = ' "$WORK/o.out" > "$WORK/o.cmp" || true
	if cmp -s "$WORK/o.cmp" "$WORK/s.out" && cmp -s "$WORK/o.rc" "$WORK/s.rc"; then
		pass "$1"
	else
		fail "$1 (rc ours $(cat "$WORK/o.rc") stock $(cat "$WORK/s.rc"))"
		diff "$WORK/s.out" "$WORK/o.cmp" | head -20
	fi
}

# same_sorted WHAT: as same_out, lines compared in sorted order (stock lists
# in directory order, ours sorted; the set of lines must agree).
same_sorted() {
	sort "$WORK/o.out" -o "$WORK/o.out"
	sort "$WORK/s.out" -o "$WORK/s.out"
	same_out "$1"
}

# stock_ok: can stock run here (binary, root, mount namespaces)?
stock_ok() {
	[ -n "$STOCK" ] && [ -d /etc/iscsi ] && [ "$(id -u)" = 0 ] &&
		unshare -m true 2>/dev/null
}

# stock_required WHAT: FAIL and exit 1 unless stock can run here ("WHAT
# cannot be tested").
stock_required() {
	stock_ok && return 0
	echo "FAIL: stock iscsiadm, root or unshare missing: $1 cannot be tested (make test installs them: .ci/deps.sh)" >&2
	exit 1
}

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "$FAILS check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}
