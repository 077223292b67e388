#!/bin/sh
# A program linked against Debian's libopeniscsiusr (package libopeniscsiusr
# 2.1.8, pulled in by open-iscsi) loads ours in its place: same SONAME, same
# symbols (ours exports a superset). Proof that ours was loaded: with
# LD_LIBRARY_PATH it honours ISCSI_SYSFS_ROOT (Debian's does not) and lists
# the fake tree's sessions, and the loader names our file.
set -eu
top=$(pwd)
deb=$(ls /usr/lib/*-linux-gnu/libopeniscsiusr.so.0.2.0 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "FAIL: Debian's libopeniscsiusr.so.0.2.0 missing (apt-get install libopeniscsiusr)"; exit 1; }
ours="$top/libopeniscsiusr/libopeniscsiusr.so.0.2.0"
[ -f "$ours" ] || { echo "FAIL: $ours not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

want=$(objdump -p "$deb" | awk '$1 == "SONAME" {print $2}')
got=$(objdump -p "$ours" | awk '$1 == "SONAME" {print $2}')
[ "$want" = "$got" ] || { echo "FAIL: SONAME $got, Debian's is $want"; exit 1; }

# every function Debian's library exports, ours exports too
objdump -T "$deb" | awk '/ DF .*\.text/ {print $NF}' | sort > "$tmp/deb.syms"
objdump -T "$ours" | awk '/ DF .*\.text/ {print $NF}' | sort > "$tmp/ours.syms"
missing=$(comm -23 "$tmp/deb.syms" "$tmp/ours.syms")
[ -z "$missing" ] || { echo "FAIL: symbols Debian exports and ours lacks:"; echo "$missing"; exit 1; }
[ "$(wc -l < "$tmp/deb.syms")" -gt 40 ] || { echo "FAIL: too few symbols read from $deb"; exit 1; }

# Debian's own header when libopeniscsiusr-dev is installed, else ours (same API)
inc="-I$top/libopeniscsiusr/libopeniscsiusr"
[ -f /usr/include/libopeniscsiusr.h ] && inc=""
# shellcheck disable=SC2086
cc -std=c99 -Wall -Werror $inc -o "$tmp/consumer" "$top/usr/tests/pkgconfig_consumer.c" "$deb"
readelf -d "$tmp/consumer" | grep -q 'NEEDED.*\[libopeniscsiusr\.so\.0\.2\.0\]' ||
	{ echo "FAIL: consumer does not need libopeniscsiusr.so.0.2.0"; readelf -d "$tmp/consumer"; exit 1; }

mkdir -p "$tmp/etc"
out=$(LD_LIBRARY_PATH="$top/libopeniscsiusr" LD_DEBUG=libs ISCSI_ETC_DIR="$tmp/etc" \
	ISCSI_SYSFS_ROOT="$top/usr/tests/data/sysfs/two-sessions" "$tmp/consumer" 2> "$tmp/ld.log")
grep -q "calling init: $top/libopeniscsiusr/libopeniscsiusr.so.0.2.0" "$tmp/ld.log" ||
	{ echo "FAIL: the loader did not load ours:"; grep libopeniscsiusr "$tmp/ld.log" | head; exit 1; }
want='session 1 iqn.2003-01.org.example:disk1 10.0.2.2:3260,1 via default/tcp
session 2 iqn.2003-01.org.example:disk2 10.0.2.2:3261,1 via default/tcp
iface default tcp
iface iser iser'
if [ "$out" != "$want" ]; then
	echo "FAIL: consumer on our library printed:"; echo "$out"; echo "expected:"; echo "$want"; exit 1
fi
echo "program linked against $deb ran on ours (SONAME $got) and listed 2 sessions, 2 ifaces"
