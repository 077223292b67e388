#!/bin/sh
# Replays the iscsiadm calls os-brick makes (os_brick/initiator/connectors/
# iscsi.py: connect, CHAP, discoverydb with CHAP, startup bookkeeping,
# disconnect) that need no iscsid, against ours and stock 2.1.8 on twin
# private databases, comparing stdout, whether stderr is empty, and the
# exit code, which os-brick checks (21: no record, 6: no discovery record).
. usr/tests/sh/adm_common.sh
stock_required "os-brick replay"
S=$(etc_dir stock none)
O=$(etc_dir ours none)
IQN=iqn.2010-10.org.openstack:volume-0001
P=127.0.0.1:3366

# step WHAT ARGS...: run on both, compare
step() {
	what=$1; shift
	stock "$S" "$@"; ours "$O" "$@"
	same_out "$what: iscsiadm $*"
	se=0; oe=0
	[ -s "$WORK/s.err" ] && se=1
	[ -s "$WORK/o.err" ] && oe=1
	[ $se = $oe ] || fail "$what: stderr empty? stock $((1 - se)) ours $((1 - oe)): $(cat "$WORK/o.err")"
}

# _connect_to_iscsi_portal
step "probe missing record" -m node -T $IQN -p $P
[ "$(cat "$WORK/o.rc")" = 21 ] || fail "missing record must exit 21"
step "create record" -m node -T $IQN -p $P --interface default --op new
step "manual scan" -m node -T $IQN -p $P --op update -n node.session.scan -v manual
[ -s "$WORK/o.err" ] && fail "manual scan update must leave stderr empty (os-brick tests it)"
step "chap method" -m node -T $IQN -p $P --op update -n node.session.auth.authmethod -v CHAP
step "chap user" -m node -T $IQN -p $P --op update -n node.session.auth.username -v osuser
step "chap pass" -m node -T $IQN -p $P --op update -n node.session.auth.password -v ospass
step "probe record" -m node -T $IQN -p $P
step "startup automatic" -m node -T $IQN -p $P --op update -n node.startup -v automatic
# _get_node_startup_values
step "startup values" -m node --op show -p $P
step "startup values, no record" -m node --op show -p 127.0.0.1:3399
# _discover_iscsi_portals with discovery CHAP
step "discoverydb update, missing" -m discoverydb -t sendtargets -I default -p $P --op update \
	-n discovery.sendtargets.auth.authmethod -v CHAP \
	-n discovery.sendtargets.auth.username -v duser -n discovery.sendtargets.auth.password -v dpass
[ "$(cat "$WORK/o.rc")" = 6 ] || fail "missing discovery record must exit 6"
step "discoverydb new" -m discoverydb -t sendtargets -p $P -I default --op new
step "discoverydb update" -m discoverydb -t sendtargets -I default -p $P --op update \
	-n discovery.sendtargets.auth.authmethod -v CHAP \
	-n discovery.sendtargets.auth.username -v duser -n discovery.sendtargets.auth.password -v dpass
step "discoverydb show" -m discoverydb -o show -P 1
step "discoverydb record" -m discoverydb -t sendtargets -p $P -o show
# _get_transport / iface validation (exit 6 for a missing iface file)
# stock's message here is an internal trace; ours says which iface
ERR_DIFFERS=1
step "missing iface" -m iface -I nosuch0
ERR_DIFFERS=
step "node list" -m node
# _disconnect_from_iscsi_portal
step "startup manual" -m node -T $IQN -p $P --op update -n node.startup -v manual
step "delete" -m node -T $IQN -p $P --op delete
step "delete again" -m node -T $IQN -p $P --op delete
[ "$(cat "$WORK/o.rc")" = 21 ] || fail "deleting a missing record must exit 21"
step "update missing" -m node -T $IQN -p $P --op update -n node.startup -v manual

# os-brick's own code (Debian's python3-os-brick) on top of each iscsiadm
PY=/usr/bin/python3
if $PY -c 'import os_brick.initiator.connectors.iscsi' 2>/dev/null; then
	cat > "$WORK/stock-adm" <<EOS
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$0" /etc/iscsi && exec "\$@"' "$S" "$STOCK" "\$@"
EOS
	chmod +x "$WORK/stock-adm"
	$PY usr/tests/sh/osbrick_replay.py "$WORK/stock-adm" > "$WORK/py.stock" 2>&1
	ISCSI_ETC_DIR=$O $PY usr/tests/sh/osbrick_replay.py "$OURS" > "$WORK/py.ours" 2>&1
	sed "s|$WORK/stock-adm|ADM|" "$WORK/py.stock" > "$WORK/py.s"
	sed "s|$OURS|ADM|" "$WORK/py.ours" > "$WORK/py.o"
	if grep -q "^call:" "$WORK/py.s" && cmp -s "$WORK/py.s" "$WORK/py.o"; then
		pass "os-brick code: same conclusions and exit codes ($(grep -c '^call:' "$WORK/py.o") calls)"
	else
		fail "os-brick code differs"; diff "$WORK/py.s" "$WORK/py.o" | head -20
	fi
else
	echo "FAIL: python3-os-brick not importable: os-brick code replay cannot run" >&2; exit 1
fi
finish
