#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh - build the libFuzzer targets with clang and run each for a while, two at a time
#
# Usage: run.sh BUILD_DIR [SECONDS [CMAKE_FLAG...]]    (`make fuzz` calls it)
#
# Configures BUILD_DIR with clang and STANZA_FUZZ=ON, builds every
# tests/fuzz/fuzz_<name>.c, then runs each for SECONDS (default 60) on its
# working corpus (BUILD_DIR/fuzz/corpus/<name>, kept between runs), its
# seeds (BUILD_DIR/fuzz/seeds/<name>, from the course) and its regression
# inputs (tests/fixtures/fuzz/<name>). Prints one line per target: runs,
# runs per second, coverage, corpus size. Any crash, sanitizer report, leak
# or input slower than FUZZ_TIMEOUT seconds (default 10) fails the run and
# names the input that did it (BUILD_DIR/fuzz/crashes/<name>/) and the log.
#
# Without clang or libFuzzer this is a skip (exit 0) with the package to
# install, except under CI, where it fails: the tier must not vanish there.
set -euo pipefail

build=${1:?usage: run.sh BUILD_DIR [SECONDS [CMAKE_FLAG...]]}
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jobs=2 # CI has two cores

say() { printf 'fuzz: %s\n' "$*"; }

skip() {
	if [[ -n "${CI:-}" ]]; then
		say "cannot run: $*"
		exit 1
	fi
	say "skipped: $*"
	exit 0
}

command -v clang >/dev/null 2>&1 || skip "clang is not installed (Debian: clang)"
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
	clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
	skip "clang cannot link libFuzzer (Debian: libclang-rt-dev)"
fi

cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DSTANZA_FUZZ=ON -DSTANZA_TESTS=OFF "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_all

build=$(cd "$build" && pwd)
work=$build/fuzz
mapfile -t names < <(cd "$src/tests/fuzz" && ls fuzz_*.c | sed -E 's/^fuzz_(.*)\.c$/\1/')

# One target, its output in logs/<name>.log; the status is libFuzzer's.
run_one() {
	local name=$1 dict=()
	mkdir -p "$work/corpus/$name" "$work/crashes/$name" "$work/logs"
	rm -f "$work/crashes/$name"/*
	[[ -f "$work/$name.dict" ]] && dict=(-dict="$work/$name.dict")
	local corpora=("$work/corpus/$name" "$work/seeds/$name")
	[[ -d "$src/tests/fixtures/fuzz/$name" ]] && corpora+=("$src/tests/fixtures/fuzz/$name")
	"$build/fuzz_$name" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/crashes/$name/" "${dict[@]}" "${corpora[@]}" \
		>"$work/logs/$name.log" 2>&1
}

# The summary line of a finished target, from its log.
report() {
	local name=$1 status=$2 log=$work/logs/$1.log last runs rate cov ft corpus input
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
	runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
	rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
	corpus=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
	printf 'fuzz: %-12s %10s runs %7s/s  cov %s  ft %s  corpus %s  ' "$name" "${runs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "${corpus:-?}"
	if ((status == 0)); then
		echo ok
		return 0
	fi
	echo "FAILED (status $status)"
	grep -E '^SUMMARY: |ERROR: libFuzzer' "$log" | head -n 3 | sed 's/^/fuzz:   /'
	input=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -n 1)
	say "  input: ${input:-(none written)}"
	say "  log:   $log"
	return 1
}

say "${#names[@]} targets, ${seconds}s each, $jobs at a time"
failed=0
for ((i = 0; i < ${#names[@]}; i += jobs)); do
	pids=()
	batch=("${names[@]:i:jobs}")
	for name in "${batch[@]}"; do
		run_one "$name" &
		pids+=($!)
	done
	for k in "${!batch[@]}"; do
		status=0
		wait "${pids[$k]}" || status=$?
		report "${batch[$k]}" "$status" || failed=1
	done
done
if ((failed)); then
	say "a target failed: make its input a fixture (tests/fuzz/README.md)"
	exit 1
fi
