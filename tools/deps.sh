#!/bin/sh
# Makes sure the Debian packages a part of the harness needs are present. As root it installs
# what is missing with apt-get; otherwise it says which packages and why.
# usage: tools/deps.sh [build|test|fuzz|valgrind|guest|sysguest|workloads|container|deb|ci|bench]
#   (build by default)
#   build: what `make` needs to build balloon and balloon-run, nothing else; test: what the
#   test binaries and the report tests add (make test, make sanitize, the test binaries' rules)
set -u

need=""
want() { need="$need $1"; }

case ${1:-build} in
build)
	why="the harness builds against inih (scenario files), libcgroup (cgroup lifecycle), jansson (result.json) and the headers of libsystemd (a delegated scope over D-Bus; the library itself is loaded only then)"
	command -v cc >/dev/null 2>&1 || want gcc
	command -v pkg-config >/dev/null 2>&1 || want pkgconf
	if command -v pkg-config >/dev/null 2>&1; then
		pkg-config --exists inih 2>/dev/null || want libinih-dev
		pkg-config --exists libcgroup 2>/dev/null || want libcgroup-dev
		pkg-config --exists jansson 2>/dev/null || want libjansson-dev
		pkg-config --exists libsystemd 2>/dev/null || want libsystemd-dev
	else
		want "libinih-dev libcgroup-dev libjansson-dev libsystemd-dev"
	fi
	;;
test)
	why="the test binaries link cmocka; the report tests check junit.xml against its schema with libxml2 and xmllint and render index.html in headless chromium; the man page test renders with groff and man"
	if command -v pkg-config >/dev/null 2>&1; then
		pkg-config --exists cmocka 2>/dev/null || want libcmocka-dev
		pkg-config --exists libxml-2.0 2>/dev/null || want libxml2-dev
	else
		want "libcmocka-dev libxml2-dev"
	fi
	command -v xmllint >/dev/null 2>&1 || want libxml2-utils
	command -v chromium >/dev/null 2>&1 || want chromium
	# tests/man.sh renders the man pages (groff) and reads them as man and whatis do (man-db)
	command -v groff >/dev/null 2>&1 || want groff-base
	command -v lexgrog >/dev/null 2>&1 || want man-db
	;;
fuzz)
	why="the fuzz targets are built with clang -fsanitize=fuzzer,address,undefined (libFuzzer)"
	command -v clang >/dev/null 2>&1 || want clang
	# Debian ships libFuzzer's runtime apart from the compiler (libclang-rt-14-dev for clang 14).
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
		want libclang-rt-14-dev
	;;
valgrind)
	why="make valgrind runs the runner and the balloon under memcheck"
	command -v valgrind >/dev/null 2>&1 || want valgrind
	;;
guest)
	why="make test-v2 boots a cgroup v2 kernel under qemu with a busybox initramfs (tools/guest/)"
	command -v qemu-system-x86_64 >/dev/null 2>&1 || want qemu-system-x86
	# The initramfs needs the static busybox: the dynamic one would drag in its own libc.
	if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
		want busybox-static
	fi
	command -v cpio >/dev/null 2>&1 || want cpio
	;;
workloads)
	why="make workloads builds the workload pack: Go programs (standard library only) and gocrash's cgo with golang-go and gcc, C programs with gcc, jhog with the JDK (javac, jar)"
	command -v go >/dev/null 2>&1 || want golang-go
	command -v cc >/dev/null 2>&1 || want gcc
	command -v javac >/dev/null 2>&1 || want default-jdk-headless
	;;
sysguest)
	why="make test-systemd boots a Debian 12 root file system with systemd, made by mmdebstrap and packed by mkfs.ext4 -d, beside the guest lane's kernel (tools/sysguest/); the guest part's packages come first"
	command -v mmdebstrap >/dev/null 2>&1 || want mmdebstrap
	command -v mkfs.ext4 >/dev/null 2>&1 || want e2fsprogs
	# mkboot.sh reads the binaries' NEEDED entries to check the image has their libraries.
	command -v objdump >/dev/null 2>&1 || want binutils
	;;
container)
	why="scenarios with [target] container = podman run their target in a podman container (runc: the runtime that runs on cgroup v1 hosts); make container-rootfs makes its root file system with mmdebstrap"
	command -v podman >/dev/null 2>&1 || want podman
	# podman run --init: the container's program as PID 2, where its own signals work
	[ -x /usr/libexec/podman/catatonit ] || want catatonit
	command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || want runc
	command -v mmdebstrap >/dev/null 2>&1 || want mmdebstrap
	;;
deb)
	why="make deb computes the package's Depends with dpkg-shlibdeps (without it, they are written out)"
	command -v dpkg-shlibdeps >/dev/null 2>&1 || want dpkg-dev
	;;
ci)
	why="tests/ci.sh parses the CI recipes with python3's yaml module, checks the .deb with lintian and its scripts with shellcheck"
	python3 -c 'import yaml' >/dev/null 2>&1 || want python3-yaml
	command -v lintian >/dev/null 2>&1 || want lintian
	command -v shellcheck >/dev/null 2>&1 || want shellcheck
	;;
bench)
	why="make bench runs the balloon beside its peers, stress-ng (--vm) and memhog (from numactl), and draws its table and charts with python3"
	command -v stress-ng >/dev/null 2>&1 || want stress-ng
	command -v memhog >/dev/null 2>&1 || want numactl
	command -v python3 >/dev/null 2>&1 || want python3
	;;
*)
	echo "deps: unknown part '$1' (build, test, fuzz, valgrind, guest, sysguest, workloads, container, deb, ci or bench)" >&2
	exit 2
	;;
esac

[ -z "$need" ] && exit 0

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
