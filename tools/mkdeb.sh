#!/bin/sh
# Packs a `make install DESTDIR=DIR/debian/balloon PREFIX=/usr` tree into a Debian binary
# package with dpkg-deb: strips the ELF programs, adds the copyright file (from LICENSE), a
# changelog and md5sums, and writes DEBIAN/control with Depends from dpkg-shlibdeps (or, without
# dpkg-dev, the packages that own the libraries the programs load, found with ldd and dpkg -S).
# usage: tools/mkdeb.sh DIR VERSION ARCH OUT.deb   (run from the repo root; DIR/debian/balloon
#        is the staging tree; DEB_MAINTAINER overrides the Maintainer field)
set -eu
D=${1:?usage: mkdeb.sh DIR VERSION ARCH OUT.deb}
D=$(cd "$D" && pwd)
V=${2:?usage: mkdeb.sh DIR VERSION ARCH OUT.deb}
A=${3:?usage: mkdeb.sh DIR VERSION ARCH OUT.deb}
OUT=${4:?usage: mkdeb.sh DIR VERSION ARCH OUT.deb}
P=$D/debian/balloon
# The project has no mail address: .invalid (RFC 2606) says so; set DEB_MAINTAINER to publish.
maint=${DEB_MAINTAINER:-the balloon authors <balloon@balloon.invalid>}

die() {
	echo "deb: $*" >&2
	exit 1
}

[ -x "$P/usr/bin/balloon-run" ] || die "$P/usr/bin/balloon-run: missing (make install DESTDIR=$P PREFIX=/usr)"
[ -r LICENSE ] || die "LICENSE: missing (run from the repo root)"

# The dynamically linked ELF programs. Two kinds are static by design, which lintian flags
# (from a source package it would accept the Go ones, which build-depend on golang-go): the
# pure Go workloads (CGO_ENABLED=0, so they run on any host) and balloon (a static PIE: it
# lives in the cgroup it measures, with no shared library mapped beside its payload); the
# override file says why for each of them.
elves="" static=""
for f in $(find "$P/usr" -type f -perm -u+x | LC_ALL=C sort); do
	[ "$(head -c 4 "$f" | tail -c 3)" = ELF ] || continue
	# Debian installs programs stripped (dh_strip's options); debug info stays in build/.
	strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
	if objdump -p "$f" 2>/dev/null | grep -q '^ *NEEDED '; then
		elves="$elves $f"
	else
		static="$static ${f#"$P"/}"
	fi
done
[ -n "$elves" ] || die "no dynamically linked program in $P"
if [ -n "$static" ]; then
	mkdir -p "$P/usr/share/lintian/overrides"
	{
		echo "# Static by design: the Go workloads (CGO_ENABLED=0, Go's default) and balloon"
		echo "# (it lives in the memory cgroup it measures: no shared library beside its payload)."
		for f in $static; do echo "balloon: statically-linked-binary [$f]"; done
	} >"$P/usr/share/lintian/overrides/balloon"
	chmod 644 "$P/usr/share/lintian/overrides/balloon"
fi

# Debian compresses man pages (policy 12.1; dh_compress): gzip -9n, so a rebuild is the same.
find "$P/usr/share/man" -type f -name '*.[1-9]' -exec gzip -9n {} + 2>/dev/null || true

# The same modes whatever the umask was when make install ran.
find "$P" -type d -exec chmod 755 {} +

doc=$P/usr/share/doc/balloon
mkdir -p "$doc"
{
	printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
	printf 'Upstream-Name: balloon\n\nFiles: *\nCopyright: the balloon authors\nLicense: Expat\n'
	sed -e '1,/^Permission/{/^Permission/!d}' -e 's/^$/./' -e 's/^/ /' LICENSE
} >"$doc/copyright"
chmod 644 "$doc/copyright"
# One entry: this build. Its date is the commit's, so two builds of one commit are the same.
when=$(git log -1 --format=%ct 2>/dev/null || date +%s)
rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
{
	printf 'balloon (%s) unstable; urgency=medium\n\n' "$V"
	printf '  * Built from the source tree with make deb (commit %s).\n\n' "$rev"
	printf ' -- %s  %s\n' "$maint" "$(LC_ALL=C date -u -R -d "@$when")"
} | gzip -9n >"$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"

# Depends: dpkg-shlibdeps reads the programs' NEEDED entries and the libraries' symbols files
# (it wants debian/control beside the staging tree, as in a source package).
depends=""
if command -v dpkg-shlibdeps >/dev/null 2>&1; then
	printf 'Source: balloon\n\nPackage: balloon\nArchitecture: any\n' >"$D/debian/control"
	rel=""
	for f in $elves; do rel="$rel ${f#"$D"/}"; done
	# shellcheck disable=SC2086 # a list of paths without spaces
	depends=$(cd "$D" && dpkg-shlibdeps -O $rel 2>"$D/shlibdeps.log" |
		sed -n 's/^shlibs:Depends=//p') || depends=""
	[ -n "$depends" ] || { cat "$D/shlibdeps.log" >&2; die "dpkg-shlibdeps found no dependency"; }
else
	echo "deb: no dpkg-shlibdeps (Debian package dpkg-dev): Depends written out from ldd, without versions"
	# shellcheck disable=SC2086
	depends=$(for f in $elves; do
		objdump -p "$f" | sed -n 's/^ *NEEDED *//p' | while read -r so; do
			lib=$(ldd "$f" | awk -v so="$so" '$1 == so { print $3 }')
			[ -n "$lib" ] || continue
			# dpkg knows a file by the path its package ships: with /usr merged that
			# may be /lib or /usr/lib, the link or its target.
			real=$(readlink -f "$lib")
			for p in "$lib" "$real" "/usr${lib#/usr}" "${real#/usr}"; do
				dpkg -S "$p" 2>/dev/null | sed 's/:.*//' | grep . && break
			done
		done
	done | LC_ALL=C sort -u | paste -sd, - | sed 's/,/, /g')
	[ -n "$depends" ] || die "could not find the packages of the programs' libraries (ldd, dpkg -S)"
fi

# jhog is a launcher that execs java: a JRE is what it needs, and it is only one workload.
suggests=""
[ -e "$P/usr/lib/balloon/workloads/jhog" ] && suggests="default-jre-headless"

mkdir -p "$P/DEBIAN"
(cd "$P" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$P/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$P" | cut -f1)
{
	printf 'Package: balloon\nVersion: %s\nArchitecture: %s\n' "$V" "$A"
	printf 'Maintainer: %s\nInstalled-Size: %s\n' "$maint" "$size"
	printf 'Depends: %s\n' "$depends"
	# balloon-run loads libsystemd (dlopen) only to ask systemd for a scope: a host that
	# runs systemd has it; dpkg-shlibdeps cannot see a library that is not linked.
	printf 'Recommends: libsystemd0\n'
	[ -z "$suggests" ] || printf 'Suggests: %s\n' "$suggests"
	printf 'Section: devel\nPriority: optional\n'
	cat <<'EOF'
Description: memory-pressure test harness for Linux memory cgroups
 balloon maps and touches memory at a controlled rate inside a cgroup;
 balloon-run runs INI scenarios that start a workload beside it and prove
 from the kernel's counters what happened: the workload's MADV_FREE pages
 were reclaimed, it was OOM-killed, it hung with the OOM killer disabled,
 it was throttled at memory.high. It drives the memory controller of
 cgroup v1 and v2 and reports as TAP, JUnit XML, JSON, CSV and one
 self-contained HTML page.
 .
 The shipped scenarios are in /usr/share/balloon/scenarios, the workload
 pack (Go, C and Java programs that replay real incidents) in
 /usr/lib/balloon/workloads.
EOF
} >"$P/DEBIAN/control"

# --root-owner-group: files owned by root in the package, without fakeroot or being root.
dpkg-deb --root-owner-group -Zxz --build "$P" "$OUT" >/dev/null
echo "deb: $OUT, $(($(wc -c <"$OUT") / 1024)) KiB (Depends: $depends)"
