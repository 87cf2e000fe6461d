#!/bin/sh
# What one sampling pass of balloon-run costs, and whether that grows with memory size.
# Figures only, nothing asserted. Four scenario runs, taken in turns (small, big, small, big):
#   balloon 256 MiB vs BIG:  a 64 MiB MADV_FREE target beside a balloon of either size;
#   target  256 MiB vs BIG:  a target of either size that MADV_FREEs all of it, no balloon.
# The runner reads the balloon's size from its progress lines (it never walks the balloon's
# memory) and the target's Rss/anon from /proc/PID/statm (O(1)); only the target's LazyFree
# needs smaps_rollup, a page-table walk: the runner walks once at the start and then on a
# 0.05 % time budget (not within 1 s), and between walks carries the figure by the group's own
# count of MADV_FREE pages (its memory.stat LRU counters, read every sample anyway;
# docs/how-a-run-works.md). So the balloon pair should cost the same at both sizes, and the
# target pair too, but for how often the target is walked (lazyfree_interval, walks), while
# each sample's LazyFree is carried (carried of samples).
# The figures come from the runner's own YAML block: sample_cpu_mean_ms (the runner's CPU
# time per sample, CLOCK_THREAD_CPUTIME_ID: user + system, split into sample_cpu_cgroup/
# _tasks/_smaps/_other: CPU, not wall time, so what else the machine runs does not count),
# sample_cost_mean_ms (wall time per sample, for comparison) and lazyfree_interval_ms (how
# long between two smaps_rollup walks), lazyfree_walks and lazyfree_carried_samples.
#
# usage: bench/sample_cost.sh BUILD_DIR     (part of make bench)
# knobs: BENCH_BIG=8G (the big size), BENCH_COST_REPS=2 (rounds of the four runs)
# exit: 0 figures printed; 1 a run did not meet its expectation or broke; 2 usage;
#       3 this machine cannot run it (the runner's or this script's message says why).
set -u
B=${1:-}
BIG=${BENCH_BIG:-8G}
REPS=${BENCH_COST_REPS:-2}
[ -n "$B" ] && [ -x "$B/balloon-run" ] || { echo "usage: bench/sample_cost.sh BUILD_DIR (build first)" >&2; exit 2; }
case $REPS in '' | *[!0-9]*) echo "BENCH_COST_REPS: \"$REPS\" is not a count" >&2; exit 2 ;; esac
big_mib=$(echo "$BIG" | awk '/^[0-9]+[Gg]$/ { print $0 * 1024; next } /^[0-9]+[Mm]$/ { print $0 + 0; next }')
[ -n "$big_mib" ] || { echo "BENCH_BIG: \"$BIG\" is not a size like 8G or 2048M" >&2; exit 2; }
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
[ "$avail" -gt $((big_mib + 1024)) ] ||
	{ echo "bench: too little memory: the big run needs $((big_mib + 1024)) MiB, MemAvailable is $avail MiB" >&2; exit 3; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
limit=$((big_mib + 512))M

# balloon_case NAME BALLOON_SIZE
balloon_case() {
	cat >"$tmp/$1.ini" <<INI
[scenario]
name = $1
timeout = 300s
[cgroup]
memory_limit = $limit
[target]
command = balloon --size 64M --release free --hold forever --quiet
ready = line
ready_line = "event":"released"
[balloon]
size = $2
rate = 0
hold = 2s
placement = same
[expect]
outcome = survived
INI
}

# target_case NAME TARGET_SIZE
target_case() {
	cat >"$tmp/$1.ini" <<INI
[scenario]
name = $1
timeout = 300s
duration = 5s
[cgroup]
memory_limit = $limit
[target]
command = balloon --size $2 --rate 0 --release free --hold forever --quiet
ready = line
ready_line = "event":"released"
[expect]
outcome = survived
INI
}

balloon_case balloon_256M 256M
balloon_case "balloon_$BIG" "$BIG"
target_case target_256M 256M
target_case "target_$BIG" "$BIG"

echo "bench: sampling cost (interval 100 ms), $REPS round(s), runs in turns"
printf '%-16s %8s %8s %8s %8s %8s %8s %8s %14s %6s %8s\n' run samples cpu_ms cgroup tasks smaps \
	other wall_ms lazyfree_every_ms walks carried
rc=0
i=0
while [ "$i" -lt "$REPS" ]; do
	i=$((i + 1))
	for c in balloon_256M "balloon_$BIG" target_256M "target_$BIG"; do
		PATH=$B:$PATH "$B/balloon-run" --no-report "$tmp/$c.ini" >"$tmp/out" 2>"$tmp/err"
		st=$?
		if [ "$st" -ne 0 ]; then
			echo "bench: $c: balloon-run exited $st" >&2
			grep -E '^(not ok|#)' "$tmp/out" >&2
			cat "$tmp/err" >&2
			[ "$st" -eq 3 ] && exit 3
			rc=1
			continue
		fi
		awk -v name="$c" '
			$1 ~ /^(samples|sample_cpu_[a-z]+_ms|sample_cost_mean_ms|lazyfree_(interval_ms|walks|carried_samples)):$/ {
				v[substr($1, 1, length($1) - 1)] = $2 }
			function f(k) { return k in v ? v[k] : "-" }
			END { printf "%-16s %8s %8s %8s %8s %8s %8s %8s %14s %6s %8s\n", name, f("samples"),
				f("sample_cpu_mean_ms"), f("sample_cpu_cgroup_ms"), f("sample_cpu_tasks_ms"),
				f("sample_cpu_smaps_ms"), f("sample_cpu_other_ms"), f("sample_cost_mean_ms"),
				f("lazyfree_interval_ms"), f("lazyfree_walks"), f("lazyfree_carried_samples") }' "$tmp/out"
	done
done
exit "$rc"
