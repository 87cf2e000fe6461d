#!/bin/sh
# Benchmark of the balloon: figures only, nothing asserted about speed (first-touch page-fault
# throughput on a VM varies 10x between runs, so the figures that mean something are ratios of
# ALTERNATING runs, and achieved rate against the balloon's own configured rate).
#   1. inflate throughput at unlimited rate as a ratio to the kernel's own limit, one
#      madvise(MADV_POPULATE_WRITE) of the same size (bench/populate.c), run in turns;
#   2. achieved against configured rate, overall and over the worst 1-second window, from the
#      balloon's own tick lines, the rates taken in turns.
# Every run is its own process in one memory cgroup created below this shell's own (limit =
# run size + 512 MiB) and removed on exit, with anything still in it killed.
#
# usage: bench/bench.sh BUILD_DIR        (make bench)
# knobs, from the environment:
#   BENCH_SIZE=1G               inflate size of part 1 (K/M/G/T binary; a bare number is bytes)
#   BENCH_PAIRS=5               populate/balloon pairs per touch mode in part 1
#   BENCH_TOUCH="page fill"     balloon --touch modes compared in part 1 (page, fill, random)
#   BENCH_RATES="10 100 1000"   configured rates of part 2, MiB/s
#   BENCH_RATE_SECONDS=5        inflation time per part-2 run (size = rate x seconds)
#   BENCH_RATE_REPS=2           repetitions of the whole rate cycle in part 2
# exit: 0 figures printed; 1 a run broke (a program failed or was killed); 2 bad knob or usage;
#       3 this machine cannot run it (not root, no cgroup v1 memory controller, no
#       MADV_POPULATE_WRITE, too little memory): the message says what is missing.
# shellcheck disable=SC2016,SC2046 # sh -c scripts are single-quoted on purpose; set -- $(...) splits on purpose
set -u

B=${1:-}
SIZE=${BENCH_SIZE:-1G}
PAIRS=${BENCH_PAIRS:-5}
TOUCHES=${BENCH_TOUCH:-page fill}
RATES=${BENCH_RATES:-10 100 1000}
RATE_SECONDS=${BENCH_RATE_SECONDS:-5}
RATE_REPS=${BENCH_RATE_REPS:-2}
HEADROOM=$((512 * 1048576))	# cgroup limit = run size + this: no reclaim, no OOM kill
MEMCG_ROOT=/sys/fs/cgroup/memory

cg=""		# the cgroup directory, once made
child=""	# pid of the run in progress
tmp=""

say() { echo "bench: $*"; }
die() { # code message
	code=$1
	shift
	echo "bench: $*" >&2
	exit "$code"
}

# Kills whatever is still running (the current child, anything left in the cgroup), then
# removes the cgroup and the scratch directory. Runs once, on any exit, including INT/TERM.
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	[ -n "$child" ] && kill -KILL "$child" 2>/dev/null && wait "$child" 2>/dev/null
	if [ -n "$cg" ] && [ -d "$cg" ]; then
		n=0
		procs=$(cat "$cg/cgroup.procs" 2>/dev/null)
		while [ -n "$procs" ] && [ "$n" -lt 100 ]; do
			# shellcheck disable=SC2086 # one pid a word
			kill -KILL $procs 2>/dev/null
			sleep 0.1
			n=$((n + 1))
			procs=$(cat "$cg/cgroup.procs" 2>/dev/null)
		done
		# Freeing gigabytes on exit takes a moment: the cgroup may stay busy a little after
		# its last task is gone from cgroup.procs.
		n=0
		until rmdir "$cg" 2>/dev/null; do
			n=$((n + 1))
			if [ "$n" -ge 20 ]; then
				echo "bench: rmdir $cg: $(rmdir "$cg" 2>&1 | sed 's/^rmdir: //')" \
				     "(still in it: $(tr '\n' ' ' <"$cg/cgroup.procs" 2>/dev/null))" >&2
				[ "$rc" -eq 0 ] && rc=1
				break
			fi
			sleep 0.25
		done
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$rc"
}

# Prints SIZE (as balloon --size takes it: binary units, bare number = bytes) in bytes, or
# nothing if it is not a size.
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

check_knobs() {
	[ -n "$B" ] || die 2 "usage: bench/bench.sh BUILD_DIR (normally via make bench)"
	size_bytes=$(to_bytes "$SIZE")
	[ -n "$size_bytes" ] || die 2 "BENCH_SIZE: \"$SIZE\" is not a size (use 512M, 1G)"
	page=$(getconf PAGESIZE)
	size_bytes=$((size_bytes - size_bytes % page))
	[ "$size_bytes" -gt 0 ] || die 2 "BENCH_SIZE: \"$SIZE\" is less than one page"
	is_count "$PAIRS" || die 2 "BENCH_PAIRS: \"$PAIRS\" is not a whole number >= 1"
	is_count "$RATE_REPS" || die 2 "BENCH_RATE_REPS: \"$RATE_REPS\" is not a whole number >= 1"
	is_count "$RATE_SECONDS" ||
		die 2 "BENCH_RATE_SECONDS: \"$RATE_SECONDS\" is not a whole number of seconds >= 1"
	max_rate=0
	for r in $RATES; do
		is_count "$r" || die 2 "BENCH_RATES: \"$r\" is not a rate in MiB/s (whole number >= 1)"
		[ "$r" -gt "$max_rate" ] && max_rate=$r
	done
	for t in $TOUCHES; do
		case $t in page | fill | random) ;;
		*) die 2 "BENCH_TOUCH: \"$t\" is not a touch mode (page, fill, random)" ;;
		esac
	done
	balloon=$B/balloon
	populate=$B/bench/populate
	[ -x "$balloon" ] || die 2 "$balloon: not built (run make bench)"
	[ -x "$populate" ] || die 2 "$populate: not built (run make bench)"
}

# Environment gaps are exit 3, each saying what is missing.
check_machine() {
	[ "$(id -u)" -eq 0 ] || die 3 "not root: the benchmark creates a memory cgroup"
	[ -f "$MEMCG_ROOT/memory.limit_in_bytes" ] ||
		die 3 "no cgroup v1 memory controller at $MEMCG_ROOT (no $MEMCG_ROOT/memory.limit_in_bytes)"
	own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup)
	[ -n "$own" ] || die 3 "no memory line in /proc/self/cgroup: this process is in no v1 memory cgroup"
	parent=$MEMCG_ROOT${own%/}
	[ -d "$parent" ] || die 3 "own memory cgroup $parent (from /proc/self/cgroup) does not exist"
	need=$((size_bytes + HEADROOM))
	big=$((max_rate * RATE_SECONDS * 1048576 + HEADROOM))
	[ "$big" -gt "$need" ] && need=$big
	avail=$(awk '/^MemAvailable:/ { printf "%.0f\n", $2 * 1024 }' /proc/meminfo)
	[ "$avail" -ge "$need" ] || die 3 "too little memory: the largest run needs $((need / 1048576)) MiB" \
		"(size + 512 MiB), MemAvailable is $((avail / 1048576)) MiB"
	# A lower limit above ours would make a run an OOM kill, not a figure.
	d=$parent
	while :; do
		lim=$(cat "$d/memory.limit_in_bytes") || die 3 "cannot read $d/memory.limit_in_bytes"
		[ "$lim" -ge "$need" ] || die 3 "$d/memory.limit_in_bytes is $((lim / 1048576)) MiB," \
			"the largest run needs $((need / 1048576)) MiB (size + 512 MiB)"
		[ "$d" = "$MEMCG_ROOT" ] && break
		d=${d%/*}
	done
}

# cg is set before mkdir so that a signal right after it still finds the cgroup to remove.
make_cgroup() {
	cg=$parent/bench-$$
	mkdir "$cg" || { cg=""; die 1 "mkdir $parent/bench-$$ failed"; }
}

set_limit() { # bytes
	echo "$1" >"$cg/memory.limit_in_bytes" ||
		die 1 "write $1 to $cg/memory.limit_in_bytes failed"
}

# Runs "$@" in the background with stdout to file $out and waits for it: a wait, unlike a
# foreground command, is cut short by INT/TERM, so the trap can kill the run at once.
run_child() {
	"$@" >"$out" &
	child=$!
	wait "$child"
	st=$?
	child=""
	return "$st"
}

# Explains a run that did not exit 0, then stops the benchmark.
run_failed() { # what status
	why="exit status $2"
	if [ "$2" -gt 128 ]; then
		why="killed by signal $(($2 - 128))"
		oom=$(awk '$1 == "oom_kill" { print $2 }' "$cg/memory.oom_control" 2>/dev/null)
		[ "${oom:-0}" -gt 0 ] && why="$why; the cgroup's oom_kill counter is $oom (OOM kill)"
	fi
	[ "$2" -eq 3 ] && die 3 "$1: refused by this machine ($why; its message above says why)"
	die 1 "$1 failed: $why"
}

# One MADV_POPULATE_WRITE of size_bytes inside the cgroup; sets pop_s (seconds).
run_populate() {
	out=$tmp/populate.out
	run_child sh -c 'echo $$ >"$1/cgroup.procs" ||
		{ echo "bench: cannot join cgroup $1 (write $1/cgroup.procs)" >&2; exit 1; }
		exec "$2" "$3"' populate-in-cgroup "$cg" "$populate" "$size_bytes" ||
		run_failed "$populate $size_bytes" $?
	pop_s=$(awk '{ printf "%.3f\n", $1 }' "$out")
}

# One balloon run; its progress lines go to $tmp/balloon.out.
run_balloon() { # size rate touch
	out=$tmp/balloon.out
	run_child "$balloon" --cgroup "$cg" --size "$1" --rate "$2" --touch "$3" \
		--progress-interval 50ms --quiet ||
		run_failed "$balloon --size $1 --rate $2 --touch $3" $?
	grep -q '"event":"inflated"' "$out" ||
		die 1 "$balloon --size $1 --rate $2: exited 0 without an \"inflated\" progress line"
}

# From the balloon's progress lines: "inflate_seconds bytes shortfall worst_window_bytes_per_s"
# (worst is -1 when no window fits). The points are started (0 bytes), every tick and
# inflated: all lie inside the inflation. A window ends at each point and starts at the last
# point at least 1 s before it; its rate is delta bytes / delta t.
analyse() {
	awk '
	function num(key) {
		if (!match($0, "\"" key "\":[0-9.]+"))
			return -1
		return substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3) + 0
	}
	/"event":"started"/  { t0 = num("t"); n = 0; T[n] = t0; V[n++] = 0 }
	/"event":"tick"/     { T[n] = num("t"); V[n++] = num("bytes") }
	/"event":"inflated"/ { t1 = num("t"); b1 = num("bytes"); sf = num("shortfall")
			       T[n] = t1; V[n++] = b1 }
	END {
		worst = -1
		j = 0
		for (i = 1; i < n; i++) {
			if (T[i] - T[0] < 1 - 1e-9)
				continue
			while (j + 1 < i && T[j + 1] <= T[i] - 1 + 1e-9)
				j++
			r = (V[i] - V[j]) / (T[i] - T[j])
			if (worst < 0 || r < worst)
				worst = r
		}
		printf "%.3f %.0f %.0f %.0f\n", t1 - t0, b1, sf, worst
	}' "$1"
}

mibs() { # bytes seconds -> MiB/s
	awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f\n", (s > 0 ? b / 1048576 / s : 0) }'
}

# Reads numbers, one a line; prints "median min max".
stats() {
	sort -g | awk '{ v[NR] = $1 }
	END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%s %s %s\n", m, v[1], v[NR]
	}'
}

# Part 1: per touch mode, PAIRS alternating populate/balloon runs at unlimited rate.
# Results: $tmp/pairs, lines "touch pair populate_MiB/s balloon_MiB/s ratio".
bench_inflate() {
	set_limit $((size_bytes + HEADROOM))
	# Uncounted warm-up: the very first touch of guest memory after boot is the slowest,
	# and it would land on the first populate only.
	run_populate
	say "warm-up populate $((size_bytes / 1048576)) MiB: $pop_s s (not counted)"
	i=1
	while [ "$i" -le "$PAIRS" ]; do
		for touch in $TOUCHES; do
			run_populate
			pop=$(mibs "$size_bytes" "$pop_s")
			run_balloon "$size_bytes" 0 "$touch"
			set -- $(analyse "$tmp/balloon.out")
			bal=$(mibs "$2" "$1")
			ratio=$(awk -v b="$bal" -v p="$pop" 'BEGIN { printf "%.3f\n", b / p }')
			echo "$touch $i $pop $bal $ratio" >>"$tmp/pairs"
			say "inflate $((size_bytes / 1048576)) MiB, touch $touch, pair $i/$PAIRS:" \
			    "populate $pop_s s ($pop MiB/s), balloon $1 s ($bal MiB/s), ratio $ratio"
		done
		i=$((i + 1))
	done
}

# Part 2: the rates in turns, RATE_REPS times. Results: $tmp/rates, lines
# "rate rep achieved_MiB/s worst_window_MiB/s shortfall_bytes seconds".
bench_rates() {
	rep=1
	while [ "$rep" -le "$RATE_REPS" ]; do
		for rate in $RATES; do
			bytes=$((rate * RATE_SECONDS * 1048576))
			set_limit $((bytes + HEADROOM))
			run_balloon "$bytes" "$rate" page
			set -- $(analyse "$tmp/balloon.out")
			got=$(mibs "$2" "$1")
			worst=$(awk -v w="$4" 'BEGIN { if (w < 0) print "n/a"; else printf "%.1f\n", w / 1048576 }')
			echo "$rate $rep $got $worst $3 $1" >>"$tmp/rates"
			say "rate $rate MiB/s, rep $rep/$RATE_REPS: $(($2 / 1048576)) MiB in $1 s," \
			    "achieved $got MiB/s, worst 1-s window $worst MiB/s, shortfall $(($3 / 1048576)) MiB"
		done
		rep=$((rep + 1))
	done
}

report() {
	thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
	mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	swap=$(awk '/^SwapTotal:/ { print ($2 ? $2 " kB" : "none") }' /proc/meminfo)
	echo
	echo "== balloon benchmark: figures only, nothing asserted =="
	[ "$B" = build ] && mk="make bench" || mk="make bench B=$B"
	echo "command : BENCH_SIZE=$SIZE BENCH_PAIRS=$PAIRS BENCH_TOUCH=\"$TOUCHES\"" \
	     "BENCH_RATES=\"$RATES\" BENCH_RATE_SECONDS=$RATE_SECONDS BENCH_RATE_REPS=$RATE_REPS $mk"
	echo "machine : kernel $(uname -r), THP $thp, nproc $(nproc), RAM $mem, swap $swap"
	echo "cgroup  : CG = $cg"
	echo "          memory.limit_in_bytes = run size + 512 MiB; removed on exit"
	echo "runs    : sh -c 'echo \$\$ > CG/cgroup.procs && exec $populate BYTES'"
	echo "          $balloon --cgroup CG --size BYTES --rate MIBS --touch TOUCH --progress-interval 50ms --quiet"
	echo "          (part 1: --rate 0, each touch mode; part 2: --touch page)"
	echo
	echo "1. Inflate throughput, $((size_bytes / 1048576)) MiB at --rate 0, against one MADV_POPULATE_WRITE of the same"
	echo "   size; $PAIRS alternating pairs per touch mode; balloon time = t(inflated) - t(started)"
	echo "          populate   balloon   ratio                  best"
	echo "   touch      MiB/s     MiB/s  median    min    max   ratio   ratio of each pair (balloon / populate)"
	for touch in $TOUCHES; do
		set -- $(awk -v t="$touch" '$1 == t { print $3 }' "$tmp/pairs" | stats) \
		       $(awk -v t="$touch" '$1 == t { print $4 }' "$tmp/pairs" | stats) \
		       $(awk -v t="$touch" '$1 == t { print $5 }' "$tmp/pairs" | stats)
		per=$(awk -v t="$touch" '$1 == t { printf "%s%.2f", n++ ? " " : "", $5 }' "$tmp/pairs")
		best=$(awk -v b="$6" -v p="$3" 'BEGIN { printf "%.2f\n", b / p }')
		printf '   %-6s %9.0f %9.0f %7.2f %6.2f %6.2f %7s   %s\n' "$touch" "$1" "$4" "$7" "$8" "$9" \
		       "$best" "$per"
	done
	echo "   populate, balloon: medians of the runs; ratio median, min, max: of the per-pair ratios;"
	echo "   best: fastest balloon run / fastest populate run (the VM's noise only ever slows a run)"
	echo
	echo "2. Achieved vs configured rate: touch page, $RATE_SECONDS s of inflation a run, the rates in"
	echo "   turns, $RATE_REPS round(s); 1-s windows between progress points (started, a tick every"
	echo "   50 ms, inflated); achieved = bytes / (t(inflated) - t(started))"
	echo "   configured   achieved  worst 1-s   worst  shortfall   inflate time"
	echo "        MiB/s  MiB/s med     window   % cfg   MiB, sum   of each run"
	for rate in $RATES; do
		got=$(awk -v r="$rate" '$1 == r { print $3 }' "$tmp/rates" | stats | cut -d' ' -f1)
		worst=$(awk -v r="$rate" '$1 == r && $4 != "n/a" { print $4 }' "$tmp/rates" | sort -g | head -n 1)
		pct=$(awk -v w="$worst" -v r="$rate" 'BEGIN { if (w == "") print "n/a"; else printf "%.1f%%\n", 100 * w / r }')
		sf=$(awk -v r="$rate" '$1 == r { s += $5 } END { printf "%.1f", s / 1048576 }' "$tmp/rates")
		times=$(awk -v r="$rate" '$1 == r { printf "%s%.2f s", n++ ? ", " : "", $6 }' "$tmp/rates")
		printf '   %10s %10.1f %10s %7s %10s   %s\n' "$rate" "$got" "${worst:-n/a}" "$pct" "$sf" "$times"
	done
	echo "   worst 1-s window: the slowest over all runs of that rate (n/a if every run is under 1 s);"
	echo "   shortfall: bytes the pacing granted that the kernel could not take in time (never made up)"
	echo
	echo "total time: $(($(date +%s) - start)) s"
}

main() {
	start=$(date +%s)
	check_knobs
	check_machine
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	tmp=$(mktemp -d) || die 1 "mktemp -d failed"
	make_cgroup
	say "cgroup $cg; part 1: $PAIRS pairs x touch ($TOUCHES), part 2: rates $RATES MiB/s x $RATE_REPS"
	bench_inflate
	bench_rates
	report
}

main
