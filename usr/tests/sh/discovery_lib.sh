# Shared by usr/tests/sh/test_discovery_*.sh: a private tgtd on 127.0.0.1
# (ports 3300-3309), a scratch ISCSI_ETC_DIR, and checks.
# Sourced, not run: the runner only runs test_*.sh.

TOP=$(pwd)
ADM="$TOP/usr/iscsiadm"
TMP=$(mktemp -d /tmp/h2disc.XXXXXX)
export ISCSI_ETC_DIR="$TMP/etc"
mkdir -p "$ISCSI_ETC_DIR"
echo "InitiatorName=iqn.2026-01.test.h2:initiator" > "$ISCSI_ETC_DIR/initiatorname.iscsi"
: > "$ISCSI_ETC_DIR/iscsid.conf"
TGTD_PID=
EXTRA_PIDS=
TGT_CTL=

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

cleanup() {
	# tgtd ignores SIGTERM while it has targets; it keeps no state, so KILL
	if [ -n "$TGTD_PID" ]; then kill -9 "$TGTD_PID" 2>/dev/null; wait "$TGTD_PID" 2>/dev/null; fi
	for p in $EXTRA_PIDS; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# A port of 3300-3309 nobody listens on right now; tried in
# random order so test runs started together rarely pick the same one.
pick_port() {
	for p in $(shuf -i 3300-3309); do
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
	fail "no free port in 3300-3309"
}

# peer_start MODE PORT: discovery_peer.py in the background.
peer_start() {
	rm -f "$TMP/peer.ready"
	python3 "$TOP/usr/tests/sh/discovery_peer.py" "$1" "$2" "$TMP/peer.ready" &
	EXTRA_PIDS="$EXTRA_PIDS $!"
	i=0
	while [ ! -s "$TMP/peer.ready" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "peer $1 did not start"
		sleep 0.1
	done
	EXTRA_PIDS="$EXTRA_PIDS $(cat "$TMP/peer.ready")"
}

peer_stop() {
	for p in $EXTRA_PIDS; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	EXTRA_PIDS=
}

# No node record may exist (nothing half-written after a failure).
no_node_records() {
	n=$(find "$ISCSI_ETC_DIR/nodes" -type f 2>/dev/null | wc -l)
	[ "$n" -eq 0 ] || fail "$1: $n node record file(s) written"
}

# tgt_start PORT: tgtd in the foreground on 127.0.0.1:PORT, control port = PORT.
tgt_start() {
	TGT_CTL=$1
	tgtd -f --iscsi portal=127.0.0.1:$1 --control-port "$TGT_CTL" >"$TMP/tgtd.log" 2>&1 &
	TGTD_PID=$!
	i=0
	while ! tgtadm --control-port "$TGT_CTL" --lld iscsi --mode target --op show >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 50 ] && fail "tgtd did not start: $(cat "$TMP/tgtd.log")"
		sleep 0.1
	done
}

tgtadm_() { tgtadm --control-port "$TGT_CTL" --lld iscsi "$@"; }

# tgt_target TID IQN: a target with one 1 MiB LUN, open to every initiator.
tgt_target() {
	truncate -s 1M "$TMP/lun$1.img"
	tgtadm_ --mode target --op new --tid "$1" --targetname "$2" || fail "target $2"
	tgtadm_ --mode logicalunit --op new --tid "$1" --lun 1 --backing-store "$TMP/lun$1.img" || fail "lun $1"
	tgtadm_ --mode target --op bind --tid "$1" --initiator-address ALL || fail "bind $1"
}
