#!/bin/sh
# Makes sure the Debian packages that building and testing the harness need are present.
# As root it installs what is missing with apt-get; otherwise it says which packages and why.
set -u

need=""
want() { need="$need $1"; }

command -v cc >/dev/null 2>&1 || want gcc
command -v pkg-config >/dev/null 2>&1 || want pkgconf
if command -v pkg-config >/dev/null 2>&1; then
	pkg-config --exists inih 2>/dev/null || want libinih-dev
	pkg-config --exists libcgroup 2>/dev/null || want libcgroup-dev
	pkg-config --exists cmocka 2>/dev/null || want libcmocka-dev
else
	want "libinih-dev libcgroup-dev libcmocka-dev"
fi

[ -z "$need" ] && exit 0

why="the harness builds against inih (scenario files), libcgroup (cgroup lifecycle) and cmocka (tests)"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$need" >&2
	echo "deps: $why; install them as root: apt-get install -y$need" >&2
	exit 1
fi
echo "deps: installing Debian packages:$need ($why)"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet: update once if the first try fails.
apt-get install -y -q $need >/dev/null 2>&1 || {
	apt-get update -q >/dev/null && apt-get install -y -q $need >/dev/null
} || {
	echo "deps: apt-get install$need failed" >&2
	exit 1
}
