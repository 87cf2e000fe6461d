/* TAP output of a suite run: a plan, one line per scenario with its verdict and key figures,
 * diagnostics as comments, and a summary. */
#ifndef TAP_H
#define TAP_H

#include "run/monitor.h"
#include "search/search.h"

#include <stdio.h>

/* Scenarios run so far, per result class. */
struct tap_totals {
	unsigned count[RESULT_N];
};

void tap_plan(FILE *f, size_t n);
/* Prints the result line of scenario number `num` and its diagnostics; counts it.
 * verbose: -1 quiet (only results that are not ok), 0, 1 (diagnostics of passing ones too). */
void tap_result(FILE *f, size_t num, const struct scenario *sc, const struct scenario_result *res,
		int verbose, struct tap_totals *tot);
void tap_summary(FILE *f, const struct tap_totals *tot, double seconds);

/* The limit finder: "# Subtest: NAME: ..." opens a scenario's search; a line per limit tried
 * (ok: it ran, whatever the workload did; not ok: a run was BROK); then the scenario's own
 * line (num) with what was found and a YAML block, counted in tot as result. */
void tap_search_begin(FILE *f, const struct scenario *sc, const struct search_params *p);
void tap_search_step(FILE *f, size_t num, const struct search_step *st, unsigned repeats);
void tap_search_end(FILE *f, size_t num, const struct scenario *sc, const struct search *s,
		    enum result result, const char *summary, double seconds, bool quiet,
		    int interrupted, struct tap_totals *tot);

#endif
