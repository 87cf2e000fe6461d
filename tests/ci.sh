#!/bin/sh
# Tests the CI recipes under ci/ and the package they and the lanes use (make test-ci; a stage
# of make test):
#   - every YAML file under ci/ parses;
#   - each recipe runs exactly the canonical commands of ci/commands.txt, in order (a leading
#     sudo aside): GitHub Actions and GitLab CI its build and tree lines, each Kubernetes Job
#     its deb lines; every canonical line is run by some recipe; and what else each must do
#     (publish junit.xml, keep the report when the run fails, a privileged harness container);
#   - the systemd lane runs the same lines: its stage file lists sysguest-ci in the service
#     context and sysguest-deb;
#   - ci/kubernetes/run-fleet.sh against a kubectl stand-in (tests/ci/kubectl-stub.sh);
#   - the .deb: dpkg-deb --info and --contents, and lintian without an error;
#   - make install into a scratch DESTDIR installs what the package holds, make uninstall
#     removes every file of it;
#   - the scripts of these parts are clean under shellcheck at warning level.
# One TAP line each, then `tests: P passed, F failed, S skipped`; exit 0 only if none failed.
# usage: tests/ci.sh BUILD_DIR   (from the repo root, after make deb)
set -u
B=${1:-build}
passed=0 failed=0 skipped=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
recipe="python3 tests/ci/recipe.py"

ok() { n=$((n + 1)) passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)) skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # DESCRIPTION WHY-IF-FAILED ("" = passed)
	if [ -z "$2" ]; then ok "$1"; else not_ok "$1: $2"; fi
}

# ---- the canonical commands -------------------------------------------------------------
canon() { # WHERE...: the canonical lines of those kinds, in the file's order
	awk -v w=" $* " '/^[ \t]*(#|$)/ { next } index(w, " " $1 " ") {
		sub(/^[ \t]*[^ \t]+[ \t]+/, ""); print }' ci/commands.txt
}
bad=$(awk '/^[ \t]*(#|$)/ { next } $1 != "build" && $1 != "tree" && $1 != "deb" { print NR ": " $1 }' ci/commands.txt)
check "ci/commands.txt: every line is build, tree or deb, and each kind is there" \
	"${bad:+unknown WHERE at line $bad}$( [ -n "$(canon build)" ] && [ -n "$(canon tree)" ] && [ -n "$(canon deb)" ] || echo 'a kind has no line')"

# ---- every YAML file parses; each recipe's commands are the canonical ones ----------------
files=$(find ci -name '*.yml' -o -name '*.yaml' | LC_ALL=C sort)
[ -n "$files" ] || not_ok "no YAML file under ci/"
: >"$tmp/used"
for f in $files; do
	why=$($recipe parse "$f")
	check "$f parses as YAML" "$why"
	[ -z "$why" ] || continue
	$recipe commands "$f" >"$tmp/got"
	cat "$tmp/got" >>"$tmp/used"
	case $f in
	ci/kubernetes/*)
		if ! grep -q '^kind: *Job' "$f"; then
			check "$f runs no command (not a Job)" "$( [ -s "$tmp/got" ] && echo "it runs: $(tr '\n' ';' <"$tmp/got")")"
			continue
		fi
		canon deb >"$tmp/want"
		;;
	*) canon build tree >"$tmp/want" ;;
	esac
	if cmp -s "$tmp/got" "$tmp/want"; then
		ok "$f runs the canonical commands: $(tr '\n' ';' <"$tmp/got" | sed 's/;$//; s/;/; /g')"
	else
		not_ok "$f drifted from ci/commands.txt:"
		diff "$tmp/want" "$tmp/got" | sed -n 's/^</#   canonical:/p; s/^>/#   recipe:   /p'
	fi
	check "$f does what a recipe must besides its commands" "$($recipe check "$f" | tr '\n' ';')"
done
unused=$(canon build tree deb | while IFS= read -r c; do grep -qxF -- "$c" "$tmp/used" || printf '%s; ' "$c"; done)
check "every canonical command is run by some recipe" "${unused:+not run by any: $unused}"

# ---- the systemd lane runs them ------------------------------------------------------------
st=tools/sysguest/stages
check "the systemd lane runs the canonical commands in the service context ($st: sysguest-ci)" \
	"$(grep -Eq '^service[[:space:]]+[^[:space:]]+[[:space:]]+sysguest-ci[[:space:]]*$' "$st" || echo "no 'service NAME sysguest-ci' line")"
check "the systemd lane installs the .deb and runs it ($st: sysguest-deb)" \
	"$(grep -Eq '^(service|session)[[:space:]]+[^[:space:]]+[[:space:]]+sysguest-deb[[:space:]]*$' "$st" || echo "no 'service|session NAME sysguest-deb' line")"

# ---- the fleet script, against a stand-in kubectl --------------------------------------------
mkdir -p "$tmp/stub/bin"
ln -s "$(pwd)/tests/ci/kubectl-stub.sh" "$tmp/stub/bin/kubectl"
(cd "$tmp/stub" && STUB_DIR=$tmp/stub PATH=$tmp/stub/bin:$PATH \
	sh "$OLDPWD/ci/kubernetes/run-fleet.sh" --timeout 30 img:1 >"$tmp/stub/out" 2>&1)
rc=$?
why=""
[ "$rc" -eq 1 ] || why="exit $rc, wanted 1 (one node failed)"
for l in '^ok 1 - n1: 19 scenarios' '^not ok 2 - n2: balloon-run exited 1' '^tests: 1 passed, 1 failed'; do
	grep -q "$l" "$tmp/stub/out" || why="${why:+$why; }no line matching '$l'"
done
for nd in n1 n2; do
	[ -s "$tmp/stub/balloon-fleet/$nd/junit.xml" ] || why="${why:+$why; }no balloon-fleet/$nd/junit.xml"
done
grep -q 'hostPath' "$tmp/stub/applied.1.yaml" && why="${why:+$why; }the v2 node's Job mounts a hostPath"
grep -q 'path: /sys/fs/cgroup' "$tmp/stub/applied.2.yaml" || why="${why:+$why; }the v1 node's Job lacks the host's /sys/fs/cgroup"
for a in "$tmp"/stub/applied.*.yaml; do
	w=$($recipe parse "$a") || why="${why:+$why; }$w"
done
[ -z "$why" ] || sed 's/^/#   /' "$tmp/stub/out"
check "ci/kubernetes/run-fleet.sh: a Job per node (v1 label: the host's cgroupfs), reports collected, a TAP line per node" "$why"

# ---- the .deb ------------------------------------------------------------------------------
ver=$(sed -n 's/^#define HARNESS_VERSION "\(.*\)"$/\1/p' common/version.h)
arch=$(dpkg --print-architecture)
deb=$B/balloon_${ver}_${arch}.deb
if [ ! -s "$deb" ]; then
	not_ok "$deb missing (make deb)"
else
	echo "# $deb: $(($(wc -c <"$deb") / 1024)) KiB"
	why=""
	for fv in "Package=balloon" "Version=$ver" "Architecture=$arch"; do
		[ "$(dpkg-deb -f "$deb" "${fv%%=*}")" = "${fv#*=}" ] || why="${why:+$why; }${fv%%=*} is not ${fv#*=}"
	done
	deps=$(dpkg-deb -f "$deb" Depends)
	for p in libc6 libcgroup2 libinih1 libjansson4; do
		echo "$deps" | grep -Eq "(^|, )$p( |,|$)" || why="${why:+$why; }Depends lacks $p"
	done
	# loaded with dlopen only on a systemd host, so recommended, not a dependency
	[ "$(dpkg-deb -f "$deb" Recommends)" = libsystemd0 ] || why="${why:+$why; }Recommends is not libsystemd0"
	[ "$(dpkg-deb -f "$deb" Description | wc -l)" -ge 3 ] || why="${why:+$why; }no long Description"
	check "dpkg-deb --info: balloon $ver $arch, Depends $deps, Recommends libsystemd0" "$why"

	dpkg-deb --contents "$deb" | awk '{ print $NF }' | sed 's|^\./|/|' >"$tmp/contents"
	why=""
	for p in /usr/bin/balloon /usr/bin/balloon-run /usr/share/balloon/configs/harness.ini \
		/usr/share/doc/balloon/README.md /usr/share/doc/balloon/LICENSE \
		/usr/share/doc/balloon/workloads/README.md /usr/share/doc/balloon/copyright \
		$(cd docs && ls ./*.md | sed 's|^\./|/usr/share/doc/balloon/docs/|') \
		$(cd scenarios && ls ./*.ini | sed 's|^\./|/usr/share/balloon/scenarios/|') \
		$(for w in "$B"/workloads/*; do case $w in *.skip | *.classes | */.go) ;; *) echo "/usr/lib/balloon/workloads/${w##*/}" ;; esac; done); do
		grep -qxF "$p" "$tmp/contents" || why="${why:+$why; }lacks $p"
	done
	check "dpkg-deb --contents: the programs, every scenario, the configs, the built workload pack, the docs" "$why"

	if command -v lintian >/dev/null 2>&1; then
		lintian --allow-root "$deb" >"$tmp/lintian" 2>&1
		sed 's/^/#   lintian: /' "$tmp/lintian"
		check "lintian: no error" "$(grep '^E: ' "$tmp/lintian" | tr '\n' ';')"
	else
		skip "lintian" "lintian not installed (Debian package lintian; make ci-deps)"
	fi
fi

# ---- make install / uninstall ---------------------------------------------------------------
dest=$tmp/dest
if make -s --no-print-directory install B="$B" DESTDIR="$dest" PREFIX=/usr >"$tmp/install.log" 2>&1; then
	(cd "$dest" && find . -type f | sed 's|^\.||' | LC_ALL=C sort) >"$tmp/installed"
	# The package adds its own Debian files (copyright, changelog, lintian override) to these,
	# and holds the man pages compressed as Debian does.
	grep -v -e '/$' -e '^/usr/share/doc/balloon/copyright$' -e '^/usr/share/doc/balloon/changelog.gz$' \
		-e '^/usr/share/lintian/' "$tmp/contents" 2>/dev/null |
		sed 's|^\(/usr/share/man/man[1-9]/.*\)\.gz$|\1|' | LC_ALL=C sort >"$tmp/packaged"
	check "make install DESTDIR=... PREFIX=/usr installs what the .deb holds ($(wc -l <"$tmp/installed") files)" \
		"$(diff "$tmp/packaged" "$tmp/installed" | grep '^[<>]' | tr '\n' ' ')"
	make -s --no-print-directory uninstall B="$B" DESTDIR="$dest" PREFIX=/usr >>"$tmp/install.log" 2>&1
	left=$(cd "$dest" && find . -type f | tr '\n' ' ')
	check "make uninstall removes every file install put there" "${left:+left: $left}"
else
	sed 's/^/#   /' "$tmp/install.log"
	not_ok "make install DESTDIR=$dest failed"
fi

# ---- shellcheck ----------------------------------------------------------------------------
scripts="tests/ci.sh tests/ci/kubectl-stub.sh ci/kubernetes/run-fleet.sh tools/ci-build.sh \
	tools/mkdeb.sh tools/deps.sh tools/sysguest/deb.sh tools/sysguest/ci.sh tools/sysguest/mkboot.sh"
if command -v shellcheck >/dev/null 2>&1; then
	# shellcheck disable=SC2086 # a list of paths
	out=$(shellcheck -S warning -s sh $scripts 2>&1)
	[ -z "$out" ] || echo "$out" | sed 's/^/#   /'
	check "shellcheck -S warning: $(echo $scripts | wc -w) scripts of the CI, the .deb and the lane's stages" \
		"$( [ -z "$out" ] || echo 'warnings above')"
else
	skip "shellcheck" "shellcheck not installed (Debian package shellcheck; make ci-deps)"
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
