#!/bin/sh
# Runs the whole test suite (tests/run.sh) on the ASan+UBSan build with every sanitizer report,
# from any process (test binaries, the runner, the balloon as target or as balloon), written to
# one directory. Any report fails the run, whatever its process's exit status became: the
# runner does not pass a balloon's exit status on as its own.
# usage: tools/sanitize.sh BUILD_DIR   (make sanitize)
set -u
B=${1:-build-san}
case $B in /*) ;; *) B=$(pwd -P)/$B ;; esac
logs=$B/sanitizer-logs

rm -rf "$logs"
mkdir -p "$logs" || exit 1
# test_scenarios runs the runner once as nobody (the not-root check): it must be able to
# write a report too, or its sanitizer dies at the first one.
chmod 1777 "$logs"

# log_path: reports go to $logs/report.<program>.<pid>, not to a stderr that the runner may
# capture or a test may discard. exitcode 86 tells a sanitizer's exit from the programs' own
# codes (0-3, 128+N). UBSan is built with -fno-sanitize-recover=all: the first UB ends the
# process, as halt_on_error says for the runtime too. detect_leaks runs LeakSanitizer at
# every exit (not at _exit or a death by signal: an OOM-killed balloon is not checked).
common="log_path=$logs/report:log_exe_name=1:exitcode=86"
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:$common"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:$common"
export ASAN_OPTIONS UBSAN_OPTIONS

sh tests/run.sh "$B"
rc=$?

n=0
for f in "$logs"/report.*; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	echo "# sanitizer report $f:"
	sed 's/^/#   /' "$f"
done
echo "# ASAN_OPTIONS=$ASAN_OPTIONS"
echo "# UBSAN_OPTIONS=$UBSAN_OPTIONS"
echo "sanitize: test suite exit status $rc, $n sanitizer report(s) in $logs"
[ "$rc" -eq 0 ] && [ "$n" -eq 0 ]
