#!/bin/sh
# /init of the cgroup v2 guest (busybox sh): mounts the kernel filesystems and cgroup2, enables
# the memory controller, then runs the test stages in the repo mirror /work (or, when the
# initramfs carries /guest/cmd, that one command), and ends the machine through isa-debug-exit.
#
# Everything the host parses is one tagged line on the serial console (tools/guest/run.sh):
#   @@g info TEXT          what the guest is (kernel, cgroup, memory)
#   @@g begin STAGE T      STAGE starts (T: seconds since the guest kernel started)
#   @@g out STAGE TEXT     one line of STAGE's output (stdout and stderr)
#   @@g end STAGE RC T     STAGE ended with exit status RC
#   @@g guest done N T     the sentinel: the run reached its end; N = failed stages (tests) or
#                          the command's exit status (--cmd)
# Anything else on the console (kernel messages, a panic) is not trusted by the host.
export PATH=/bin:/sbin:/work/build
export HOME=/root TERM=dumb
# What tests/run.sh gives the test binaries: TAP output, the build dir holding balloon-run.
export CMOCKA_MESSAGE_OUTPUT=TAP BUILD=build
# Reports of runs without --report: the user's state directory (tmpfs here).
export XDG_STATE_HOME=/tmp/state
# How index.html renders does not depend on the kernel, and a browser does not fit in this
# initramfs: the host lane renders it in Chromium; here the report tests check the files.
export REPORT_RENDER=host-lane

say() { echo "@@g $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# Runs STAGE's command with each output line tagged; records its status in /tmp/rc. awk ends
# every line, so a last line without a newline cannot swallow the "end" line after it.
run_stage() { # STAGE command...
	stage=$1
	shift
	say begin "$stage" "$(uptime_s)"
	{ "$@"; echo $? >/tmp/rc; } 2>&1 </dev/null |
		awk -v t="$stage" '{ sub(/\r$/, ""); print "@@g out " t " " $0; fflush() }'
	rc=$(cat /tmp/rc 2>/dev/null || echo 255)
	say end "$stage" "$rc" "$(uptime_s)"
	return "$rc"
}

# Ends the machine: qemu exits with (v << 1) | 1. Should the device be missing, /init
# returns, the kernel panics on the dead init and the host sees no exit status: a failure.
finish() { # N
	say guest "done" "$1" "$(uptime_s)"
	sync
	if [ "$1" -eq 0 ]; then v=0; else v=1; fi
	debug-exit "$v"
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# ptys: the terminal test runs balloon-run on one (forkpty)
mkdir -p /dev/pts && mount -t devpts -o ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
# /dev/shm as a container has it (a tmpfs): the shmem scenarios fill it
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# Loopback: the scenarios with a server target probe and load it on 127.0.0.1.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
# The root cgroup is exempt from "no internal processes": /init may stay there while its
# children get the memory controller.
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
# The host lane was measured with THP in madvise mode; this kernel defaults to always.
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
# Kernel messages (OOM reports) would land in the middle of tagged lines: keep only panics
# and worse on the console; `dmesg` still has them all.
echo 3 >/proc/sys/kernel/printk

# guest.swap=SIZE on the kernel command line: a zram device of SIZE, made ready as swap but
# not switched on (the tests run first without swap, then with it: see below; a command run
# with `make guest-shell` switches it on itself with `swapon /dev/zram0`). zram's compressor,
# lzo-rle, is a module the kernel would ask /sbin/modprobe for, which this initramfs has not:
# it is loaded first. Guest RAM holds what zram stores: incompressible pages cost their full
# size there.
swap_ready=""
swap_setup() { # SIZE
	modprobe lzo-rle && modprobe zram num_devices=1 &&
		echo lzo-rle >/sys/block/zram0/comp_algorithm &&
		echo "$1" >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null &&
		swap_ready=/dev/zram0
}

# guest.cgroup=/NAME on the kernel command line: run from a nested group instead of the
# root, as under systemd where the runner's own group is not the root.
for arg in $(cat /proc/cmdline); do
	case $arg in
	guest.swap=?*)
		swap_setup "${arg#guest.swap=}" || say info "cannot set up zram swap of ${arg#guest.swap=}"
		;;
	guest.cgroup=/?*)
		cg=/sys/fs/cgroup${arg#guest.cgroup=}
		if ! { mkdir -p "$cg" && echo $$ >"$cg/cgroup.procs"; }; then
			say info "cannot move into $cg"
		fi
		;;
	esac
done

say info "kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)," \
	"swap: ${swap_ready:-none} $(cat /sys/block/zram0/disksize 2>/dev/null)"
say info "cgroup: /proc/self/cgroup $(cat /proc/self/cgroup);" \
	"root controllers: $(cat /sys/fs/cgroup/cgroup.controllers);" \
	"subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"

cd /work || finish 1

if [ -f /guest/cmd ]; then
	run_stage cmd sh /guest/cmd
	finish "$rc"
fi

# Unit tests first, then the integration tests (tests/integration/*.c, the names packed): the
# v2 scenario suite test_scenarios asserts every shipped scenario's verdict on this kernel and
# the README's v2 column, test_terminal and test_reports run real scenarios too.
# With swap ready, the scenarios that require swap wait for the last stage, where it is on:
# everything else runs as on a machine without swap, as measured so far.
failed=0
[ -n "$swap_ready" ] && export BALLOON_TEST_SWAP=without
for kind in unit scenarios; do
	for t in "$BUILD"/tests/test_*; do
		name=${t##*/}
		if [ -e "tests/integration/$name.c" ]; then k=scenarios; else k=unit; fi
		[ "$k" = "$kind" ] || continue
		run_stage "$kind:$name" "$t" || failed=$((failed + 1))
	done
done
if [ -n "$swap_ready" ]; then
	swapon "$swap_ready"
	say info "swap on: $(tail -n +2 /proc/swaps | tr -s ' \t' ' ')"
	BALLOON_TEST_SWAP=only run_stage "swap:test_scenarios" "$BUILD/tests/test_scenarios" ||
		failed=$((failed + 1))
	swapoff "$swap_ready"
fi
finish "$failed"
