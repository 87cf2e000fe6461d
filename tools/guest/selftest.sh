#!/bin/sh
# Proves the guest lane cannot pass what it must fail: boots the built image with a small
# overlay archive appended (later cpio members replace earlier ones) that breaks one thing,
# and checks tools/guest/run.sh's exit status and the "not ok" line it must print:
#   panic      /init exits at once: the kernel panics, no sentinel
#   failing    a unit test binary prints "not ok" and exits 1
#   crashing   a unit test binary dies by SIGSEGV without any TAP line
#   truncated  the guest powers off in the middle of a stage, no debug-exit write
#   timeout    /init hangs: the host-side timeout (10 s here) must end and fail it
#   passing    every failing stage replaced by a passing one, one test skipped as cmocka
#              does ("not ok N # SKIP"): the only case that must exit 0
# usage: tools/guest/selftest.sh GUEST_DIR   (after make guest-build; ~25 s)
#        GUEST_SELFTEST_VERBOSE=1 shows run.sh's output of every case
set -u
G=${1:?usage: selftest.sh GUEST_DIR}
here=$(dirname "$0")
S=$G/selftest
passed=0 failed=0

# Writes the overlay's files from "PATH<TAB>mode<TAB>script" lines on stdin into $S/over.
overlay() {
	rm -rf "$S/over"
	mkdir -p "$S/over"
	while IFS='	' read -r path mode text; do
		mkdir -p "$S/over/$(dirname "$path")"
		printf '#!/bin/sh\n%s\n' "$text" >"$S/over/$path"
		chmod "$mode" "$S/over/$path"
	done
	(cd "$S/over" && find . | cpio -o -H newc -R 0:0 --quiet) >"$S/over.cpio"
	cat "$G/initramfs.cpio" "$S/over.cpio" >"$S/initramfs.cpio"
}

check() { # name want_status(0|fail) want_line [run.sh options]
	name=$1 want=$2 line=$3
	shift 3
	sh "$here/run.sh" "$@" "$S" >"$S/out" 2>&1
	rc=$?
	[ -n "${GUEST_SELFTEST_VERBOSE:-}" ] && sed "s/^/# $name: /" "$S/out"
	if { [ "$want" = 0 ] && [ "$rc" -eq 0 ]; } || { [ "$want" = fail ] && [ "$rc" -ne 0 ]; }; then
		if grep -q -- "$line" "$S/out"; then
			echo "ok - $name (status $rc)"
			passed=$((passed + 1))
			return
		fi
	fi
	echo "not ok - $name: run.sh exited $rc, wanted $want and a line matching '$line':"
	sed 's/^/#   /' "$S/out"
	failed=$((failed + 1))
}

if [ ! -s "$G/initramfs.cpio" ] || [ ! -s "$G/vmlinuz" ]; then
	echo "selftest: $G has no kernel or initramfs: make guest-build first" >&2
	exit 2
fi
[ -n "${KEEP:-}" ] || rm -rf "$S"
mkdir -p "$S"
ln -s ../vmlinuz "$S/vmlinuz"
ln -s ../root "$S/root"

overlay <<'EOF'
init	755	exit 1
EOF
check panic fail "^not ok - guest: no 'guest done' line"

overlay <<'EOF'
work/build/tests/test_units	755	echo 1..2; echo "ok 1 - fine"; echo "not ok 2 - forced failure"; exit 1
EOF
check failing fail "^not ok - unit:test_units: forced failure"

overlay <<'EOF'
work/build/tests/test_units	755	echo 1..1; kill -SEGV $$
EOF
check crashing fail "^not ok - unit:test_units: exited with status 139 without a failing test line"

overlay <<'EOF'
work/build/tests/test_units	755	echo 1..1; poweroff -f; sleep 10
EOF
check truncated fail "^not ok - unit:test_units: did not finish"

overlay <<'EOF'
init	755	while :; do sleep 1; done
EOF
check timeout fail "^not ok - guest: timed out after 10 s" --timeout 10

pass='echo 1..1; echo "ok 1 - replaced"'
overlay <<EOF
work/build/tests/test_units	755	echo 1..1; echo "not ok 1 # SKIP how cmocka skips"
work/build/tests/test_scenarios	755	$pass
work/build/balloon-run	755	$pass
EOF
check passing 0 "^tests: [1-9][0-9]* passed, 0 failed, 1 skipped"

[ -n "${KEEP:-}" ] || rm -rf "$S"
echo "tests: $passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
