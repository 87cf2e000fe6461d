#!/bin/sh
# The systemd lane's stage service:ci (sysguest-ci): the canonical commands of the CI recipes
# (ci/commands.txt) run as they are, in the service context, as a CI agent runs its jobs.
#   build lines  ran on the host before the image (make ci-build): their record
#                (/work/build/ci-build.txt: status, seconds, command) is reported here, and a
#                line missing from it fails
#   tree lines   from the repo mirror /work, as a job runs in its checkout
#   deb lines    with the .deb installed (dpkg -i), from a scratch directory outside /work
#                with only the system's PATH, as the Kubernetes Job's container runs them;
#                dpkg -r after
# A run line is ok when it exits 0 and leaves its --report directory with a well-formed
# junit.xml (xmllint) holding a testcase per scenario it ran, and an index.html. Its own
# output is shown as comments; one TAP line per command.
# usage: sysguest-ci   (as root, from /work: tools/sysguest/stage.sh)
list=/work/ci/commands.txt
record=/work/build/ci-build.txt
n=0 failed=0
tap() { # ok|not-ok TEXT
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
elapsed() { echo "$(date +%s.%N) $1" | awk '{ printf "%.1f", $1 - $2 }'; }

# The report directory of a command: the word after --report, relative to where it ran.
report_of() { # COMMAND
	echo "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == "--report") { print $(i + 1); exit } }'
}

# Runs one canonical line with sh in the current directory; one TAP line.
run_line() { # WHERE COMMAND
	t0=$(date +%s.%N)
	out=$(sh -c "$2" 2>&1 </dev/null)
	rc=$?
	secs=$(elapsed "$t0")
	echo "$out" | sed 's/^/#   /'
	why="" dir=$(report_of "$2")
	[ "$rc" -eq 0 ] || why="exit $rc: $(echo "$out" | grep -E '^not ok ' | head -n 3 | tr '\n' ' ')"
	if [ -z "$dir" ]; then
		why="${why:+$why; }no --report DIR in the command"
	elif ! xmllint --noout "$dir/junit.xml" 2>/dev/null; then
		why="${why:+$why; }$dir/junit.xml missing or not well-formed"
	elif [ ! -s "$dir/index.html" ]; then
		why="${why:+$why; }$dir/index.html missing"
	else
		cases=$(grep -c '<testcase ' "$dir/junit.xml")
		ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ - ')
		[ "$cases" -eq "$ran" ] || why="${why:+$why; }junit.xml has $cases testcases for $ran TAP lines"
	fi
	summary=$(echo "$out" | grep -E '^# [0-9]+ scenarios in ' | tail -n 1 | sed 's/^# //')
	if [ -z "$why" ]; then
		tap ok "$1: $2 ($secs s; ${summary:-no summary line}; junit.xml $cases testcases)"
	else
		tap not-ok "$1: $2: $why"
	fi
}

[ -r "$list" ] || { echo "not ok 1 - $list missing (mkboot.sh carries ci/)"; exit 1; }
export PATH=/work/build:/usr/sbin:/usr/bin:/sbin:/bin
while read -r where cmd; do
	case $where in
	build)
		line=$(awk -F '\t' -v c="$cmd" '$3 == c { print $1 " " $2; exit }' "$record" 2>/dev/null)
		case $line in
		"0 "*) tap ok "build: $cmd (on the host before the image: exit 0, ${line#* } s)" ;;
		"") tap not-ok "build: $cmd: not in $record (make ci-build did not run it)" ;;
		*) tap not-ok "build: $cmd: exit ${line%% *} on the host" ;;
		esac
		;;
	tree)
		cd /work && run_line tree "$cmd"
		;;
	deb)
		deb=$(ls /work/build/balloon_*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ] || ! dpkg -i "$deb" >/dev/null 2>&1 </dev/null; then
			tap not-ok "deb: $cmd: cannot install ${deb:-/work/build/balloon_*.deb}"
			continue
		fi
		scratch=$(mktemp -d /tmp/ci-stage.XXXXXX)
		cd "$scratch" || exit 1
		PATH=/usr/sbin:/usr/bin:/sbin:/bin
		run_line deb "$cmd"
		PATH=/work/build:/usr/sbin:/usr/bin:/sbin:/bin
		cd /work && rm -rf "$scratch"
		dpkg -r balloon >/dev/null 2>&1 </dev/null || echo "# dpkg -r balloon failed"
		;;
	'' | '#'*) ;;
	*) tap not-ok "$list: unknown WHERE '$where' (build, tree or deb)" ;;
	esac
done <"$list"
[ "$n" -gt 0 ] || tap not-ok "$list holds no command"
[ "$failed" -eq 0 ]
