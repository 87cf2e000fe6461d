/* The end of a suite or of a limit search: the summary line, the report's last files and
 * where they are, "Bail out!" after an interrupt, and the exit code. */
#include "finish.h"
#include "exitcode.h"
#include "msg.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* junit.xml and index.html, and where to find them (also after an interrupt). */
static void report_end(struct report **rep, bool *failed, const struct tap_totals *tot,
		       double seconds, int interrupted, bool quiet)
{
	char err[1024];

	if (!*rep)
		return;
	if (report_finish(*rep, tot, seconds, interrupted, err, sizeof(err)) < 0) {
		warnmsg("report: %s", err);
		printf("# report: FAILED: %s\n", err);
		*failed = true;
	} else if (!quiet) {
		printf("# report: %s\n", report_index_path(*rep));
	}
	fflush(stdout);
	report_free(*rep);
	*rep = NULL;
}

int suite_finish(struct report **rep, const struct tap_totals *tot, double seconds,
		 int interrupted, bool quiet, bool report_failed)
{
	if (interrupted) {
		report_end(rep, &report_failed, tot, seconds, interrupted, quiet);
		printf("Bail out! interrupted by SIG%s; everything started was killed and its "
		       "cgroups removed\n", sigabbrev_np(interrupted));
		fflush(stdout);
		return EXIT_SIGNAL + interrupted;
	}
	tap_summary(stdout, tot, seconds);
	report_end(rep, &report_failed, tot, seconds, 0, quiet);
	return exit_code_of_suite(tot->count[RESULT_BROKEN], tot->count[RESULT_NOT_MET],
				  report_failed);
}
