/* balloon-run's exit codes: one table drives --help and the man page. */
#ifndef EXITCODE_H
#define EXITCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum {
	EXIT_MET = 0,      /* every expectation met (skips allowed) */
	EXIT_NOT_MET = 1,  /* some expectation not met, the harness fine */
	EXIT_USAGE = 2,    /* bad usage or input: nothing was run */
	EXIT_ENV = 3,      /* this environment cannot run it: nothing was run */
	EXIT_BROKEN = 4,   /* BROK: the harness itself failed (or could not write the report) */
	EXIT_SIGNAL = 128, /* + signal number: interrupted, everything cleaned up */
};

struct exit_code_row {
	int code;
	const char *code_text; /* "0", "128+N" */
	const char *meaning;
};

extern const struct exit_code_row exit_codes[];
extern const size_t exit_codes_n;

/* The exit status of a suite that ran to its end: BROK (the harness, or its report, failed)
 * comes before an unmet expectation, which comes before success. */
int exit_code_of_suite(unsigned broken, unsigned not_met, bool report_failed);

/* The table as "  N  meaning" lines (wrapped to width) or, with markdown, as a table. */
void exit_codes_print(FILE *f, bool markdown, int width);

#endif
