#!/bin/sh
# Valgrind memcheck over balloon-run on the shipped scenarios and over the balloon on its own.
# Any memcheck error or definitely lost block, in any process, fails it; so does a scenario
# verdict or a balloon result that does not hold under valgrind. Prints, per program, the
# processes checked, their errors and their definite leaks.
# usage: tools/valgrind.sh BUILD_DIR   (make valgrind; root, cgroup v1 memory controller)
#
#   1. the runner under memcheck, its children native, on scenarios/: every verdict must hold;
#   2. the runner and every balloon it starts under memcheck (--trace-children), on copies of
#      scenarios/ whose memory_limit is raised by memcheck's own footprint (VG_HEADROOM_MIB):
#      every verdict must hold there too;
#   3. the runner's other paths, runner alone: each tests/scenarios fixture (its verdict is
#      test_scenarios' business), SIGTERM mid-run (target and balloon holding), --list-keys,
#      bad usage;
#   4. the balloon alone, 64 MiB in a 256 MiB cgroup below ours: each --release mode, each
#      --touch and --thp mode, pacing, --verify with the page counts asserted, SIGTERM while
#      holding, a bad option, an unjoinable --cgroup.
set -u
B=${1:-build}
case $B in /*) ;; *) B=$(pwd -P)/$B ;; esac
out=$B/valgrind
pages=16384 # 64 MiB in 4 KiB pages
# memcheck's own resident memory is ~44 MiB per process (valgrind 3.19, no --track-origins;
# 143 MiB with it), charged to the scenario's cgroup since the runner moves the child in
# before it execs: 2 processes (target and balloon) per scenario.
VG_HEADROOM_MIB=${VG_HEADROOM_MIB:-88}

[ "$(id -u)" -eq 0 ] || { echo "valgrind: needs root (it runs scenarios in memory cgroups)" >&2; exit 3; }
own=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup | head -n1)
base=/sys/fs/cgroup/memory$own
[ -n "$own" ] && [ -d "$base" ] ||
	{ echo "valgrind: no cgroup v1 memory controller at /sys/fs/cgroup/memory" >&2; exit 3; }
sh tools/deps.sh valgrind || exit 3

rm -rf "$out"
mkdir -p "$out/scenarios" || exit 1
fail=0
cg=$base/vg-$$
bg=""

# Kill what this script started (the background process, then every task in its own
# cgroup), then remove the cgroup: nothing may be left below ours.
cleanup() {
	[ -n "$bg" ] && kill -KILL "$bg" 2>/dev/null && wait "$bg" 2>/dev/null
	bg=""
	if [ -d "$cg" ]; then
		for i in 1 2 3 4 5 6 7 8 9 10; do
			pids=$(cat "$cg/cgroup.procs")
			[ -z "$pids" ] && break
			kill -KILL $pids 2>/dev/null
			sleep 0.2
		done
		rmdir "$cg" || echo "valgrind: cannot remove $cg" >&2
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Replaces the shell with memcheck: per process and exec, one XML file (the findings, counted
# below) and one text log (valgrind's own warnings, such as unknown syscalls). Any error and
# any definite leak makes the exit status 86.
# alone: the program only; a forked child is silent and execs natively. traced: every child
# too, before and after its exec, except shells and system tools (/bin, /usr/bin).
# Background it as `vg_exec ... &` so that $! is the program's own pid.
vg_exec() { # alone|traced TAG command...
	tag=$2
	set -f # the skip patterns below are valgrind's globs, not the shell's
	if [ "$1" = traced ]; then
		set -- --trace-children=yes --child-silent-after-fork=no \
			'--trace-children-skip=/bin/*,/usr/bin/*' "$@"
	else
		set -- --trace-children=no --child-silent-after-fork=yes --track-origins=yes "$@"
	fi
	opts="$1 $2 $3"
	shift 5
	exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=86 --num-callers=30 $opts \
		--log-file="$out/$tag.%p.%n.log" --xml=yes --xml-file="$out/$tag.%p.%n.xml" "$@"
}
vg() { (vg_exec "$@"); }

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }

# Every verdict met, exit 0: the TAP lines are shown either way.
scenarios_check() { # what tap-file exit-status
	grep -E '^(ok|not ok) |^# [0-9]+ scenarios' "$2" | sed 's/^/#   /'
	summary=$(grep -E '^# [0-9]+ scenarios' "$2")
	case $summary in
	*" 0 not met, 0 broken"*) [ "$3" -eq 0 ] && ok "$1: ${summary#\# }" && return ;;
	esac
	notok "$1: balloon-run exited $3: ${summary:-no summary line} (stderr: $2.err)"
}

# ---- 1. runner under memcheck, children native: the shipped verdicts must hold ----
echo "# 1. balloon-run on scenarios/ under memcheck, its children native"
vg alone run "$B/balloon-run" --config configs/harness.ini scenarios/ \
	>"$out/pass1.tap" 2>"$out/pass1.tap.err"
scenarios_check "verdicts with the runner under memcheck" "$out/pass1.tap" $?

# ---- 2. runner and every balloon it starts under memcheck ----
echo "# 2. balloon-run on scenarios/ (memory_limit + $VG_HEADROOM_MIB MiB), it and every" \
	"balloon it starts under memcheck"
for f in scenarios/*.ini; do
	awk -v add="$VG_HEADROOM_MIB" '
	/^[ \t]*(memory_limit|memsw_limit)[ \t]*=/ {
		v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]*$/, "", v)
		n = v + 0; u = substr(v, length(n "") + 1)
		if (u == "M") mib = n; else if (u == "G") mib = n * 1024; else { bad = 1; print; next }
		sub(/=.*/, "= " (mib + add) "M"); seen = 1
	}
	{ print }
	END { if (bad || !seen) exit 1 }' "$f" >"$out/scenarios/${f##*/}" ||
		notok "$f: no memory_limit in M or G to raise by $VG_HEADROOM_MIB MiB"
done
vg traced traced "$B/balloon-run" --config configs/harness.ini "$out/scenarios/" \
	>"$out/pass2.tap" 2>"$out/pass2.tap.err"
scenarios_check "verdicts with every process under memcheck" "$out/pass2.tap" $?

# ---- 3. the runner's other paths ----
echo "# 3. balloon-run's other paths under memcheck (exit status, first result line)"
for f in tests/scenarios/*.ini; do
	vg alone paths "$B/balloon-run" --config configs/harness.ini "$f" >"$out/paths.out" 2>&1
	echo "#   exit $? $f: $(grep -m1 -E '^(ok|not ok) |: .*\.ini:[0-9]' "$out/paths.out" | cut -c1-100)"
done
vg alone paths "$B/balloon-run" --list-keys=markdown >/dev/null 2>&1 ||
	notok "balloon-run --list-keys=markdown failed under memcheck"
vg alone paths "$B/balloon-run" --no-such-option >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] && ok "balloon-run --no-such-option: exit 2" ||
	notok "balloon-run --no-such-option: exit $rc, expected 2"
# SIGTERM mid-run, while target and balloon both hold their memory (a scenario of our own:
# the shipped ones end within 3 s). SIGTERM, not SIGINT: a script's background job ignores
# SIGINT.
cat >"$out/hold.ini" <<'EOF'
[scenario]
name = hold
timeout = 60s
[cgroup]
memory_limit = 128M
[target]
command = balloon --size 16M --hold forever --quiet
ready = line
ready_line = "event":"inflated"
[balloon]
size = 16M
hold = 60s
[expect]
outcome = survived
EOF
vg_exec alone paths "$B/balloon-run" --config configs/harness.ini "$out/hold.ini" \
	>"$out/sigterm.tap" 2>&1 &
bg=$!
sleep 3
kill -TERM "$bg"
wait "$bg"
rc=$?
bg=""
if [ "$rc" -eq 143 ] && grep -q '^Bail out! interrupted' "$out/sigterm.tap"; then
	ok "balloon-run, SIGTERM mid-run: exit 143, Bail out!"
else
	notok "balloon-run, SIGTERM mid-run: exit $rc (expected 143 and Bail out!)"
fi

# ---- 4. the balloon on its own, in a limited cgroup below ours ----
echo "# 4. balloon alone under memcheck: 64 MiB in $cg (limit 256 MiB)"
mkdir "$cg" && echo 256M >"$cg/memory.limit_in_bytes" ||
	{ echo "valgrind: cannot set up $cg" >&2; exit 1; }

# field NAME: the number after "NAME": in the last progress line holding it
field() { grep -o "\"$1\":[0-9]*" "$out/balloon.out" | tail -n1 | cut -d: -f2; }
# balloon_check STATUS WANT_STATUS CHECK WHAT. CHECK: keep (every page holds its marker),
# zero (every page reads back zero), any (zero + marker = every page), - (no --verify).
balloon_check() {
	got=$1 want=$2 check=$3 what=$4
	z=$(field zero_pages) p=$(field pattern_pages) o=$(field other_pages)
	res="exit $got"
	[ -n "$z" ] && res="$res, zero_pages $z, pattern_pages $p, other_pages $o"
	good=1
	[ "$got" -eq "$want" ] || good=0
	case $check in
	keep) [ "${p:-x}" = "$pages" ] && [ "$z" = 0 ] && [ "$o" = 0 ] || good=0 ;;
	zero) [ "${z:-x}" = "$pages" ] && [ "$p" = 0 ] && [ "$o" = 0 ] || good=0 ;;
	any) [ -n "$z" ] && [ $((z + p)) -eq "$pages" ] && [ "$o" = 0 ] || good=0 ;;
	esac
	if [ "$good" -eq 1 ]; then
		ok "balloon $what: $res"
	else
		notok "balloon $what: $res (want exit $want, pages $check)"
	fi
}
balloon_case() { # WANT_STATUS CHECK WHAT -- balloon options
	want=$1 check=$2 what=$3
	shift 4
	vg alone balloon "$B/balloon" "$@" >"$out/balloon.out" 2>"$out/balloon.err"
	balloon_check $? "$want" "$check" "$what"
}
G="--cgroup $cg --size 64M --quiet"
balloon_case 0 keep "keep --verify" -- $G --release keep --verify
balloon_case 0 - "munmap" -- $G --release munmap
balloon_case 0 zero "dontneed --verify, touch fill" -- $G --release dontneed --verify --touch fill
balloon_case 0 any "free --verify, touch random" -- $G --release free --verify --touch random
balloon_case 0 any "pageout --verify, thp off" -- $G --release pageout --verify --thp off
balloon_case 0 any "cold --verify, thp on" -- $G --release cold --verify --thp on
balloon_case 0 keep "rate 64 MiB/s, release after 200ms, hold 200ms, --verify" -- \
	$G --rate 64 --tick-hz 100 --release-after 200ms --hold 200ms --verify
balloon_case 2 - "bad option --size 12Q" -- --size 12Q
balloon_case 3 - "--cgroup that does not exist" -- --cgroup /nonexistent-vg-$$ --size 64M

# SIGTERM while holding after MADV_FREE: the stop path, then --verify.
vg_exec alone balloon "$B/balloon" $G --release free --hold forever --verify \
	>"$out/balloon.out" 2>"$out/balloon.err" &
bg=$!
for i in $(seq 1 300); do
	grep -q '"event":"released"' "$out/balloon.out" && break
	sleep 0.1
done
kill -TERM "$bg"
wait "$bg"
rc=$?
bg=""
balloon_check "$rc" 0 any "free --hold forever --verify, SIGTERM while holding"
cleanup

# ---- per program: errors and definite leaks, from the XML files ----
# A file without FINISHED is a process SIGKILLed before its exit (an OOM kill, the runner's
# recovery after a hang): its errors up to then count, its leaks were never checked. A forked
# child of the runner writes what it finds before its exec into the runner's XML file.
echo "# valgrind: per program (XML and text logs in $out)"
for x in "$out"/*.xml; do
	awk -v file="$x" '
	/<argv>/ && exe == "" { inargv = 1 }
	inargv && /<exe>/ { sub(/.*<exe>/, ""); sub(/<\/exe>.*/, ""); exe = $0; inargv = 0 }
	/<state>FINISHED<\/state>/ { done = 1 }
	/<kind>/ { sub(/.*<kind>/, ""); sub(/<\/kind>.*/, ""); kind = $0
		if (kind == "Leak_DefinitelyLost") dl++; else if (kind !~ /^Leak_/) err++ }
	kind == "Leak_DefinitelyLost" && /<leakedbytes>/ {
		sub(/.*<leakedbytes>/, ""); sub(/<\/leakedbytes>.*/, ""); dlb += $0; kind = "" }
	END { n = split(exe, p, "/"); printf "%s %d %d %d %d %s\n", p[n], done, err, dl, dlb, file }
	' "$x"
done >"$out/summary.txt"
awk '
	{ p = $1; if ($2) procs[p]++; else killed[p]++
	  errs[p] += $3; dls[p] += $4; dlbs[p] += $5; seen[p] = 1 }
	END {
		for (p in seen) {
			printf "valgrind: %-11s %3d processes ran to exit, %d were SIGKILLed first: %d errors, %d definite leaks (%d bytes)\n", \
				p, procs[p], killed[p], errs[p], dls[p], dlbs[p]
			te += errs[p]; td += dls[p]
		}
		printf "valgrind: total %d errors, %d definite leaks\n", te, td
		exit (te || td) ? 1 : 0
	}' "$out/summary.txt" || fail=1
# what and where, for each file with a finding: each error's message and its first frames
awk '$3 || $4 { print $6 }' "$out/summary.txt" | while read -r x; do
	echo "# $x:"
	awk '
	function val(s) { sub(/^[^>]*>/, "", s); sub(/<.*/, "", s); return s }
	/<error>/ { in_err = 1; frames = 0 }
	/<\/error>/ { in_err = 0 }
	!in_err { next }
	/<what>|<text>/ { print "#     " val($0) }
	/<fn>/ { fn = val($0) }
	/<file>/ { file = val($0) }
	/<line>/ && frames++ < 6 { print "#       at " fn " (" file ":" val($0) ")" }
	' "$x" | head -n 40
done
unh=$(grep -ho 'unhandled amd64-linux syscall: [0-9]*' "$out"/*.log | sort | uniq -c |
	awk '{ printf "%s%s x%d", sep, $NF, $1; sep = ", " }')
[ -z "$unh" ] || echo "# syscalls valgrind $(valgrind --version | sed 's/valgrind-//') does not know" \
	"(answered ENOSYS): $unh; 434 is pidfd_open, the runner then waits with SIGCHLD"

# nothing left: no cgroup below ours, no harness process in our cgroup's tree
left=$(find "$base" -mindepth 1 -maxdepth 1 -type d \( -name 'balloon-run-*' -o -name "vg-$$" \))
for pid in $(cat "$base/cgroup.procs"); do
	case $(cat "/proc/$pid/comm" 2>/dev/null) in
	balloon | balloon-run | memcheck-amd64-) left="$left process $pid" ;;
	esac
done
[ -z "$left" ] || notok "left behind: $left"
if [ "$fail" -eq 0 ]; then echo "valgrind: passed"; else echo "valgrind: FAILED"; fi
exit "$fail"
