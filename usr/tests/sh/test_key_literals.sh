#!/bin/sh
# Key names are spelled once, in usr/core/keys.def; C code names a key by its
# id (K_NODE_NAME, keys_name(), keys_conf_name(), keys_label()). This fails,
# listing them, when a string literal in the C sources of usr/ (tests aside)
# or libopeniscsiusr/ spells a record, iscsid.conf or iSNS key instead:
# "node.x", "iface.x", "discovery.x", "iscsid.x", "isns.x", also inside a
# message. Comments, #include lines and the file names iscsid.conf,
# iscsid.pid, iscsid.socket and iscsid.service are not keys.
# KEY_LITERAL_ROOTS (default "usr libopeniscsiusr") is for trying it out.
cd "$(dirname "$0")/../../.." || exit 1

files=$(find ${KEY_LITERAL_ROOTS:-usr libopeniscsiusr} -name '*.[ch]' \
	! -path 'usr/tests/*' | sort)
[ -n "$files" ] || { echo "no C sources found"; exit 1; }

# One awk pass per file: drop comments (state carried across lines), skip
# character literals and #include lines, check every string literal.
found=$(awk '
FNR == 1 { incomment = 0 }
function check(lit,   s) {
	s = lit
	gsub(/iscsid\.(conf|pid|socket|service)/, "", s)
	if (s ~ /(^|[^A-Za-z0-9_.])(node|iface|discovery|iscsid|isns)\.[A-Za-z_]/)
		printf "%s:%d: \"%s\"\n", FILENAME, FNR, lit
}
{
	line = $0
	if (!incomment && line ~ /^[ \t]*#[ \t]*include/)
		next
	n = length(line)
	for (i = 1; i <= n; i++) {
		c = substr(line, i, 1)
		if (incomment) {
			if (c == "*" && substr(line, i + 1, 1) == "/") {
				incomment = 0
				i++
			}
			continue
		}
		if (c == "/" && substr(line, i + 1, 1) == "*") {
			incomment = 1
			i++
		} else if (c == "/" && substr(line, i + 1, 1) == "/") {
			break
		} else if (c == "\x27") {
			for (i++; i <= n && substr(line, i, 1) != "\x27"; i++)
				if (substr(line, i, 1) == "\\")
					i++
		} else if (c == "\"") {
			lit = ""
			for (i++; i <= n && substr(line, i, 1) != "\""; i++) {
				if (substr(line, i, 1) == "\\") {
					lit = lit substr(line, i, 2)
					i++
				} else {
					lit = lit substr(line, i, 1)
				}
			}
			check(lit)
		}
	}
}' $files)

if [ -n "$found" ]; then
	printf '%s\n' "$found"
	echo "key names spelled outside usr/core/keys.def: $(printf '%s\n' "$found" | wc -l)" \
		"(use the K_* ids of keys.h: keys_name, keys_conf_name, keys_label)"
	exit 1
fi
echo "no key name spelled outside usr/core/keys.def ($(echo "$files" | wc -l) files)"
