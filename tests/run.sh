#!/bin/sh
# Runs every test binary (cmocka, TAP output) and the scenario integration tests, then prints
# one closing line: "tests: N passed, N failed, N skipped". Exit 0 only when nothing failed.
# usage: tests/run.sh BUILD_DIR
set -u
B=${1:-build}
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() { # name binary
	name=$1
	shift
	echo "# $name"
	CMOCKA_MESSAGE_OUTPUT=TAP BUILD=$B "$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $name: exited with status $rc without a failing test line (setup failed?)"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	case $t in */test_scenarios) continue ;; esac
	run_one "$(basename "$t")" "$t"
done

# The integration tests run scenarios for real: they need root and a memory controller.
# Where these are missing they are skipped, saying what is missing; here, never.
why=""
[ "$(id -u)" -eq 0 ] || why="not root (the scenarios create memory cgroups)"
[ -n "$why" ] || [ -d /sys/fs/cgroup/memory ] ||
	grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
	why="no memory controller (v1: /sys/fs/cgroup/memory; v2: memory in /sys/fs/cgroup/cgroup.controllers)"
if [ -n "$why" ]; then
	echo "# SKIP test_scenarios: $why"
	skipped=$((skipped + 1))
else
	run_one test_scenarios "$B/tests/test_scenarios"
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
