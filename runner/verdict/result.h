/* The result class of a scenario run: decided once, when the run is over
 * (scenario_result_finish in run/monitor.c), and read by the TAP line, every report file and
 * the exit status. Four classes keep apart what the kernel and the workload did (met, not
 * met) from what the harness could not do (BROK: it broke; SKIP: this machine cannot run
 * it); an interrupt ends the run early, everything cleaned up. */
#ifndef RESULT_H
#define RESULT_H

#include <stdbool.h>

enum result {
	RESULT_NOT_RUN,     /* never started (the suite was interrupted before it) */
	RESULT_MET,         /* the verdict meets [expect] */
	RESULT_NOT_MET,     /* the kernel or the workload behaved otherwise than expected */
	RESULT_BROKEN,      /* BROK: the harness itself failed (setup, spawn, cleanup) */
	RESULT_SKIPPED,     /* SKIP: this machine cannot run it, and says what is missing */
	RESULT_INTERRUPTED, /* a signal ended the run; everything was cleaned up */
};
#define RESULT_N (RESULT_INTERRUPTED + 1)

/* Names for machines: "not_run", "met", "not_met", "broken", "skipped", "interrupted". */
const char *result_name(enum result r);

/* The class of a finished run. Precedence: an interrupt, then a skip, then a broken
 * harness, then the expectation. */
enum result result_classify(bool interrupted, bool skipped, bool broken, bool met);

#endif
