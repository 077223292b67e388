#!/bin/sh
# Our discovery session on the wire, checked by an independent decoder:
# tcpdump captures a discovery against tgtd, tshark's iSCSI dissector must
# see login, login, text, logout in the right order with no malformed PDU
# or expert warning, the keys we mean to send, and sane sequence numbers.
set -u
. usr/tests/sh/discovery_lib.sh
[ -x "$ADM" ] || fail "build usr/iscsiadm first"
for t in tgtd tcpdump tshark; do command -v $t >/dev/null || fail "$t missing"; done

PORT=$(pick_port)
tgt_start "$PORT"
tgt_target 1 iqn.2026-01.test.h2:wire
tcpdump -i lo -U --immediate-mode -w "$TMP/cap.pcap" "tcp port $PORT" >"$TMP/td.log" 2>&1 &
EXTRA_PIDS="$!"
i=0
until grep -q "listening on" "$TMP/td.log"; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "tcpdump did not start: $(cat "$TMP/td.log")"
	sleep 0.1
done
"$ADM" -m discovery -t st -p 127.0.0.1:$PORT >"$TMP/out" || fail "discovery"
sleep 0.5
kill -INT $EXTRA_PIDS; wait $EXTRA_PIDS 2>/dev/null; EXTRA_PIDS=


ts() { tshark -r "$TMP/cap.pcap" -d "tcp.port==$PORT,iscsi" "$@" 2>/dev/null; }
ops=$(ts -Y iscsi -T fields -e iscsi.opcode | tr '\n' ' ')
[ "$ops" = "0x03 0x23 0x03 0x23 0x04 0x24 0x06 0x26 " ] || fail "opcodes on the wire: $ops"
bad=$(ts -Y "_ws.malformed || _ws.expert.severity >= warning" | wc -l)
[ "$bad" -eq 0 ] || { ts -Y "_ws.malformed || _ws.expert.severity >= warning"; fail "tshark flags $bad frame(s)"; }
ok "login, login, text, logout; nothing malformed"

ts -Y "iscsi.opcode == 0x03" -T fields -e iscsi.keyvalue | head -n 1 >"$TMP/first"
for kv in "InitiatorName=iqn.2026-01.test.h2:initiator" SessionType=Discovery AuthMethod=None; do
	grep -q "$kv" "$TMP/first" || fail "first login request lacks $kv: $(cat "$TMP/first")"
done
ts -Y "iscsi.opcode == 0x04" -T fields -e iscsi.keyvalue | grep -qx "SendTargets=All" || fail "SendTargets=All"
# CmdSN: logins and the text request carry 1, the immediate logout the next, 2
sns=$(ts -Y "iscsi.opcode == 0x03 || iscsi.opcode == 0x04 || iscsi.opcode == 0x06" \
	-T fields -e iscsi.cmdsn | tr '\n' ' ')
[ "$sns" = "1 1 1 2 " ] || fail "CmdSN sequence: $sns"
ok "keys and CmdSN as intended"
