#!/bin/sh
# Fetches the guest kernel for the cgroup v2 lane: Debian's cloud kernel (LZ4, serial console,
# memcg and PSI built in, so no modules are needed), downloaded with `apt-get download` and
# unpacked with `dpkg -x` into the build directory. Nothing is installed into /boot.
# usage: tools/guest/fetch.sh GUEST_DIR   (writes GUEST_DIR/vmlinuz, GUEST_DIR/kernel-version
#        and GUEST_DIR/modules/; a rerun with all three present does nothing, so the lane
#        never refetches)
set -eu
G=${1:?usage: fetch.sh GUEST_DIR}
# The few modules the systemd lane (tools/sysguest/) loads, with what they depend on: its root
# file system is a virtio disk (virtio_pci, virtio_blk), and its containers and memory tests
# want overlay, fuse, tun (slirp4netns) and zram. The busybox lane loads only zram and its
# compressor lzo-rle (its swap: tools/guest/init.sh; deflate, the one built in, compressed
# ~6 MB/s under TCG, measured).
MODULES="virtio_pci virtio_blk overlay fuse tun zram lzo-rle autofs4"
# Done already, unless a module was added to MODULES since (then unpacked again from the
# cached .deb, no download).
done_already() {
	[ -s "$G/vmlinuz" ] && [ -s "$G/kernel-version" ] && [ -s "$G/modules/list" ] || return 1
	for m in $MODULES; do
		grep -qx "$m" "$G/modules/list" || return 1
	done
}
done_already && exit 0
mkdir -p "$G/deb"

# The metapackage only depends on the versioned image package (linux-image-6.1.0-N-cloud-amd64);
# that one holds the kernel. A fresh machine may have no package lists yet: update once.
resolve() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-amd64\)$/\1/p' | head -n 1
}
pkg=$(resolve)
if [ -z "$pkg" ]; then
	apt-get update -q >/dev/null 2>&1 || true
	pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
	echo "guest: cannot resolve the package linux-image-cloud-amd64 depends on (apt-cache depends)" >&2
	exit 1
fi

# The .deb stays in GUEST_DIR/deb as the cache: a lost vmlinuz is unpacked again from it.
deb=$(ls "$G"/deb/"$pkg"_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	echo "guest: fetching $pkg (apt-get download, unpacked with dpkg -x, not installed)"
	rm -f "$G"/deb/*.deb
	# apt drops privileges to _apt for downloads; the build dir may not be writable by it,
	# and as root apt then falls back to an unsandboxed download with a notice: drop that.
	(cd "$G/deb" && apt-get download -qq "$pkg" 2>&1 | grep -v -i 'unsandboxed' >&2) || true
	deb=$(ls "$G"/deb/"$pkg"_*.deb 2>/dev/null | head -n 1)
fi
if [ -z "$deb" ]; then
	echo "guest: apt-get download $pkg produced no .deb in $G/deb" >&2
	exit 1
fi

rm -rf "$G/deb/root"
dpkg -x "$deb" "$G/deb/root"
img=$(ls "$G"/deb/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
if [ -z "$img" ]; then
	echo "guest: $deb holds no boot/vmlinuz-*" >&2
	exit 1
fi
cp "$img" "$G/vmlinuz.new" && mv "$G/vmlinuz.new" "$G/vmlinuz"
# Keep the config beside it: it says what the guest kernel can do (CONFIG_MEMCG, DEVPORT...).
cp "$G"/deb/root/boot/config-* "$G/kernel-config" 2>/dev/null || true
echo "${img##*/vmlinuz-}" >"$G/kernel-version"

# Of the unpacked modules tree (~100 MB) only MODULES and their dependencies are kept, in
# GUEST_DIR/modules/lib/modules/VERSION with their own modules.dep (depmod), ready to copy
# into a root file system.
kver=$(cat "$G/kernel-version")
src=$G/deb/root/lib/modules/$kver
dst=$G/modules/lib/modules/$kver
rm -rf "$G/modules"
mkdir -p "$dst"
kept=""
keep() { # MODULE...: copies each module not kept yet, then the modules it depends on
	for m in "$@"; do
		case " $kept " in *" $m "*) continue ;; esac
		ko=$(find "$src/kernel" -name "$m.ko" | head -n 1)
		[ -n "$ko" ] || { echo "guest: module $m not in $deb" >&2; exit 1; }
		mkdir -p "$dst/$(dirname "${ko#"$src"/}")"
		cp "$ko" "$dst/${ko#"$src"/}"
		kept="$kept $m"
		# The .modinfo section's NUL-separated strings hold "depends=a,b" (what modinfo reads).
		# shellcheck disable=SC2046
		keep $(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | tr ',' ' ')
	done
}
# shellcheck disable=SC2086
keep $MODULES
cp "$src"/modules.builtin "$src"/modules.builtin.modinfo "$src"/modules.order "$dst/"
busybox depmod -b "$G/modules" "$kver"
echo "$kept" | tr ' ' '\n' | sed '/^$/d' | sort >"$G/modules/list"
rm -rf "$G/deb/root"
echo "guest: kernel $(cat "$G/kernel-version") in $G/vmlinuz"
