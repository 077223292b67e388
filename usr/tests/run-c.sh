#!/bin/sh
# Runs every C test program given, adds up their "N passed, N failed" lines.
pass=0; fail=0; bad=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		printf '%s\n' "$out"; echo "FAIL $t (no result line, exit $rc)"; bad=$((bad + 1)); continue
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed}
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then printf '%s\n' "$out"; echo "FAIL $t"; bad=$((bad + 1))
	else echo "ok   $t ($p)"; fi
done
echo "C unit tests: $pass passed, $((fail + bad)) failed"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
