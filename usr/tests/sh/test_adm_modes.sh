#!/bin/sh
# iscsiadm -m host, -m fw, -t fw and -m iface -o apply|applyall, -C ping:
# every case of usr/tests/data/modes/cases is run by stock open-iscsi
# 2.1.8 and by ours on the same state (a copy of one etc directory, one
# fake sysfs tree) and must give the same stdout, stderr, exit code and
# resulting record files. Stock sees the tree as /sys and the copy as
# /etc/iscsi in a private mount and network namespace (no iscsid can
# answer either of them); ours gets ISCSI_SYSFS_ROOT and ISCSI_ETC_DIR.
# Lines about reaching iscsid or systemd are left out of stderr, as in
# adm_common.sh: they depend on whether a daemon runs.
. usr/tests/sh/adm_common.sh
stock_required "-m host/fw/iface apply"
DATA="$TOP/usr/tests/data"
CASES="$DATA/modes/cases"
IPC="modes-test-$$-nobody"

# States: etc directories every case starts from a copy of.
state_plain() {
	mkdir -p "$1"
	echo "iscsid.startup = /bin/true" > "$1/iscsid.conf"
	echo "InitiatorName=iqn.1993-08.org.debian:01:testhost" > "$1/initiatorname.iscsi"
}
state_plain "$WORK/st.plain"
state_plain "$WORK/st.ifaces"
mkdir -m 700 "$WORK/st.ifaces/ifaces"
cp "$DATA"/modes/ifaces/* "$WORK/st.ifaces/ifaces/"
rm "$WORK/st.ifaces/ifaces/bare"
chmod 600 "$WORK"/st.ifaces/ifaces/*
state_plain "$WORK/st.swifaces"
mkdir -m 700 "$WORK/st.swifaces/ifaces"
cp "$DATA/modes/ifaces/d" "$DATA/modes/ifaces/bare" "$DATA/modes/ifaces/x9" \
	"$WORK/st.swifaces/ifaces/"
chmod 600 "$WORK"/st.swifaces/ifaces/*
state_plain "$WORK/st.fwrecs"

# stock_run TREE ETC ARGS...: stock with TREE as /sys and ETC as /etc/iscsi
stock_run() {
	t=$1 e=$2
	shift 2
	unshare -m -n sh -c 'mount --bind "$1" /sys && mount --bind "$2" /etc/iscsi &&
		shift 2 && exec "$@"' sh "$t" "$e" "$STOCK" "$@"
}
stock_run "$DATA/ibft/two" "$WORK/st.fwrecs" -m discovery -t fw > /dev/null 2>&1
stock_run "$DATA/ibft/two" "$WORK/st.fwrecs" -m node -o new \
	-T iqn.2026-12.lab.autoscan:static -p 10.9.9.9:3260 > /dev/null 2>&1
[ -e "$WORK/st.fwrecs/fw" ] || fail "fwrecs state: stock made no firmware records"

# tree_of DIR: the record files (names, link targets with DIR as
# /etc/iscsi, contents); our nodes_ext sidecar and the lock file aside
tree_of() {
	(cd "$1" && find . ! -name .idb.lock ! -path './nodes_ext*' -printf '%p %y %l\n' |
		sed "s|$1|/etc/iscsi|g" | LC_ALL=C sort &&
	 find . -type f ! -name .idb.lock ! -path './nodes_ext*' -exec md5sum {} + | LC_ALL=C sort)
}

# quiet FILE: stderr without the iscsid/systemd lines
quiet() {
	grep -v -e 'iSCSI daemon' -e 'iscsid' -e 'systemd' -e 'connect to bus' "$1" || true
}

# run_case DIR STATE TREE ARGS...: stock and ours on copies of the state,
# outputs and resulting files in DIR.
run_case() {
	d=$1 tree="$DATA/$3"
	cp -a "$WORK/st.$2" "$d/s"
	cp -a "$WORK/st.$2" "$d/o"
	shift 3
	stock_run "$tree" "$d/s" "$@" > "$d/s.out" 2> "$d/s.err0"
	echo $? > "$d/s.rc"
	ISCSI_ETC_DIR="$d/o" ISCSI_SYSFS_ROOT="$tree" ISCSID_IPC_NAME="$IPC" \
		"$OURS" "$@" > "$d/o.out" 2> "$d/o.err0"
	echo $? > "$d/o.rc"
	quiet "$d/s.err0" | sed "s|^$STOCK:|iscsiadm:|" > "$d/s.err"
	quiet "$d/o.err0" | sed -e "s|$d/o|/etc/iscsi|g" -e "s|^$OURS:|iscsiadm:|" > "$d/o.err"
	tree_of "$d/s" > "$d/s.tree"
	tree_of "$d/o" > "$d/o.tree"
}

n=0; same=0; documented=0
# check_case DIR STATE TREE FLAGS ARGS...
check_case() {
	d=$1 st=$2 tname=$3 flags=$4
	shift 4
	n=$((n + 1))
	case ",$flags," in *,kmod,*)
		grep -v -e '^libkmod:' -e 'Could not insert module' "$d/s.err" > "$d/s.err1"
		cmp -s "$d/s.err" "$d/s.err1" && fail "$*: kmod flag, but stock loaded no module"
		mv "$d/s.err1" "$d/s.err"
		documented=$((documented + 1)) ;;
	esac
	case ",$flags," in *,sorted,*)
		LC_ALL=C sort -o "$d/s.out" "$d/s.out"
		LC_ALL=C sort -o "$d/o.out" "$d/o.out" ;;
	esac
	bad=""
	cmp -s "$d/s.rc" "$d/o.rc" || bad="$bad exit($(cat "$d/s.rc")/$(cat "$d/o.rc"))"
	cmp -s "$d/s.out" "$d/o.out" || bad="$bad stdout"
	cmp -s "$d/s.err" "$d/o.err" || bad="$bad stderr"
	cmp -s "$d/s.tree" "$d/o.tree" || bad="$bad files"
	if [ -z "$bad" ]; then
		same=$((same + 1))
		return
	fi
	fail "[$st $tname] iscsiadm $*:$bad (stock first)"
	for f in out err tree; do
		diff "$d/s.$f" "$d/o.$f" | head -8
	done
}

# Both tools sleep a second each time iscsid does not answer (once per
# session or firmware record here); the cases run 40 at a time, mostly
# asleep.
i=0
while read -r st tree flags args; do
	case "$st" in ''|'#'*) continue ;; esac
	i=$((i + 1))
	mkdir "$WORK/c$i"
	echo "$st $tree $flags $args" > "$WORK/c$i/case"
	# shellcheck disable=SC2086
	run_case "$WORK/c$i" "$st" "$tree" $args &
	[ $((i % 40)) -eq 0 ] && wait
done < "$CASES"
wait
for c in $(seq 1 "$i"); do
	read -r st tree flags args < "$WORK/c$c/case"
	# shellcheck disable=SC2086
	check_case "$WORK/c$c" "$st" "$tree" "$flags" $args
done

echo "modes: $n cases, $same identical to stock ($documented with a documented difference), $FAILS different"
[ "$n" -ge 100 ] || fail "only $n cases ran"
finish
