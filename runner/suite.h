/* A suite run: the scenario files named on the command line, validated all together before
 * anything is launched, the environment checked, then run one after another. */
#ifndef SUITE_H
#define SUITE_H

#include "config/scenario.h"
#include "exitcode.h"

#include <stdbool.h>

struct suite_opts {
	const char *config;  /* NULL = built-in defaults */
	char **paths;        /* files or directories */
	int npaths;
	bool oneline;        /* no files: one scenario from the command line (set_spec) */
	struct strlist set_spec, set_origin; /* keys for every scenario: "section.key=value"
						and how the user wrote each (cli.h) */
	int verbose;         /* 0, 1 (events), 2 (child output too) */
	bool quiet;          /* only results that are not ok, and the summary */
	unsigned repeat;     /* run the whole list this many times (soak); 0 = once */
	const char *report;  /* report directory; NULL = the config's output_dir */
	bool no_report;      /* write no report at all */
	bool compare;        /* exactly two scenario files, charted side by side */
	bool find_limit;     /* search memory_limit instead of one run (runner/findlimit.c) */
};

/* Runs the suite; returns one of the exit codes above. Messages go to stderr, TAP to stdout. */
int suite_run(const struct suite_opts *o);

#endif
