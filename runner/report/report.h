/* Reports of a suite run in a directory: per scenario DIR/<name>/timeline.csv and result.json,
 * written as soon as the scenario ends; at the end DIR/junit.xml and DIR/index.html (a
 * self-contained page with an SVG chart per scenario). Memory stays bounded whatever the
 * number of rounds: only a small summary and a downsampled chart per scenario are kept. */
#ifndef REPORT_H
#define REPORT_H

#include "run/monitor.h"
#include "tap.h"

#include <stdbool.h>
#include <stddef.h>

struct report;

struct report_meta {
	const char *version;  /* harness version, e.g. "0.1.0" */
	const char *cgroup;   /* cgroup layout, e.g. "v1" */
	unsigned rounds;      /* --repeat (1 = once) */
	bool compare;         /* --compare: the two scenarios side by side, same scales */
};

/* Creates dir (and its parents) and checks it is writable; keeps a summary slot for each of
 * the n scenarios. Returns 0, or -errno with what, where and why in err. */
int report_open(struct report **rp, const char *dir, const struct scenario *scs, size_t n,
		const struct report_meta *meta, char *err, size_t errlen);

/* Records round `round` (0-based) of scenario `idx`: writes DIR/<name>/timeline.csv and
 * result.json (the last round; with several rounds the first round that did not meet its
 * expectation is kept apart in DIR/<name>/first-failure/), and updates the summary.
 * Returns 0 or -errno with err filled. */
int report_add(struct report *r, size_t idx, unsigned round, const struct scenario *sc,
	       const struct scenario_result *res, char *err, size_t errlen);

struct search;
/* --find-limit: the search of scenario idx (copied), with the class of its result and a
 * summary line; its runs went to report_add before. result.json gets a "search" member
 * and index.html its chart when the report is finished. Returns 0 or -errno. */
int report_add_search(struct report *r, size_t idx, const struct search *s, enum result result,
		      const char *summary, char *err, size_t errlen);

/* Writes DIR/junit.xml and DIR/index.html. interrupted: the signal that ended the suite
 * early (scenarios that never ran are reported as skipped), or 0. Returns 0 or -errno. */
int report_finish(struct report *r, const struct tap_totals *tot, double seconds,
		  int interrupted, char *err, size_t errlen);

/* DIR/<name of scenario idx>, created: where the run writes its children's logs. Returns 0
 * or -errno with err filled. */
int report_scenario_dir(const struct report *r, size_t idx, char *dir, size_t len, char *err,
			size_t errlen);

/* Absolute path of DIR/index.html (valid until report_free). */
const char *report_index_path(const struct report *r);

void report_free(struct report *r);

#endif
