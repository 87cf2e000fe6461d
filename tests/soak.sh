#!/bin/sh
# Soak: N back-to-back scenario runs in one runner, counting before and after the cgroups
# below the runner's memory cgroup, the harness's processes, and the runner's own open fds.
# Any difference is a leak. usage: tests/soak.sh BUILD_DIR [RUNS]   (make soak SOAK_RUNS=N)
set -u
B=${1:-build}
runs=${2:-1000}
own=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup | head -n1)
base=/sys/fs/cgroup/memory$own
[ "$(id -u)" -eq 0 ] || { echo "soak: needs root (it runs scenarios in memory cgroups)" >&2; exit 3; }
[ -d "$base" ] || { echo "soak: no cgroup v1 memory controller at $base" >&2; exit 3; }

# Two fast scenarios a round: an OOM kill (cgroup, eventfd, pidfd, counters) and a target
# that exits at once.
set -- scenarios/oom_killed.ini tests/scenarios/exit_status.ini
rounds=$(( (runs + 1) / 2 ))

cgroups() { find "$base" -mindepth 1 -type d | wc -l; }
procs() { ps -eo comm= | grep -cxE 'balloon|balloon-run'; }

cg0=$(cgroups); p0=$(procs)
start=$(date +%s)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$B/balloon-run" --repeat "$rounds" "$@" >"$out" 2>&1
rc=$?
cg1=$(cgroups); p1=$(procs)
fds=$(sed -n 's/^# runner open fds: \([0-9]*\) before, \([0-9]*\) after$/\1 \2/p' "$out")
met=$(grep -c '^ok ' "$out")
notok=$(grep -c '^not ok ' "$out")
secs=$(( $(date +%s) - start ))

echo "soak: $((rounds * 2)) scenario runs in ${secs} s: $met met, $notok not met (runner exit $rc)"
echo "soak: cgroups below $base: $cg0 before, $cg1 after"
echo "soak: harness processes: $p0 before, $p1 after"
echo "soak: runner open fds: ${fds:-unknown}"
set -- $fds
if [ "$rc" -ne 0 ] || [ "$notok" -ne 0 ] || [ "$cg0" -ne "$cg1" ] || [ "$p0" -ne "$p1" ] ||
   [ $# -ne 2 ] || [ "$1" -ne "$2" ]; then
	grep '^not ok\|^#' "$out" | head -20
	echo "soak: FAILED: something leaked or a run failed"
	exit 1
fi
echo "soak: no leak"
