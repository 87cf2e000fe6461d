#!/bin/sh
# Builds the systemd guest's root file system: Debian 12 (bookworm) from the mirror apt is
# configured with on this host, made by mmdebstrap (minbase variant + tools/sysguest/packages,
# no Recommends, no man pages or docs), set up by tools/sysguest/customize.sh, then packed into
# an ext4 image with mkfs.ext4 -d. The image is the cache: make rebuilds it only when the
# package list, these scripts or the guest kernel's modules change.
# Why a disk and not the whole root as an initramfs (both measured, mk/sysguest.mk): the
# kernel must unpack a 333 MB cpio at every boot (6.4 s instead of 3 s) and its tmpfs holds
# ~310 MiB of the guest's RAM for good, unreclaimable without swap, which would skew the
# memory tests; from a virtio disk only what runs is read, into reclaimable page cache.
# usage: tools/sysguest/mkrootfs.sh GUEST_DIR SYSGUEST_DIR   (run from the repo root; GUEST_DIR
#        holds the busybox lane's kernel and modules/ (tools/guest/fetch.sh); writes
#        SYSGUEST_DIR/rootfs.ext4 and SYSGUEST_DIR/rootfs.sonames, the shared libraries in it)
set -eu
G=${1:?usage: mkrootfs.sh GUEST_DIR SYSGUEST_DIR}
S=${2:?usage: mkrootfs.sh GUEST_DIR SYSGUEST_DIR}
# Absolute: mmdebstrap's hook runs the customize script from its own working directory.
here=$(cd "$(dirname "$0")" && pwd)
mods=$(cd "$G/modules" 2>/dev/null && pwd) || mods=""
R=$S/rootfs

die() {
	echo "sysguest: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "mmdebstrap --mode=root and mkfs.ext4 -d of root-owned files need root"
[ -n "$mods" ] && [ -s "$mods/list" ] || die "$G/modules: missing (tools/guest/fetch.sh $G)"
pkgs=$(sed 's/#.*//' "$here/packages" | tr -s ' \t\n' ' ')

# The sources apt has on this host (one-line or deb822 files), pasted as they are into the
# image: the same mirror, suites (updates, security) and snapshot as the host's packages.
set --
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -s "$f" ] && grep -q '^[^#]' "$f" && set -- "$@" "$f"
done
[ $# -gt 0 ] || die "no apt sources configured on this host (/etc/apt/sources.list{,.d})"

start=$(date +%s)
rm -rf "$R" "$S/rootfs.ext4.new"
mkdir -p "$S"
echo "sysguest: mmdebstrap bookworm into $R (about a minute; log in $S/mmdebstrap.log)"
# Kept out: man pages, docs and translations (no one reads them in the guest: -40 MB).
if ! mmdebstrap --variant=minbase --mode=root --format=directory \
	--aptopt='APT::Install-Recommends "false"' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--include="$pkgs" \
	--customize-hook="sh '$here/customize.sh' \"\$1\" '$mods'" \
	bookworm "$R" "$@" >"$S/mmdebstrap.log" 2>&1; then
	tail -n 30 "$S/mmdebstrap.log" >&2
	die "mmdebstrap failed (log: $S/mmdebstrap.log)"
fi
built=$(date +%s)

# What the repo's binaries may load there: mkmirror.sh checks their NEEDED entries against it.
find "$R/usr/lib" -name 'lib*.so*' -printf '%f\n' | sort -u >"$S/rootfs.sonames"

# A sparse image with 1 GiB free beyond the files: room for what the tests and containers
# write (each boot writes to a throwaway qemu snapshot, never to this file).
used=$(du -sm "$R" | cut -f1)
size=$((used + used / 4 + 1024))
mkfs.ext4 -q -F -L sysguest -E root_owner=0:0 -d "$R" "$S/rootfs.ext4.new" "${size}M" >/dev/null ||
	die "mkfs.ext4 -d $R failed"
mv "$S/rootfs.ext4.new" "$S/rootfs.ext4"
rm -rf "$R"
echo "sysguest: $S/rootfs.ext4: $used MiB of files in a ${size} MiB image," \
	"mmdebstrap $((built - start)) s, mkfs.ext4 $(($(date +%s) - built)) s"
