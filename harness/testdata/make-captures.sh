#!/bin/sh
# Makes the real-traffic captures in this directory: Debian's stock
# open-iscsi in a qemu guest (harness/cmd/labrun) logging in to Debian's
# tgtd on the host (and, for AENs, to the emulated target), captured on the
# host's loopback by `lunwatch capture`. ONLY="aen ..." limits the set.
# Needs root and the lab's packages (see harness/lab/README.md) plus tgt.
# Usage: sh testdata/make-captures.sh   (from harness/)
set -eu
PORT=${PORT:-3370}
IQN=iqn.2026-11.lab.h4:t1
OUT=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
# tgtd ignores SIGTERM while it has targets: kill it outright.
trap 'rc=$?; kill -9 $TGTD 2>/dev/null; wait $TGTD 2>/dev/null || true; rm -rf "$WORK"; exit $rc' EXIT

tgtd -f -C "$PORT" --iscsi portal=127.0.0.1:"$PORT" >"$WORK/tgtd.log" 2>&1 &
TGTD=$!
adm() { tgtadm -C "$PORT" --lld iscsi "$@"; }
for i in 1 2 3 4 5 6 7 8 9 10; do adm --mode sys --op show >/dev/null 2>&1 && break; sleep 0.5; done
adm --mode target --op new --tid 1 -T "$IQN"
# LUNs 1, 2 and 300 (flat addressing on the wire, 16684 for Linux); tgt
# adds the controller LUN 0 itself. Small files keep the partition scan short.
for lun in 1 2 300; do
	truncate -s 1M "$WORK/lun$lun.img"
	adm --mode logicalunit --op new --tid 1 --lun "$lun" -b "$WORK/lun$lun.img"
done
adm --mode target --op bind --tid 1 -I ALL

ONLY=${ONLY:-scan-auto scan-manual digests writes aen}
# Each run is recorded by lunwatch capture (this module's own live capture)
# and, for comparison, by labrun's tcpdump; lunwatch's file is kept.
go build -o "$WORK/lunwatch" ./cmd/lunwatch
run() { # run NAME 'guest script'
	case " $ONLY " in *" $1 "*) ;; *) return 0 ;; esac
	p=${RUNPORT:-$PORT}
	"$WORK/lunwatch" capture -i lo --port "$p" -w "$OUT/$1.pcap" >"$WORK/$1.report" 2>&1 &
	LW=$!
	sleep 1
	go run ./cmd/labrun -pcap "$WORK/$1.tcpdump.pcap" -port "$p" -- "$2" || rc=$?
	sleep 1
	kill -INT $LW; wait $LW || true
	echo "$1: lunwatch $(capinfos -c "$OUT/$1.pcap" | grep -o '[0-9]*$') packets," \
		"tcpdump $(capinfos -c "$WORK/$1.tcpdump.pcap" | grep -o '[0-9]*$') packets"
	return ${rc:-0}
}
NODE="-T $IQN -p 10.0.2.2:$PORT"
SETUP="iscsid; sleep 1; iscsiadm -m node -o new $NODE >/dev/null"

# 1. default scan: REPORT LUNS, then every LUN is probed and attached.
run scan-auto "$SETUP
iscsiadm -m node $NODE -l; sleep 3; ls /sys/class/scsi_device; iscsiadm -m node $NODE -u"

# 2. manual scan, then LUN 0 alone, then LUN 2 alone: no REPORT LUNS.
run scan-manual "$SETUP
iscsiadm -m node $NODE -o update -n node.session.scan -v manual
iscsiadm -m node $NODE -l; sleep 1; echo '- - 0' > /sys/class/scsi_host/host0/scan
echo '0 0 2' > /sys/class/scsi_host/host0/scan; sleep 2; ls /sys/class/scsi_device
iscsiadm -m node $NODE -u"

# 3. header and data digests negotiated to CRC32C, default scan (tgt
# answers None unless told to accept CRC32C).
adm --mode target --op update --tid 1 -n HeaderDigest -v CRC32C
adm --mode target --op update --tid 1 -n DataDigest -v CRC32C
run digests "$SETUP
iscsiadm -m node $NODE -o update -n node.conn[0].iscsi.HeaderDigest -v CRC32C
iscsiadm -m node $NODE -o update -n node.conn[0].iscsi.DataDigest -v CRC32C
iscsiadm -m node $NODE -l; sleep 3; ls /sys/class/scsi_device; iscsiadm -m node $NODE -u"
# 4. writes (Data-Out, immediate data, R2T) with digests: 64 KiB to LUN 1.
run writes "$SETUP
iscsiadm -m node $NODE -o update -n node.conn[0].iscsi.HeaderDigest -v CRC32C
iscsiadm -m node $NODE -o update -n node.conn[0].iscsi.DataDigest -v CRC32C
iscsiadm -m node $NODE -l; sleep 3; dev=\$(ls /sys/class/scsi_device/0:0:0:1/device/block/)
dd if=/dev/urandom of=/dev/\$dev bs=16k count=4 oflag=direct; sync; iscsiadm -m node $NODE -u"

# 5. AENs: tgt never sends one, so the emulated target (lunwatch target,
# harness/target) serves LUNs 0-2 on port AENPORT; once the guest's scan is
# done it gains LUN 3 and sends a 3F/0E Asynchronous Message with fixed
# sense, then one with descriptor sense. Stock iscsid rescans on each.
AENPORT=${AENPORT:-3373}
AENIQN=iqn.2026-11.lab.h4:aen
aen_capture() {
	mkfifo "$WORK/ctl"
	"$WORK/lunwatch" target -listen 127.0.0.1:$AENPORT -portal 10.0.2.2:$AENPORT -target $AENIQN \
		-luns 0-2 -size 1M <"$WORK/ctl" >"$WORK/ctl.out" 2>&1 &
	TGT=$!
	exec 3>"$WORK/ctl"
	( # the host side of the scenario, while the guest waits
		until grep -q 'sessions=1' "$WORK/ctl.out"; do echo list >&3; sleep 1; done
		sleep 4; echo "add-lun $AENIQN 3 1M" >&3; echo "aen $AENIQN 0 fixed" >&3
		sleep 5; echo "aen $AENIQN 0 descriptor" >&3
	) &
	HOST=$!
	ANODE="-T $AENIQN -p 10.0.2.2:$AENPORT"
	RUNPORT=$AENPORT run aen "iscsid; sleep 1; iscsiadm -m node -o new $ANODE >/dev/null
iscsiadm -m node $ANODE -l; sleep 20; ls /sys/class/scsi_device; iscsiadm -m node $ANODE -u" || true
	kill $HOST 2>/dev/null || true
	exec 3>&-
	kill $TGT 2>/dev/null; wait $TGT 2>/dev/null || true
	cat "$WORK/ctl.out"
}
case " $ONLY " in *" aen "*) aen_capture ;; esac
ls -l "$OUT"/*.pcap
