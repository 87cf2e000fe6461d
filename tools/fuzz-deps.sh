#!/bin/sh
# Makes sure clang and libFuzzer (the runtime behind -fsanitize=fuzzer) are present for
# `make fuzz` and `make fuzz-smoke`. As root it installs what is missing with apt-get;
# otherwise it says which packages and why.
set -u

need=""
want() { need="$need $1"; }

command -v clang >/dev/null 2>&1 || want clang
# Debian ships libFuzzer's runtime apart from the compiler (libclang-rt-14-dev for clang 14).
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
	want libclang-rt-14-dev

[ -z "$need" ] && exit 0

why="the fuzz targets are built with clang -fsanitize=fuzzer,address,undefined (libFuzzer)"
if [ "$(id -u)" != 0 ]; then
	echo "fuzz-deps: missing Debian packages:$need" >&2
	echo "fuzz-deps: $why; install them as root: apt-get install -y$need" >&2
	exit 1
fi
echo "fuzz-deps: installing Debian packages:$need ($why)"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet: update once if the first try fails.
apt-get install -y -q $need >/dev/null 2>&1 || {
	apt-get update -q >/dev/null && apt-get install -y -q $need >/dev/null
} || {
	echo "fuzz-deps: apt-get install$need failed" >&2
	exit 1
}
