#!/bin/sh
# ExecStop of open-iscsi.service (installed as
# /usr/libexec/autoscan-iscsi/iscsi-shutdown): unmount every file system
# that sits on an iSCSI disk (the disk, its partitions, anything stacked on
# them: dm, md), flush, then log out of each session whose file systems are
# all gone. A session still holding a mount (the root file system, a busy
# mount) is kept: logging it out would lose data or hang the shutdown.
# Test hooks: ISCSI_SYSFS_ROOT, MOUNTINFO, UMOUNT, ISCSIADM.
SYSFS=${ISCSI_SYSFS_ROOT:-/sys}
MOUNTINFO=${MOUNTINFO:-/proc/self/mountinfo}
UMOUNT=${UMOUNT:-umount}
ISCSIADM=${ISCSIADM:-/usr/sbin/iscsiadm}  # as the units: make install and the package both provide it

# stack DEV: DEV, its partitions and their holders, recursively
stack() {
	echo "$1"
	for p in "$SYSFS/class/block/$1/$1"*; do
		[ -e "$p/dev" ] && stack "${p##*/}"
	done
	for h in "$SYSFS/class/block/$1/holders/"*; do
		[ -e "$h" ] && stack "${h##*/}"
	done
}

# session_devs SID: major:minor of every block device on session SID
session_devs() {
	for b in "$SYSFS/class/iscsi_session/session$1/device/target"*/*/block/*; do
		[ -e "$b" ] || continue
		for d in $(stack "${b##*/}"); do
			cat "$SYSFS/class/block/$d/dev" 2>/dev/null
		done
	done | sort -u
}

# mounts_on DEVS: mount points whose source is one of DEVS, deepest first
# (mountinfo: field 3 is major:minor, field 5 the escaped mount point)
mounts_on() {
	[ -n "$1" ] || return 0
	awk -v devs=" $(echo $1) " 'index(devs, " " $3 " ") { print length($5), $5 }' "$MOUNTINFO" |
		sort -rn | cut -d' ' -f2- | sed 's/\\040/ /g'
}

sids=""
for s in "$SYSFS"/class/iscsi_session/session*; do
	[ -e "$s" ] && sids="$sids ${s##*session}"
done
[ -n "$sids" ] || exit 0

for sid in $sids; do
	mounts_on "$(session_devs "$sid")" | while IFS= read -r m; do
		# the journal tells who unmounted it: this script or systemd
		if $UMOUNT "$m"; then
			echo "iscsi-shutdown: unmounted $m"
		else
			echo "iscsi-shutdown: cannot unmount $m" >&2
		fi
	done
done
sync

rc=0
for sid in $sids; do
	left=$(mounts_on "$(session_devs "$sid")")
	if [ -n "$left" ]; then
		echo "iscsi-shutdown: keeping session $sid, still mounted:" $left >&2
		continue
	fi
	$ISCSIADM -m session -r "$sid" -u || rc=1
done
exit $rc
