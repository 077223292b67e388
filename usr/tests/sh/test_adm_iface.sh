#!/bin/sh
# -m iface and -m discoverydb record handling: create, update, show, delete,
# listings, refusals; compared with stock 2.1.8 where it can run (stock
# cannot update an iface on a machine without the iscsi_tcp module, so those
# steps check ours alone).
. usr/tests/sh/adm_common.sh
D=$(etc_dir iface none)

expect_rc() {
	got=$(cat "$WORK/o.rc")
	[ "$got" = "$1" ] && pass "$2" || fail "$2: exit $got, want $1 ($(cat "$WORK/o.err"))"
}
has() {
	grep -qxF -- "$1" "$WORK/o.out" && pass "$2" || fail "$2: no '$1' in output"
}

ours "$D" -m iface -I ifx0 -o new
expect_rc 0 "iface new"
has "New interface ifx0 added" "iface new line"
[ "$(stat -c %a "$D/ifaces/ifx0")" = 600 ] || fail "iface file mode"
ours "$D" -m iface -I ifx0 -o update -n iface.ipaddress -v 192.0.2.7
expect_rc 0 "iface update"
has "ifx0 updated." "iface update line"
ours "$D" -m iface -I ifx0 -o update -n iface.vlan_id -v 5000
expect_rc 7 "iface vlan_id out of range refused"
ours "$D" -m iface -I ifx0 -o update -n node.startup -v manual
expect_rc 7 "node key refused in iface mode"
ours "$D" -m iface -I ifx0 -o update -n iface.iscsi_ifacename -v other
expect_rc 7 "iface name cannot change"
ours "$D" -m iface -I ifx0
has "iface.ipaddress = 192.0.2.7" "iface show"
has "iface.vlan_id = 0" "refused update left vlan_id"
ours "$D" -m iface
printf 'ifx0 tcp,<empty>,192.0.2.7,<empty>,<empty>\ndefault tcp,<empty>,<empty>,<empty>,<empty>\niser iser,<empty>,<empty>,<empty>,<empty>\n' > "$WORK/want"
cmp -s "$WORK/o.out" "$WORK/want" && pass "iface listing (files first, then built-ins)" ||
	{ fail "iface listing"; diff "$WORK/want" "$WORK/o.out"; }

# a node bound to the iface takes its values, and goes with it
ours "$D" -m node -o new -T iqn.2024-01.test:if1 -p 127.0.0.1:3361,1 -I ifx0
has "New iSCSI node [tcp:[hw=,ip=192.0.2.7,net_if=,iscsi_if=ifx0] 127.0.0.1,3361,1 iqn.2024-01.test:if1] added" "node bound to iface"
ours "$D" -m iface -P 1
printf 'Iface: ifx0\n\tTarget: iqn.2024-01.test:if1\n\t\tPortal: 127.0.0.1:3361,1\nIface: default\nIface: iser\n' > "$WORK/want"
cmp -s "$WORK/o.out" "$WORK/want" && pass "iface tree" || { fail "iface tree"; diff "$WORK/want" "$WORK/o.out"; }
ours "$D" -m node -o new -T iqn.2024-01.test:if2 -p 127.0.0.1:3361 -I nosuch
expect_rc 3 "node new with a missing iface (stock's exit 3)"
ours "$D" -m iface -I default -o delete
expect_rc 7 "built-in iface cannot be deleted"
ours "$D" -m iface -I ifx0 -o delete
expect_rc 0 "iface delete"
has "ifx0 unbound and deleted." "iface delete line"
ours "$D" -m node
expect_rc 21 "bound node deleted with its iface"
ours "$D" -m iface -I ifx0
expect_rc 6 "missing iface exits 6"

# discoverydb
ours "$D" -m discoverydb -t st -p 127.0.0.1:3362 -o show
expect_rc 6 "missing discovery record exits 6"
grep -qxF "iscsiadm: Discovery record [127.0.0.1,3362] not found." "$WORK/o.err" || fail "not-found message"
ours "$D" -m discoverydb -t st -p 127.0.0.1:3362 -o new
expect_rc 0 "discoverydb new"
ours "$D" -m discoverydb -t st -p 127.0.0.1:3362 -o update -n discovery.startup -v sometimes
expect_rc 7 "bad discovery value refused"
ours "$D" -m discoverydb -t st -p 127.0.0.1:3362 -o update -n discovery.sendtargets.port -v 1
expect_rc 7 "discovery portal cannot change"
ours "$D" -m discoverydb -p 127.0.0.1:3362 -o show
expect_rc 7 "missing --type"
ours "$D" -m discoverydb -t st -o show
expect_rc 7 "missing portal"
ours "$D" -m discoverydb -t st -p 127.0.0.1:3362 -o delete
expect_rc 0 "discoverydb delete"
ours "$D" -m discoverydb
expect_rc 21 "no discovery records"

if stock_ok; then
	S=$(etc_dir iface_stock none)
	for args in "-m iface" "-m iface -P 1" "-m iface -I nosuch -o delete" \
		"-m iface -I default -o delete" "-m iface -I iser -o new" \
		"-m discoverydb -P 1" "-m discoverydb"; do
		# shellcheck disable=SC2086
		stock "$S" $args; ours "$S" $args
		same_out "empty db: iscsiadm $args"
	done
	stock "$S" -m iface -I ifs0 -o new; ours "$D" -m iface -I ifs0 -o new
	same_out "iface new line"
	ours "$D" -m iface -I ifs0 -o show; cp "$WORK/o.out" "$WORK/ours.show"
	stock "$S" -m iface -I ifs0 -o show; ours "$S" -m iface -I ifs0 -o show
	same_out "stock-written iface, ours prints"
	cmp -s "$WORK/ours.show" "$WORK/o.out" && pass "ours-written iface prints the same" ||
		fail "ours-written iface differs"
	stock "$D" -m iface -I ifs0 -o delete; ours "$S" -m iface -I ifs0 -o delete
	same_out "iface delete line, each on the other's record"
fi
finish
