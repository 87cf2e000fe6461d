#!/bin/sh
# The fuzz smoke test for tests/run.sh and CI: builds the fuzz targets (make fuzz-build), then
# tests/fuzz/run.sh smoke. Its output always ends with one "ok N - fuzz TARGET: ..." or
# "not ok N - fuzz TARGET: ..." line per target, a failed build included.
# usage: tests/fuzz/smoke.sh [BUILD_DIR]   (FUZZ_SMOKE_SECONDS: seconds per target, default 20)
set -u
B=${1:-build}
secs=${FUZZ_SMOKE_SECONDS:-20}
targets=$(for f in tests/fuzz/fuzz_*.c; do t=${f##*/fuzz_}; echo "${t%.c}"; done)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! make -s --no-print-directory B="$B" fuzz-build >"$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/# /'
	n=0
	for t in $targets; do
		n=$((n + 1))
		echo "not ok $n - fuzz $t: the fuzz targets did not build (make fuzz-build)"
	done
	exit 1
fi
# shellcheck disable=SC2086 # one word per target
sh tests/fuzz/run.sh smoke "$B" "$secs" $targets
