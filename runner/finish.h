/* The end of a suite run (suite.c) or of a limit search (findlimit.c). */
#ifndef FINISH_H
#define FINISH_H

#include "report/report.h"
#include "report/tap.h"

#include <stdbool.h>

/* The summary line, junit.xml and index.html (rep is freed and set to NULL), "Bail out!"
 * after an interrupt; returns the exit code (exitcode.h). */
int suite_finish(struct report **rep, const struct tap_totals *tot, double seconds,
		 int interrupted, bool quiet, bool report_failed);

#endif
