#!/bin/sh
# Proves the systemd lane cannot pass what it must fail: boots the built image with stage
# files that break one thing, and checks tools/sysguest/run.sh's exit status and the lines it
# must print:
#   failing   one boot, a failing stage in each context: a "not ok" line (session), a
#             non-zero status without any TAP line (service), both (user)
#   hang      a stage that never ends: the host-side timeout (90 s here) must end and fail it
#   nodisk    an image that is no file system: the initramfs says so and powers off at once
#   status    command mode: the command's exit status (5, in the user context) is run.sh's
#   passing   a passing stage and one skipped as cmocka does ("not ok N # SKIP"): the only
#             case that must exit 0
# usage: tools/sysguest/selftest.sh SYSGUEST_DIR GUEST_DIR   (after make sysguest-build; ~4 min)
#        SYSGUEST_SELFTEST_VERBOSE=1 shows run.sh's output of every case
set -u
S=${1:?usage: selftest.sh SYSGUEST_DIR GUEST_DIR}
G=${2:?usage: selftest.sh SYSGUEST_DIR GUEST_DIR}
here=$(dirname "$0")
T=$S/selftest
passed=0 failed=0

# Runs run.sh (its options, then T or another dir) and checks its status and every wanted line.
check() { # name want_status(N|fail) 'line regex|line regex...' run.sh args...
	name=$1 want=$2 lines=$3
	shift 3
	sh "$here/run.sh" "$@" "$G" >"$T/out" 2>&1
	rc=$?
	[ -n "${SYSGUEST_SELFTEST_VERBOSE:-}" ] && sed "s/^/# $name: /" "$T/out"
	bad=""
	if [ "$want" = fail ]; then
		[ "$rc" -ne 0 ] || bad="exited 0"
	elif [ "$rc" -ne "$want" ]; then
		bad="exited $rc, wanted $want"
	fi
	old=$IFS
	IFS='|'
	for l in $lines; do
		grep -q -- "$l" "$T/out" || bad="${bad:+$bad; }no line matching '$l'"
	done
	IFS=$old
	if [ -z "$bad" ]; then
		echo "ok - $name (status $rc)"
		passed=$((passed + 1))
	else
		echo "not ok - $name: $bad:"
		sed 's/^/#   /' "$T/out"
		failed=$((failed + 1))
	fi
}

for f in "$S/rootfs.ext4" "$S/boot.cpio" "$G/vmlinuz"; do
	[ -s "$f" ] || { echo "selftest: $f missing: make sysguest-build first" >&2; exit 2; }
done
rm -rf "$T"
mkdir -p "$T/nodisk"

cat >"$T/failing" <<'EOF'
session fail    echo "ok 1 - fine"; echo "not ok 2 - forced failure"; exit 1
service silent  exit 3
user    fail    echo "not ok 1 - forced failure as $(id -un)"; exit 1
EOF
check failing fail \
	"^not ok - session:fail: forced failure|^not ok - service:silent: exited with status 3 without|^not ok - user:fail: forced failure as tester|^tests: 1 passed, 3 failed" \
	--stages "$T/failing" "$S"

printf 'service hang sleep 100000\n' >"$T/hang"
check hang fail "^not ok - guest: timed out after 90 s" --timeout 90 --stages "$T/hang" "$S"

ln -s ../../boot.cpio "$T/nodisk/boot.cpio"
head -c 1048576 /dev/zero >"$T/nodisk/rootfs.ext4"
check nodisk fail "^not ok - guest: no 'guest done' line|initramfs: mount /dev/vda failed" \
	--stages "$T/hang" "$T/nodisk"

check status 5 "^sysguest: exit status 5 in the user context" --ctx user --cmd 'id -un; exit 5' "$S"

cat >"$T/passing" <<'EOF'
service pass echo "ok 1 - fine"; echo "not ok 2 # SKIP how cmocka skips"
EOF
check passing 0 "^ok - service:pass: fine|^tests: 1 passed, 0 failed, 1 skipped" \
	--stages "$T/passing" "$S"

rm -rf "$T"
echo "tests: $passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
