#!/bin/sh
# SendTargets discovery against Debian's tgtd on 127.0.0.1 with several
# targets: output lines, records created as stock lays them out, -P 1,
# default ops (new + update + delete of stale records), -o new only,
# -o nonpersistent, discoverydb --discover, and discovery CHAP as far as
# tgt goes (tgt has no discovery authentication: accounts bind to targets).
set -u
. usr/tests/sh/discovery_lib.sh
[ -x "$ADM" ] || fail "build usr/iscsiadm first"
command -v tgtd >/dev/null || fail "tgtd missing (Debian package tgt)"

PORT=$(pick_port)
P=127.0.0.1:$PORT
IQN=iqn.2026-01.test.h2
tgt_start "$PORT"
for i in 1 2 3; do tgt_target $i $IQN:disk$i; done

# 1. plain discovery: one line per portal, sorted as tgt answers
"$ADM" -m discovery -t st -p $P >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/err"; fail "discovery exit $?"; }
printf '%s\n' "$P,1 $IQN:disk1" "$P,1 $IQN:disk2" "$P,1 $IQN:disk3" > "$TMP/want"
diff -u "$TMP/want" "$TMP/out" || fail "discovery output"
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "discovery wrote to stderr"; }
ok "three targets listed"

# records: stock's layout, mode 0600, discovery source filled in
for i in 1 2 3; do
	f="$ISCSI_ETC_DIR/nodes/$IQN:disk$i/127.0.0.1,$PORT,1/default"
	[ -f "$f" ] || fail "missing $f"
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f not 0600"
	[ -L "$ISCSI_ETC_DIR/send_targets/127.0.0.1,$PORT/$IQN:disk$i,127.0.0.1,$PORT,1,default" ] ||
		fail "missing send_targets link for disk$i"
done
[ -f "$ISCSI_ETC_DIR/send_targets/127.0.0.1,$PORT/st_config" ] || fail "missing st_config"
"$ADM" -m node -T $IQN:disk2 -p $P >"$TMP/show" || fail "node show"
grep -qx "node.discovery_address = 127.0.0.1" "$TMP/show" || fail "discovery_address"
grep -qx "node.discovery_port = $PORT" "$TMP/show" || fail "discovery_port"
grep -qx "node.discovery_type = send_targets" "$TMP/show" || fail "discovery_type"
grep -qx "node.tpgt = 1" "$TMP/show" || fail "tpgt"
ok "records written as stock lays them out"

# 2. -P 1 prints the tree
"$ADM" -m discovery -t st -p $P -P 1 >"$TMP/tree" || fail "-P 1"
[ "$(grep -c '^Target: ' "$TMP/tree")" -eq 3 ] || fail "-P 1 targets"
grep -qx "	Portal: $P,1" "$TMP/tree" || fail "-P 1 portal line"
grep -qx "		Iface Name: default" "$TMP/tree" || fail "-P 1 iface line"
ok "-P 1 tree"

# 3. default ops: a record changed by the operator is rewritten; -o new keeps it
"$ADM" -m node -T $IQN:disk1 -p $P -o update -n node.session.scan -v manual || fail "update"
"$ADM" -m discovery -t st -p $P -o new >/dev/null || fail "-o new"
"$ADM" -m node -T $IQN:disk1 -p $P | grep -qx "node.session.scan = manual" || fail "-o new overwrote"
"$ADM" -m discovery -t st -p $P >/dev/null || fail "rediscovery"
"$ADM" -m node -T $IQN:disk1 -p $P | grep -qx "node.session.scan = auto" || fail "default ops did not update"
ok "-o new keeps, default ops update"

# 4. a target gone from the answer: -o new keeps its record, default ops delete it
tgtadm_ --mode target --op delete --force --tid 3 || fail "tgt delete"
"$ADM" -m discovery -t st -p $P -o new >/dev/null || fail "-o new after delete"
[ -f "$ISCSI_ETC_DIR/nodes/$IQN:disk3/127.0.0.1,$PORT,1/default" ] || fail "-o new deleted a record"
"$ADM" -m discovery -t st -p $P >"$TMP/out2" || fail "discovery after delete"
[ "$(wc -l < "$TMP/out2")" -eq 2 ] || fail "expected 2 lines after delete"
[ ! -e "$ISCSI_ETC_DIR/nodes/$IQN:disk3/127.0.0.1,$PORT,1/default" ] || fail "stale record kept"
ok "stale record deleted by default ops only"

# 5. nonpersistent: prints, writes nothing
ETC2="$TMP/etc2"; mkdir -p "$ETC2"; cp "$ISCSI_ETC_DIR/initiatorname.iscsi" "$ETC2/"
ISCSI_ETC_DIR="$ETC2" "$ADM" -m discovery -t st -p $P -o nonpersistent >"$TMP/np" || fail "nonpersistent"
[ "$(wc -l < "$TMP/np")" -eq 2 ] || fail "nonpersistent output"
[ -z "$(find "$ETC2" -path '*nodes*' -type f)" ] || fail "nonpersistent wrote node records"
ok "-o nonpersistent writes no records"

# 6. discoverydb as os-brick drives it: new record, then --discover
ETC3="$TMP/etc3"; mkdir -p "$ETC3"; cp "$ISCSI_ETC_DIR/initiatorname.iscsi" "$ETC3/"
export ISCSI_ETC_DIR="$ETC3"
"$ADM" -m discoverydb -t sendtargets -p $P -I default --discover >"$TMP/dd0" 2>"$TMP/dd0.err"; rc=$?
[ $rc -eq 21 ] || { cat "$TMP/dd0.err"; fail "--discover without record: exit $rc, expected 21"; }
"$ADM" -m discoverydb -t sendtargets -p $P -I default -o new >/dev/null || fail "discoverydb new"
"$ADM" -m discoverydb -t sendtargets -p $P -I default --discover >"$TMP/dd" || fail "--discover"
[ "$(wc -l < "$TMP/dd")" -eq 2 ] || fail "--discover output"
[ -f "$ETC3/nodes/$IQN:disk1/127.0.0.1,$PORT,1/default" ] || fail "--discover record"
ok "discoverydb --discover"

# 7. discovery CHAP. tgt never authenticates a discovery session, so a
# one-way CHAP offer ("CHAP,None") is answered with None and succeeds,
# while mutual CHAP (the target must prove itself) must fail: exit 24.
for kv in authmethod=CHAP username=discuser password=discsecret12; do
	"$ADM" -m discoverydb -t st -p $P -o update -n "discovery.sendtargets.auth.${kv%%=*}" -v "${kv#*=}" ||
		fail "set $kv"
done
"$ADM" -m discoverydb -t st -p $P --discover >"$TMP/chap1" 2>"$TMP/chap1.err" ||
	{ cat "$TMP/chap1.err"; fail "one-way CHAP offer against tgt"; }
ok "one-way CHAP offered, tgt chose None"
for kv in username_in=tgtuser password_in=tgtsecret123; do
	"$ADM" -m discoverydb -t st -p $P -o update -n "discovery.sendtargets.auth.${kv%%=*}" -v "${kv#*=}" ||
		fail "set $kv"
done
"$ADM" -m discoverydb -t st -p $P --discover >"$TMP/chap2" 2>"$TMP/chap2.err"; rc=$?
[ $rc -eq 24 ] || { cat "$TMP/chap2.err"; fail "mutual CHAP without target auth: exit $rc, expected 24"; }
grep -q "iSCSI login failed due to authorization failure" "$TMP/chap2.err" || fail "mutual CHAP message"
ok "mutual CHAP refused when the target cannot authenticate: exit 24"

# 8. IPv6: a portal on [::1]; lines and record paths use stock's forms
tgtadm_ --mode portal --op new --param "portal=[::1]:$PORT" || fail "tgt IPv6 portal"
"$ADM" -m discovery -t st -p "[::1]:$PORT" >"$TMP/v6" 2>"$TMP/v6.err" || { cat "$TMP/v6.err"; fail "IPv6 discovery"; }
grep -qx "\[::1\]:$PORT,1 $IQN:disk1" "$TMP/v6" || { cat "$TMP/v6"; fail "IPv6 line"; }
[ -f "$ETC3/nodes/$IQN:disk1/::1,$PORT,1/default" ] || fail "IPv6 record path"
ok "IPv6 portal listed as [::1]:$PORT,1"

# 9. -l hands the discovered records to iscsid; with none listening (a
# private socket name) the portals are still listed and stock's exit 20 comes back
ISCSI_ETC_DIR="$ETC2" ISCSID_IPC_NAME="h2-no-iscsid-$$" "$ADM" -m discovery -t st -p $P -l >"$TMP/l.out" 2>"$TMP/l.err"; rc=$?
[ $rc -eq 20 ] || { cat "$TMP/l.err"; fail "-l without iscsid: exit $rc, expected 20"; }
grep -q "$IQN:disk1" "$TMP/l.out" || fail "-l did not list the portals"
ok "-l without iscsid: exit 20"

# 10. -I: records per iface, the iface's settings copied in
ETC4="$TMP/etc4"; mkdir -p "$ETC4"; cp "$ETC2/initiatorname.iscsi" "$ETC4/"
export ISCSI_ETC_DIR="$ETC4"
"$ADM" -m iface -I h2if -o new >/dev/null || fail "iface new"
"$ADM" -m iface -I h2if -o update -n iface.initiatorname -v iqn.2026-01.test.h2:other >/dev/null ||
	fail "iface update"
"$ADM" -m discovery -t st -p $P -I h2if -I default >"$TMP/if" || fail "discovery -I"
[ "$(wc -l < "$TMP/if")" -eq 4 ] || { cat "$TMP/if"; fail "-I: expected 2 targets x 2 ifaces"; }
for ifn in h2if default; do
	[ -f "$ETC4/nodes/$IQN:disk1/127.0.0.1,$PORT,1/$ifn" ] || fail "-I: no $ifn record"
done
"$ADM" -m node -T $IQN:disk1 -p $P -I h2if | grep -qx "iface.initiatorname = iqn.2026-01.test.h2:other" ||
	fail "-I: iface settings not copied"
ok "-I: one record per iface"

# 11. tgt with no targets at all drops the discovery login: retried until
# reopen_max runs out, then stock 2.1.8's "iSCSI PDU timed out" (exit 11);
# the records stay untouched
tgtadm_ --mode target --op delete --force --tid 1 && tgtadm_ --mode target --op delete --force --tid 2 ||
	fail "tgt delete all"
echo "discovery.sendtargets.reopen_max = 0" > "$ETC4/iscsid.conf"
rm -rf "$ETC4/send_targets"
"$ADM" -m discovery -t st -p $P >"$TMP/none" 2>"$TMP/none.err"; rc=$?
[ $rc -eq 11 ] || { cat "$TMP/none.err"; fail "no targets: exit $rc, expected 11"; }
[ -f "$ETC4/nodes/$IQN:disk1/127.0.0.1,$PORT,1/default" ] || fail "failed discovery deleted records"
ok "tgt without targets: exit 11, records kept"
