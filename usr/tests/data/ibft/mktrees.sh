#!/bin/sh
# Regenerates the fake sysfs roots with an iBFT next to this script. Their
# shape is what Linux's iscsi_ibft and iscsi_boot_sysfs give
# (/sys/firmware/ibft/{initiator,ethernetN,targetN,acpi_header}, one value
# per file; an ethernet entry links to its PCI device, whose net/ names the
# network interface), plus the iSCSI transport class with tcp loaded (as
# on a machine with iscsi_tcp, so stock does not try to load modules).
# git keeps no empty directory: noibft's firmware/ holds a .keep file.
#   one:     one NIC (eth0, static) and one boot target, no CHAP
#   two:     two NICs (eth0 static with VLAN, eth1 DHCP) and two targets,
#            the second with CHAP both ways and a non-default port
#   nodev:   one NIC without a PCI device link (netdev unknown), one target
#   noboot:  target flags 0 (entry not valid)
#   noibft:  /sys/firmware without an iBFT
set -eu
here=$(cd "$(dirname "$0")" && pwd)

w() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; }
wn() { mkdir -p "$(dirname "$1")"; printf '%s' "$2" > "$1"; }	# no newline (subnet-mask)
l() { mkdir -p "$(dirname "$2")"; ln -sfn "$1" "$2"; }

initiator() {	# initiator NAME
	i="$T/firmware/ibft/initiator"
	w "$i/index" 0
	w "$i/flags" 3
	w "$i/initiator-name" "$1"
	a="$T/firmware/ibft/acpi_header"
	w "$a/signature" "iBFT"
	w "$a/oem_id" "QEMU"
	w "$a/oem_table_id" "BOCHS"
}

# nic IDX FLAGS MAC IP PREFIX MASK GATEWAY ORIGIN VLAN DHCP NETDEV|-
nic() {
	e="$T/firmware/ibft/ethernet$1"
	w "$e/index" "$1"
	w "$e/flags" "$2"
	w "$e/mac" "$3"
	w "$e/ip-addr" "$4"
	w "$e/prefix-len" "$5"
	wn "$e/subnet-mask" "$6"
	w "$e/gateway" "$7"
	w "$e/origin" "$8"
	w "$e/vlan" "$9"
	[ "${10}" = - ] || w "$e/dhcp" "${10}"
	if [ "${11}" != - ]; then
		pci="devices/pci0000:00/0000:00:0$((3 + $1)).0"
		mkdir -p "$T/$pci/net/${11}"
		w "$T/$pci/net/${11}/address" "$3"
		l "../../../$pci" "$e/device"
	fi
}

# target IDX FLAGS IP PORT LUN NIC NAME [CHAP USER SECRET [RUSER RSECRET]]
target() {
	t="$T/firmware/ibft/target$1"
	w "$t/index" "$1"
	w "$t/flags" "$2"
	w "$t/ip-addr" "$3"
	w "$t/port" "$4"
	w "$t/lun" "$5"
	w "$t/nic-assoc" "$6"
	w "$t/chap-type" "${8:-0}"
	w "$t/target-name" "$7"
	if [ $# -ge 10 ]; then
		w "$t/chap-name" "$9"
		w "$t/chap-secret" "${10}"
	fi
	if [ $# -ge 12 ]; then
		w "$t/rev-chap-name" "${11}"
		w "$t/rev-chap-name-secret" "${12}"
	fi
}

fresh() {
	T="$here/$1"
	rm -rf "$T"
	mkdir -p "$T/firmware"
	w "$T/module/scsi_transport_iscsi/version" "2.0-870"
	w "$T/class/iscsi_transport/tcp/handle" "18446744072652460288"
	w "$T/class/iscsi_transport/tcp/caps" "0x39"
}

fresh one
initiator iqn.2026-12.lab.autoscan:fwboot
nic 0 3 52:54:00:12:34:56 10.0.2.15 24 255.255.255.0 10.0.2.2 1 0 - eth0
target 0 3 10.0.2.2 3260 00000000 0 iqn.2026-12.lab.autoscan:boot

fresh two
initiator iqn.2026-12.lab.autoscan:fwboot2
nic 0 3 52:54:00:12:34:56 10.0.2.15 24 255.255.255.0 10.0.2.2 1 5 - eth0
nic 1 3 52:54:00:ab:cd:ef 10.0.3.15 16 255.255.0.0 0.0.0.0 3 0 10.0.3.1 eth1
target 0 3 10.0.2.2 3260 00000000 0 iqn.2026-12.lab.autoscan:boot
target 1 1 10.0.3.2 3262 01000000 1 iqn.2026-12.lab.autoscan:data 2 chapuser chapsecret123 tuser tsecret123456

fresh nodev
initiator iqn.2026-12.lab.autoscan:fwboot
nic 0 3 52:54:00:00:00:99 10.0.2.15 24 255.255.255.0 10.0.2.2 1 0 - -
target 0 3 10.0.2.2 3260 00000000 0 iqn.2026-12.lab.autoscan:boot

fresh noboot
initiator iqn.2026-12.lab.autoscan:fwboot
nic 0 3 52:54:00:12:34:56 10.0.2.15 24 255.255.255.0 10.0.2.2 1 0 - eth0
target 0 0 10.0.2.2 3260 00000000 0 iqn.2026-12.lab.autoscan:boot

fresh noibft
: > "$T/firmware/.keep"
