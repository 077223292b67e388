#!/bin/sh
# Regenerates the fake sysfs trees next to this script. Their shape follows
# what Linux 6.1 shows for iscsi_tcp sessions (scsi_transport_iscsi.c,
# scsi_sysfs.c): class/ and bus/ entries are relative symlinks into
# devices/platform/hostN/..., so realpath() and "../" walks behave as on a
# real machine. Values are those of a guest logged in to tgtd through qemu
# user networking (initiator 10.0.2.15, target 10.0.2.2).
#   two-sessions: session1 (LUNs 0-2) and session2 (LUN 0 only, autoscan off)
#   recovery:     sessions 5, 7 and 12 on one target (7 in recovery), 10
#                 on another over IPv6
#   empty:        the iSCSI modules loaded, no session
set -eu
here=$(cd "$(dirname "$0")" && pwd)

w() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; }
# l TARGET LINKNAME: relative symlink, parents created
l() { mkdir -p "$(dirname "$2")"; ln -sfn "$1" "$2"; }

base() {	# the parts every tree has once the modules are loaded
	w "$T/module/scsi_transport_iscsi/version" "2.0-870"
	w "$T/class/iscsi_transport/tcp/handle" "18446744072652460288"
	w "$T/class/iscsi_transport/tcp/caps" "0x39"
	mkdir -p "$T/class/iscsi_session" "$T/class/iscsi_connection" \
		"$T/class/iscsi_host" "$T/class/scsi_host" "$T/class/scsi_device" \
		"$T/class/block" "$T/bus/scsi/devices" "$T/block"
}

host() {	# host H INITIATOR_IP
	H=$1; hd="$T/devices/platform/host$H"
	mkdir -p "$hd"
	w "$hd/uevent" "DEVTYPE=scsi_host"
	l ../../../bus/scsi "$hd/subsystem"
	w "$hd/scsi_host/host$H/proc_name" "iscsi_tcp"
	w "$hd/scsi_host/host$H/state" "running"
	w "$hd/scsi_host/host$H/unique_id" "0"
	w "$hd/scsi_host/host$H/can_queue" "1024"
	w "$hd/scsi_host/host$H/cmd_per_lun" "128"
	w "$hd/scsi_host/host$H/scan" ""
	w "$hd/scsi_host/host$H/host_busy" "0"
	w "$hd/scsi_host/host$H/active_mode" "Initiator"
	w "$hd/scsi_host/host$H/supported_mode" "Initiator"
	l ../../../../../class/scsi_host "$hd/scsi_host/host$H/subsystem"
	l ../../../host$H "$hd/scsi_host/host$H/device"
	w "$hd/iscsi_host/host$H/ipaddress" "$2"
	w "$hd/iscsi_host/host$H/hwaddress" "(null)"
	w "$hd/iscsi_host/host$H/netdev" "(null)"
	w "$hd/iscsi_host/host$H/initiatorname" "(null)"
	w "$hd/iscsi_host/host$H/uevent" ""
	l ../../../../../class/iscsi_host "$hd/iscsi_host/host$H/subsystem"
	l ../../../host$H "$hd/iscsi_host/host$H/device"
	l ../../devices/platform/host$H/scsi_host/host$H "$T/class/scsi_host/host$H"
	l ../../devices/platform/host$H/iscsi_host/host$H "$T/class/iscsi_host/host$H"
	l ../../../devices/platform/host$H "$T/bus/scsi/devices/host$H"
}

# session H SID TARGET ADDR PORT STATE CONNSTATE
session() {
	H=$1; S=$2; sd="$T/devices/platform/host$H/session$S"; a="$sd/iscsi_session/session$S"
	mkdir -p "$a"
	l ../../../session$S "$a/device"
	l ../../../../../../class/iscsi_session "$a/subsystem"
	w "$a/targetname" "$3"
	w "$a/tpgt" "1"
	w "$a/ifacename" "default"
	w "$a/initiatorname" "iqn.1993-08.org.debian:01:5f1e2d3c4b5a"
	w "$a/username" "(null)"
	w "$a/password" "(null)"
	w "$a/username_in" "(null)"
	w "$a/password_in" "(null)"
	w "$a/recovery_tmo" "120"
	w "$a/lu_reset_tmo" "30"
	w "$a/tgt_reset_tmo" "30"
	w "$a/abort_tmo" "15"
	w "$a/fast_abort" "1"
	w "$a/initial_r2t" "1"
	w "$a/max_outstanding_r2t" "1"
	w "$a/immediate_data" "1"
	w "$a/first_burst_len" "65536"
	w "$a/max_burst_len" "262144"
	w "$a/data_pdu_in_order" "1"
	w "$a/data_seq_in_order" "1"
	w "$a/erl" "0"
	w "$a/state" "$6"
	w "$a/creator" "412"
	w "$a/target_id" "0"
	w "$a/target_state" "SCANNED"
	w "$a/uevent" ""
	l ../../devices/platform/host$H/session$S/iscsi_session/session$S "$T/class/iscsi_session/session$S"
	cd_="$sd/connection$S:0"; c="$cd_/iscsi_connection/connection$S:0"
	mkdir -p "$c"
	l ../../../connection$S:0 "$c/device"
	l ../../../../../../../class/iscsi_connection "$c/subsystem"
	w "$c/persistent_address" "$4"
	w "$c/persistent_port" "$5"
	w "$c/address" "$4"
	w "$c/port" "$5"
	w "$c/local_port" "$((40000 + S))"
	w "$c/header_digest" "0"
	w "$c/data_digest" "0"
	w "$c/max_recv_dlength" "262144"
	w "$c/max_xmit_dlength" "8192"
	w "$c/exp_statsn" "$((S * 100 + 7))"
	w "$c/ping_tmo" "5"
	w "$c/recv_tmo" "5"
	w "$c/uevent" ""
	w "$c/state" "$7"
	l ../../devices/platform/host$H/session$S/connection$S:0/iscsi_connection/connection$S:0 \
		"$T/class/iscsi_connection/connection$S:0"
}

# lun H SID LUN DISK STATE : a disk below the session's target H:0:0;
# DISK "-" is tgt's controller LUN (type 12, no block device)
lun() {
	H=$1; S=$2; L=$3; id="$H:0:0:$L"
	td="$T/devices/platform/host$H/session$S/target$H:0:0"
	dd="$td/$id"
	mkdir -p "$dd"
	w "$td/uevent" "DEVTYPE=scsi_target"
	l ../../../../../bus/scsi "$td/subsystem"
	w "$dd/state" "$5"
	if [ "$4" = "-" ]; then w "$dd/type" "12"; else w "$dd/type" "0"; fi
	w "$dd/vendor" "IET     "
	if [ "$4" = "-" ]; then w "$dd/model" "Controller      "; else w "$dd/model" "VIRTUAL-DISK    "; fi
	w "$dd/rev" "0001"
	w "$dd/scsi_level" "6"
	w "$dd/queue_depth" "128"
	w "$dd/rescan" ""
	w "$dd/delete" ""
	w "$dd/uevent" "DEVTYPE=scsi_device"
	l ../../../../../../bus/scsi "$dd/subsystem"
	w "$dd/scsi_device/$id/uevent" ""
	l ../../../../../../../../class/scsi_device "$dd/scsi_device/$id/subsystem"
	l ../../../$id "$dd/scsi_device/$id/device"
	l "../../../devices/platform/host$H/session$S/target$H:0:0/$id" "$T/bus/scsi/devices/$id"
	l "../../../devices/platform/host$H/session$S/target$H:0:0" "$T/bus/scsi/devices/target$H:0:0"
	l "../../devices/platform/host$H/session$S/target$H:0:0/$id/scsi_device/$id" "$T/class/scsi_device/$id"
	[ "$4" = "-" ] && return 0
	w "$dd/scsi_disk/$id/uevent" ""
	w "$dd/block/$4/size" "32768"
	w "$dd/block/$4/dev" "8:$((L * 16))"
	l ../../../../../../../../class/block "$dd/block/$4/subsystem"
	l ../../../$id "$dd/block/$4/device"
	l "../../devices/platform/host$H/session$S/target$H:0:0/$id/block/$4" "$T/class/block/$4"
	l "../devices/platform/host$H/session$S/target$H:0:0/$id/block/$4" "$T/block/$4"
}

T="$here/two-sessions"; rm -rf "$T"; base
host 0 10.0.2.15
session 0 1 iqn.2003-01.org.example:disk1 10.0.2.2 3260 LOGGED_IN up
lun 0 1 0 - running
lun 0 1 1 sda running
lun 0 1 2 sdb running
host 1 10.0.2.15
session 1 2 iqn.2003-01.org.example:disk2 10.0.2.2 3261 LOGGED_IN up
# session 2 logged in with mutual CHAP
S2="$T/devices/platform/host1/session2/iscsi_session/session2"
w "$S2/username" "alice"; w "$S2/password" "alice-secret"
w "$S2/username_in" "disk2"; w "$S2/password_in" "target-secret"
lun 1 2 0 - running

T="$here/recovery"; rm -rf "$T"; base
host 4 10.0.2.15
session 4 5 iqn.2003-01.org.example:mpath 10.0.2.2 3260 LOGGED_IN up
lun 4 5 0 - running
lun 4 5 1 sda running
host 6 10.0.2.15
session 6 7 iqn.2003-01.org.example:mpath 10.0.2.2 3262 FAILED failed
# While the connection is down the kernel answers reads of these with
# ENOTCONN (see guest-observed.txt); a file tree cannot fail a read, and
# a missing attribute is what readers fall back on in the same way.
rm "$T/devices/platform/host6/iscsi_host/host6/ipaddress" \
   "$T/devices/platform/host6/session7/connection7:0/iscsi_connection/connection7:0/address" \
   "$T/devices/platform/host6/session7/connection7:0/iscsi_connection/connection7:0/port" \
   "$T/devices/platform/host6/session7/connection7:0/iscsi_connection/connection7:0/local_port"
lun 6 7 0 - blocked
lun 6 7 1 sdb blocked
lun 6 7 2 sdc blocked
host 9 10.0.2.15
session 9 10 iqn.2003-01.org.example:other "fd00::2" 3263 LOGGED_IN up
# a second session to session 5's portal (listed right before it: stock's
# tree then prints an empty line instead of repeating the portal)
host 11 10.0.2.15
session 11 12 iqn.2003-01.org.example:mpath 10.0.2.2 3260 LOGGED_IN up
lun 11 12 0 - running
lun 11 12 1 sdd running

T="$here/empty"; rm -rf "$T"; base
