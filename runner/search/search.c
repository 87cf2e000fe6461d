/* The limit finder's search (see search.h): pure bookkeeping, unit-tested with made-up
 * outcomes in tests/unit/test_search.c. */
#include "search.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024ull * 1024)

enum { PH_HIGH, PH_BISECT, PH_LOW };

static uint64_t mib_down(uint64_t v)
{
	return v & ~(MIB - 1);
}

void search_init(struct search *s, const struct search_params *p)
{
	memset(s, 0, sizeof(*s));
	s->p = *p;
	s->phase = PH_HIGH;
}

uint64_t search_resolution(const struct search_params *p, uint64_t at)
{
	uint64_t r = p->res_milli_pct ?
		     (uint64_t)((unsigned __int128)at * p->res_milli_pct / 100000) : p->res_bytes;

	return r < MIB ? MIB : r;
}

bool search_step_passed(const struct search_step *st)
{
	return st->met > 0 && st->not_met == 0 && st->broken == 0;
}

bool search_step_unstable(const struct search_step *st)
{
	return st->met > 0 && st->not_met > 0;
}

static uint64_t clamp(const struct search *s, uint64_t v)
{
	v = mib_down(v);
	if (v < s->p.floor)
		v = s->p.floor;
	return v > s->p.cap ? s->p.cap : v;
}

/* The bisection is within the resolution: the low end itself, or the end. */
static uint64_t finish(struct search *s)
{
	if (s->p.low && !s->fail && s->pass > s->p.low && s->phase != PH_LOW) {
		s->phase = PH_LOW;
		return s->next = s->p.low;
	}
	s->stop = s->fail ? SEARCH_RESOLVED : SEARCH_PASSES_LOW;
	return 0;
}

uint64_t search_next(struct search *s)
{
	uint64_t lower, mid;

	if (s->stop != SEARCH_RUNNING)
		return 0;
	/* the next step would take about as long as the average one so far */
	if (s->p.max_time && s->n && s->ns + s->ns / s->n > s->p.max_time) {
		s->stop = SEARCH_MAX_TIME;
		return 0;
	}
	switch (s->phase) {
	case PH_HIGH:
		if (!s->fail)
			return s->next = clamp(s, s->p.high ? s->p.high : s->p.own);
		return s->next = clamp(s, s->fail * 2);
	case PH_BISECT:
		lower = s->fail > s->p.low ? s->fail : s->p.low;
		if (lower >= s->pass || s->pass - lower <= search_resolution(&s->p, s->pass))
			return finish(s);
		mid = clamp(s, lower + (s->pass - lower) / 2);
		if (mid <= lower || mid >= s->pass)
			return finish(s);
		return s->next = mid;
	default:
		return finish(s);
	}
}

int search_record(struct search *s, const struct search_step *st)
{
	bool passed = search_step_passed(st);

	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 16;
		struct search_step *v = realloc(s->steps, na * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->steps = v;
		s->alloc = na;
	}
	s->steps[s->n++] = *st;
	s->ns += st->ns;
	if (search_step_unstable(st)) {
		if (!s->unstable_lo || st->limit < s->unstable_lo)
			s->unstable_lo = st->limit;
		if (st->limit > s->unstable_hi)
			s->unstable_hi = st->limit;
	}
	if (st->broken) {
		s->stop = SEARCH_BROKEN;
		return 0;
	}
	switch (s->phase) {
	case PH_HIGH:
		if (passed) {
			s->pass = st->limit;
			s->phase = PH_BISECT;
		} else {
			s->fail = st->limit;
			/* a given high end, or the machine's, is as far as it goes */
			if (s->p.high || st->limit >= s->p.cap)
				s->stop = SEARCH_NO_PASS;
		}
		break;
	case PH_BISECT:
		if (passed)
			s->pass = st->limit;
		else
			s->fail = st->limit;
		break;
	default: /* PH_LOW */
		if (passed)
			s->pass = st->limit;
		else
			s->fail = st->limit;
		s->stop = passed ? SEARCH_PASSES_LOW : SEARCH_RESOLVED;
		break;
	}
	return 0;
}

void search_end(struct search *s, enum search_stop why)
{
	if (s->stop == SEARCH_RUNNING)
		s->stop = why;
}

static const struct {
	const char *name, *text;
} stops[SEARCH_STOP_N] = {
	[SEARCH_RUNNING] = { "running", "still running" },
	[SEARCH_RESOLVED] = { "resolved", "the boundary is within the resolution" },
	[SEARCH_PASSES_LOW] = { "passes_low", "met at the lowest limit tried" },
	[SEARCH_NO_PASS] = { "no_pass", "not met even at the highest limit tried" },
	[SEARCH_MAX_TIME] = { "max_time", "the time budget (max_time) ran out" },
	[SEARCH_BROKEN] = { "broken", "a run was BROK" },
	[SEARCH_INTERRUPTED] = { "interrupted", "interrupted" },
};

const char *search_stop_name(enum search_stop stop)
{
	return (unsigned)stop < SEARCH_STOP_N ? stops[stop].name : "?";
}

const char *search_stop_text(enum search_stop stop)
{
	return (unsigned)stop < SEARCH_STOP_N ? stops[stop].text : "?";
}

void search_free(struct search *s)
{
	free(s->steps);
	s->steps = NULL;
	s->n = s->alloc = 0;
}
