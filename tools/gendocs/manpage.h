/* The parts the generated man pages share: the header, a synopsis and examples read back from
 * --help, an OPTIONS list from an option table, SEE ALSO. */
#ifndef MANPAGE_H
#define MANPAGE_H

#include "helptext.h"
#include "opt.h"

#include <stdio.h>

/* The "generated, do not edit" comment naming the sources, then .TH. */
void man_header(FILE *f, const char *name, int section, const char *sources);

/* NAME: "name \- what". */
void man_name(FILE *f, const char *name, const char *what);

/* SYNOPSIS: each form of the --help's Usage lines as a .SY/.YS block. */
void man_synopsis(FILE *f, const struct helptext *h);

/* The description of --help as paragraphs (no section header). */
void man_paragraphs(FILE *f, const char *text);

/* One .TP entry per visible command-line row of tab: the option with its argument, its help,
 * then what --list-keys would add: required, default, range, the choices, repeatable.
 * extra (may be NULL) may add text after that for a row. */
void man_cli_options(FILE *f, const struct opt *tab, size_t n,
		     void (*extra)(FILE *f, const struct opt *o));

/* The choices "a|b|c" as "a, b, c", each in bold. */
void man_choices(FILE *f, const char *choices);

/* A row's numeric range as a sentence: "Range: 4 KiB..1 TiB.", "At least 10 ms." (nothing
 * for "0.." or a row that is not numeric). */
void man_range(FILE *f, const struct opt *o);

/* EXAMPLES: each example of --help, its command as .EX and its explanation below. */
void man_examples(FILE *f, const struct helptext *h);

/* SEE ALSO: refs as "name(section)" strings, NULL-terminated. */
void man_see_also(FILE *f, const char *const *refs);

#endif
