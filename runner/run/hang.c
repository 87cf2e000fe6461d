/* The hang proof's rules (see hang.h): when a sample is stuck, and what counts as progress. */
#include "hang.h"
#include "units.h"

#include <stdio.h>
#include <string.h>

void hang_init(struct hang_tracker *h, enum hang_mode mode, uint64_t hang_after)
{
	memset(h, 0, sizeof(*h));
	h->mode = mode;
	h->hang_after = hang_after;
}

uint64_t hang_procs_add(uint64_t acc, int pid, uint64_t rss)
{
	/* splitmix64 of each pair, summed: the same set in any order gives the same value */
	uint64_t z = ((uint64_t)(unsigned)pid << 40) ^ rss;

	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return acc + (z ^ (z >> 31));
}

/* Is this sample, on its own and against the previous one, in the wait? why: if not. */
static bool stuck(const struct hang_tracker *h, const struct hang_facts *f, char *why,
		  size_t len)
{
	if (h->mode == HANG_OOM_WAIT) {
		if (!f->under_oom) {
			snprintf(why, len, "under_oom cleared: the group left the OOM state");
			return false;
		}
		if (!f->in_wait) {
			snprintf(why, len, "no target thread in the memcg OOM wait");
			return false;
		}
		return true;
	}
	if (!f->all_exempt) {
		snprintf(why, len, "a target task is no longer exempt (oom_score_adj -1000)");
		return false;
	}
	if (!h->have_prev || f->oom_events <= h->prev.oom_events) {
		snprintf(why, len, "memory.events oom stopped rising: no charge hits the limit");
		return false;
	}
	return true;
}

/* Did the group move between the previous sample and this one? why: how. */
static bool progressed(const struct hang_facts *a, const struct hang_facts *b, char *why,
		       size_t len)
{
	char x[32], y[32];

	if (b->oom_kill != a->oom_kill)
		snprintf(why, len, "oom_kill %llu -> %llu: a task was killed",
			 (unsigned long long)a->oom_kill, (unsigned long long)b->oom_kill);
	else if (b->uncharges != a->uncharges)
		snprintf(why, len, "%llu pages uncharged (memory.stat pgpgout): memory was freed, "
			 "the waiters woke", (unsigned long long)(b->uncharges - a->uncharges));
	else if (b->charges != a->charges)
		snprintf(why, len, "%llu pages charged (memory.stat pgpgin): an allocation went "
			 "through", (unsigned long long)(b->charges - a->charges));
	else if (b->usage != a->usage)
		snprintf(why, len, "usage %s -> %s", fmt_size(a->usage, x, sizeof(x)),
			 fmt_size(b->usage, y, sizeof(y)));
	else if (b->procs != a->procs)
		snprintf(why, len, "a target process exited, started, or changed its resident size");
	else
		return false;
	return true;
}

enum hang_step hang_step(struct hang_tracker *h, const struct hang_facts *f)
{
	enum hang_step step = HANG_STEP_NONE;
	char why[sizeof(h->why)];
	bool now;

	if (h->mode == HANG_OFF)
		return HANG_STEP_NONE;
	now = stuck(h, f, why, sizeof(why));
	if (h->since && (!now || progressed(&h->prev, f, why, sizeof(why)))) {
		snprintf(h->why, sizeof(h->why), "%s", why);
		h->since = 0;
		step = HANG_STEP_LEFT;
	} else if (h->since) {
		step = HANG_STEP_STUCK;
		if (!h->detected && f->t - h->since >= h->hang_after) {
			h->detected = true;
			step = HANG_STEP_DETECTED;
		}
	} else if (now) {
		h->since = f->t ? f->t : 1;
		h->first = *f;
		step = HANG_STEP_START;
	}
	h->prev = *f;
	h->have_prev = true;
	return step;
}
