#!/bin/sh
# The generated blocks of the docs, between "<!-- NAME:begin -->" and "<!-- NAME:end -->":
#   doc-block.sh get FILE NAME          prints the lines between the markers
#   doc-block.sh put FILE NAME CONTENT  replaces them with the file CONTENT (the markers stay)
# Exit 1 when FILE lacks the markers.
set -u
[ $# -ge 3 ] || { echo "usage: $0 get FILE NAME | put FILE NAME CONTENT" >&2; exit 2; }
mode=$1 file=$2 name=$3
begin="<!-- $name:begin -->" end="<!-- $name:end -->"
if ! grep -qxF "$begin" "$file" || ! grep -qxF "$end" "$file"; then
	echo "$0: $file: no $begin ... $end markers" >&2
	exit 1
fi
case $mode in
get)
	awk -v b="$begin" -v e="$end" '$0 == e { in_ = 0 } in_ { print } $0 == b { in_ = 1 }' "$file"
	;;
put)
	content=$4
	tmp=$file.new.$$
	awk -v b="$begin" -v e="$end" -v c="$content" '
		$0 == e { in_ = 0 }
		!in_ { print }
		$0 == b { in_ = 1; while ((getline l < c) > 0) print l }' "$file" >"$tmp" &&
		mv "$tmp" "$file"
	;;
*)
	echo "$0: $mode: not get or put" >&2
	exit 2
	;;
esac
