#!/bin/sh
# Our own node-record behaviour: iscsid.conf defaults for new records,
# node.session.autoscan_en (unset follows iscsid.conf; set, validated,
# stored), refusals that leave the file untouched, concurrent runs, and the
# basic command-line answers.
. usr/tests/sh/adm_common.sh
D=$(etc_dir node)
T=iqn.2024-01.test:node1 P=127.0.0.1:3360
F="$D/nodes/$T/127.0.0.1,3360"

expect_rc() {	# expect_rc WANT WHAT
	got=$(cat "$WORK/o.rc")
	[ "$got" = "$1" ] && pass "$2" || fail "$2: exit $got, want $1 ($(cat "$WORK/o.err"))"
}
has() {	# has LINE WHAT: stdout holds LINE exactly
	grep -qxF -- "$1" "$WORK/o.out" && pass "$2" || fail "$2: no '$1' in output"
}

ours "$D" -m node -o new -T $T -p $P
expect_rc 0 "-o new"
has "New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] 127.0.0.1,3360,-1 $T] added" "new line"
ours "$D" -m node -T $T -p $P
has "node.session.initial_login_retry_max = 8" "Debian iscsid.conf default applied"
has "node.conn[0].timeo.login_timeout = 15" "Debian login_timeout applied"
has "node.session.autoscan_en = Yes" "unset autoscan_en shows iscsid.conf's default (Yes)"
[ "$(grep -c '' "$WORK/o.out")" = 110 ] || fail "record show has $(grep -c '' "$WORK/o.out") lines, want 110"

# a global No is followed by a record that never set its own value
echo "node.session.autoscan_en = No" >> "$D/iscsid.conf"
ours "$D" -m node -T $T -p $P
has "node.session.autoscan_en = No" "unset autoscan_en follows a global No"
ours "$D" -m node -T $T -p $P -o update -n node.session.autoscan_en -v Yes
expect_rc 0 "set autoscan_en Yes"
[ -s "$WORK/o.err" ] && fail "update wrote to stderr"
ours "$D" -m node -T $T -p $P
has "node.session.autoscan_en = Yes" "record's own Yes beats the global No"
ours "$D" -m node -T $T -p $P -o update -n node.session.autoscan_en -v No
ours "$D" -m node -T $T -p $P -o show -n node.session.autoscan_en
has "node.session.autoscan_en = No" "record set to No"

# refusals: exit 7, stock's words, file untouched
sum=$(md5sum < "$F")
ours "$D" -m node -T $T -p $P -o update -n node.session.autoscan_en -v maybe
expect_rc 7 "invalid autoscan_en refused"
grep -qF "iscsiadm: unknown value format 'maybe' for parameter name 'node.session.autoscan_en'" "$WORK/o.err" ||
	fail "message for invalid value: $(cat "$WORK/o.err")"
ours "$D" -m node -T $T -p $P -o update -n node.session.cmds_max -v lots
expect_rc 7 "non-numeric int refused"
ours "$D" -m node -T $T -p $P -o update -n node.startup -v automatic -n node.session.scan -v sometimes
expect_rc 7 "second bad pair refuses the whole update"
ours "$D" -m node -T $T -p $P -o update -n node.nosuchkey -v 1
expect_rc 7 "unknown key refused"
grep -qF "iscsiadm: Cannot modify node.nosuchkey. Invalid param name." "$WORK/o.err" || fail "unknown key message"
ours "$D" -m node -T $T -p $P -o update -n node.name -v other
expect_rc 7 "identity key refused"
ours "$D" -m node -T $T -p $P -o update -n node.startup
expect_rc 7 "-n without -v refused"
[ "$(md5sum < "$F")" = "$sum" ] && pass "refused updates left the file alone" || fail "file changed"
ours "$D" -m node -T $T -p $P
has "node.startup = manual" "startup unchanged after the refused pair"

# concurrent runs: each sets its own key; none is lost, the file stays whole
i=0
for k in node.session.queue_depth node.session.cmds_max node.conn[0].timeo.noop_out_interval \
	node.session.initial_login_retry_max node.session.err_timeo.abort_timeout \
	node.conn[0].timeo.noop_out_timeout node.session.reopen_max node.session.nr_sessions; do
	i=$((i + 1))
	ISCSI_ETC_DIR=$D "$OURS" -m node -T $T -p $P -o update -n "$k" -v $((i * 2)) &
done
wait
ours "$D" -m node -T $T -p $P
has "node.session.queue_depth = 2" "concurrent update 1 kept"
has "node.session.nr_sessions = 16" "concurrent update 8 kept"
has "node.conn[0].timeo.noop_out_interval = 6" "concurrent update 3 kept"
has "# END RECORD" "record whole after concurrent runs"
ls "$D/nodes/$T/" | grep -q tmp && fail "temporary file left behind"
[ "$(stat -c %a "$F")" = 600 ] && pass "mode 0600" || fail "mode $(stat -c %a "$F")"

# iscsid.conf with a syntax error and an unknown key: records still usable,
# stderr stays empty (as stock; os-brick reads any stderr as failure), and
# -d 1 shows the notes with their line numbers
printf 'node.startup = manual\nthis line is wrong\nfoo.bar = 1\n' > "$D/iscsid.conf"
ours "$D" -m node
expect_rc 0 "listing works despite a broken iscsid.conf"
[ -s "$WORK/o.err" ] && fail "notes about iscsid.conf printed without -d: $(cat "$WORK/o.err")"
ours "$D" -m node -d 1
grep -q "iscsid.conf line 2: syntax error" "$WORK/o.err" && pass "syntax error names line 2 (-d 1)" ||
	fail "no line number: $(cat "$WORK/o.err")"
grep -q "line 3: unknown setting 'foo.bar'" "$WORK/o.err" && pass "unknown key named (-d 1)" ||
	fail "unknown key not named"

# a record a session is using is not deleted (fake sysfs: session 1 is
# iqn.2003-01.org.example:disk1 on 10.0.2.2:3260)
ours "$D" -m node -o new -T iqn.2003-01.org.example:disk1 -p 10.0.2.2:3260,1
ours "$D" -m node -o new -T iqn.2003-01.org.example:disk1 -p 10.0.2.2:3262,1
ISCSI_SYSFS_ROOT=$TOP/usr/tests/data/sysfs/two-sessions ours "$D" -m node -T iqn.2003-01.org.example:disk1 -o delete
expect_rc 15 "record in use: not deleted (session exists)"
grep -qF "but a session is using it. Logout session then rerun command to remove record." "$WORK/o.err" ||
	fail "in-use message: $(cat "$WORK/o.err")"
[ -f "$D/nodes/iqn.2003-01.org.example:disk1/10.0.2.2,3260,1/default" ] && pass "in-use record kept" ||
	fail "in-use record deleted"
[ -e "$D/nodes/iqn.2003-01.org.example:disk1/10.0.2.2,3262,1" ] && fail "unused record kept" ||
	pass "unused record of the same target deleted"
ours "$D" -m node -T iqn.2003-01.org.example:disk1 -o delete
expect_rc 0 "without the session the record goes"

# command line basics
ours "$D" --version; expect_rc 0 "--version"; has "iscsiadm version 2.1.8" "version line"
ours "$D" --help; expect_rc 0 "--help"
ours "$D"; expect_rc 7 "no mode"
ours "$D" -m nosuchmode; expect_rc 7 "bad mode"
ours "$D" -m node -o nosuchop; expect_rc 7 "bad op"
ours "$D" -m node -P 2; expect_rc 7 "bad print level"
ours "$D" --mode node --targetname $T --portal $P --op delete; expect_rc 0 "long options, delete"
ours "$D" -m node; expect_rc 21 "no records left"
grep -qxF "iscsiadm: No records found" "$WORK/o.err" || fail "no-records message"
[ -e "$D/nodes/$T" ] && fail "empty target directory left behind"
finish
