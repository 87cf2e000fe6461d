#!/bin/sh
# The hang proof's repeatability: every shipped scenario whose expected outcome is hung and
# whose target has more than one thread (gohog, jhog, spinwait: runtimes with helper
# threads), run N times in one runner; prints "NAME: hung K of N" per scenario and fails
# unless every run was hung. Scenarios this machine cannot run are reported as skipped with
# their reason. usage: tests/soak-hang.sh BUILD_DIR [N]   (make soak-hang HANG_RUNS=N)
set -u
B=${1:-build}
n=${2:-20}
[ "$(id -u)" -eq 0 ] || { echo "soak-hang: needs root (it runs scenarios in memory cgroups)" >&2; exit 3; }
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for f in scenarios/*.ini; do
	grep -q '^outcome = hung' "$f" || continue
	grep -qE '^command = (gohog|jhog|spinwait)' "$f" || continue
	name=$(basename "$f" .ini)
	start=$(date +%s)
	"$B/balloon-run" --no-report --repeat "$n" "$f" >"$out" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if grep -q '# SKIP' "$out"; then
		echo "$name: skipped ($(sed -n 's/.*# SKIP //p' "$out" | head -n 1))"
		continue
	fi
	hung=$(grep -c '^ok .*: target hung' "$out")
	echo "$name: hung $hung of $n (${secs} s, runner exit $rc)"
	if [ "$hung" -ne "$n" ] || [ "$rc" -ne 0 ]; then
		grep '^not ok' "$out" | head -5
		failed=1
	fi
done
[ "$failed" -eq 0 ] && echo "soak-hang: every multi-threaded hang scenario hung $n of $n"
exit "$failed"
