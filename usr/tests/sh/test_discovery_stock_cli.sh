#!/bin/sh
# The parts of "-m discovery" that need no target, ours against stock
# open-iscsi 2.1.8 (run in a private mount namespace with a tmpfs over
# /etc/iscsi): record listing, record show, argument errors. Same stdout,
# same stderr, same exit code for every command of the sequence.
set -u
. usr/tests/sh/discovery_lib.sh
[ -x "$ADM" ] || fail "build usr/iscsiadm first"
STOCK=$(command -v iscsiadm || echo /usr/sbin/iscsiadm)
[ -x "$STOCK" ] || fail "stock iscsiadm (Debian package open-iscsi) missing"

cat > "$TMP/cmds" <<'CMDS'
-m discovery
-m discovery -p 127.0.0.1:3300
-m discoverydb -t st -p 127.0.0.1:3300 -o new
-m discovery
-m discovery -p 127.0.0.1:3300
-m discovery -P 1
-m discovery -t foo -p 127.0.0.1
-m discovery -t st
CMDS

# run_all PROG DIR: each command's stdout, stderr and exit code into DIR
cat > "$TMP/run_all.sh" <<'RUN'
prog=$1; dir=$2; i=0
mkdir -p "$dir"
while read -r line; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$prog" $line >"$dir/$i.out" 2>"$dir/$i.err"; echo $? >"$dir/$i.rc"
done < "$3"
RUN

unshare -m sh -c "mount -t tmpfs none /etc/iscsi &&
	cp '$ISCSI_ETC_DIR/initiatorname.iscsi' /etc/iscsi/ &&
	sh '$TMP/run_all.sh' '$STOCK' '$TMP/stock' '$TMP/cmds'" || fail "cannot run stock in a namespace"
sh "$TMP/run_all.sh" "$ADM" "$TMP/ours" "$TMP/cmds"

i=0
while read -r line; do
	i=$((i + 1))
	# the discoverydb line only sets up a record (discoverydb mode; stock also
	# complains there that iscsid is not running): not compared
	case $line in "-m discoverydb"*) continue;; esac
	for f in out err rc; do
		diff -u "$TMP/stock/$i.$f" "$TMP/ours/$i.$f" >"$TMP/diff" ||
			{ cat "$TMP/diff"; fail "iscsiadm $line: $f differs from stock"; }
	done
	ok "iscsiadm $line: as stock (exit $(cat "$TMP/ours/$i.rc"))"
done < "$TMP/cmds"
