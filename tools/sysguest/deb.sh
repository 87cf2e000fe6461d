#!/bin/sh
# The systemd lane's stage service:deb (sysguest-deb): the Debian package as a user gets it.
# Installs /work/build/balloon_*.deb (make deb) with dpkg -i, runs the installed balloon-run
# from a directory outside /work with only the system's PATH (nothing of the build tree can
# stand in for it): oom_killed, and go_oom_killed, whose gohog the runner must find in the
# installed workload pack (/usr/lib/balloon/workloads: a SKIP would say it did not); then
# dpkg -r, which must leave none of the package's files. One TAP line per step.
# usage: sysguest-deb   (as root; the guest's disk is thrown away after the boot anyway)
n=0 failed=0
tap() { # ok|not-ok TEXT
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

deb=$(ls /work/build/balloon_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	echo "not ok 1 - no /work/build/balloon_*.deb: list the stage in SYSGUEST_STAGES so make builds it"
	exit 1
fi
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
scratch=$(mktemp -d /tmp/deb-stage.XXXXXX)
cd "$scratch" || exit 1

t0=$(date +%s.%N)
if out=$(dpkg -i "$deb" 2>&1); then
	tap ok "dpkg -i $(basename "$deb") ($(echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }') s)"
else
	echo "$out" | sed 's/^/#   /'
	tap not-ok "dpkg -i $(basename "$deb") failed"
fi
dpkg -L balloon 2>/dev/null | grep -c '^/usr/.*[^/]$' | sed 's/^/# files installed: /'

runner=$(command -v balloon-run)
if [ "$runner" = /usr/bin/balloon-run ]; then
	tap ok "balloon-run on PATH is /usr/bin/balloon-run ($(balloon-run --version 2>&1 | head -n 1))"
else
	tap not-ok "balloon-run on PATH is '$runner', not /usr/bin/balloon-run"
fi

# One installed scenario; ok only when the runner exits 0 and its line is ok without a SKIP.
scenario() { # NAME
	t0=$(date +%s.%N)
	out=$(balloon-run --no-report "/usr/share/balloon/scenarios/$1.ini" 2>&1)
	rc=$?
	secs=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }')
	echo "$out" | sed 's/^/#   /'
	line=$(echo "$out" | grep -E '^(not )?ok [0-9]+ - ' | head -n 1)
	case $rc:$line in
	"0:ok "*"# SKIP"*) tap not-ok "installed $1 skipped (${line#*# SKIP })" ;;
	"0:ok "*) tap ok "installed balloon-run, $1 from $scratch: ${line#ok * - } ($secs s)" ;;
	*) tap not-ok "installed balloon-run, $1: exit $rc: ${line:-no TAP line}" ;;
	esac
}
scenario oom_killed
scenario go_oom_killed

if out=$(dpkg -r balloon 2>&1); then
	left=$(ls -d /usr/bin/balloon /usr/bin/balloon-run /usr/share/balloon /usr/lib/balloon \
		/usr/share/doc/balloon 2>/dev/null | tr '\n' ' ')
	if [ -z "$left" ]; then
		tap ok "dpkg -r balloon removed every file"
	else
		tap not-ok "dpkg -r balloon left $left"
	fi
else
	echo "$out" | sed 's/^/#   /'
	tap not-ok "dpkg -r balloon failed"
fi
cd / && rm -rf "$scratch"
[ "$failed" -eq 0 ]
