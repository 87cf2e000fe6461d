#!/bin/sh
# Builds the systemd guest's small initramfs (cpio newc, ~7 MB, seconds to make): busybox-static
# and the virtio modules for /init (tools/sysguest/initrd.sh), and /overlay, which /init copies
# over the root file system image before systemd starts: the lane's units and scripts, the
# debug-exit helper, and the repo mirror /work (the harness and test binaries in
# /work/build, the scenario and config files the tests open by relative path, ci/ and, when
# built, the .deb). A change to the repo only rebuilds this, never the image
# (tools/sysguest/mkrootfs.sh).
# usage: tools/sysguest/mkboot.sh BUILD_DIR GUEST_DIR SYSGUEST_DIR   (run from the repo root;
#        writes SYSGUEST_DIR/boot.cpio; needs SYSGUEST_DIR/rootfs.sonames from mkrootfs.sh)
set -eu
B=${1:?usage: mkboot.sh BUILD_DIR GUEST_DIR SYSGUEST_DIR}
G=${2:?usage: mkboot.sh BUILD_DIR GUEST_DIR SYSGUEST_DIR}
S=${3:?usage: mkboot.sh BUILD_DIR GUEST_DIR SYSGUEST_DIR}
here=$(dirname "$0")
R=$S/boot
O=$R/overlay

die() {
	echo "sysguest: $*" >&2
	exit 1
}

bins="$B/balloon $B/balloon-run $(ls "$B"/tests/test_* 2>/dev/null | tr '\n' ' ')"
[ -d "$B/workloads" ] && bins="$bins $(find "$B/workloads" -type f -perm -u+x | tr '\n' ' ')"
for f in $bins "$G/debug-exit" /bin/busybox; do
	[ -x "$f" ] || die "$f: missing (build it first)"
done
[ -s "$S/rootfs.sonames" ] || die "$S/rootfs.sonames: missing (tools/sysguest/mkrootfs.sh)"
ldd /bin/busybox >/dev/null 2>&1 && die "/bin/busybox is dynamic: install busybox-static"

# The binaries run on the image's libraries, not this host's: each library they ask for by
# name must be there (what those need in turn came with the packages' dependencies).
for f in $bins; do
	[ "$(head -c 4 "$f" | tail -c 3)" = ELF ] || continue
	for so in $(objdump -p "$f" | sed -n 's/^ *NEEDED *//p'); do
		grep -qx "$so" "$S/rootfs.sonames" ||
			die "$f needs $so, which the image lacks: add its package to tools/sysguest/packages"
	done
done

rm -rf "$R"
mkdir -p "$R/bin" "$R/sbin" "$R/dev" "$R/proc" "$R/sys" "$R/lib" \
	"$O/work/build/tests" "$O/usr/local/lib/sysguest" "$O/usr/local/sbin" "$O/usr/local/bin" \
	"$O/etc/systemd/system/multi-user.target.wants" "$O/etc/profile.d" \
	"$O/etc/systemd/system/serial-getty@ttyS0.service.d" "$O/etc/sysguest"

cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$R/bin/$a"
done
cp -R "$G/modules/lib/modules" "$R/lib/"
cp "$here/initrd.sh" "$R/init"
chmod 755 "$R/init"

# The lane: driver, stage runner, probe and the .deb's and CI commands' stages, units, the
# session's profile hook.
for f in driver.sh stage.sh probe.sh deb.sh ci.sh; do
	cp "$here/$f" "$O/usr/local/lib/sysguest/$f"
	chmod 755 "$O/usr/local/lib/sysguest/$f"
done
ln -s ../lib/sysguest/probe.sh "$O/usr/local/bin/sysguest-probe"
ln -s ../lib/sysguest/deb.sh "$O/usr/local/bin/sysguest-deb"
ln -s ../lib/sysguest/ci.sh "$O/usr/local/bin/sysguest-ci"
cp "$G/debug-exit" "$O/usr/local/sbin/debug-exit"
cp "$here/units/sysguest.service" "$here/units/lane.service" "$O/etc/systemd/system/"
ln -s ../sysguest.service "$O/etc/systemd/system/multi-user.target.wants/sysguest.service"
cp "$here/units/serial-getty-autologin.conf" \
	"$O/etc/systemd/system/serial-getty@ttyS0.service.d/sysguest.conf"
cp "$here/session-profile.sh" "$O/etc/profile.d/sysguest-session.sh"

# The repo mirror: what tools/guest/mkinitramfs.sh packs, and the workloads if built.
for f in $bins; do
	rel=${f#"$B"/}
	mkdir -p "$O/work/build/$(dirname "$rel")"
	cp "$f" "$O/work/build/$rel"
done
# The container scenarios' root file system (make container-rootfs: Debian's libc6 and busybox,
# the workload pack), symlinks and all; without it they SKIP and say how to make it.
if [ -f build/container/rootfs/.ready ]; then
	mkdir -p "$O/work/build/container"
	cp -a build/container/rootfs "$O/work/build/container/"
fi
for d in scenarios configs tests/scenarios tests/configs tests/report tests/integration README.md \
	ci; do
	[ -e "$d" ] || die "$d: missing (run from the repo root)"
	mkdir -p "$O/work/$(dirname "$d")"
	cp -R "$d" "$O/work/$d"
done
# What the stages service:deb and service:ci use when built (make deb, make ci-build): the
# newest package to install and the record of the CI build commands run on the host.
deb=$(ls -t "$B"/balloon_*.deb 2>/dev/null | head -n 1)
for f in $deb "$B/ci-build.txt"; do
	if [ -f "$f" ]; then cp "$f" "$O/work/build/"; fi
done

(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$S/boot.cpio.new"
mv "$S/boot.cpio.new" "$S/boot.cpio"
echo "sysguest: $S/boot.cpio, $(($(wc -c <"$S/boot.cpio") / 1024)) KiB"
