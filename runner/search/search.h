/* The limit finder's search, without running anything: which memory limit to try next, and,
 * from the repeats of each step, where the boundary between failing and passing limits lies.
 * runner/findlimit.c runs the steps (each one a full scenario, N times) and reports them.
 *
 * A limit passes when the scenario's expectation holds in every repeat; fails when it holds
 * in none; a step with some of each is unstable: it counts as failing for the search (N of N
 * is the rule) and widens the unstable band, which is reported, never hidden. The search
 * assumes more memory never hurts: below the smallest passing limit lies the largest failing
 * one.
 *   1. the high end: --high, else the scenario's own limit, doubled until it passes or the
 *      machine's cap is reached (then: no passing limit);
 *   2. bisection between the largest failing limit (or the low end) and the smallest passing
 *      one, on whole MiB, until they are within the resolution;
 *   3. with a low end given and nothing below the passing limit failing yet: the low end
 *      itself, so that "passes even at LOW" is a finding, not an assumption. */
#ifndef SEARCH_H
#define SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum search_stop {
	SEARCH_RUNNING,
	SEARCH_RESOLVED,     /* failing and passing limits within the resolution */
	SEARCH_PASSES_LOW,   /* met at the lowest limit tried: the boundary is below */
	SEARCH_NO_PASS,      /* not met even at the high end */
	SEARCH_MAX_TIME,     /* the next step would not fit in max_time */
	SEARCH_BROKEN,       /* a run was BROK: the harness, not the workload, failed */
	SEARCH_INTERRUPTED,  /* SIGINT/SIGTERM/SIGHUP */
	SEARCH_STOP_N
};

struct search_params {
	uint64_t low, high;   /* bytes; 0 = derived (low: nothing; high: from own) */
	uint64_t own;         /* the scenario's own memory_limit */
	uint64_t floor;       /* the smallest limit ever tried (the key's minimum) */
	uint64_t cap;         /* the largest limit worth trying on this machine */
	unsigned repeats;     /* N: runs per step */
	uint64_t res_bytes;   /* resolution: bytes, or */
	unsigned res_milli_pct; /* thousandths of a percent of the passing limit (0: bytes) */
	uint64_t max_time;    /* ns for the whole search; 0 = none */
};

/* One limit, run `repeats` times. */
struct search_step {
	uint64_t limit;
	unsigned met, not_met, broken;
	uint64_t peak;        /* the highest peak usage of its runs */
	char verdicts[96];    /* "oom_killed 2, survived 1" */
	char why[160];        /* why its first run that did not meet the expectation did not */
	uint64_t ns;          /* the time all its runs took, cleanup included */
};

struct search {
	struct search_params p;
	struct search_step *steps;
	size_t n, alloc;
	uint64_t pass;        /* the smallest limit met in every repeat; 0 = none yet */
	uint64_t fail;        /* the largest limit below pass not met in every repeat; 0 = none */
	uint64_t unstable_lo, unstable_hi; /* the band of unstable steps; 0 = none */
	enum search_stop stop;
	int phase;            /* internal */
	uint64_t next;        /* the limit search_next returned last */
	uint64_t ns;          /* time of all steps so far */
};

/* p->repeats >= 1 and p->cap >= p->floor are the caller's to ensure. */
void search_init(struct search *s, const struct search_params *p);
/* The next limit to try, or 0 when the search is over (s->stop says why). */
uint64_t search_next(struct search *s);
/* The outcome of the limit search_next gave. Returns 0, or -ENOMEM. */
int search_record(struct search *s, const struct search_step *st);
/* Ends the search from outside (SEARCH_INTERRUPTED). */
void search_end(struct search *s, enum search_stop why);
/* The resolution at a passing limit, in bytes (at least 1 MiB). */
uint64_t search_resolution(const struct search_params *p, uint64_t at);
/* Whether a step met its expectation in every repeat / in some but not all. */
bool search_step_passed(const struct search_step *st);
bool search_step_unstable(const struct search_step *st);
/* "resolved", "passes_low", "no_pass", "max_time", "broken", "interrupted" (for machines),
 * and what it means in a sentence's words (for people). */
const char *search_stop_name(enum search_stop stop);
const char *search_stop_text(enum search_stop stop);
void search_free(struct search *s);

#endif
