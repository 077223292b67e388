#!/bin/sh
# iscsid -u/-g: after the drop the process has the user and group asked for
# and none of root's supplementary groups (a uid with a passwd entry gets
# that user's groups, one without gets the gid alone).
. usr/tests/sh/iscsid_common.sh
iscsid_env privs
D="$top/usr/iscsid"
pid=
fail() { echo "FAIL: $*"; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "FAIL: needs root to test the privilege drop"; exit 1; }
chmod 0755 "$tmp"

# root's groups before: make sure there is one to lose
[ -n "$(id -G | tr ' ' '\n' | grep -v '^0$')" ] || SG="setpriv --groups 6,26 --"
${SG:-} "$D" -f -n -u 65534 -g 65534 > /dev/null 2> "$tmp/err" &
pid=$!
wait_ping "$tmp/err" "iscsid -u 65534 -g 65534 does not answer"
st=$(cat /proc/$pid/status)
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "$st" | grep -Eq '^Uid:[[:space:]]+65534[[:space:]]' || fail "uid not 65534: $(echo "$st" | grep ^Uid)"
echo "$st" | grep -Eq '^Gid:[[:space:]]+65534[[:space:]]' || fail "gid not 65534: $(echo "$st" | grep ^Gid)"
groups=$(echo "$st" | sed -n 's/^Groups:[[:space:]]*//p' | tr -s ' \t' ' ' | sed 's/ $//')
want=$(id -G nobody 2>/dev/null | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')
have=$(echo "$groups" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ' | sed 's/ $//')
[ "$have" = "${want:-65534}" ] || fail "supplementary groups after -u 65534 -g 65534: '$have', want '${want:-65534}'"

# a uid without a passwd entry: the gid alone
${SG:-} "$D" -f -n -u 54321 -g 54321 > /dev/null 2> "$tmp/err" &
pid=$!
wait_ping "$tmp/err" "iscsid -u 54321 does not answer"
groups=$(sed -n 's/^Groups:[[:space:]]*//p' /proc/$pid/status | tr -s ' \t' ' ' | sed 's/ $//')
kill "$pid"; wait "$pid" 2>/dev/null; pid=
[ "$groups" = "54321" ] || fail "supplementary groups after -u 54321 -g 54321: '$groups', want '54321'"
rm -rf "$tmp"
echo "ok: -u/-g drop root's supplementary groups"
