#!/bin/sh
# The man pages and bash completions (`make man`, tools/gendocs/): that they are current, render
# without a single groff warning, and say what the programs say. One TAP line per check:
#   1. gendocs writes every file again without a warning, identical to BUILD_DIR/man and
#      BUILD_DIR/completion (so they are current);
#   2. each page renders with no warning (groff -man -ww, and man --warnings at 80 columns) and
#      its NAME line is one whatis reads (lexgrog);
#   3. balloon-run.ini(5) has exactly the keys of `balloon-run --list-keys`, each under its
#      section;
#   4. balloon(1) and balloon-run(1) have exactly the options of their --help;
#   5. the exit codes of each --help are in its page's EXIT STATUS, with the same meaning, and
#      its examples in EXAMPLES;
#   6. bash -n on both completion files, and the completion functions in a non-interactive
#      bash: options, an option's choices, files and directories, SECTION.KEY= after --set.
# groff and man come from Debian's groff-base and man-db; where one is missing, its checks
# SKIP with the package to install. usage: tests/man.sh BUILD_DIR   (after `make man`)
set -u
B=$(cd "${1:-build}" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 passed=0 failed=0 skipped=0
PAGES="balloon.1 balloon-run.1 balloon-run.ini.5"
COMPS="balloon balloon-run"

ok() { n=$((n + 1)) passed=$((passed + 1)); echo "ok $n - man: $1"; }
notok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - man: $1"; [ -s "$tmp/why" ] && sed 's/^/#   /' "$tmp/why"; : >"$tmp/why"; }
skip() { n=$((n + 1)) skipped=$((skipped + 1)); echo "ok $n - man: $1 # SKIP $2"; }
finish() { echo "tests: $passed passed, $failed failed, $skipped skipped"; [ "$failed" -eq 0 ]; exit; }
: >"$tmp/why"

for f in "$B/tools/gendocs" "$B/balloon" "$B/balloon-run"; do
	[ -x "$f" ] || { echo "$f is missing: run make man" >"$tmp/why"; notok "what the checks need is built"; finish; }
done

# The text of a page, one line per paragraph (no line breaks, so no hyphenation), no fonts.
render() { groff -man -Tascii -P-cbou -rLL=4000n "$1" 2>/dev/null; }
# The lines of section $2 (a .SH heading as rendered) of rendered text $1, blanks squeezed.
section() { awk -v s="$2" '/^[A-Z]/ { on = ($0 == s); next } on' "$1" | tr -s ' '; }

# ---- 1. current, and no warning from the generator -----------------------------------------
: >"$tmp/gen.err"
for w in $PAGES $COMPS; do
	case $w in *.[15]) what=$w out=$B/man/$w ;; *) what=completion/$w out=$B/completion/$w ;; esac
	if ! "$B/tools/gendocs" "$what" "$tmp/$w" 2>>"$tmp/gen.err"; then
		echo "gendocs $what failed" >>"$tmp/why"
	elif ! cmp -s "$tmp/$w" "$out"; then
		echo "$out is not what gendocs writes now (remove it, then make man)" >>"$tmp/why"
	fi
done
cat "$tmp/gen.err" >>"$tmp/why"
if [ -s "$tmp/why" ]; then notok "gendocs writes the pages and completions without a warning, as built"
else ok "gendocs writes 3 pages and 2 completions without a warning; $B/man and $B/completion are current"; fi

# ---- 2. rendering --------------------------------------------------------------------------
if ! command -v groff >/dev/null 2>&1; then
	skip "the pages render without a groff warning" "groff not installed (Debian package groff-base)"
else
	for p in $PAGES; do
		groff -man -ww -z "$B/man/$p" >>"$tmp/why" 2>&1
		render "$B/man/$p" >"$tmp/$p.txt"
	done
	if [ -s "$tmp/why" ]; then notok "the pages render without a groff warning (groff -man -ww)"
	else ok "the 3 pages render without a groff warning (groff -man -ww)"; fi
fi
if ! command -v man >/dev/null 2>&1 || ! command -v lexgrog >/dev/null 2>&1; then
	skip "man --warnings and lexgrog on the pages" "man or lexgrog not installed (Debian package man-db)"
else
	for p in $PAGES; do
		MANWIDTH=80 man --warnings=w -l "$B/man/$p" 2>>"$tmp/why" >/dev/null
		lexgrog "$B/man/$p" >/dev/null 2>&1 || echo "$p: lexgrog finds no NAME line whatis can read" >>"$tmp/why"
	done
	if [ -s "$tmp/why" ]; then notok "man shows the pages without a warning and whatis can read their NAME"
	else ok "man --warnings shows the 3 pages at 80 columns without a warning; lexgrog reads their NAME"; fi
fi

if ! command -v groff >/dev/null 2>&1; then
	skip "keys in balloon-run.ini(5)" "groff not installed (Debian package groff-base)"
	skip "options in the pages" "groff not installed (Debian package groff-base)"
	skip "exit codes and examples in the pages" "groff not installed (Debian package groff-base)"
else
	# ---- 3. every key, under its section ---------------------------------------------------
	"$B/balloon-run" --list-keys | awk '{ print $1, $2 }' | sort >"$tmp/keys.list"
	awk '/^   \[[a-z_]+\]$/ { s = $1; next } /^[A-Z]/ { s = "" } s != "" && /^       [a-z_]+ = / { print s, $1 }' \
		"$tmp/balloon-run.ini.5.txt" | sort >"$tmp/keys.page"
	if [ -s "$tmp/keys.list" ] && cmp -s "$tmp/keys.list" "$tmp/keys.page"; then
		ok "balloon-run.ini(5) has the $(wc -l <"$tmp/keys.list") keys of balloon-run --list-keys, each under its section"
	else
		{ echo "< --list-keys, > balloon-run.ini(5):"; diff "$tmp/keys.list" "$tmp/keys.page"; } >"$tmp/why"
		notok "balloon-run.ini(5) has exactly the keys of balloon-run --list-keys"
	fi

	# ---- 4. every option -------------------------------------------------------------------
	for prog in balloon balloon-run; do
		"$B/$prog" --help | awk '/^Options/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
			grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | tr -d ' ' | sort >"$tmp/$prog.help.opts"
		section "$tmp/$prog.1.txt" OPTIONS | grep -oE '^ (-[a-zA-Z], )?--[a-z][a-z-]*' |
			tr -d ' ' | sort >"$tmp/$prog.page.opts"
		if ! [ -s "$tmp/$prog.help.opts" ] || ! cmp -s "$tmp/$prog.help.opts" "$tmp/$prog.page.opts"; then
			{ echo "$prog: < --help, > $prog(1):"; diff "$tmp/$prog.help.opts" "$tmp/$prog.page.opts"; } >>"$tmp/why"
		fi
	done
	if [ -s "$tmp/why" ]; then notok "balloon(1) and balloon-run(1) have exactly the options of --help"
	else ok "balloon(1) and balloon-run(1) have the options of --help ($(cat "$tmp/balloon.help.opts" "$tmp/balloon-run.help.opts" | wc -l) in all)"; fi

	# ---- 5. exit codes and examples ----------------------------------------------------------
	for prog in balloon balloon-run; do
		# "CODE meaning" per exit code of --help, continuation lines joined
		"$B/$prog" --help | awk '/^Exit codes:/ { on = 1; next } /^[A-Z]/ || /^$/ { on = 0 }
			on && /^  [0-9]/ { if (e != "") print e; sub(/^ +/, ""); e = $0; next }
			on && /^  \(/ { if (e != "") print e; e = ""; next }
			on && e != "" { sub(/^ +/, ""); e = e " " $0 } END { if (e != "") print e }' |
			tr -s ' ' >"$tmp/$prog.exits"
		section "$tmp/$prog.1.txt" "EXIT STATUS" | sed 's/^ //' >"$tmp/$prog.page.exits"
		[ -s "$tmp/$prog.exits" ] || echo "$prog --help: no exit codes found" >>"$tmp/why"
		while IFS= read -r e; do
			grep -qxF "$e" "$tmp/$prog.page.exits" || echo "$prog(1) EXIT STATUS lacks: $e" >>"$tmp/why"
		done <"$tmp/$prog.exits"
		"$B/$prog" --help | awk '/^Examples:/ { on = 1; next } /^[A-Z]/ { on = 0 } on && /^  [^ ]/' |
			sed 's/^ *//' >"$tmp/$prog.examples"
		[ -s "$tmp/$prog.examples" ] || echo "$prog --help: no examples found" >>"$tmp/why"
		section "$tmp/$prog.1.txt" EXAMPLES >"$tmp/$prog.page.examples"
		while IFS= read -r e; do
			grep -qF " $e" "$tmp/$prog.page.examples" || echo "$prog(1) EXAMPLES lacks: $e" >>"$tmp/why"
		done <"$tmp/$prog.examples"
	done
	if [ -s "$tmp/why" ]; then notok "the exit codes and examples of --help are in the pages"
	else ok "the exit codes ($(cat "$tmp/balloon.exits" "$tmp/balloon-run.exits" | wc -l)) and examples ($(cat "$tmp/balloon.examples" "$tmp/balloon-run.examples" | wc -l)) of --help are in the pages, word for word"; fi
fi

# ---- 6. completion -------------------------------------------------------------------------
for c in $COMPS; do
	bash -n "$B/completion/$c" 2>>"$tmp/why"
done
if [ -s "$tmp/why" ]; then notok "bash -n on the completion files"; else ok "bash -n on the completion files"; fi

# Each case: the command line (the last word is the one completed; '' for an empty one), then
# what COMPREPLY must hold, sorted. Run in a directory with a scenario, another file and a
# directory, so that file completion has something to find.
mkdir -p "$tmp/cwd/dir" && touch "$tmp/cwd/a.ini" "$tmp/cwd/b.txt"
choices() { "$B/balloon-run" --list-keys | awk -v s="[$1]" -v k="$2" '$1 == s && $2 == k { print $4 }' | tr '|' ' '; }
keys_of() { "$B/balloon-run" --list-keys | awk -v s="[$1]" -v p="$2" '$1 == s && index($2, p) == 1 { print substr(s, 2, length(s) - 2) "." $2 "=" }' | tr '\n' ' '; }
opts_of() { "$B/$1" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | tr -d ' ' | tr ',\n' '  '; }
cat >"$tmp/cases" <<EOF
balloon-run --li|--limit --list-keys
balloon-run --list-keys = ''|none text markdown
balloon-run --list-keys=m|--list-keys=markdown
balloon-run --set cgroup.me|$(keys_of cgroup me)
balloon-run --set expect.outcome = ''|$(choices expect outcome)
balloon-run --set balloon.release=d|balloon.release=dontneed
balloon-run --config ''|a.ini b.txt dir
balloon-run --report ''|dir
balloon-run ''|a.ini dir
balloon-run -|$(opts_of balloon-run)
balloon --release ''|$(choices balloon release)
balloon --release=f|--release=free
balloon --thp o|off on
balloon --size 1G --q|--quiet
balloon -|$(opts_of balloon)
balloon --size ''|
EOF
fails=0 cases=0
while IFS='|' read -r line want; do
	cases=$((cases + 1))
	prog=${line%% *}
	got=$(cd "$tmp/cwd" && bash --norc --noprofile -c '
		. "$1"; shift; f=$1; shift
		eval "COMP_WORDS=($*)"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$*"
		"$f"; printf "%s\n" "${COMPREPLY[@]}"' sh "$B/completion/$prog" \
		"_$(echo "$prog" | tr - _)" "$line" 2>&1 | sort | tr '\n' ' ' | sed 's/ *$//')
	want=$(printf '%s\n' $want | sort | tr '\n' ' ' | sed 's/ *$//')
	if [ "$got" != "$want" ]; then
		printf '%s\n  got:  %s\n  want: %s\n' "$line" "$got" "$want" >>"$tmp/why"
		fails=$((fails + 1))
	fi
done <"$tmp/cases"
if [ "$fails" -eq 0 ]; then ok "completion: $cases command lines complete as the tables say"
else notok "completion: $fails of $cases command lines complete otherwise than the tables say"; fi
finish
