#!/bin/sh
# Runs every test binary (cmocka, TAP output) and the scenario integration tests, then prints
# one closing line: "tests: N passed, N failed, N skipped". Exit 0 only when nothing failed.
# usage: tests/run.sh BUILD_DIR
set -u
B=${1:-build}
passed=0 failed=0 skipped=0
log=$(mktemp)
# Runs without --report write to the user's state directory: a scratch one for the suite.
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
trap 'rm -f "$log"; rm -rf "$XDG_STATE_HOME"' EXIT

run_one() { # name binary
	name=$1
	shift
	echo "# $name"
	CMOCKA_MESSAGE_OUTPUT=TAP BUILD=$B "$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep '^ok ' "$log" | grep -vc '# SKIP')
	s=$(grep '^ok ' "$log" | grep -c '# SKIP')
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $name: exited with status $rc without a failing test line (setup failed?)"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

# The code's layers (tests/layers.sh: no circle between files, calls only go down).
run_one layers sh tests/layers.sh "$B"

# The man pages and completions (tests/man.sh: current, no groff warning, every key and option).
run_one man sh tests/man.sh "$B"

# Integration tests (tests/integration/): they run scenarios for real.
integ=$(for f in tests/integration/test_*.c; do basename "$f" .c; done)

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	case " $(echo $integ) " in *" $(basename "$t") "*) continue ;; esac
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
	for t in $integ; do
		echo "# SKIP $t: $why"
		skipped=$((skipped + 1))
	done
else
	for t in $integ; do
		run_one "$t" "$B/tests/$t"
	done
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
