#!/bin/sh
# iscsiadm -m discovery against a portal whose SendTargets answer is
# hostile: names with ESC sequences or blank edges, an empty name, a bad
# address, and a flood of portals. Bad entries are skipped with a warning
# that shows control characters escaped (no raw ESC byte reaches the
# terminal), the good ones are stored; a flood past 4096 portals is refused
# whole with nothing written.
set -u
. usr/tests/sh/discovery_lib.sh
[ -x "$ADM" ] || fail "build usr/iscsiadm first"

ans_start() {  # ans_start PORT FILE
	rm -f "$TMP/ans.ready"
	python3 "$TOP/usr/tests/sh/st_answer_peer.py" "$1" "$TMP/ans.ready" "$2" &
	EXTRA_PIDS="$EXTRA_PIDS $!"
	i=0
	while [ ! -s "$TMP/ans.ready" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "answer peer did not start"
		sleep 0.1
	done
	EXTRA_PIDS="$EXTRA_PIDS $(cat "$TMP/ans.ready")"
}
cat > "$ISCSI_ETC_DIR/iscsid.conf" <<CONF
discovery.sendtargets.reopen_max = 0
discovery.sendtargets.timeo.login_timeout = 5
CONF

PORT=$(pick_port)
ESC=$(printf '\033')
printf 'TargetName=iqn.2026-01.ok:a\0TargetAddress=127.0.0.1:%s,1\0' "$PORT" > "$TMP/mixed"
printf 'TargetName=iqn.2026-01.evil:\033[2J\033]0;owned\007x\0TargetAddress=127.0.0.1:%s,1\0' "$PORT" >> "$TMP/mixed"
printf 'TargetName=iqn.2026-01.evil:ws \0TargetAddress=127.0.0.1:%s,1\0' "$PORT" >> "$TMP/mixed"
printf 'TargetName=\0TargetAddress=127.0.0.1:%s,1\0' "$PORT" >> "$TMP/mixed"
printf 'TargetName=iqn.2026-01.ok:b\0TargetAddress=[nope:%s,1\0TargetAddress=127.0.0.1:%s,1\0' "$PORT" "$PORT" >> "$TMP/mixed"
ans_start "$PORT" "$TMP/mixed"
"$ADM" -m discovery -t st -p 127.0.0.1:$PORT > "$TMP/a.out" 2> "$TMP/a.err"; rc=$?
[ $rc -eq 0 ] || { cat "$TMP/a.err"; fail "mixed answer: exit $rc, want 0 (bad entries skipped)"; }
printf '127.0.0.1:%s,1 iqn.2026-01.ok:a\n127.0.0.1:%s,1 iqn.2026-01.ok:b\n' "$PORT" "$PORT" > "$TMP/a.want"
cmp -s "$TMP/a.out" "$TMP/a.want" || { diff "$TMP/a.want" "$TMP/a.out"; fail "mixed answer: stdout"; }
n=$(find "$ISCSI_ETC_DIR/nodes" -type f | wc -l)
[ "$n" -eq 2 ] || fail "mixed answer: $n node records, want 2"
grep -qF "Skipping target 'iqn.2026-01.evil:\\x1b[2J\\x1b]0;owned\\x07x' at 127.0.0.1,$PORT: it holds a control character" "$TMP/a.err" ||
	{ cat "$TMP/a.err"; fail "mixed answer: no escaped warning for the ESC name"; }
grep -qF "Skipping target 'iqn.2026-01.evil:ws ' at 127.0.0.1,$PORT: it begins or ends with a blank" "$TMP/a.err" ||
	{ cat "$TMP/a.err"; fail "mixed answer: no warning for the blank-edged name"; }
grep -qF "Skipped 2 malformed entries of the SendTargets answer" "$TMP/a.err" ||
	{ cat "$TMP/a.err"; fail "mixed answer: malformed entries not counted"; }
if grep -q "$ESC" "$TMP/a.out" "$TMP/a.err"; then fail "mixed answer: raw ESC byte printed"; fi
"$ADM" -m node > "$TMP/l.out" 2>&1
if grep -q "$ESC" "$TMP/l.out"; then fail "node listing: raw ESC byte printed"; fi
ok "hostile names skipped and escaped, good ones stored"
peer_stop
rm -rf "$ISCSI_ETC_DIR/nodes" "$ISCSI_ETC_DIR/send_targets"

# flood: 4097 portals in one answer (about 190 KB)
PORT=$(pick_port)
python3 - "$TMP/flood" "$PORT" <<'PY'
import sys
out, port = sys.argv[1], sys.argv[2]
with open(out, "wb") as f:
    for i in range(4097):
        f.write(b"TargetName=iqn.2026-01.flood:%d\0TargetAddress=127.0.0.1:%s,1\0" % (i, port.encode()))
PY
ans_start "$PORT" "$TMP/flood"
"$ADM" -m discovery -t st -p 127.0.0.1:$PORT > "$TMP/f.out" 2> "$TMP/f.err"; rc=$?
[ $rc -eq 4 ] || { cat "$TMP/f.err"; fail "flood: exit $rc, want 4"; }
grep -qF "SendTargets answer names more than 4096 portals" "$TMP/f.err" || { cat "$TMP/f.err"; fail "flood: no reason given"; }
no_node_records flood
ok "a 4097-portal answer is refused whole, nothing written"
