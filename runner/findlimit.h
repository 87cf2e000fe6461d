/* balloon-run --find-limit: for each scenario, the smallest memory_limit at which its
 * expectation holds in every repeat, by bisection over real runs (runner/search/search.c
 * decides which limit comes next; each step is the scenario loaded again with that limit and
 * run --repeats times, cleanup and all). TAP: a subtest per scenario with a line per limit
 * tried; the report: result.json's "search" and a chart in index.html. */
#ifndef FINDLIMIT_H
#define FINDLIMIT_H

#include "config/inifile.h"
#include "config/scenario.h"
#include "report/report.h"
#include "run/monitor.h"

#include <stdbool.h>
#include <stddef.h>

/* Where the scenarios came from, to load each step again with its own limit: the file of
 * each (NULL: the one-line scenario) and the command line's keys. */
struct findlimit_src {
	const char *const *files;
	const struct inifile_override *ov;
	size_t nov;
};

/* Searches each of the n scenarios in turn; rep (may be NULL) is finished and freed.
 * Returns the suite's exit code (exitcode.h): met when every search found its limit. */
int findlimit_all(const struct scenario *scs, size_t n, const struct findlimit_src *src,
		  const struct monitor_opts *mo, int verbose, bool quiet, struct report *rep);

#endif
