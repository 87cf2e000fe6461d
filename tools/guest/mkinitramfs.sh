#!/bin/sh
# Builds the guest's initramfs (cpio newc, uncompressed: gzip halves its ~7 MB but boots no
# faster under TCG, measured): busybox-static with its applets, /init
# (tools/guest/init.sh), the debug-exit helper, and a mirror of the repo in /work: the harness
# and test binaries (always in /work/build), the shared libraries ldd says they need (the
# dynamic loader too), and the scenario and config files the tests open by relative path.
# usage: tools/guest/mkinitramfs.sh BUILD_DIR GUEST_DIR   (run from the repo root;
#        writes GUEST_DIR/initramfs.cpio)
set -eu
B=${1:?usage: mkinitramfs.sh BUILD_DIR GUEST_DIR}
G=${2:?usage: mkinitramfs.sh BUILD_DIR GUEST_DIR}
R=$G/root

die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}

# The workload pack's programs the lane can run (a launcher whose runtime the guest lacks,
# jhog without java, makes its scenario SKIP there with the reason).
wl=""
for f in "$B"/workloads/*; do
	[ -f "$f" ] && [ -x "$f" ] && head -c 4 "$f" | grep -q 'ELF' && wl="$wl $f"
done
bins="$B/balloon $B/balloon-run $(ls "$B"/tests/test_* 2>/dev/null | tr '\n' ' ')$wl"
for f in $bins "$G/debug-exit" /bin/busybox; do
	[ -x "$f" ] || die "$f: missing (build it first)"
done

rm -rf "$R"
mkdir -p "$R/bin" "$R/sbin" "$R/dev" "$R/proc" "$R/sys" "$R/tmp" "$R/root" "$R/etc" \
	"$R/work/build/tests" "$R/work/build/workloads"

# busybox-static: one binary, every applet a symlink to it (sh, awk, dd, mount, ...).
ldd /bin/busybox >/dev/null 2>&1 && die "/bin/busybox is dynamic: install busybox-static"
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$R/bin/$a"
done
cp "$G/debug-exit" "$R/sbin/debug-exit"
cp tools/guest/init.sh "$R/init"
chmod 755 "$R/init"
# test_scenarios runs the runner as uid 65534; names make ps and id readable.
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"

# The binaries, and every library they load, at the path ldd resolved it to (the loader's
# own path is compiled into each binary). Whatever they link later comes along by itself.
for f in $bins; do
	cp "$f" "$R/work/build/${f#"$B"/}"
	# Go programs are linked statically: nothing to bring along
	out=$(ldd "$f" 2>&1) || case $out in *"not a dynamic executable"*) continue ;; *)
		die "ldd $f failed: $out" ;; esac
	case $out in *"not found"*) die "ldd $f: $(echo "$out" | grep 'not found')" ;; esac
	echo "$out" | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'
done | sort -u | while read -r lib; do
	mkdir -p "$R${lib%/*}"
	cp -L "$lib" "$R$lib"
	echo "${lib%/*}" >>"$R/etc/ld.so.conf"
done
# No ld.so.cache means the loader tries only its built-in paths: give it a cache of the dirs
# the libraries sit in, so any path ldd reported works.
sort -u -o "$R/etc/ld.so.conf" "$R/etc/ld.so.conf"
ldconfig -r "$R"

# The kernel's modules fetch.sh kept (zram for the lane's swap, with what it needs) where
# modprobe looks, with their modules.dep.
if [ -d "$G/modules/lib" ]; then
	cp -R "$G/modules/lib" "$R/"
fi

# What the tests open relative to the repo root.
# test_docs checks the Markdown files' links, so the files they link to come too.
for d in scenarios configs tests/scenarios tests/configs tests/report tests/integration README.md \
	docs workloads/README.md tests/fuzz/README.md; do
	[ -e "$d" ] || die "$d: missing (run from the repo root)"
	mkdir -p "$R/work/$(dirname "$d")"
	cp -R "$d" "$R/work/$d"
done

(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$G/initramfs.cpio.new"
mv "$G/initramfs.cpio.new" "$G/initramfs.cpio"
echo "mkinitramfs: $G/initramfs.cpio, $(($(wc -c <"$G/initramfs.cpio") / 1024)) KiB," \
	"libraries: $(sed 's|$|/...|' "$R/etc/ld.so.conf" | tr '\n' ' ')"
