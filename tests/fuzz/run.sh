#!/bin/sh
# Runs the libFuzzer targets built by mk/fuzz.mk and prints one TAP-like line per target:
#   ok N - fuzz TARGET: E executions in S s, no crash
#   not ok N - fuzz TARGET: <what was found>; input saved to build/fuzz/artifacts/...
# Mode "fuzz" fuzzes each target SECONDS; mode "smoke" (CI) first runs each target once over
# every input in tests/fuzz/regressions/ and its seeds, then fuzzes it SECONDS. Exit 0 only
# when no target found anything. Seeds are copied anew into BUILD_DIR/fuzz/seeds-TARGET; the
# working corpus BUILD_DIR/fuzz/corpus-TARGET is kept from run to run (merged down to the
# inputs that add coverage after each "fuzz" run).
# usage: tests/fuzz/run.sh fuzz|smoke BUILD_DIR SECONDS TARGET...
set -u
mode=$1 B=$2 secs=$3
shift 3
F=$B/fuzz
here=tests/fuzz
mkdir -p "$F/artifacts" "$F/logs"
# Leaks are findings too (LeakSanitizer is on by default); stack traces for UBSan reports.
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# seeds TARGET: fills $F/seeds-TARGET from the shipped files.
seeds() {
	dir=$F/seeds-$1
	rm -rf "$dir"
	mkdir -p "$dir"
	case $1 in
	scenario)
		for f in scenarios/*.ini; do cp "$f" "$dir/scenarios-${f##*/}"; done
		for f in tests/scenarios/*.ini; do cp "$f" "$dir/tests-${f##*/}"; done
		for f in configs/*.ini; do cp "$f" "$dir/configs-${f##*/}"; done
		# Every key and every rule between keys, which random mutation rarely assembles.
		for f in "$here"/seeds/*.ini; do cp "$f" "$dir/fuzz-${f##*/}"; done
		cp "$here/progress.seed" "$dir/progress-lines"
		;;
	progress)
		i=0
		while IFS= read -r line; do
			i=$((i + 1))
			printf '%s' "$line" >"$dir/line-$i"
		done <"$here/progress.seed"
		;;
	esac
}

# report LOG: "#" lines with what the sanitizer or libFuzzer said, and on which input.
report() {
	grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:|.*contract broken:|.*Test unit written to)' \
		"$1" | head -n 6 | sed 's/^/# /'
	grep '^Running: ' "$1" | tail -n 1 | sed 's/^Running: /# last input: /'
	echo "# full log: $1"
}

# found LOG: one line on what was found, for the result line.
found() {
	what=$(grep -m1 -E '^SUMMARY: ' "$1" | sed 's/^SUMMARY: //; s/ in *$//; s/\.$//')
	[ -n "$what" ] || what=$(grep -m1 -E 'ERROR: libFuzzer: ' "$1" | sed 's/.*ERROR: libFuzzer: //')
	[ -n "$what" ] || what="the fuzzer failed (see the log)"
	art=$(grep -m1 -o 'Test unit written to .*' "$1" | sed 's/Test unit written to //')
	input=$(sed -n 's/^Running: //p' "$1" | tail -n 1)
	if [ -n "$art" ]; then
		what="$what; input saved to $art"
	elif [ -n "$input" ]; then
		what="$what; input $input"
	fi
	echo "$what"
}

# minimize_corpus BIN CORPUS LOG: keeps only the inputs that add coverage (libFuzzer's merge),
# so the working corpus does not grow without end from run to run.
minimize_corpus() {
	rm -rf "$2.min"
	mkdir -p "$2.min"
	if "$1" -merge=1 -max_len=8192 -timeout=10 "$2.min" "$2" >"$3" 2>&1; then
		rm -rf "$2"
		mv "$2.min" "$2"
	else
		rm -rf "$2.min"
	fi
}

# fuzz_all TARGET...: runs each target; returns non-zero if any found something.
fuzz_all() {
	n=0 bad=0
	for t in "$@"; do
		n=$((n + 1))
		bin=$F/fuzz_$t
		dict=$here/$t.dict
		corpus=$F/corpus-$t
		log=$F/logs/$t-$mode.log
		seeds "$t"
		mkdir -p "$corpus"

		if [ "$mode" = smoke ]; then
			# Every regression input, then every seed, run once each.
			rlog=$F/logs/$t-replay.log
			set --
			for f in "$here"/regressions/* "$F/seeds-$t"/*; do
				[ -f "$f" ] && set -- "$@" "$f"
			done
			count=$#
			echo "# fuzz $t: replaying $count inputs (tests/fuzz/regressions/ and seeds)"
			if [ "$count" -gt 0 ] && ! "$bin" -timeout=10 "$@" >"$rlog" 2>&1; then
				report "$rlog"
				echo "not ok $n - fuzz $t: replay: $(found "$rlog")"
				bad=$((bad + 1))
				continue
			fi
		fi

		echo "# fuzz $t: fuzzing $secs s (log: $log)"
		start=$(date +%s)
		"$bin" -max_total_time="$secs" -max_len=8192 -dict="$dict" -timeout=10 \
			-artifact_prefix="$F/artifacts/$t-" -print_final_stats=1 "$corpus" "$F/seeds-$t" \
			>"$log" 2>&1
		rc=$?
		took=$(($(date +%s) - start))
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -n 1)
		if [ "$rc" -ne 0 ]; then
			report "$log"
			echo "not ok $n - fuzz $t: ${execs:-?} executions in $took s, $(found "$log")"
			bad=$((bad + 1))
		else
			[ "$mode" = fuzz ] && minimize_corpus "$bin" "$corpus" "$F/logs/$t-merge.log"
			echo "# fuzz $t: $cov (coverage edges, features, corpus inputs; corpus in $corpus)"
			echo "ok $n - fuzz $t: ${execs:-?} executions in $took s, no crash"
		fi
	done
	[ "$bad" -eq 0 ]
}

# One line, so a shell already running this script never reads past it if the file is edited.
fuzz_all "$@"; exit $?
