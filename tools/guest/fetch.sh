#!/bin/sh
# Fetches the guest kernel for the cgroup v2 lane: Debian's cloud kernel (LZ4, serial console,
# memcg and PSI built in, so no modules are needed), downloaded with `apt-get download` and
# unpacked with `dpkg -x` into the build directory. Nothing is installed into /boot.
# usage: tools/guest/fetch.sh GUEST_DIR   (writes GUEST_DIR/vmlinuz and GUEST_DIR/kernel-version;
#        a rerun with both present does nothing, so the lane never refetches)
set -eu
G=${1:?usage: fetch.sh GUEST_DIR}
[ -s "$G/vmlinuz" ] && [ -s "$G/kernel-version" ] && exit 0
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
# The unpacked modules tree (~100 MB) is not needed: everything the lane uses is built in.
rm -rf "$G/deb/root"
echo "guest: kernel $(cat "$G/kernel-version") in $G/vmlinuz"
