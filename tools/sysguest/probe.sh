#!/bin/sh
# The systemd lane's probe stage: shows where a command lands in each context (its cgroup, who
# else is in it, which controllers it has and hands down) and checks that this is the context
# it claims to be. Ends with one TAP line, ok or not ok, saying why.
# usage: sysguest-probe session|service|user
ctx=${1:?usage: sysguest-probe session|service|user}
why=""
fail() { why="${why:+$why; }$*"; }

cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
d=/sys/fs/cgroup$cg
echo "/proc/self/cgroup: $(cat /proc/self/cgroup)"
echo "uid $(id -u) ($(id -un)), XDG_SESSION_ID=${XDG_SESSION_ID:-}, XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-}," \
	"DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS:-}"
procs=$(cat "$d/cgroup.procs")
echo "$cg/cgroup.procs: $(for p in $procs; do printf '%s(%s) ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done)"
echo "$cg/cgroup.controllers: $(cat "$d/cgroup.controllers")"
echo "$cg/cgroup.subtree_control: $(cat "$d/cgroup.subtree_control")"
parent=${cg%/*}
echo "${parent:-/}/cgroup.subtree_control: $(cat "/sys/fs/cgroup$parent/cgroup.subtree_control")"
echo "memory.max $(cat "$d/memory.max" 2>/dev/null || echo -), owner of cgroup.procs" \
	"$(stat -c %U "$d/cgroup.procs"), of cgroup.subtree_control $(stat -c %U "$d/cgroup.subtree_control")"
nprocs=$(echo "$procs" | wc -w)

case $ctx in
session)
	echo "session: $(loginctl show-session "${XDG_SESSION_ID:-none}" -p Id -p Type -p Class -p TTY -p Scope 2>&1 | tr '\n' ' ')"
	echo "$cg" | grep -Eq '^/user\.slice/user-0\.slice/session-c?[0-9]+\.scope$' ||
		fail "not in root's session scope"
	# The login shell, login and the sleep it started are there beside this probe.
	comms=$(for p in $procs; do cat "/proc/$p/comm" 2>/dev/null; done)
	echo "$comms" | grep -qx sleep || fail "no sleep beside it"
	[ "$nprocs" -ge 3 ] || fail "$nprocs processes in the scope, wanted 3 or more"
	;;
service)
	echo "lane.service: $(systemctl show lane.service -p Delegate -p DelegateControllers -p ControlGroup | tr '\n' ' ')"
	[ "$cg" = /system.slice/lane.service ] || fail "not in /system.slice/lane.service"
	[ "$(systemctl show lane.service -p Delegate --value)" = no ] || fail "lane.service is delegated"
	;;
user)
	u=/user.slice/user-1000.slice/user@1000.service
	echo "user@1000.service: $(systemctl show user@1000.service -p Delegate -p DelegateControllers | tr '\n' ' ')"
	echo "$u/cgroup.controllers: $(cat "/sys/fs/cgroup$u/cgroup.controllers")," \
		"cgroup.subtree_control: $(cat "/sys/fs/cgroup$u/cgroup.subtree_control")," \
		"owner $(stat -c %U "/sys/fs/cgroup$u/cgroup.subtree_control")"
	echo "systemctl --user: $(systemctl --user show -p Version -p ControlGroup -p DefaultMemoryAccounting 2>&1 | tr '\n' ' ')"
	echo "busctl --user status: $(busctl --user status 2>&1 | grep -E '^(PID|Comm|Unit|UserUnit|Slice)=' | tr '\n' ' ')"
	# How a user gets a cgroup of their own to create groups under: a delegated scope.
	echo "systemd-run --user --scope -p Delegate=yes: $(systemd-run --user --scope -q -p Delegate=yes \
		sh -c 'c=$(sed -n "s/^0:://p" /proc/self/cgroup); echo "$c controllers: $(cat /sys/fs/cgroup$c/cgroup.controllers), owner $(stat -c %U /sys/fs/cgroup$c/cgroup.subtree_control)"' 2>&1)"
	[ "$(id -u)" = 1000 ] || fail "uid $(id -u), not tester's 1000"
	echo "$cg" | grep -Eq '^/user\.slice/user-1000\.slice/session-c?[0-9]+\.scope$' ||
		fail "not in tester's session scope"
	[ "${XDG_RUNTIME_DIR:-}" = /run/user/1000 ] || fail "XDG_RUNTIME_DIR is '${XDG_RUNTIME_DIR:-}'"
	[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || fail "no DBUS_SESSION_BUS_ADDRESS"
	busctl --user status >/dev/null 2>&1 || fail "busctl --user status failed"
	[ "$(systemctl show user@1000.service -p Delegate --value)" = yes ] ||
		fail "user@1000.service is not delegated"
	grep -qw memory "/sys/fs/cgroup$u/cgroup.controllers" ||
		fail "no memory controller in user@1000.service"
	;;
*)
	fail "unknown context $ctx"
	;;
esac

if [ -z "$why" ]; then
	echo "ok 1 - $ctx context: $cg, $nprocs processes, controllers: $(cat "$d/cgroup.controllers")"
else
	echo "not ok 1 - $ctx context: $why ($cg)"
	exit 1
fi
