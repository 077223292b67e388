#!/bin/sh
# Installs what a fresh Debian 12 machine lacks for building, the unit tests
# and the kernel lab. Idempotent: packages already present are not fetched.
set -eu
PKGS="gcc make libc6-dev pkg-config python3 python3-os-brick util-linux procps
iproute2 kmod cpio busybox-static qemu-system-x86 linux-image-amd64
tgt open-iscsi libiscsi-bin tshark tcpdump libpcap-dev e2fsprogs ca-certificates
clang-14 libclang-rt-14-dev llvm-14"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The harness needs a newer Go than Debian 12 packages (1.19); the project's
# machines carry one in /usr/local/go. Say so plainly instead of failing later.
PATH="/usr/local/go/bin:$PATH"
need=$(sed -n 's/^go \([0-9]*\.[0-9]*\).*/\1/p' harness/go.mod)
have=$(go env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\.[0-9]*\).*/\1/p')
if [ -z "$have" ] || [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n 1)" != "$need" ]; then
	echo "deps: Go >= $need is needed for harness/ (found: ${have:-none}); install it in /usr/local/go" >&2
	exit 1
fi
echo "deps: all present (Go $have)"
