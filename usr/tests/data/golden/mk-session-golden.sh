#!/bin/sh
# Regenerates golden/session-* from stock open-iscsi 2.1.8 (/usr/sbin/iscsiadm)
# run against the fake sysfs trees: each tree is bind-mounted over /sys in a
# private mount and network namespace (so no iscsid can answer, as in our
# test), with an empty tmpfs /etc/iscsi whose iscsid.conf only names a
# harmless startup command. Needs root. Writes NAME.out (stdout) and
# NAME.err (stderr), NAME.rc (exit code) for every case listed in session-cases. A case may
# name, after ";", arguments of an "iscsiadm -m node -o new" run first (a
# node record for the session to show).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sysfs=$(cd "$here/../sysfs" && pwd)
stock=${STOCK_ISCSIADM:-/usr/sbin/iscsiadm}
while read -r name tree rest; do
	case "$name" in ''|'#'*) continue ;; esac
	args=${rest%%;*}
	pre=""
	case "$rest" in *";"*) pre=${rest#*;} ;; esac
	# shellcheck disable=SC2086
	set +e
	unshare -m -n sh -c '
		mount --bind "$1" /sys && mount -t tmpfs none /etc/iscsi &&
		echo "iscsid.startup = /bin/true" > /etc/iscsi/iscsid.conf &&
		if [ -n "$2" ]; then "$3" -m node -o new $2 >/dev/null 2>&1 || exit 99; fi &&
		shift 2 && exec "$@"' sh "$sysfs/$tree" "$pre" "$stock" -m session $args \
		> "$here/$name.out" 2> "$here/$name.err"
	echo $? > "$here/$name.rc"
	set -e
done < "$here/${CASES:-session-cases}"
