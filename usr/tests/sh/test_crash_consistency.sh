#!/bin/sh
# kill -9 of iscsiadm in a loop, in the middle of record updates and of
# SendTargets discoveries: afterwards every record parses, no temporary
# file is left beside a record (a killed writer's temporary in .idb.tmp/ is
# swept by the next writer), every record holds a value an update since the
# last completed one gave it (or the default of a discovery that created
# it), and the listing equals the last completed discovery.
set -u
. usr/tests/sh/discovery_lib.sh
[ -x "$ADM" ] || fail "build usr/iscsiadm first"
DEADLINE=$(( $(date +%s) + ${CRASH_SECONDS:-20} ))

PORT=$(pick_port)
rm -f "$TMP/ans.ready"
: > "$TMP/answer"
python3 "$TOP/usr/tests/sh/st_answer_peer.py" "$PORT" "$TMP/ans.ready" "$TMP/answer" &
EXTRA_PIDS="$EXTRA_PIDS $!"
i=0
while [ ! -s "$TMP/ans.ready" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "answer peer did not start"
	sleep 0.1
done
EXTRA_PIDS="$EXTRA_PIDS $(cat "$TMP/ans.ready")"

# answer SET: the SendTargets answer naming targets SET-0 .. SET-11
answer() {
	: > "$TMP/answer.new"
	for t in 0 1 2 3 4 5 6 7 8 9 10 11; do
		printf 'TargetName=iqn.2026-01.crash:%s-%s\0TargetAddress=127.0.0.1:%s,1\0' "$1" "$t" "$PORT" >> "$TMP/answer.new"
	done
	mv "$TMP/answer.new" "$TMP/answer"
	for t in 0 1 2 3 4 5 6 7 8 9 10 11; do echo "127.0.0.1:$PORT,1 iqn.2026-01.crash:$1-$t"; done | sort > "$TMP/want.$1"
}
answer a
answer b

# run_killed DELAY_MS ARGS...: iscsiadm in the background, SIGKILL after
# DELAY_MS unless it finished; returns its exit status (137 when killed).
run_killed() {
	d=$1; shift
	"$ADM" "$@" > /dev/null 2>&1 &
	p=$!
	sleep "$(printf '0.%03d' "$d")"
	kill -9 $p 2>/dev/null
	{ wait $p; } 2>/dev/null
}

check_no_stray_tmp() {
	n=$(find "$ISCSI_ETC_DIR" -path "$ISCSI_ETC_DIR/.idb.tmp" -prune -o -name '*tmp*' -print | wc -l)
	[ "$n" -eq 0 ] || fail "$1: $n temporary file(s) beside the records"
}

listing() { "$ADM" -m node 2>/dev/null | sort; }

killed=0; done_=0; cur=a; last=""; rounds=0
vals="120"
while [ "$(date +%s)" -lt "$DEADLINE" ]; do
	rounds=$((rounds + 1))
	# a discovery switching the set from $last to $cur (new, update, delete)
	answer $cur
	if run_killed "$(shuf -i 5-150 -n 1)" -m discovery -t st -p 127.0.0.1:$PORT; then
		done_=$((done_ + 1)); last=$cur
		listing > "$TMP/got"
		cmp -s "$TMP/got" "$TMP/want.$cur" || { diff "$TMP/want.$cur" "$TMP/got" | head; fail "round $rounds: listing after a completed discovery"; }
		cur=$([ $cur = a ] && echo b || echo a)
	else
		killed=$((killed + 1))
	fi
	# an update of every record, killed or not
	v=$((rounds + 200))
	vals="$vals $v"
	if run_killed "$(shuf -i 2-60 -n 1)" -m node -o update -n node.session.timeo.replacement_timeout -v $v; then
		done_=$((done_ + 1)); vals="120 $v"	# older values are gone now (120: a discovery's default)
	else
		killed=$((killed + 1))
	fi
	check_no_stray_tmp "round $rounds"
done
[ "$killed" -gt 5 ] || fail "only $killed runs were killed mid-way: the test proved nothing"

# every record file parses and holds a value from the writes since the last
# completed update, or the default a discovery gives the records it creates
for f in $(find "$ISCSI_ETC_DIR/nodes" -type f); do
	t=$(sed -n 's/^node.name = //p' "$f"); a=$(sed -n 's/^node.conn\[0\].address = //p' "$f")
	p=$(sed -n 's/^node.conn\[0\].port = //p' "$f")
	[ -n "$t" ] && [ -n "$a" ] && [ -n "$p" ] || fail "unreadable record $f"
	v=$("$ADM" -m node -T "$t" -p "$a:$p" -o show 2>/dev/null | sed -n 's/^node.session.timeo.replacement_timeout = //p')
	[ -n "$v" ] || fail "record $f does not parse"
	case " $vals " in *" $v "*) ;; *) fail "record $f holds replacement_timeout $v, written by no update since the last completed one ($vals)";; esac
done

# a last completed discovery: the listing is its set, the killed writers' temporaries are gone
answer $cur
"$ADM" -m discovery -t st -p 127.0.0.1:$PORT > /dev/null 2>&1 || fail "final discovery failed"
listing > "$TMP/got"
cmp -s "$TMP/got" "$TMP/want.$cur" || { diff "$TMP/want.$cur" "$TMP/got" | head; fail "listing after the final discovery"; }
left=$(find "$ISCSI_ETC_DIR" -path '*/.idb.tmp/*' | wc -l)
[ "$left" -eq 0 ] || fail "$left temporary file(s) left after a completed write"
check_no_stray_tmp final
ok "$rounds rounds, $killed iscsiadm runs killed mid-write, $done_ completed: records parse, no temporaries, listing = last completed write"
