#!/bin/sh
# Regenerates fake sysfs roots with iscsi_tcp hosts and no session,
# shaped as Linux 6.1 shows them (see ../sysfs/mktrees.sh):
#   hosts:     host3 bound by MAC (hwaddress, netdev eth0, an IPv6 address,
#              its own initiator name), host12 with an IPv4 address and no
#              state attribute; for -m host and -H MAC
#   hosts-net: host4 bound by netdev eth0 (10.0.2.9), no hwaddress; for
#              the -m iface host lookups (a host with a hwaddress makes
#              stock's -m iface write an iface file of its own first)
set -eu
here=$(cd "$(dirname "$0")" && pwd)

w() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; }
l() { mkdir -p "$(dirname "$2")"; ln -sfn "$1" "$2"; }

fresh() {
	T="$here/$1"
	rm -rf "$T"
	w "$T/module/scsi_transport_iscsi/version" "2.0-870"
	w "$T/class/iscsi_transport/tcp/handle" "18446744072652460288"
	w "$T/class/iscsi_transport/tcp/caps" "0x39"
}

# host H STATE|- IPADDRESS HWADDRESS NETDEV INITIATORNAME
host() {
	hd="$T/devices/platform/host$1"
	w "$hd/uevent" "DEVTYPE=scsi_host"
	w "$hd/scsi_host/host$1/proc_name" "iscsi_tcp"
	[ "$2" = - ] || w "$hd/scsi_host/host$1/state" "$2"
	w "$hd/scsi_host/host$1/scan" ""
	w "$hd/iscsi_host/host$1/ipaddress" "$3"
	w "$hd/iscsi_host/host$1/hwaddress" "$4"
	w "$hd/iscsi_host/host$1/netdev" "$5"
	w "$hd/iscsi_host/host$1/initiatorname" "$6"
	l "../../devices/platform/host$1/scsi_host/host$1" "$T/class/scsi_host/host$1"
	l "../../devices/platform/host$1/iscsi_host/host$1" "$T/class/iscsi_host/host$1"
	l "../../../devices/platform/host$1" "$T/bus/scsi/devices/host$1"
}

fresh hosts
host 3 running fd00::15 52:54:00:aa:bb:cc eth0 iqn.2026-12.lab.autoscan:host3
host 12 - 10.0.2.16 "(null)" "(null)" "(null)"

fresh hosts-net
host 4 running 10.0.2.9 "(null)" eth0 "(null)"
