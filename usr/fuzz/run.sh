#!/bin/sh
# run.sh SECONDS TARGET...: runs each libFuzzer target for SECONDS (or, with
# FUZZ_RUNS=N in the environment, for N executions within SECONDS) on its
# seed corpus (usr/fuzz/corpus/<name>, read only) plus a working corpus
# (build/fuzz/corpus/<name>, kept between runs), one after the other, and
# prints a table: target, executions, crashes, coverage (edges), features,
# corpus. Exits 1 if any target crashed or did not run; the crashing input
# is left as build/fuzz/crash-<name>-* and the log as build/fuzz/<name>.log.
secs=$1; shift
fail=0
printf '%-18s %12s %8s %9s %9s %7s\n' target execs crashes coverage features corpus
for bin in "$@"; do
	name=$(basename "$bin")
	seeds=usr/fuzz/corpus/$name
	work=build/fuzz/corpus/$name
	log=build/fuzz/$name.log
	mkdir -p "$work"
	[ -d "$seeds" ] || seeds=
	rm -f build/fuzz/crash-$name-* build/fuzz/timeout-$name-* build/fuzz/oom-$name-*
	"$bin" -max_total_time="$secs" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -artifact_prefix="build/fuzz/crash-$name-" \
		"$work" $seeds > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	crashes=$(ls build/fuzz/crash-$name-* 2>/dev/null | wc -l)
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ -z "$execs" ]; then
		fail=1
		[ "$crashes" -eq 0 ] && crashes="rc=$rc"
	fi
	printf '%-18s %12s %8s %9s %9s %7s\n' "$name" "${execs:-?}" "$crashes" "${cov:-?}" "${ft:-?}" "${corp:-?}"
done
if [ "$fail" -ne 0 ]; then
	echo "fuzz: a target crashed or did not run; see build/fuzz/*.log and build/fuzz/crash-*" >&2
	exit 1
fi
