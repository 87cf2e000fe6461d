#!/bin/sh
# Smoke test of the workload pack (make workloads): every built program answers --help (exit 0)
# and a bad flag (exit 2); the quick ones then run for real, each in a limited memory cgroup this
# script creates below its own and removes: goheap's release line and LazyFree under both
# GODEBUG settings, stepfree, poolsrv under httpload on loopback, matrix (small, then OOM-killed),
# gocrash's two deaths, spinwait, gohog and jhog to a small size. TAP lines, then
# "tests: P passed, F failed, S skipped". A skip says what is missing.
# usage: tests/workloads.sh BUILD_DIR
set -u
B=${1:-build}
W=$B/workloads
n=0 passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
CG="" OWN="" why=""

ok() {
	n=$((n + 1)) passed=$((passed + 1))
	echo "ok $n - $1"
}
not_ok() { # name, then lines that say why
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for l; do echo "#   $l"; done
}
skip() {
	n=$((n + 1)) skipped=$((skipped + 1))
	echo "ok $n - $1 # SKIP $2"
}
# The last lines of a run's output, for a failure message.
tail_of() { tail -n 4 "$1" | tr '\n' '|'; }

# Why a program cannot run here, or nothing.
missing() {
	if [ ! -x "$W/$1" ]; then
		if [ -f "$W/$1.skip" ]; then
			echo "$1 not built: $(cat "$W/$1.skip")"
		else
			echo "$1 not built (run make workloads)"
		fi
	elif [ "$1" = jhog ] && ! command -v java >/dev/null 2>&1; then
		echo "java not found (Debian package default-jre-headless)"
	fi
}

# --- the memory cgroups ---------------------------------------------------------------------

# Finds this process's own memory cgroup (v1, or v2 with memory delegated); sets OWN, LIMIT,
# EVENTS, or why and returns 1.
cg_init() {
	if [ "$(id -u)" -ne 0 ]; then
		why="not root (the runs go into memory cgroups)"
	elif [ -d /sys/fs/cgroup/memory ]; then
		OWN=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory:\(.*\)/\1/p' /proc/self/cgroup)
		LIMIT=memory.limit_in_bytes EVENTS=memory.oom_control
	elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		OWN=/sys/fs/cgroup$(sed -n 's/^0::\(.*\)/\1/p' /proc/self/cgroup)
		LIMIT=memory.max EVENTS=memory.events
	else
		why="no memory controller (v1: /sys/fs/cgroup/memory; v2: memory in cgroup.controllers)"
	fi
	[ -z "$why" ]
}

# cg_make NAME LIMIT: a child group of OWN with that limit in CG; returns 1 with why.
cg_make() {
	CG=$OWN/wl-smoke-$$-$1
	if ! mkdir "$CG" 2>"$tmp/err"; then
		why="mkdir $CG: $(sed 's/.*: //' "$tmp/err")"
		CG=""
		return 1
	fi
	if [ ! -e "$CG/$LIMIT" ]; then
		why="the memory controller is not enabled for the children of $OWN"
		cg_remove
		return 1
	fi
	echo "$2" >"$CG/$LIMIT"
}

# Kills whatever is left in CG, then removes it (a group with tasks cannot be removed).
cg_remove() {
	[ -n "$CG" ] || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		rmdir "$CG" 2>/dev/null && break
		sleep 0.1
	done
	[ -d "$CG" ] && echo "# could not remove $CG" >&2
	CG=""
}

# oom_kill count of CG.
cg_oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$CG/$EVENTS"; }

cleanup() {
	cg_remove
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start OUT ERR CMD...: CMD in CG (moved in before exec), stdout/stderr to files; sets PID.
start() {
	out=$1 err=$2
	shift 2
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" "$@" >"$out" 2>"$err" &
	PID=$!
}

# wait_line FILE TEXT SECONDS: until a line of FILE contains TEXT, PID ends or time runs out.
wait_line() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		grep -qF -- "$2" "$1" && return 0
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	grep -qF -- "$2" "$1"
}

# finish SECONDS: PID's exit status in RC (SIGKILL after SECONDS; RC=timeout then).
finish() {
	i=0
	while kill -0 "$PID" 2>/dev/null && [ "$i" -lt $(($1 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID"
		wait "$PID"
		RC=timeout
	else
		wait "$PID"
		RC=$?
	fi
}

# --- 1. every program's command line ----------------------------------------------------------

for p in goheap gohog matrix gocrash poolsrv httpload spinwait stepfree hotset jhog; do
	m=$(missing "$p")
	if [ -n "$m" ]; then
		skip "$p --help exits 0" "$m"
		skip "$p with a bad flag exits 2" "$m"
		continue
	fi
	"$W/$p" --help >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^usage: ' "$tmp/out"; then
		ok "$p --help exits 0"
	else
		not_ok "$p --help exits 0" "status $rc: $(tail_of "$tmp/out")"
	fi
	"$W/$p" --no-such-flag >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ]; then
		ok "$p with a bad flag exits 2"
	else
		not_ok "$p with a bad flag exits 2" "status $rc: $(tail_of "$tmp/out")"
	fi
done

# --- 2. the quick ones, for real ------------------------------------------------------------

# begin TEST GROUP LIMIT PROGRAM...: a fresh group CG for TEST; or TEST's SKIP line with what
# is missing (a program, root, the memory controller) and status 1.
begin() {
	t=$1 g=$2 l=$3
	shift 3
	for p; do
		skipped_why=$(missing "$p")
		if [ -n "$skipped_why" ]; then
			skip "$t" "$skipped_why"
			return 1
		fi
	done
	if [ -n "$why" ] || ! cg_make "$g" "$l"; then
		skipped_why=$why
		skip "$t" "$why"
		return 1
	fi
}

# LazyFree of PID in kB.
lazyfree_kb() { awk '$1 == "LazyFree:" { print $2 }' "/proc/$PID/smaps_rollup" 2>/dev/null; }

# goheap_case SETTING MIN_KB MAX_KB: 128 MiB released under GODEBUG=madvdontneed=SETTING.
goheap_case() {
	t="goheap GODEBUG=madvdontneed=$1: LazyFree after the release line within $2..$3 kB"
	begin "$t" "goheap$1" 400M goheap || return
	start "$tmp/out" "$tmp/err" env GODEBUG=madvdontneed="$1" "$W/goheap" -size 128M -hold 30s
	if wait_line "$tmp/out" "goheap: released" 20; then
		lf=$(lazyfree_kb)
		kill -TERM "$PID"
		finish 5
		if [ -n "$lf" ] && [ "$lf" -ge "$2" ] && [ "$lf" -le "$3" ] && [ "$RC" = 0 ]; then
			ok "$t ($lf kB; exit 0 on SIGTERM)"
		else
			not_ok "$t" "LazyFree ${lf:-unread} kB, exit status $RC" "$(tail_of "$tmp/err")"
		fi
	else
		finish 1
		not_ok "$t" "no release line (status $RC)" "$(tail_of "$tmp/err")"
	fi
	cg_remove
}

cg_init || true
goheap_case 0 $((96 * 1024)) $((132 * 1024))
goheap_case 1 0 $((8 * 1024))

t="stepfree holds 40 MiB, frees it in 4 steps and exits 0"
if begin "$t" stepfree 200M stepfree; then
	start "$tmp/out" "$tmp/err" "$W/stepfree" --size 40M --step 10M --every 100ms
	finish 10
	steps=$(grep -c '^stepfree: freed [0-9]* MiB, holding' "$tmp/out")
	if [ "$RC" = 0 ] && grep -q '^stepfree: holding 40 MiB$' "$tmp/out" && [ "$steps" -eq 4 ] &&
		grep -q '^stepfree: freed all$' "$tmp/out"; then
		ok "$t"
	else
		not_ok "$t" "status $RC, $steps steps" "$(tail_of "$tmp/out")"
	fi
	cg_remove
fi

t="hotset keeps 32 MiB hot for 500 ms and exits 0"
if begin "$t" hotset 200M hotset; then
	start "$tmp/out" "$tmp/err" "$W/hotset" --size 32M --every 50ms --duration 500ms
	finish 10
	if [ "$RC" = 0 ] && grep -q '^hotset: ready 32 MiB$' "$tmp/out" &&
		grep -q '^hotset: [0-9]* passes (checksum [0-9]*)$' "$tmp/out"; then
		ok "$t"
	else
		not_ok "$t" "status $RC" "$(tail_of "$tmp/out")"
	fi
	cg_remove
fi

t="poolsrv (4 workers) answers 500 GETs from httpload -c 4, all 2xx"
if begin "$t" poolsrv 200M poolsrv httpload; then
	start "$tmp/srv" "$tmp/srverr" "$W/poolsrv" --port 0 --threads 4
	if wait_line "$tmp/srv" "poolsrv: listening on 127.0.0.1:" 10; then
		port=$(sed -n 's/^poolsrv: listening on 127\.0\.0\.1:\([0-9]*\) with 4 workers$/\1/p' "$tmp/srv")
		"$W/httpload" "http://127.0.0.1:$port/healthz" -n 500 -c 4 >"$tmp/out" 2>&1
		rc=$?
		if [ "$rc" -eq 0 ] && grep -q '^httpload: requests=500 2xx=500 non2xx=0 errors=0 ' "$tmp/out"; then
			ok "$t"
		else
			not_ok "$t" "httpload status $rc" "$(tail_of "$tmp/out")"
		fi
		kill -TERM "$PID"
		finish 5
		t="poolsrv exits 0 on SIGTERM"
		if [ "$RC" = 0 ]; then ok "$t"; else not_ok "$t" "status $RC" "$(tail_of "$tmp/srverr")"; fi
		t="httpload exits 3 when every connection is refused"
		"$W/httpload" "http://127.0.0.1:$port/" -n 3 -c 1 >"$tmp/out" 2>&1
		rc=$?
		if [ "$rc" -eq 3 ]; then ok "$t"; else not_ok "$t" "status $rc" "$(tail_of "$tmp/out")"; fi
	else
		finish 1
		not_ok "$t" "no listening line (status $RC)" "$(tail_of "$tmp/srverr")"
	fi
	cg_remove
else
	skip "poolsrv exits 0 on SIGTERM" "$skipped_why"
	skip "httpload exits 3 when every connection is refused" "$skipped_why"
fi

# check TEST CONDITION...: ok when the condition (a command) holds, else not ok with the output.
check() {
	t=$1
	shift
	if "$@"; then ok "$t"; else not_ok "$t" "status $RC" "$(tail_of "$tmp/out")" "$(tail_of "$tmp/err")"; fi
}
# has FILE LINE: FILE has exactly this line.
has() { grep -qxF -- "$2" "$1"; }

t="matrix -n 1000 prints its trace and exits 0"
if begin "$t" matrix 200M matrix; then
	start "$tmp/out" "$tmp/err" "$W/matrix" -n 1000
	finish 20
	check "$t" eval '[ "$RC" = 0 ] && has "$tmp/out" "matrix: n=1000 trace=999000"'
	cg_remove
fi

t="matrix -n 4000 (122 MiB) in a 64 MiB group is OOM-killed: status 137, oom_kill 1"
if begin "$t" matrixoom 64M matrix; then
	start "$tmp/out" "$tmp/err" "$W/matrix" -n 4000
	finish 20
	check "$t" eval '[ "$RC" = 137 ] && [ "$(cg_oom_kills)" = 1 ]'
	cg_remove
fi

t="gocrash (the fault on a thread of the C code) is killed by SIGSEGV: status 139"
if begin "$t" gocrash 200M gocrash; then
	start "$tmp/out" "$tmp/err" "$W/gocrash" -size 8M
	finish 20
	check "$t" eval '[ "$RC" = 139 ] && has "$tmp/out" "gocrash: calling C"'
	cg_remove
fi

t="gocrash -thread go exits 2 with Go's fatal error"
if begin "$t" gocrashgo 200M gocrash; then
	start "$tmp/out" "$tmp/err" "$W/gocrash" -size 8M -thread go
	finish 20
	check "$t" eval '[ "$RC" = 2 ] && grep -q "^fatal error: unexpected signal" "$tmp/err"'
	cg_remove
fi

t="spinwait allocates 16 MiB beside a spinning thread and exits 0"
if begin "$t" spinwait 200M spinwait; then
	start "$tmp/out" "$tmp/err" "$W/spinwait" --threads 1 --size 16M --hold 200ms
	finish 10
	check "$t" eval '[ "$RC" = 0 ] && has "$tmp/out" "spinwait: spinning with 1 threads" &&
		has "$tmp/out" "spinwait: allocated 16 MiB"'
	cg_remove
fi

t="gohog reaches -size 16M and exits 0 after -hold"
if begin "$t" gohog 200M gohog; then
	start "$tmp/out" "$tmp/err" "$W/gohog" -size 16M -hold 100ms
	finish 10
	check "$t" eval '[ "$RC" = 0 ] && has "$tmp/out" "gohog: reached 16 MiB"'
	cg_remove
fi

t="jhog -Xmx128m reaches --size 16M and exits 0 after --hold"
if begin "$t" jhog 400M jhog; then
	start "$tmp/out" "$tmp/err" "$W/jhog" -Xmx128m --size 16M --hold 100ms
	finish 30
	check "$t" eval '[ "$RC" = 0 ] && has "$tmp/out" "jhog: reached 16 MiB"'
	cg_remove
fi

echo "1..$n"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
