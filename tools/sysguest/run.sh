#!/bin/sh
# Boots the systemd guest under qemu TCG: Debian's cloud kernel (tools/guest/fetch.sh), the
# small initramfs (tools/sysguest/mkboot.sh) and the root file system image
# (tools/sysguest/mkrootfs.sh) as a virtio disk with snapshot=on (nothing a run writes is
# kept). systemd is PID 1; its driver unit runs the stages, each in its context (session,
# service, user: tools/sysguest/driver.sh). The console is read as the busybox lane's is
# (tools/guest/parse.awk).
#
# Test mode (make test-systemd): the stages of a stage file, one a line
#   CONTEXT NAME COMMAND...      (CONTEXT: session, service or user; a line starting with
#                                '#' is a comment)
# each stage's TAP lines as ok/not ok lines prefixed with CONTEXT:NAME, then the closing line
# of tests/run.sh, `tests: P passed, F failed, S skipped`; exit 0 only if nothing failed.
# Command mode (make sysguest-shell): one command in one context, from the repo mirror /work;
# its output and its exit status (125 when the guest itself broke).
# Either fails, with a "not ok - guest: ..." line saying why, when the guest never prints its
# sentinel, when qemu's status is not what isa-debug-exit gives for the guest's verdict, or
# when it outlives the timeout.
#
# usage: tools/sysguest/run.sh [--stages FILE | --cmd COMMAND [--ctx CONTEXT]]
#                              [--timeout SECONDS] [--mem MIB] SYSGUEST_DIR GUEST_DIR
#   --ctx      the command's context (default session)
#   --timeout  host-side limit for the whole boot (default 600, or $SYSGUEST_TIMEOUT)
#   --mem      guest RAM in MiB (default 2048, or $SYSGUEST_MEM)
# The raw console of the last run is kept in SYSGUEST_DIR/console.log.
set -u
stages="" cmd="" ctx=session timeout=${SYSGUEST_TIMEOUT:-600} mem=${SYSGUEST_MEM:-2048}
while [ $# -gt 2 ]; do
	case $1 in
	--stages) stages=$2 ;;
	--cmd) cmd=$2 ;;
	--ctx) ctx=$2 ;;
	--timeout) timeout=$2 ;;
	--mem) mem=$2 ;;
	*) break ;;
	esac
	shift 2
done
usage="usage: run.sh [--stages FILE | --cmd COMMAND [--ctx CONTEXT]] [--timeout S] [--mem MIB] SYSGUEST_DIR GUEST_DIR"
S=${1:?$usage}
G=${2:?$usage}
here=$(dirname "$0")
for f in "$G/vmlinuz" "$S/boot.cpio" "$S/rootfs.ext4"; do
	[ -s "$f" ] || { echo "sysguest: $f missing (make sysguest-build)" >&2; exit 2; }
done

# This run's stages, as the driver reads them: CONTEXT<TAB>NAME<TAB>COMMAND.
rm -rf "$S/run"
mkdir -p "$S/run/overlay/etc/sysguest"
list=$S/run/overlay/etc/sysguest/stages
if [ -n "$cmd" ]; then
	mode=cmd
	printf '%s\tcmd\t%s\n' "$ctx" "$cmd" >"$list"
else
	mode="test"
	[ -r "$stages" ] || { echo "sysguest: no stage file (--stages FILE)" >&2; exit 2; }
	awk '/^[ \t]*#/ { next } NF >= 3 {
		c = $1; n = $2; sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+/, "")
		printf "%s\t%s\t%s\n", c, n, $0 }' "$stages" >"$list"
fi
echo "$mode" >"$S/run/overlay/etc/sysguest/mode"
expected=""
tab=$(printf '\t')
while IFS=$tab read -r c n _; do
	case $c in
	session | service | user) ;;
	*) echo "sysguest: stage $n: unknown context '$c' (session, service or user)" >&2; exit 2 ;;
	esac
	expected="$expected $c:$n"
done <"$list"
[ -n "$expected" ] || { echo "sysguest: no stage to run" >&2; exit 2; }
# The kernel unpacks concatenated newc archives in order: this one adds the stage list.
(cd "$S/run" && find overlay | cpio -o -H newc -R 0:0 --quiet) >"$S/run/stages.cpio"
cat "$S/boot.cpio" "$S/run/stages.cpio" >"$S/run/initrd.cpio"

# quiet and loglevel=3: no kernel message below crit on the console (they would break tagged
# lines); systemd prints no status lines and starts no getty by itself (the driver starts
# ttyS0's for the session context); cgroup v2 only, as Debian 12 does by default.
append="console=ttyS0 panic=-1 quiet loglevel=3 systemd.show_status=0 systemd.getty_auto=0"
append="$append systemd.unified_cgroup_hierarchy=1"
state=$S/run/state
start=$(date +%s.%N)
# -no-reboot with panic=-1: a panic ends qemu at once (status 0, as a normal reboot would).
{
	timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -m "$mem" \
		-display none -monitor none -serial stdio -nic none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$S/rootfs.ext4,format=raw,if=virtio,snapshot=on" \
		-kernel "$G/vmlinuz" -initrd "$S/run/initrd.cpio" -append "$append" </dev/null 2>&1
	echo $? >"$S/run/qemu.rc"
} | tee "$S/console.log" | awk -v mode="$mode" -v expected="$expected" -v state="$state" \
	-f "$here/../guest/parse.awk"
secs=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
qrc=$(cat "$S/run/qemu.rc" 2>/dev/null || echo 255)
# The state file's five numbers, split on purpose (no state: parse.awk died, count a failure).
# shellcheck disable=SC2046
set -- $(cat "$state" 2>/dev/null || echo 0 1 0 0 -1)
passed=$1 failed=$2 skipped=$3 done=$4 status=$5

# Why the run as a whole is broken, if it is: "" when qemu ended as the guest said it would.
broken=""
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	broken="timed out after $timeout s"
elif [ "$done" -ne 1 ]; then
	broken="no 'guest done' line: the guest panicked, crashed or was cut short (qemu status $qrc)"
elif [ "$qrc" -eq 0 ]; then
	broken="qemu ended without the isa-debug-exit write (the guest rebooted or panicked)"
elif [ "$status" -eq 0 ] && [ "$qrc" -ne 1 ]; then
	broken="the guest passed but qemu exited with status $qrc"
elif [ "$status" -ne 0 ] && [ "$qrc" -ne 3 ]; then
	broken="the guest reported $status but qemu exited with status $qrc"
fi

# The console's own words on a broken run: the guest's info lines (initramfs failures), a
# panic's reason, then the end of whatever else it said.
why() {
	grep '^@@g info initramfs' "$S/console.log"
	grep -m 1 'Kernel panic' "$S/console.log"
	grep -v '^@@g ' "$S/console.log" | tail -n 20
}

if [ "$mode" = cmd ]; then
	if [ -n "$broken" ]; then
		echo "sysguest: $broken; console: $S/console.log" >&2
		why >&2
		exit 125
	fi
	echo "sysguest: exit status $status in the $ctx context ($secs s with boot)" >&2
	exit "$status"
fi

if [ -n "$broken" ]; then
	echo "not ok - guest: $broken; console: $S/console.log"
	why | sed 's/^/#   console: /'
	failed=$((failed + 1))
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "not ok - guest: $status stage(s) failed in the guest, none of them said which"
	failed=1
fi
echo "# guest: $secs s in all (qemu status $qrc)"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
