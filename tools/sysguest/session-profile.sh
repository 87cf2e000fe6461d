# shellcheck shell=sh
# /etc/profile.d/sysguest-session.sh: the systemd lane's session context (tools/sysguest/
# driver.sh). Sourced by every login shell; acts only in root's autologin shell on ttyS0 while
# the driver waits for a session stage. Like a user at a desktop or over SSH, the shell has
# started something else first: the runner's session-N.scope is shared with the login shell,
# login and a sleep, as on a real host.
if [ "$(id -u)" = 0 ] && [ "$(tty 2>/dev/null)" = /dev/ttyS0 ] && [ -r /run/sysguest/session.env ]; then
	. /run/sysguest/session.env
	sleep infinity &
	sysguest_sleep=$!
	/usr/local/lib/sysguest/stage.sh "$SYSGUEST_STAGE" "$SYSGUEST_DIR"
	kill "$sysguest_sleep"
	exit
fi
