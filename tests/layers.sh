#!/bin/sh
# The layers of the code, proven from the objects: which file calls into which (nm: the symbols
# each object defines and the ones it needs). Two checks, each a TAP line:
#   1. no circle between files (tsort finds any loop);
#   2. folders only call downwards (within a folder, only check 1 applies): common < config, cgroup, verdict, search, balloon < run < report
#      < the runner's top (main.c, suite.c, exitcode.c). A call upwards or across the same
#      rank (config into cgroup, say) fails and names the two files.
# usage: tests/layers.sh BUILD_DIR   (after a build; prints "tests: P passed, F failed, 0 skipped")
set -u
B=${1:-build}
O=$B/obj
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

objs=$(find "$O/common" "$O/balloon" "$O/runner" -name '*.o' ! -name 'main.o' 2>/dev/null | sort)
[ -n "$objs" ] || { echo "not ok 1 - layers: no objects in $O (build first)"; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }

# "file symbol" for every definition and every use; file = path below obj/ without .o.
for o in $objs; do
	f=${o#"$O"/}
	f=${f%.o}
	# an object whose source is gone (a file moved or removed since that build) is not code
	[ -f "$f.c" ] || continue
	nm "$o" | awk -v f="$f" '$2 ~ /^[TDBR]$/ { print f, $3 }' >>"$tmp/defs"
	nm "$o" | awk -v f="$f" '$1 == "U" { print f, $2 }' >>"$tmp/uses"
done
# Edges "user definer" between two different files of ours.
awk 'NR == FNR { def[$2] = $1; next } ($2 in def) && def[$2] != $1 { print $1, def[$2] }' \
	"$tmp/defs" "$tmp/uses" | sort -u >"$tmp/edges"

passed=0 failed=0
if tsort "$tmp/edges" >/dev/null 2>"$tmp/loop"; then
	echo "ok 1 - layers: no circle between the files of common/, balloon/ and runner/ ($(wc -l <"$tmp/edges") calls between files)"
	passed=$((passed + 1))
else
	echo "not ok 1 - layers: files call each other in a circle"
	sed 's/^/#   /' "$tmp/loop"
	failed=$((failed + 1))
fi

# The rank of a file's folder: a call must go to a lower rank.
rank() {
	case $1 in
	common/*) echo 0 ;;
	runner/config/* | runner/cgroup/* | runner/verdict/* | runner/search/* | balloon/*) echo 1 ;;
	runner/run/*) echo 2 ;;
	runner/report/*) echo 3 ;;
	runner/*/*) echo 9 ;; # a folder this script does not know yet: place it above
	runner/*) echo 4 ;;
	*) echo 9 ;;
	esac
}
bad=""
while read -r from to; do
	[ "${from%/*}" = "${to%/*}" ] && continue # within one folder: only the circle check
	[ "$(rank "$from")" -gt "$(rank "$to")" ] || bad="$bad $from->$to"
done <"$tmp/edges"
if [ -z "$bad" ]; then
	echo "ok 2 - layers: every call goes down (common < config, cgroup, verdict, search, balloon < run < report < main, suite)"
	passed=$((passed + 1))
else
	echo "not ok 2 - layers: calls that do not go down:$bad"
	failed=$((failed + 1))
fi
echo "tests: $passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
