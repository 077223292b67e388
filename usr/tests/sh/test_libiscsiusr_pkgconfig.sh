#!/bin/sh
# Proves the installed library is usable: "make install DESTDIR=tmp", then a
# program written against open-iscsi's API (usr/tests/pkgconfig_consumer.c)
# is compiled and linked using only the installed header, .so and
# libopeniscsiusr.pc, and run on a fake sysfs tree.
set -eu
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest="$tmp/dest"
make -s install DESTDIR="$dest" PREFIX=/usr > "$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: make install"; exit 1; }
pc="$dest/usr/lib/pkgconfig"
[ -f "$pc/libopeniscsiusr.pc" ] || { echo "FAIL: no .pc installed"; exit 1; }
[ -f "$dest/usr/include/libopeniscsiusr.h" ] || { echo "FAIL: no header installed"; exit 1; }
[ -e "$dest/usr/lib/libopeniscsiusr.so.0.2.0" ] || { echo "FAIL: no .so.0.2.0 installed"; exit 1; }
[ "$(readlink "$dest/usr/lib/libopeniscsiusr.so.0")" = libopeniscsiusr.so.0.2.0 ] ||
	{ echo "FAIL: libopeniscsiusr.so.0 is not a link to .so.0.2.0"; exit 1; }
# only the public API is exported (libopeniscsiusr.sym)
syms=$(nm -D --defined-only "$dest/usr/lib/libopeniscsiusr.so.0.2.0" | awk '{print $3}')
echo "$syms" | grep -qx iscsi_sessions_get || { echo "FAIL: iscsi_sessions_get not exported"; exit 1; }
other=$(echo "$syms" | grep -v '^iscsi_' || true)
[ -z "$other" ] || { echo "FAIL: internal symbols exported:"; echo "$other" | head; exit 1; }
flags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs libopeniscsiusr)
echo "pkg-config: $flags"
# shellcheck disable=SC2086
cc -std=c99 -Wall -Werror -o "$tmp/consumer" "$top/usr/tests/pkgconfig_consumer.c" $flags
# the SONAME the binary records must be the installed one
readelf -d "$tmp/consumer" | grep -q 'NEEDED.*\[libopeniscsiusr\.so\.0\.2\.0\]' ||
	{ echo "FAIL: consumer does not need libopeniscsiusr.so.0.2.0"; exit 1; }
mkdir -p "$tmp/etc"
out=$(LD_LIBRARY_PATH="$dest/usr/lib" ISCSI_ETC_DIR="$tmp/etc" \
	ISCSI_SYSFS_ROOT="$top/usr/tests/data/sysfs/two-sessions" "$tmp/consumer")
want='session 1 iqn.2003-01.org.example:disk1 10.0.2.2:3260,1 via default/tcp
session 2 iqn.2003-01.org.example:disk2 10.0.2.2:3261,1 via default/tcp
iface default tcp
iface iser iser'
if [ "$out" != "$want" ]; then
	echo "FAIL: consumer printed:"; echo "$out"; echo "expected:"; echo "$want"; exit 1
fi
echo "consumer built from the installed files and listed 2 sessions, 2 ifaces"
