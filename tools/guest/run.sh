#!/bin/sh
# Boots the cgroup v2 guest under qemu TCG (no KVM here) with the initramfs that
# tools/guest/mkinitramfs.sh built, and turns its console into results (tools/guest/parse.awk).
#
# Test mode (make test-v2): the guest runs every unit test binary, then the integration tests
# (tests/integration/: the v2 scenario suite test_scenarios, the terminal, the reports). Prints
# one ok/not ok line per test, prefixed with
# its stage, and ends with the closing line of tests/run.sh:
#   tests: P passed, F failed, S skipped      exit 0 only if nothing failed.
# A run fails, with a "not ok - guest: ..." line saying why, when the guest never prints its
# sentinel ("@@g guest done": panic, crash, truncated run), when qemu's exit status is not the
# one isa-debug-exit gives for the guest's verdict, or when it outlives the timeout.
#
# Command mode, for work on the v2 backend: runs one shell command in the repo mirror /work
# (PATH has /work/build and busybox; dmesg, cat /sys/fs/cgroup/... work), prints its output
# and exits with its status (125 when the guest itself broke). It only appends a small cpio
# with the command to the built initramfs, so a run costs one boot (~3 s) plus the command:
#   make guest-shell CMD='balloon-run -v scenarios/oom_killed.ini'
#   tools/guest/run.sh --cmd 'cat /proc/self/cgroup; balloon-run scenarios/' build/guest
#
# usage: tools/guest/run.sh [--cmd COMMAND] [--timeout SECONDS] [--mem MIB] [--cgroup /NAME]
#                           [--swap SIZE] GUEST_DIR
#   --timeout  host-side limit for the whole boot (default 900, or $GUEST_TIMEOUT)
#   --mem      guest RAM in MiB (default 2048, or $GUEST_MEM)
#   --cgroup   run from the nested cgroup /NAME instead of the root (kernel arg guest.cgroup)
#   --swap     a zram swap device of SIZE (kernel arg guest.swap): in test mode a last stage
#              runs the scenarios that require swap with it on; in command mode it is ready
#              but off (`swapon /dev/zram0` in the command)
# The raw console of the last run is kept in GUEST_DIR/console.log.
set -u
cmd="" timeout=${GUEST_TIMEOUT:-900} mem=${GUEST_MEM:-2048} cgroup="" swap=""
while [ $# -gt 1 ]; do
	case $1 in
	--cmd) cmd=$2 ;;
	--timeout) timeout=$2 ;;
	--mem) mem=$2 ;;
	--cgroup) cgroup=$2 ;;
	--swap) swap=$2 ;;
	*) break ;;
	esac
	shift 2
done
G=${1:?usage: run.sh [--cmd COMMAND] [--timeout S] [--mem MIB] [--cgroup /NAME] [--swap SIZE] GUEST_DIR}
here=$(dirname "$0")
for f in "$G/vmlinuz" "$G/initramfs.cpio"; do
	[ -s "$f" ] || { echo "guest: $f missing (make guest-build)" >&2; exit 2; }
done

initrd=$G/initramfs.cpio mode=test
if [ -n "$cmd" ]; then
	# The kernel unpacks concatenated newc archives in order: the second one adds /guest/cmd.
	mode=cmd
	rm -rf "$G/cmd"
	mkdir -p "$G/cmd/guest"
	printf '%s\n' "$cmd" >"$G/cmd/guest/cmd"
	(cd "$G/cmd" && find . | cpio -o -H newc -R 0:0 --quiet) >"$G/cmd.cpio"
	cat "$G/initramfs.cpio" "$G/cmd.cpio" >"$G/run.cpio"
	initrd=$G/run.cpio
fi

# The stages the guest must run: one per test binary packed (its stage as init.sh names it).
expected=""
for t in "$G"/root/work/build/tests/test_*; do
	n=${t##*/}
	if [ -e "$G/root/work/tests/integration/$n.c" ]; then
		expected="$expected scenarios:$n"
	else
		expected="$expected unit:$n"
	fi
done

append="console=ttyS0 panic=-1 quiet"
[ -n "$cgroup" ] && append="$append guest.cgroup=$cgroup"
case $swap in
"" | 0) ;;
*)
	append="$append guest.swap=$swap"
	expected="$expected swap:test_scenarios"
	;;
esac
state=$G/state
rm -f "$state" "$G/qemu.rc"
start=$(date +%s.%N)
# -no-reboot with panic=-1: a panic ends qemu at once (status 0, as a normal reboot would).
# isa-debug-exit makes the guest's verdict qemu's status: (v << 1) | 1.
{
	timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -m "$mem" \
		-display none -monitor none -serial stdio -nic none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$G/vmlinuz" -initrd "$initrd" -append "$append" </dev/null 2>&1
	echo $? >"$G/qemu.rc"
} | tee "$G/console.log" | awk -v mode="$mode" -v expected="$expected" -v state="$state" \
	-f "$here/parse.awk"
secs=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
qrc=$(cat "$G/qemu.rc" 2>/dev/null || echo 255)
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

if [ "$mode" = cmd ]; then
	if [ -n "$broken" ]; then
		echo "guest: $broken; console: $G/console.log" >&2
		{ grep -m 1 'Kernel panic' "$G/console.log"; grep -v '^@@g ' "$G/console.log" | tail -n 20; } >&2
		exit 125
	fi
	echo "guest: exit status $status ($secs s with boot)" >&2
	exit "$status"
fi

if [ -n "$broken" ]; then
	echo "not ok - guest: $broken; console: $G/console.log"
	# The panic's reason line, then the end of what else the console said.
	{ grep -m 1 'Kernel panic' "$G/console.log"; grep -v '^@@g ' "$G/console.log" | tail -n 20; } |
		sed 's/^/#   console: /'
	failed=$((failed + 1))
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "not ok - guest: $status stage(s) failed in the guest, none of them said which"
	failed=1
fi
echo "# guest: $secs s in all (qemu status $qrc)"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
