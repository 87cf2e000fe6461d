#!/bin/sh
# `make test`: every stage CI must run, then one closing line over all of them.
#   1. the suite (tests/run.sh: unit tests, every scenario for real) on the normal build;
#   2. the same suite on the ASan+UBSan build, any sanitizer report failing it (tools/sanitize.sh);
#   3. the fuzz smoke: regression inputs and seeds replayed, then a short fuzz of each target;
#   4. the guest v2 lane: unit tests and the scenario suite on a cgroup v2 kernel in a qemu
#      guest (tools/guest/run.sh, built by `make guest-build` into BUILD_DIR/guest);
#   5. the systemd v2 lane (tools/sysguest/run.sh, the command in SYSGUEST_LANE from make).
# It writes how many tests each stage ran to BUILD_DIR/test-counts.md and, after a root run
# that failed nothing, fails unless docs/testing.md holds the same table (make test-counts
# copies it there).
# usage: tests/all.sh BUILD_DIR SAN_BUILD_DIR
set -u
B=${1:-build}
SAN=${2:-build-san}
passed=0 failed=0 skipped=0
log=$(mktemp)
counts=$(mktemp)
trap 'rm -f "$log" "$counts"' EXIT
printf '| stage | tests |\n|---|---|\n' >"$counts"

# One row of the counts table: a stage and how many tests it ran.
record() { # name count
	echo "| $1 | $2 |" >>"$counts"
}

# Adds the counts of a stage's "tests: P passed, F failed, S skipped" line.
add_counts() {
	name=$1
	line=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "# $name: no closing line (the stage did not run to its end)"
		failed=$((failed + 1))
		record "$name" "no closing line"
		return
	fi
	set -- $(echo "$line" | sed 's/^tests: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped.*/\1 \2 \3/')
	passed=$((passed + $1)) failed=$((failed + $2)) skipped=$((skipped + $3))
	record "$name" $(($1 + $2 + $3))
}

stage() { # name command...
	name=$1
	shift
	echo "# ===== $name"
	"$@" >"$log" 2>&1
	rc=$?
	sed 's/^tests: /stage tests: /' "$log"
	return $rc
}

stage "suite" sh tests/run.sh "$B"
add_counts suite

stage "suite under ASan+UBSan" sh tools/sanitize.sh "$SAN"
rc=$?
add_counts "suite under ASan+UBSan"
# The sanitizer reports themselves are one more check: none may exist.
if grep -q '^sanitize: .* 0 sanitizer report(s)' "$log"; then
	passed=$((passed + 1))
	record "no sanitizer report" 1
elif [ "$rc" -ne 0 ]; then
	failed=$((failed + 1))
	record "no sanitizer report" 1
fi

stage "fuzz smoke" sh tests/fuzz/smoke.sh "$B"
p=$(grep -c '^ok ' "$log")
f=$(grep -c '^not ok ' "$log")
[ "$p" -gt 0 ] || f=$((f + 1))
passed=$((passed + p)) failed=$((failed + f))
record "fuzz smoke" $((p + f))

stage "ci recipes, the .deb, install" sh tests/ci.sh "$B"; add_counts "ci recipes, the .deb, install"

stage "guest v2 lane" sh tools/guest/run.sh "$B/guest"
add_counts "guest v2 lane"

# The systemd v2 lane: the integration suite in a login session, a system service and as a
# user on a Debian 12 guest with systemd as PID 1 (make test passes the lane's command).
if [ -n "${SYSGUEST_LANE:-}" ]; then
	stage "systemd v2 lane" sh -c "$SYSGUEST_LANE"
	add_counts "systemd v2 lane"
else
	echo "# systemd v2 lane: not run (run through make test, which builds the guest)"
	failed=$((failed + 1))
	record "systemd v2 lane" "not run"
fi

# How many tests there are lives in one place, docs/testing.md, and this keeps it true. A
# skipped test still counts, so a root run that fails nothing is the full count (without root
# an integration binary is skipped whole and counts 1).
record "all" $((passed + failed + skipped))
cp "$counts" "$B/test-counts.md"
if [ "$failed" -ne 0 ] || [ "$(id -u)" -ne 0 ]; then
	echo "# test counts: not compared with docs/testing.md (this run failed tests, or ran without root, which skips integration binaries whole)"
elif sh tools/doc-block.sh get docs/testing.md test-counts | diff -u - "$counts" >"$log"; then
	echo "# test counts: docs/testing.md has this run's ($B/test-counts.md)"
else
	echo "# test counts: docs/testing.md differs from this run's ($B/test-counts.md; make test-counts copies it there):"
	sed 's/^/#   /' "$log"
	failed=$((failed + 1))
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
