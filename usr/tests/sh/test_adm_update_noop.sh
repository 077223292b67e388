#!/bin/sh
# -o update that changes nothing does not rewrite the record: a record stock
# 2.1.8 wrote keeps its bytes and its mtime; one that does change is written
# (and stock reads it back).
. usr/tests/sh/adm_common.sh
stock_required "a no-op update of a stock record"
D=$(etc_dir noop)
T=iqn.2024-01.test:noop P=127.0.0.1:3362
F="$D/nodes/$T/127.0.0.1,3362"

stock "$D" -m node -o new -T $T -p $P
[ -f "$F" ] || { fail "stock made no record"; finish; }
touch -d '2001-02-03 04:05:06' "$F"
sum=$(md5sum < "$F") mtime=$(stat -c %Y "$F")
val=$(sed -n 's/^node.session.cmds_max = //p' "$F")
[ -n "$val" ] || fail "stock record has no cmds_max"

ours "$D" -m node -T $T -p $P -o update -n node.session.cmds_max -v "$val"
[ "$(cat "$WORK/o.rc")" = 0 ] && pass "no-op update exits 0" || fail "no-op update: exit $(cat "$WORK/o.rc")"
[ "$(md5sum < "$F")" = "$sum" ] && pass "no-op update kept the bytes" || fail "no-op update changed the file"
[ "$(stat -c %Y "$F")" = "$mtime" ] && pass "no-op update kept the mtime" ||
	fail "no-op update rewrote the file (mtime $(stat -c %Y "$F"), was $mtime)"

ours "$D" -m node -T $T -p $P -o update -n node.session.cmds_max -v 64 -n node.session.cmds_max -v "$val"
[ "$(stat -c %Y "$F")" = "$mtime" ] && pass "set and set back in one update: not rewritten" ||
	fail "an update ending where it started rewrote the file"

ours "$D" -m node -T $T -p $P -o update -n node.session.cmds_max -v 64
[ "$(stat -c %Y "$F")" != "$mtime" ] && pass "a real update is written" || fail "a real update left the mtime"
stock "$D" -m node -T $T -p $P -o show
grep -qxF "node.session.cmds_max = 64" "$WORK/s.out" && pass "stock reads the update" ||
	fail "stock does not see cmds_max = 64"
finish
