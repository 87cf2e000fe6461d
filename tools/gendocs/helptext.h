/* Reading a program's --help text back into its parts, so that the man pages show the very
 * synopsis, description, exit codes and examples --help prints (they are prose in the
 * programs' usage functions, not tables). The shape it reads:
 *   Usage: PROG ...            one synopsis form; a line starting with PROG starts another,
 *          [...]               any other indented line continues the form
 *   Paragraph text ...         the description (up to the next header)
 *   Options (note):            a header: a line at column 0 ending in ':'
 *   Exit codes:                "  N  meaning" (deeper lines continue it), "  (note)"
 *   Examples:                  "  command" at column 2, its explanation deeper */
#ifndef HELPTEXT_H
#define HELPTEXT_H

#include <stddef.h>
#include <stdio.h>

struct help_item {
	char *head; /* the exit code ("0", "128+N") or the example's command */
	char *text; /* its meaning or explanation, lines joined by blanks */
};

struct helptext {
	char **usage;           /* the synopsis forms, without "Usage: " */
	size_t nusage;
	char *description;      /* paragraphs joined by '\n' */
	char *options_note;     /* the "(...)" of the Options header, or NULL */
	struct help_item *exits;
	size_t nexits;
	char *exit_note;        /* a "(...)" line among the exit codes, without parentheses */
	struct help_item *examples;
	size_t nexamples;
};

/* Runs usage(f) into memory and reads it as above. Returns 0, or -EINVAL with the reason
 * (which part is missing) in why. Free with helptext_free either way. */
int helptext_read(void (*usage)(FILE *f), struct helptext *h, char *why, size_t whylen);
void helptext_free(struct helptext *h);

#endif
