#!/bin/sh
# Runs the command-level tests (usr/tests/sh/test_*.sh). Each script exits 0
# on success; anything else is a failure. Scripts run from the top directory.
pass=0; fail=0
for t in usr/tests/sh/test_*.sh; do
	[ -e "$t" ] || continue
	if out=$(sh "$t" 2>&1); then echo "ok   $t"; pass=$((pass + 1))
	else printf '%s\n' "$out" | tail -n 40; echo "FAIL $t"; fail=$((fail + 1)); fi
done
echo "command tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
