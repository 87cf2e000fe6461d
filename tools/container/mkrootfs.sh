#!/bin/sh
# The container the shipped container scenarios run: a root file system directory built from
# Debian's packages, no image registry (podman run --rootfs DIR). mmdebstrap extracts libc6 and
# busybox-static from the mirror apt uses on this host (the extract variant: no dpkg, no
# maintainer scripts, 16 MB); busybox's applets become /bin's commands; /etc/passwd and
# /etc/group know root and nobody; the workload pack's programs go to /usr/local/bin, as a
# Dockerfile's COPY would put them.
# The base is cached (DIR/.base, remade when this script changes); the programs are copied
# again on every call, which make does when one of them changed.
# usage: tools/container/mkrootfs.sh DIR WORKLOAD_DIR   (as root: mmdebstrap --mode=root)
set -eu
R=${1:?usage: mkrootfs.sh DIR WORKLOAD_DIR}
W=${2:?usage: mkrootfs.sh DIR WORKLOAD_DIR}
here=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "container-rootfs: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "mmdebstrap --mode=root needs root (the files belong to root)"
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not found (sh tools/deps.sh container)"

if [ ! -f "$R/.base" ] || [ "$here/mkrootfs.sh" -nt "$R/.base" ]; then
	# The sources apt has on this host: the same mirror and suites as the host's packages.
	set --
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -s "$f" ] && grep -q '^[^#]' "$f" && set -- "$@" "$f"
	done
	rm -rf "$R"
	mkdir -p "$(dirname "$R")"
	log=$(dirname "$R")/mmdebstrap.log
	start=$(date +%s)
	if ! mmdebstrap --mode=root --variant=extract --format=directory \
		--include=libc6,busybox-static \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		bookworm "$R" "$@" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "mmdebstrap failed (log: $log)"
	fi
	# busybox's applets as commands (extract runs no maintainer script to make them)
	for a in $(chroot "$R" /bin/busybox --list); do
		[ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"
	done
	mkdir -p "$R/proc" "$R/sys" "$R/run" "$R/usr/local/bin"
	chmod 1777 "$R/tmp"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$R/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
	mkdir -p "$R/root"
	touch "$R/.base"
	echo "container-rootfs: $R from Debian's libc6 and busybox-static," \
		"$(du -sm "$R" | cut -f1) MiB, mmdebstrap $(($(date +%s) - start)) s"
fi

# The workload pack's programs that run in it (ELF files; jhog needs a JVM the container lacks).
n=0
for p in "$W"/*; do
	[ -f "$p" ] && [ -x "$p" ] || continue
	head -c 4 "$p" | grep -q 'ELF' || continue
	cp -f "$p" "$R/usr/local/bin/"
	n=$((n + 1))
done
touch "$R/.ready"
echo "container-rootfs: $n programs of $W in $R/usr/local/bin"
