#!/bin/sh
# Long fuzzing runs by hand: builds the libFuzzer targets (clang,
# MXSIM_FUZZ=ON, optimised with debug info) and runs each
# tests/fuzz/fuzz_<name>.c for SECONDS (default 600), one after the other,
# on its seed corpus.  What a run learns is kept in BUILD/fuzz-work/<name>/
# corpus (the seed corpus in the source tree is never written) and crashes
# go to BUILD/fuzz-work/<name>/crash-*; rerun one with
#   BUILD/tests/fuzz_<name> BUILD/fuzz-work/<name>/crash-...
# Usage: tests/fuzz/run-long.sh [SECONDS] [BUILD]   (BUILD: build-fuzz)
# Extra libFuzzer flags: FUZZ_ARGS="-jobs=4 -workers=4" tests/fuzz/run-long.sh
set -eu
secs=${1:-600}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$src/build-fuzz}
case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS] [BUILD]" >&2; exit 2 ;;
esac
command -v clang >/dev/null || { echo "$0: clang is not installed" >&2; exit 1; }

targets=
for f in "$src"/tests/fuzz/fuzz_*.c; do
	targets="$targets $(basename "$f" .c)"
done
CC=clang cmake -S "$src" -B "$build" -DMXSIM_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target $targets >/dev/null

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for f in "$src"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	work=$build/fuzz-work/$name
	mkdir -p "$work/corpus"
	dict=
	[ -f "$src/tests/fuzz/$name.dict" ] && dict=-dict=$src/tests/fuzz/$name.dict
	echo "== $name for $secs s (log: $work/log)"
	# shellcheck disable=SC2086
	if "$build/tests/$name" -max_total_time="$secs" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" $dict \
		${FUZZ_ARGS:-} "$work/corpus" "$src/tests/fuzz/corpus/$name" \
		>"$work/log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "$work/log" || true
		grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log" | tail -1 || true
	else
		status=1
		echo "$name: FAILED, see $work/log and $work/crash-*" >&2
		tail -30 "$work/log" >&2
	fi
done
exit $status
