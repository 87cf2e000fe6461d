#!/bin/sh
# Benchmark of the balloon, beside its peers: figures only, nothing asserted about speed
# (first-touch page-fault throughput on a VM drifts 2-5x between minutes, so the figures that
# mean something are ratios of ALTERNATING runs, and achieved rate against configured rate).
# Every run is its own process in a fresh memory cgroup below this shell's own (limit = run
# size + 512 MiB), started and sampled by build/bench/watch (the cgroup's usage every 20 ms);
# the cgroup is removed after each run, and on any exit with anything still in it killed.
# Parts (BENCH_PARTS, in this order):
#   inflate    BENCH_SIZE at --rate 0, 4K pages and THP: balloon, one MADV_POPULATE_WRITE
#              (bench/populate), stress-ng --vm 1 --vm-keep, memhog, in turns (the order
#              rotates each round), BENCH_ROUNDS rounds;
#   rates      --rate 10, 100, 1000 MiB/s and a ramp 0 -> BENCH_RAMP MiB/s, each followed
#              (or, every other round, preceded) by a populate of the same size: the
#              machine's own limit measured beside it;
#   footprint  the balloon's RSS beyond its payload at 64 MiB and at BENCH_SIZE; the runner's
#              RSS over scenarios/oom_killed.ini;
#   oomlat     BENCH_OOM_KILLS (60) runs of a small OOM-kill scenario (48 MiB limit): from the
#              kernel's kill (its "Killed process" record in the kernel log, on the kernel's
#              clock, its offset to CLOCK_MONOTONIC measured) to the runner's first event that
#              knows of it and to its "exit" event (result.json of each run); the runs are
#              BENCH_OOM_GAP (0.5 s) apart, since the kernel rate-limits its "oom-kill:" line
#              (the one naming the groups) to 10 in 5 s machine-wide;
#   hang       BENCH_HANG_RUNS (10) runs each of scenarios/oom_kill_disable_hang.ini and
#              scenarios/go_oom_kill_disable_hang.ini, in turns: the hang event past hang_after
#              (from the sample that started the no-progress stretch) and the recovery time;
#   cost       bench/sample_cost.sh (the runner's CPU per sample), BENCH_BIG=4G by default;
#   scale      a scenario with a BENCH_SCALE (16G) balloon beside a BENCH_SCALE_TARGET (8G)
#              target that MADV_FREEs its memory, in a BENCH_SCALE_LIMIT (18G) group: the
#              balloon must reclaim the difference (verdict reclaimed) and the runner's CPU per
#              sample is its figure: not in the default parts (make bench-scale); its result
#              is kept.
# Then bench/report.py prints the one table (and writes build/bench/figures.md and the chart
# page build/bench/inflate.html). Raw runs: build/bench/PART/*.csv (samples), *.log (the
# tool's output), *.json (what ran, when, its status and timings).
#
# usage: bench/bench.sh BUILD_DIR        (make bench; make bench-scale)
# knobs, from the environment:
#   BENCH_PARTS="inflate rates footprint oomlat hang cost"
#   BENCH_SIZE=2G  BENCH_ROUNDS=7  BENCH_PEERS="stress-ng memhog"
#   BENCH_BASELINE=PATH        another balloon binary (an older build) added to the inflate turns
#   BENCH_RATES="10 100 1000"  BENCH_RAMP=1000  BENCH_RATE_SECONDS=5  BENCH_RATE_REPS=2
#   BENCH_OOM_KILLS=60  BENCH_OOM_GAP=0.5  BENCH_HANG_RUNS=10
#   BENCH_SCALE=16G  BENCH_SCALE_TARGET=8G  BENCH_SCALE_LIMIT=18G
#   BENCH_BIG=4G (sample_cost.sh's big size)
# exit: 0 figures printed; 1 a run broke (a program failed or was killed); 2 bad knob or usage;
#       3 this machine cannot run it (not root, no cgroup v1 memory controller, no
#       MADV_POPULATE_WRITE, too little memory, a peer missing): the message says what.
# shellcheck disable=SC2016,SC2046 # sh -c scripts are single-quoted on purpose; set -- $(...) splits on purpose
set -u

B=${1:-}
PARTS=${BENCH_PARTS:-inflate rates footprint oomlat hang cost}
SIZE=${BENCH_SIZE:-2G}
ROUNDS=${BENCH_ROUNDS:-7}
PEERS=${BENCH_PEERS-stress-ng memhog}
BASELINE=${BENCH_BASELINE:-}
RATES=${BENCH_RATES:-10 100 1000}
RAMP=${BENCH_RAMP:-1000}
RATE_SECONDS=${BENCH_RATE_SECONDS:-5}
RATE_REPS=${BENCH_RATE_REPS:-2}
SCALE=${BENCH_SCALE:-16G}
SCALE_TARGET=${BENCH_SCALE_TARGET:-8G}
SCALE_LIMIT=${BENCH_SCALE_LIMIT:-18G}
OOM_KILLS=${BENCH_OOM_KILLS:-60}
OOM_GAP=${BENCH_OOM_GAP:-0.5}
HANG_RUNS=${BENCH_HANG_RUNS:-10}
HEADROOM=$((512 * 1048576))	# cgroup limit = run size + this: no reclaim, no OOM kill
MEMCG_ROOT=/sys/fs/cgroup/memory
MiB=1048576

cg=""		# the current run's cgroup directory, once made
ncg=0		# cgroups made so far (their names)
child=""	# pid of the run in progress

say() { echo "bench: $*"; }
die() { # code message
	code=$1
	shift
	echo "bench: $*" >&2
	exit "$code"
}

# Kills whatever is left in the run's cgroup and removes it. Returns 1 when it stays.
drop_cgroup() {
	if [ -z "$cg" ] || [ ! -d "$cg" ]; then
		cg=""
		return 0
	fi
	tries=0
	procs=$(cat "$cg/cgroup.procs" 2>/dev/null)
	while [ -n "$procs" ] && [ "$tries" -lt 100 ]; do
		# shellcheck disable=SC2086 # one pid a word
		kill -KILL $procs 2>/dev/null
		sleep 0.1
		tries=$((tries + 1))
		procs=$(cat "$cg/cgroup.procs" 2>/dev/null)
	done
	# Freeing gigabytes on exit takes a moment: the cgroup may stay busy a little after its
	# last task is gone from cgroup.procs.
	tries=0
	until rmdir "$cg" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -ge 40 ]; then
			echo "bench: rmdir $cg: $(rmdir "$cg" 2>&1 | sed 's/^rmdir: //')" \
			     "(still in it: $(tr '\n' ' ' <"$cg/cgroup.procs" 2>/dev/null))" >&2
			return 1
		fi
		sleep 0.05
	done
	cg=""
}

# Runs once, on any exit, including INT/TERM: the run in progress, then its cgroup.
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
	drop_cgroup || { [ "$rc" -eq 0 ] && rc=1; }
	exit "$rc"
}

# Prints SIZE (binary units, a bare number is bytes) in bytes, or nothing if it is not one.
to_bytes() {
	echo "$1" | awk '
	/^[0-9]+(\.[0-9]+)?([KkMmGgTt](i?B)?|B)?$/ {
		n = $0; sub(/[KkMmGgTtB].*$/, "", n)
		u = toupper(substr($0, length(n) + 1, 1))
		m = u == "K" ? 2^10 : u == "M" ? 2^20 : u == "G" ? 2^30 : u == "T" ? 2^40 : 1
		printf "%.0f\n", int(n * m)
	}'
}

is_count() { # value: a whole number >= 1
	case $1 in '' | *[!0-9]*) return 1 ;; esac
	[ "$1" -ge 1 ]
}

has_part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

check_knobs() {
	[ -n "$B" ] || die 2 "usage: bench/bench.sh BUILD_DIR (normally via make bench)"
	for p in $PARTS; do
		case $p in inflate | rates | footprint | oomlat | hang | cost | scale) ;;
		*) die 2 "BENCH_PARTS: \"$p\" is not a part (inflate, rates, footprint, oomlat, hang," \
			"cost, scale)" ;;
		esac
	done
	page=$(getconf PAGESIZE)
	size_bytes=$(to_bytes "$SIZE")
	[ -n "$size_bytes" ] || die 2 "BENCH_SIZE: \"$SIZE\" is not a size (use 512M, 2G)"
	size_bytes=$((size_bytes - size_bytes % page))
	[ "$size_bytes" -gt 0 ] || die 2 "BENCH_SIZE: \"$SIZE\" is less than one page"
	scale_bytes=$(to_bytes "$SCALE")
	if [ -z "$scale_bytes" ] || [ "$scale_bytes" -eq 0 ]; then
		die 2 "BENCH_SCALE: \"$SCALE\" is not a size (use 16G)"
	fi
	scale_target_bytes=$(to_bytes "$SCALE_TARGET")
	[ -n "$scale_target_bytes" ] && [ "$scale_target_bytes" -gt 0 ] ||
		die 2 "BENCH_SCALE_TARGET: \"$SCALE_TARGET\" is not a size (use 8G)"
	scale_limit_bytes=$(to_bytes "$SCALE_LIMIT")
	[ -n "$scale_limit_bytes" ] && [ "$scale_limit_bytes" -gt 0 ] ||
		die 2 "BENCH_SCALE_LIMIT: \"$SCALE_LIMIT\" is not a size (use 18G)"
	[ "$scale_limit_bytes" -lt $((scale_bytes + scale_target_bytes)) ] ||
		die 2 "BENCH_SCALE_LIMIT ($SCALE_LIMIT) must be below BENCH_SCALE + BENCH_SCALE_TARGET:" \
		    "the balloon has to reclaim the target's LazyFree"
	is_count "$OOM_KILLS" || die 2 "BENCH_OOM_KILLS: \"$OOM_KILLS\" is not a whole number >= 1"
	is_count "$HANG_RUNS" || die 2 "BENCH_HANG_RUNS: \"$HANG_RUNS\" is not a whole number >= 1"
	case $OOM_GAP in '' | *[!0-9.]* | *.*.*) die 2 "BENCH_OOM_GAP: \"$OOM_GAP\" is not seconds (0.5)" ;; esac
	is_count "$ROUNDS" || die 2 "BENCH_ROUNDS: \"$ROUNDS\" is not a whole number >= 1"
	is_count "$RATE_REPS" || die 2 "BENCH_RATE_REPS: \"$RATE_REPS\" is not a whole number >= 1"
	is_count "$RATE_SECONDS" ||
		die 2 "BENCH_RATE_SECONDS: \"$RATE_SECONDS\" is not a whole number of seconds >= 1"
	is_count "$RAMP" || die 2 "BENCH_RAMP: \"$RAMP\" is not a rate in MiB/s (whole number >= 1)"
	max_rate=0
	for r in $RATES; do
		is_count "$r" || die 2 "BENCH_RATES: \"$r\" is not a rate in MiB/s (whole number >= 1)"
		[ "$r" -gt "$max_rate" ] && max_rate=$r
	done
	for t in $PEERS; do
		case $t in stress-ng | memhog) ;;
		*) die 2 "BENCH_PEERS: \"$t\" is not a peer this script knows (stress-ng, memhog)" ;;
		esac
	done
	balloon=$B/balloon
	populate=$B/bench/populate
	watch=$B/bench/watch
	for f in "$balloon" "$populate" "$watch"; do
		[ -x "$f" ] || die 2 "$f: not built (run make bench)"
	done
	[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || die 2 "BENCH_BASELINE: $BASELINE is not a program"
}

# Environment gaps are exit 3, each saying what is missing.
check_machine() {
	[ "$(id -u)" -eq 0 ] || die 3 "not root: the benchmark creates memory cgroups"
	[ -f "$MEMCG_ROOT/memory.limit_in_bytes" ] ||
		die 3 "no cgroup v1 memory controller at $MEMCG_ROOT (no $MEMCG_ROOT/memory.limit_in_bytes)"
	own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup)
	[ -n "$own" ] || die 3 "no memory line in /proc/self/cgroup: this process is in no v1 memory cgroup"
	parent=$MEMCG_ROOT${own%/}
	[ -d "$parent" ] || die 3 "own memory cgroup $parent (from /proc/self/cgroup) does not exist"
	for t in $PEERS; do
		command -v "$t" >/dev/null 2>&1 ||
			die 3 "$t: not installed (make bench installs it: sh tools/deps.sh bench)"
	done
	need=0
	has_part inflate && need=$size_bytes
	if has_part rates; then
		big=$((max_rate * RATE_SECONDS * MiB))
		[ "$big" -gt "$need" ] && need=$big
	fi
	need=$((need + HEADROOM))
	has_part scale && [ $((scale_limit_bytes + HEADROOM)) -gt "$need" ] &&
		need=$((scale_limit_bytes + HEADROOM))
	avail=$(awk '/^MemAvailable:/ { printf "%.0f\n", $2 * 1024 }' /proc/meminfo)
	[ "$avail" -ge "$need" ] || die 3 "too little memory: the largest run needs" \
		"$((need / MiB)) MiB (size + 512 MiB), MemAvailable is $((avail / MiB)) MiB"
	# A lower limit above ours would make a run an OOM kill, not a figure.
	d=$parent
	while :; do
		lim=$(cat "$d/memory.limit_in_bytes") || die 3 "cannot read $d/memory.limit_in_bytes"
		[ "$lim" -ge "$need" ] || die 3 "$d/memory.limit_in_bytes is $((lim / MiB)) MiB," \
			"the largest run needs $((need / MiB)) MiB (size + 512 MiB)"
		[ "$d" = "$MEMCG_ROOT" ] && break
		d=${d%/*}
	done
}

# A fresh cgroup of limit bytes for the next run; cg is set before mkdir so that a signal
# right after it still finds the cgroup to remove.
new_cgroup() { # limit
	ncg=$((ncg + 1))
	cg=$parent/bench-$$-$ncg
	mkdir "$cg" || { cg=""; die 1 "mkdir $parent/bench-$$-$ncg failed"; }
	echo "$1" >"$cg/memory.limit_in_bytes" ||
		die 1 "write $1 to $cg/memory.limit_in_bytes failed"
}

# One run: NAME (files DIR/NAME.csv, .log, .json), the bytes it should reach, then the
# command. In a fresh cgroup, started and sampled by watch; stress-ng, which never ends by
# itself, is stopped 300 ms after the usage reached REACH (the others end by themselves: 60 s
# is only a safety net). Sets w_status, w_reach, w_peak_usage, w_peak_rss, w_end (watch's
# line) and w_oom (the cgroup's oom_kill count).
run() { # name reach command...
	name=$1
	reach=$2
	shift 2
	after=60s
	[ "$1" = stress-ng ] && after=300ms
	new_cgroup $((reach + HEADROOM))
	started=$(date +%s.%N)
	"$watch" --cgroup "$cg" --csv "$dir/$name.csv" --log "$dir/$name.log" --reach "$reach" \
		--after-reach "$after" -- "$@" >"$dir/$name.watch" &
	child=$!
	wait "$child"
	st=$?
	child=""
	[ "$st" -eq 0 ] || die 1 "$name: $watch exited $st: $(cat "$dir/$name.log" 2>/dev/null)"
	w_oom=$(awk '$1 == "oom_kill" { print $2 }' "$cg/memory.oom_control" 2>/dev/null)
	drop_cgroup || die 1 "$name: its cgroup stays"
	set -- $(sed 's/[a-z_]*=//g' "$dir/$name.watch")
	w_status=$1 w_reach=$2 w_peak_usage=$3 w_peak_rss=$4 w_end=$6
	[ "${w_oom:-0}" -eq 0 ] ||
		die 1 "$name: OOM kill in its cgroup (oom_kill $w_oom): the limit is size + 512 MiB"
}

# Writes DIR/NAME.json for the run just done: what ran, when, and watch's figures, plus
# "key":value pairs given as arguments (numbers or JSON strings).
record() { # name tool extra-json...
	n=$1 tool=$2
	shift 2
	extra=""
	for kv in "$@"; do extra="$extra, $kv"; done
	printf '{"name": "%s", "tool": "%s", "started": %s, "status": %s, "reach_s": %s, "peak_usage": %s, "peak_rss": %s, "end_s": %s, "command": "%s"%s}\n' \
		"$n" "$tool" "$started" "$w_status" "$w_reach" "$w_peak_usage" "$w_peak_rss" \
		"$w_end" "$(echo "$cmd" | sed 's/\\/\\\\/g; s/"/\\"/g')" "$extra" >"$dir/$n.json"
}

# The balloon's own inflate time, t(inflated) - t(started), from its progress lines.
balloon_secs() { # log
	awk -F'"t":' '/"event":"started"/ { split($2, a, ","); s = a[1] }
		/"event":"inflated"/ { split($2, a, ","); printf "%.6f\n", a[1] - s }' "$1"
}

# The command of TOOL for BYTES in touch mode MODE (4k or thp), in cmd; empty when the tool
# cannot do that mode (memhog has no way to ask for THP).
tool_cmd() { # tool bytes mode
	case $1 in
	balloon | baseline)
		b=$balloon
		[ "$1" = baseline ] && b=$BASELINE
		cmd="$b --size $2 --rate 0 --hold 300ms --quiet"
		[ "$3" = thp ] && cmd="$cmd --thp on" ;;
	populate)
		cmd="$populate --hold 300ms $2"
		[ "$3" = thp ] && cmd="$populate --thp on --hold 300ms $2" ;;
	stress-ng)
		cmd="stress-ng --vm 1 --vm-bytes $2 --vm-keep --timeout 300s"
		[ "$3" = thp ] && cmd="$cmd --vm-madvise hugepage" ;;
	memhog)
		# -r2: a second memset pass holds the memory long enough to be seen complete.
		cmd="memhog -r2 $2"
		[ "$3" = thp ] && cmd="" ;;
	esac
}

# What else ran: the load average, the CPU time stolen by the host and the busiest other
# processes, at the start and the end of a part (the VM's speed depends on them).
snapshot() { # file label
	{
		echo "$2 $(date -u +%H:%M:%S) loadavg $(cut -d' ' -f1-3 /proc/loadavg)" \
		     "cpu $(head -n 1 /proc/stat | cut -d' ' -f3-)"
		# %CPU over each process's life: who else is busy on this machine.
		ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 >= 10 { print "  busy", $1, $2 }'
	} >>"$1"
}

# Part inflate: per mode (4K pages, then THP), every tool once per round, in an order that
# rotates each round and runs backwards every other round, so that no tool always runs first
# or right after the same neighbour (a run inherits the memory its predecessor freed: warm,
# or given back to the host and cold).
part_inflate() {
	dir=$out/inflate
	tools="balloon populate $PEERS"
	[ -n "$BASELINE" ] && tools="$tools baseline"
	# shellcheck disable=SC2086 # one tool a word
	ntools=$(echo $tools | wc -w)
	for mode in 4k thp; do
		# Uncounted warm-up: the first touch of guest memory after a pause, or of huge
		# pages after small ones, is the slowest (the host backs the memory anew).
		tool_cmd populate "$size_bytes" "$mode"
		# shellcheck disable=SC2086 # a command line, split on purpose
		run "warmup-$mode" "$size_bytes" $cmd
		say "inflate $mode: warm-up populate $((size_bytes / MiB)) MiB took" \
		    "$(tail -n 1 "$dir/warmup-$mode.log") s (not counted)"
		r=1
		while [ "$r" -le "$ROUNDS" ]; do
			# shellcheck disable=SC2086 # one tool a word
			set -- $tools
			i=1
			while [ "$i" -lt $(((r - 1) % ntools + 1)) ]; do # rotate by r - 1
				t=$1
				shift
				set -- "$@" "$t"
				i=$((i + 1))
			done
			if [ $((r % 2)) -eq 0 ]; then
				rev=""
				for t in "$@"; do rev="$t $rev"; done
				# shellcheck disable=SC2086 # one tool a word
				set -- $rev
			fi
			order=0
			line=""
			for tool in "$@"; do
				tool_cmd "$tool" "$size_bytes" "$mode"
				[ -n "$cmd" ] || continue
				order=$((order + 1))
				n=r$r-$mode-$tool
				# shellcheck disable=SC2086 # a command line, split on purpose
				run "$n" "$size_bytes" $cmd
				[ "$w_status" -eq 0 ] || [ "$tool" = stress-ng ] ||
					die 1 "$n: $cmd exited $w_status: $(tail -n 3 "$dir/$n.log")"
				own=null
				case $tool in
				balloon | baseline) own=$(balloon_secs "$dir/$n.log") ;;
				populate) own=$(tail -n 1 "$dir/$n.log") ;;
				esac
				record "$n" "$tool" '"part": "inflate"' "\"mode\": \"$mode\"" \
					"\"round\": $r" "\"order\": $order" "\"size\": $size_bytes" \
					"\"own_s\": ${own:-null}"
				line="$line $tool $w_reach"
			done
			say "inflate $mode round $r/$ROUNDS (reached $((size_bytes / MiB)) MiB after, s):$line"
			r=$((r + 1))
		done
	done
}

# Part rates: each rate (and the ramp) as a balloon run with its progress lines every 100 ms
# (five 20 ms ticks: each line falls on a tick's start), beside a populate of the same size.
part_rates() {
	dir=$out/rates
	rep=1
	while [ "$rep" -le "$RATE_REPS" ]; do
		for rate in $RATES ramp; do
			if [ "$rate" = ramp ]; then
				bytes=$((RAMP * RATE_SECONDS * MiB / 2))
				args="--rate $RAMP --ramp ${RATE_SECONDS}s"
			else
				bytes=$((rate * RATE_SECONDS * MiB))
				args="--rate $rate"
			fi
			for tool in balloon populate; do
				# Every other round the populate goes first.
				[ $((rep % 2)) -eq 0 ] && { [ "$tool" = balloon ] && tool=populate || tool=balloon; }
				n=rep$rep-$rate-$tool
				if [ "$tool" = balloon ]; then
					cmd="$balloon --size $bytes $args --progress-interval 100ms --quiet"
				else
					cmd="$populate --hold 300ms $bytes"
				fi
				# shellcheck disable=SC2086 # a command line, split on purpose
				run "$n" "$bytes" $cmd
				[ "$w_status" -eq 0 ] || die 1 "$n: $cmd exited $w_status: $(tail -n 3 "$dir/$n.log")"
				if [ "$tool" = balloon ]; then
					own=$(balloon_secs "$dir/$n.log")
				else
					own=$(tail -n 1 "$dir/$n.log")
				fi
				record "$n" "$tool" '"part": "rates"' "\"rate\": \"$rate\"" "\"rep\": $rep" \
					"\"size\": $bytes" "\"rate_mib\": $([ "$rate" = ramp ] && echo "$RAMP" || echo "$rate")" \
					"\"ramp_s\": $([ "$rate" = ramp ] && echo "$RATE_SECONDS" || echo 0)" \
					"\"own_s\": ${own:-null}"
				say "rates $rate rep $rep/$RATE_REPS: $tool $((bytes / MiB)) MiB in ${own:-?} s"
			done
		done
		rep=$((rep + 1))
	done
}

# Part footprint: the balloon's RSS beyond its payload, held 1 s at 64 MiB and at BENCH_SIZE
# (watch's highest RSS sample minus the size); the runner's RSS over a whole OOM-kill scenario
# (part oomlat times the kill).
part_footprint() {
	dir=$out/footprint
	for bytes in $((64 * MiB)) "$size_bytes"; do
		n=balloon-$((bytes / MiB))M
		cmd="$balloon --size $bytes --rate 0 --hold 1s --quiet"
		# shellcheck disable=SC2086 # a command line, split on purpose
		run "$n" "$bytes" $cmd
		[ "$w_status" -eq 0 ] || die 1 "$n: $cmd exited $w_status"
		record "$n" balloon '"part": "footprint"' "\"size\": $bytes"
		say "footprint: balloon at $((bytes / MiB)) MiB: RSS $((w_peak_rss / 1024)) KiB," \
		    "$(((w_peak_rss - bytes) / 1024)) KiB beyond the payload"
	done
	# --no-report as a user would run it, then --report for result.json's event times.
	for i in 1 2 3 4 5 6; do
		n=runner-oom_killed-$i
		if [ "$i" -le 3 ]; then
			cmd="$B/balloon-run --no-report scenarios/oom_killed.ini"
		else
			cmd="$B/balloon-run --report $dir/$n.report scenarios/oom_killed.ini"
		fi
		# The runner makes its own cgroups below ours: watch only samples its RSS here.
		started=$(date +%s.%N)
		# shellcheck disable=SC2086 # a command line, split on purpose
		"$watch" --csv "$dir/$n.csv" --log "$dir/$n.log" -- $cmd >"$dir/$n.watch" &
		child=$!
		wait "$child" || die 1 "$n: $watch failed: $(cat "$dir/$n.log")"
		child=""
		set -- $(sed 's/[a-z_]*=//g' "$dir/$n.watch")
		w_status=$1 w_reach=$2 w_peak_usage=$3 w_peak_rss=$4 w_end=$6
		[ "$w_status" -eq 0 ] || die 1 "$n: $cmd exited $w_status: $(tail -n 5 "$dir/$n.log")"
		record "$n" runner '"part": "footprint"' "\"report\": $([ "$i" -gt 3 ] && echo true || echo false)"
		say "footprint: $cmd: RSS peak $((w_peak_rss / 1024)) KiB"
	done
}

# The runner as bench runs it: the balloon and the workload pack (gohog) on its PATH.
runner() {
	PATH=$B:$B/workloads:$PATH "$B/balloon-run" "$@"
}

# Part oomlat: OOM_KILLS runs of a small OOM kill (a 48 MiB group, a target that wants 256 MiB
# in 4 MiB steps: each run lasts some 0.1 s, and the victim's exit frees little). Per run: the
# runner's report (result.json: its events on CLOCK_MONOTONIC, t0_monotonic_s + t_s) and the
# kernel's "Killed process" record of the kill (dmesg, the kernel log's clock); the offset
# between the two clocks is measured before and after (bench/kmsg_clock.py).
part_oomlat() {
	dir=$out/oomlat
	python3 -B bench/kmsg_clock.py 5 >"$dir/clock.before" ||
		die 3 "bench/kmsg_clock.py: cannot time the kernel log against CLOCK_MONOTONIC"
	cat >"$dir/oom_small.ini" <<INI
[scenario]
name = oom_small
description = a target that wants 256 MiB in a 48 MiB group: OOM-killed
timeout = 30s
[cgroup]
memory_limit = 48M
[target]
command = balloon --size 256M --chunk 4M --hold 10s --quiet
[expect]
outcome = oom_killed
victim = target
INI
	i=1
	while [ "$i" -le "$OOM_KILLS" ]; do
		n=r$i
		runner -q --report "$dir/$n" "$dir/oom_small.ini" >"$dir/$n.tap" 2>"$dir/$n.err" ||
			die 1 "oomlat $n: balloon-run exited $?: $(grep -E '^(not ok|Bail)' "$dir/$n.tap")" \
			    "$(cat "$dir/$n.err")"
		pid=$(sed -n 's/.*"detail": *"pid \([0-9]*\):.*/\1/p' "$dir/$n/oom_small/result.json" |
		      head -n 1)
		dmesg 2>/dev/null | grep -E "Killed process $pid |pid=$pid," >"$dir/$n.dmesg"
		[ $((i % 10)) -eq 0 ] && say "oomlat: $i/$OOM_KILLS kills"
		sleep "$OOM_GAP"
		i=$((i + 1))
	done
	python3 -B bench/kmsg_clock.py 5 >"$dir/clock.after" ||
		die 3 "bench/kmsg_clock.py: cannot time the kernel log against CLOCK_MONOTONIC"
}

# Part hang: HANG_RUNS rounds of the two oom_kill_disable hangs (C, then Go; every other round
# Go first), each with its report; report.py reads the timelines. A run whose expectation was
# not met (the target died instead of hanging) is counted, not fatal.
part_hang() {
	dir=$out/hang
	r=1
	while [ "$r" -le "$HANG_RUNS" ]; do
		set -- oom_kill_disable_hang go_oom_kill_disable_hang
		[ $((r % 2)) -eq 0 ] && set -- go_oom_kill_disable_hang oom_kill_disable_hang
		for s in "$@"; do
			n=$s-$r
			runner -q --report "$dir/$n" "scenarios/$s.ini" >"$dir/$n.tap" 2>"$dir/$n.err"
			st=$?
			# Not met (1) is a figure: the row counts the runs that did not hang.
			[ "$st" -eq 1 ] && say "hang $n: not met: $(grep -m 1 -E '^not ok' "$dir/$n.tap")"
			[ "$st" -le 1 ] || die 1 "hang $n: balloon-run exited $st:" \
				"$(grep -E '^(not ok|Bail)' "$dir/$n.tap") $(cat "$dir/$n.err")"
			grep -q '# SKIP' "$dir/$n.tap" && say "hang: $s skipped: $(grep '# SKIP' "$dir/$n.tap")"
		done
		say "hang: round $r/$HANG_RUNS"
		r=$((r + 1))
	done
}

# Part cost: the runner's sampling cost, as bench/sample_cost.sh measures it.
part_cost() {
	dir=$out/cost
	say "cost: sh bench/sample_cost.sh $B (BENCH_BIG=${BENCH_BIG:-4G})"
	BENCH_BIG=${BENCH_BIG:-4G} sh bench/sample_cost.sh "$B" | tee "$dir/sample_cost.txt" ||
		die 1 "bench/sample_cost.sh failed"
}

# Part scale: a BENCH_SCALE balloon (read back with verify) beside a BENCH_SCALE_TARGET target
# that MADV_FREEs all its memory, in a BENCH_SCALE_LIMIT group (below their sum, above the
# balloon): the balloon fits only by reclaiming the target's LazyFree, so the verdict is
# reclaimed (at least sum - limit), and the runner's CPU per sample at that size is the figure.
part_scale() {
	dir=$out/scale
	mib_t=$((scale_target_bytes / MiB)) mib_b=$((scale_bytes / MiB)) mib_l=$((scale_limit_bytes / MiB))
	cat >"$dir/scale.ini" <<INI
[scenario]
name = scale
description = a $mib_b MiB balloon beside a $mib_t MiB target that MADV_FREEd it all, limit $mib_l MiB
timeout = 600s
[cgroup]
memory_limit = $scale_limit_bytes
[target]
command = balloon --size $scale_target_bytes --rate 0 --release free --hold forever --quiet
ready = line
ready_line = "event":"released"
ready_timeout = 300s
[balloon]
size = $scale_bytes
rate = 0
hold = 1s
verify = yes
placement = same
[expect]
outcome = reclaimed
min_reclaimed = $((scale_bytes + scale_target_bytes - scale_limit_bytes))
INI
	say "scale: $mib_b MiB balloon beside a $mib_t MiB MADV_FREE target, limit $mib_l MiB"
	started=$(date +%s.%N)
	runner --report "$dir/report" "$dir/scale.ini" >"$dir/scale.tap" 2>"$dir/scale.err"
	st=$?
	echo "$st $started $(date +%s.%N)" >"$dir/status"
	grep -E '^(ok|not ok)' "$dir/scale.tap" | sed 's/^/bench: scale: /'
	[ "$st" -eq 0 ] || die 1 "scale: balloon-run exited $st: $(cat "$dir/scale.err")"
}

main() {
	start=$(date +%s)
	check_knobs
	check_machine
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	out=$B/bench
	say "parts: $PARTS; every run in a fresh cgroup below $parent; raw runs in $out/PART/"
	for p in inflate rates footprint oomlat hang cost scale; do
		has_part "$p" || continue
		rm -rf "${out:?}/$p"
		mkdir -p "$out/$p" || die 1 "mkdir $out/$p failed"
		snapshot "$out/$p/machine" start
		"part_$p"
		snapshot "$out/$p/machine" end
		date -u +%Y-%m-%dT%H:%M:%SZ >"$out/$p/when"
	done
	say "all parts in $(($(date +%s) - start)) s"
	python3 -B bench/report.py "$out" || die 1 "bench/report.py $out failed"
}

main
