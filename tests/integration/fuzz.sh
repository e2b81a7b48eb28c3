#!/usr/bin/env bash
# Run each libFuzzer target for a bounded time on its seed corpus in
# fuzz/corpus/NAME: FUZZ_SECONDS each, or else a share of FUZZ_TOTAL_SECONDS
# (default 180, at least 8 s a target), so that `make check` keeps its time
# as targets are added. A crash, leak or sanitizer report fails the suite;
# the reproducer is left in build/fuzz/. Two targets run at a time where
# there are two cores.
set -u
cd "$(dirname "$0")/../.."
ntargets=$(ls fuzz/fuzz_*.c 2>/dev/null | wc -l)
share=$(( ${FUZZ_TOTAL_SECONDS:-180} / (ntargets > 0 ? ntargets : 1) ))
secs=${FUZZ_SECONDS:-$(( share < 8 ? 8 : share ))}
if ! command -v clang >/dev/null; then
	echo "SKIP fuzz: clang not installed"
	exit 0
fi
if ! make -s fuzz >build/fuzz-build.log 2>&1; then
	echo "FAIL fuzz: targets do not build (build/fuzz-build.log)"
	exit 0
fi
# two targets at a time on a machine with the cores for it (each keeps
# its own time budget; the results are printed in order)
par=$(nproc 2>/dev/null || echo 1)
[ "$par" -gt 2 ] && par=2
one() {
	local t=$1 name
	name=$(basename "$t")
	mkdir -p "build/fuzz/work-$name"
	if "$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=build/fuzz/ "build/fuzz/work-$name" "fuzz/corpus/${name#fuzz_}" \
		>"build/fuzz/$name.log" 2>&1; then
		echo "PASS fuzz $name (${secs}s, $(grep -o 'stat::number_of_executed_units: [0-9]*' "build/fuzz/$name.log" | awk '{print $2}') runs)" >"build/fuzz/$name.result"
	else
		{ echo "FAIL fuzz $name (see build/fuzz/$name.log)"; tail -30 "build/fuzz/$name.log"; } >"build/fuzz/$name.result"
	fi
}
targets=()
for t in build/fuzz/fuzz_*; do
	case $t in *.log | *.result) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	targets+=("$t")
	rm -f "build/fuzz/$(basename "$t").result"
	while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n; done
	one "$t" &
done
wait
for t in "${targets[@]}"; do
	cat "build/fuzz/$(basename "$t").result" 2>/dev/null || echo "FAIL fuzz $(basename "$t") (no result)"
done
