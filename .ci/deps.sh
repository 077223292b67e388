#!/bin/sh
# Installs what a fresh Debian 12 machine lacks for building, the unit tests
# and the kernel lab. Idempotent: packages already present are not fetched.
set -eu
PKGS="gcc make libc6-dev pkg-config python3 python3-os-brick util-linux procps
iproute2 kmod cpio busybox-static qemu-system-x86 linux-image-amd64
tgt open-iscsi libiscsi-bin tshark tcpdump libpcap-dev e2fsprogs ca-certificates
debootstrap debhelper dpkg-dev fakeroot lintian clang-14 libclang-rt-14-dev llvm-14"

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
# Go for harness/: go.mod names the lowest version it needs. Looked for in
# the order the Makefile puts on PATH: /usr/local/go, Debian's versioned
# toolchains (/usr/lib/go-1.N, newest first), then any go on PATH. Debian 12
# itself has only Go 1.19, so when none is new enough, golang-1.23 is
# installed from bookworm-backports (that suite is enabled for it if it is
# not already; backports are never preferred, so nothing else moves).
need=$(sed -n 's/^go \([0-9]*\.[0-9]*\).*/\1/p' harness/go.mod)
GO_DEB=golang-1.23-go
go_version() {
	"$1" env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\.[0-9]*\).*/\1/p'
}
go_find() {
	for g in /usr/local/go/bin/go $(ls -d /usr/lib/go-1.*/bin/go 2>/dev/null | sort -rV) $(command -v go); do
		v=$(go_version "$g")
		[ -n "$v" ] || continue
		if [ "$(printf '%s\n%s\n' "$need" "$v" | sort -V | head -n 1)" = "$need" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}
# debian_mirror: the URI apt already uses for the bookworm suite (deb822
# .sources files or one-line sources.list).
debian_mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '/^URIs:/ { u = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") { print u; exit } }
		     /^$/ { u = "" }' "$f"
	done | head -n 1 | grep . && return 0
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' | grep .
}
go_install_backports() {
	codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null)
	if [ "$codename" != bookworm ] || [ "$(id -u)" -ne 0 ]; then
		echo "deps: Go >= $need is needed for harness/ (none found); install it in /usr/local/go" >&2
		exit 1
	fi
	if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		# the same archive the machine already uses for bookworm itself
		mirror=$(debian_mirror)
		if [ -z "$mirror" ]; then
			echo "deps: Go >= $need is needed and no Debian archive for bookworm is configured in apt; install Go in /usr/local/go" >&2
			exit 1
		fi
		echo "deps: enabling bookworm-backports ($mirror) for $GO_DEB"
		cat > /etc/apt/sources.list.d/bookworm-backports.sources <<-SRC
		Types: deb
		URIs: $mirror
		Suites: bookworm-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		SRC
	fi
	echo "deps: installing $GO_DEB (bookworm-backports)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$GO_DEB" >/dev/null
}
have=$(go_find) || { go_install_backports; have=$(go_find) || {
	echo "deps: Go >= $need still not found after installing $GO_DEB" >&2
	exit 1
}; }
# Stock iscsiadm (the reference the command tests compare with) takes its
# lock in /run/lock/iscsi and fails when the directory is missing; stock's
# iscsid makes it, so a machine where it never ran lacks it.
if [ ! -d /run/lock/iscsi ] && [ "$(id -u)" -eq 0 ]; then
	mkdir -p -m 0700 /run/lock/iscsi
fi
echo "deps: all present (Go $have)"
