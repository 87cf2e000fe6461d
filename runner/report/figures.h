/* The figures of a scenario's result, in one list: the TAP YAML block prints them and
 * result.json holds the same keys, so the two can never say different things. */
#ifndef FIGURES_H
#define FIGURES_H

#include "config/scenario.h"
#include "run/monitor.h"

#include <stddef.h>
#include <stdint.h>

enum fig_type {
	FIG_UINT,    /* u */
	FIG_NS_AS_S, /* u ns, shown in seconds (3 decimals) */
	FIG_NS_AS_MS,/* u ns, shown in ms (1 decimal) */
	FIG_REAL,    /* d, 3 decimals */
	FIG_BOOL,    /* u != 0 */
	FIG_TEXT,    /* text */
};

struct figure {
	const char *key; /* with its unit: limit_bytes, hung_s, recovery_ms */
	enum fig_type type;
	uint64_t u;
	double d;
	char text[256];
};

#define FIGURES_MAX 96 /* the most one run can show is about 60 (a hang with swap and pressure) */

/* Fills f with the figures of res, in their YAML order; returns how many. */
size_t figures_collect(const struct scenario *sc, const struct scenario_result *res,
		       struct figure *f, size_t max);

#endif
