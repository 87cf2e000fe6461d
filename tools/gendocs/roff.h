/* Writing man(7) source: help strings and option syntax escaped so that no text can be read as
 * a request or an escape, hyphens of options and commands as \- (a minus that copies as '-'),
 * and words that must not be hyphenated kept whole. */
#ifndef ROFF_H
#define ROFF_H

#include <stdio.h>

/* Prose, inline: backslashes as \e, option words (--size, -v, -1000) and the program name
 * balloon-run with \- and \% (never hyphenated), non-ASCII as \[uXXXX]. Writes no newline. */
void roff_inline(FILE *f, const char *s);

/* A text line (or several, at each '\n'): roff_inline plus a \& before a leading '.' or '\''
 * and no leading blanks (a blank would break the line). Ends with a newline. */
void roff_text(FILE *f, const char *s);

/* Literal text inside .EX/.EE: every '-' as \-, '\' as \e, a guarded leading dot. Ends with a
 * newline. */
void roff_code(FILE *f, const char *s);

/* Command-line syntax ("--size SIZE [--rate RATE]", "DURATION|forever", "SECTION.KEY=VALUE"):
 * options and literal words bold, metavariables (capitals) and "options" italic, brackets,
 * bars and punctuation roman. Writes no newline. */
void roff_syntax(FILE *f, const char *s);

/* Like roff_inline, but never broken across lines: blanks as unbreakable spaces. */
void roff_nobreak(FILE *f, const char *s);

/* A macro argument: quoted, with '"' as \(dq, through roff_inline. */
void roff_arg(FILE *f, const char *s);

#endif
