#!/bin/sh
# Runs the build lines of ci/commands.txt as they are, from the repo root, one after another
# (`make ci-build`, before the systemd lane's image when its stage service:ci is listed), and
# records each one's exit status and time in RECORD, which the guest's stage reports
# (tools/sysguest/ci.sh). A leading sudo is not in the canonical lines: this runs as the user
# make runs as (root for the lane). make's command-line variables (B=...) reach the inner
# makes through MAKEFLAGS.
# usage: tools/ci-build.sh ci/commands.txt RECORD
set -u
list=${1:?usage: ci-build.sh COMMANDS_FILE RECORD}
record=${2:?usage: ci-build.sh COMMANDS_FILE RECORD}
tab=$(printf '\t')
failed=0
: >"$record.new"
while read -r where cmd; do
	[ "$where" = build ] || continue
	echo "ci-build: $cmd"
	start=$(date +%s.%N)
	sh -c "$cmd" </dev/null
	rc=$?
	secs=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
	printf '%s%s%s%s%s\n' "$rc" "$tab" "$secs" "$tab" "$cmd" >>"$record.new"
	[ "$rc" -eq 0 ] || { echo "ci-build: '$cmd' exited with status $rc" >&2; failed=1; }
done <"$list"
mv "$record.new" "$record"
exit "$failed"
