#!/bin/sh
# The systemd guest's driver (sysguest.service, started once multi-user.target is reached):
# runs the stages of /etc/sysguest/stages one after another, each in its context, then ends
# the machine through isa-debug-exit. Its output goes to /dev/console (the unit's TTYPath):
# unlike an open /dev/ttyS0, that survives the vhangup of ttyS0 by serial-getty.
#
# /etc/sysguest/stages: one stage a line, "CONTEXT<TAB>NAME<TAB>COMMAND" (tools/sysguest/run.sh
# writes it); /etc/sysguest/mode: "test" (the sentinel counts the failed stages) or "cmd" (it
# carries the one stage's exit status). The contexts, as the project's users run the harness:
#   session  root's login session on ttyS0 (serial-getty autologin, logind's session-N.scope),
#            beside the login shell and a `sleep infinity` it started first
#   service  lane.service, a plain system service (no Delegate=), as a CI agent runs jobs
#   user     tester (uid 1000) through `su -l` (a logind session of tester), its lingering
#            user manager user@1000.service reachable over the user bus
# The console protocol is tools/guest/init.sh's: @@g info / begin / out / end / guest done.
say() { echo "@@g $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
lib=/usr/local/lib/sysguest
run=/run/sysguest

# Ends the machine: qemu exits with (v << 1) | 1. Should the device be missing, poweroff: the
# host sees no debug-exit status and fails the run.
finish() { # N
	say guest "done" "$1" "$(uptime_s)"
	sync
	if [ "$1" -eq 0 ]; then v=0; else v=1; fi
	/usr/local/sbin/debug-exit "$v"
	systemctl poweroff --force --force
}

# Waits up to $2 s for file $1; returns 1 when it did not appear. Its count is its own: sh
# has no local variables, and the stage loop below numbers the stages' directories with n.
wait_file() { # FILE SECONDS
	wait_polls=$(($2 * 5))
	while [ ! -e "$1" ]; do
		wait_polls=$((wait_polls - 1))
		[ "$wait_polls" -ge 0 ] || return 1
		sleep 0.2
	done
}

# session: serial-getty@ttyS0 logs root in (its drop-in: autologin, no restart); the login
# shell's profile (/etc/profile.d/sysguest-session.sh) finds session.env, starts a sleep in
# the background, runs the stage and exits. The getty must be gone before anything else
# writes to the console: its banner or a prompt would break a tagged line.
ctx_session() { # STAGE DIR
	printf 'SYSGUEST_STAGE=%s\nSYSGUEST_DIR=%s\n' "$1" "$2" >"$run/session.env"
	systemctl start serial-getty@ttyS0.service
	if ! wait_file "$2/began" 60; then
		say info "session: the login shell did not start $1 within 60 s"
	else
		while [ ! -e "$2/rc" ] && systemctl -q is-active serial-getty@ttyS0.service; do
			sleep 0.2
		done
		[ -e "$2/rc" ] || say info "session: the login session of $1 ended before the stage did"
	fi
	systemctl stop serial-getty@ttyS0.service
	rm -f "$run/session.env"
}

# service: lane.service runs stage.sh with what lane.env says; a oneshot, so systemctl start
# returns when it ended (failed or not: the status is in DIR/rc).
ctx_service() { # STAGE DIR
	printf 'SYSGUEST_STAGE=%s\nSYSGUEST_DIR=%s\n' "$1" "$2" >"$run/lane.env"
	systemctl start lane.service
	systemctl reset-failed lane.service 2>/dev/null
}

# user: su -l goes through PAM's common-session, so pam_systemd opens a logind session of
# tester (user-1000.slice/session-N.scope) and sets XDG_RUNTIME_DIR and the user bus address.
ctx_user() { # STAGE DIR
	chown -R tester:tester "$2"
	su -l tester -c "$lib/stage.sh '$1' '$2'"
}

mkdir -p "$run"
mode=$(cat /etc/sysguest/mode 2>/dev/null || echo test)
say info "kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)," \
	"$(systemctl --version | head -n 1)"
# The boot is over when systemd's job queue is empty (this unit's start job included): then
# systemd-analyze has its figures, and failed units say what the machine lacks.
state=$(systemctl is-system-running --wait 2>&1)
say info "boot: $state at $(uptime_s) s uptime; $(systemd-analyze time 2>&1 | head -n 1)"
[ "$state" = running ] || say info "failed units: $(systemctl --failed --plain --no-legend | tr '\n' ' ')"
say info "cgroup: $(stat -f -c %T /sys/fs/cgroup), root controllers:" \
	"$(cat /sys/fs/cgroup/cgroup.controllers), MemAvailable" \
	"$(awk '/MemAvailable/ { print $2 " kB" }' /proc/meminfo)"

failed=0 n=0 rc=255
tab=$(printf '\t')
while IFS=$tab read -r ctx name cmd; do
	n=$((n + 1))
	dir=$run/$n
	# a stage's directory is its own: one left from another stage would say it ran already
	[ ! -e "$dir" ] || say info "stage $ctx:$name: $dir exists already"
	mkdir -p "$dir"
	printf '%s\n' "$cmd" >"$dir/cmd"
	case $ctx in
	session | service | user) "ctx_$ctx" "$ctx:$name" "$dir" </dev/null ;;
	*) say info "unknown context '$ctx' for stage $name" ;;
	esac
	rc=$(cat "$dir/rc" 2>/dev/null || echo 255)
	[ "$rc" -eq 0 ] || failed=$((failed + 1))
done </etc/sysguest/stages

if [ "$mode" = cmd ]; then finish "$rc"; else finish "$failed"; fi
