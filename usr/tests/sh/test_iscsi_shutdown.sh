#!/bin/sh
# open-iscsi.service's ExecStop (etc/systemd/iscsi-shutdown.sh) on a fake
# sysfs and mount table: file systems on iSCSI disks (partition, a dm
# device stacked on it) are unmounted deepest first, others never; a
# session whose disk still holds a mount (here the root) is not logged out.
set -u
top=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S=$T/sys
mk() { mkdir -p "$(dirname "$1")"; echo "$2" > "$1"; }
mkdir -p "$S/class/iscsi_session/session1/device/target1:0:0/1:0:0:0/block/sda" \
	"$S/class/iscsi_session/session2/device/target2:0:0/2:0:0:0/block/sdb" \
	"$S/class/block/sda/holders/dm-0" "$S/class/block/sdc"
mk "$S/class/block/sda/dev" 8:0
mk "$S/class/block/sda/sda1/dev" 8:1
mkdir -p "$S/class/block/sda/sda1/holders/dm-1"
ln -s sda/sda1 "$S/class/block/sda1"  # as in sysfs: every block device in class/block
mk "$S/class/block/dm-0/dev" 253:0
mk "$S/class/block/dm-1/dev" 253:1
mk "$S/class/block/sdb/dev" 8:16
mk "$S/class/block/sdc/dev" 8:32
cat > "$T/mountinfo" <<'EOF'
1 0 8:16 / / rw - ext4 /dev/sdb rw
30 1 8:1 / /mnt/data rw - ext4 /dev/sda1 rw
31 30 253:1 / /mnt/data/inner\040dir rw - xfs /dev/dm-1 rw
32 1 253:0 / /srv rw - xfs /dev/dm-0 rw
40 1 8:32 / /other rw - ext4 /dev/sdc rw
EOF
# fake umount: drops the line from the table, refuses "/"
cat > "$T/umount" <<EOF
#!/bin/sh
echo "umount \$1" >> "$T/log"
[ "\$1" = / ] && exit 32
esc=\$(printf '%s' "\$1" | sed 's/ /\\\\\\\\040/g')
awk -v m="\$esc" '\$5 != m' "$T/mountinfo" > "$T/mi.new" && mv "$T/mi.new" "$T/mountinfo"
EOF
printf '#!/bin/sh\necho "iscsiadm $*" >> "%s/log"\n' "$T" > "$T/iscsiadm"
chmod +x "$T/umount" "$T/iscsiadm"
ISCSI_SYSFS_ROOT=$S MOUNTINFO=$T/mountinfo UMOUNT=$T/umount ISCSIADM=$T/iscsiadm \
	sh etc/systemd/iscsi-shutdown.sh > "$T/out" 2> "$T/err"
rc=$?
want='umount /mnt/data/inner dir
umount /mnt/data
umount /srv
umount /
iscsiadm -m session -r 1 -u'
fail=0
[ "$(cat "$T/log")" = "$want" ] || { echo "FAIL: actions:"; cat "$T/log"; echo "expected:"; echo "$want"; fail=1; }
[ "$(cat "$T/out")" = "iscsi-shutdown: unmounted /mnt/data/inner dir
iscsi-shutdown: unmounted /mnt/data
iscsi-shutdown: unmounted /srv" ] || { echo "FAIL: stdout:"; cat "$T/out"; fail=1; }
grep -q 'keeping session 2, still mounted: /$' "$T/err" || { echo "FAIL: stderr:"; cat "$T/err"; fail=1; }
[ $rc -eq 0 ] || { echo "FAIL: exit $rc"; fail=1; }
grep -q ' /other ' "$T/mountinfo" || { echo "FAIL: /other (not iSCSI) was touched"; fail=1; }
[ $fail -eq 0 ] && echo "iscsi-shutdown: unmounted deepest first, kept the session holding /"
exit $fail
