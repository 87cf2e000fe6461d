#!/bin/sh
# Runs one stage of the systemd lane in whatever context started it (the root login session,
# lane.service, tester's su session: tools/sysguest/driver.sh), from the repo mirror /work,
# with every output line tagged for the host (the protocol of tools/guest/init.sh):
#   @@g begin STAGE T / @@g out STAGE TEXT / @@g end STAGE RC T
# usage: stage.sh STAGE DIR   (DIR holds the command in DIR/cmd, run with sh; the exit status
#        goes to DIR/rc, and DIR/began marks that the stage started; DIR must be writable)
stage=${1:?usage: stage.sh STAGE DIR}
dir=${2:?usage: stage.sh STAGE DIR}

# What tests/run.sh gives the test binaries (TAP, the build dir), with the harness on PATH;
# the report tests leave index.html's rendering to the host lane (no browser here).
export PATH=/work/build:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
export CMOCKA_MESSAGE_OUTPUT=TAP BUILD=build REPORT_RENDER=host-lane
# Reports of runs without --report go to the user's state directory: one per stage.
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME

say() { echo "@@g $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

: >"$dir/began"
say begin "$stage" "$(uptime_s)"
rm -f "$dir/rc.tmp"
# awk ends every line, so a last line without a newline cannot swallow the "end" line.
{
	cd /work && sh "$dir/cmd"
	echo $? >"$dir/rc.tmp"
} 2>&1 </dev/null | awk -v t="$stage" '{ sub(/\r$/, ""); print "@@g out " t " " $0; fflush() }'
rc=$(cat "$dir/rc.tmp" 2>/dev/null || echo 255)
say end "$stage" "$rc" "$(uptime_s)"
echo "$rc" >"$dir/rc"
exit "$rc"
