/* The inflation loop: ask the pacing how many bytes may go now, touch that many pages (in
 * slices, looking at the clock and the stop flag in between), sleep to the next tick when
 * the bucket is empty. Progress lines come on their own absolute grid, skipped when missed.
 * With --touch page the kernel faults each slice in (MADV_POPULATE_WRITE, balloon/prefault.c)
 * and only the marker words are written from here; fill and random write whole pages from
 * user space, where the faults happen anyway. */
#include "inflate.h"
#include "clock.h"
#include "kind.h"
#include "pace.h"
#include "prefault.h"
#include "stop.h"
#include "touch.h"
#include "units.h"

#include <string.h>

/* The most touched from user space between two looks at the clock and the stop flag: a
 * tick's grant at a high rate, or everything at rate 0, would otherwise run on for seconds on
 * a slow VM where a first touch of guest memory costs tens of microseconds a page. The kernel
 * path goes by PREFAULT_SLICE_BYTES. */
#define SLICE_BYTES MiB

struct toucher {
	const struct balloon_conf *c;
	struct emit *e;
	uint64_t seed;
	bool kernel; /* populate in the kernel first (touch page, and the kernel knows how) */
};

static void emit_tick(struct emit *e, const struct chunks *cs, const struct pace *p)
{
	struct progress_field f[] = {
		{ "bytes", chunks_touched_bytes(cs) },
		{ "shortfall", pace_shortfall(p) },
	};

	emit_event(e, PROGRESS_TICK, f, 2, NULL, NULL);
}

static uint64_t min3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Has the kernel fault n pages in at addr. Whatever it could not fault in (ENOMEM at the
 * limit, a signal), the caller's user-space touch does, meeting the kernel's OOM handling
 * exactly as any program would; a kernel without the advice is told once and not asked
 * again. */
static void populate(struct toucher *t, char *addr, uint64_t n, size_t page)
{
	int err = prefault_range(addr, (size_t)(n * page));

	if (prefault_next(err) == PREFAULT_TOUCH_ALWAYS) {
		t->kernel = false;
		emit_say(t->e, "madvise(MADV_POPULATE_WRITE): %s: this kernel does not support it "
			 "(needs Linux 5.14): touching pages from user space", strerror(-err));
	}
}

/* Touches up to `grant` bytes (rounded up to a whole page, capped by a slice and the open
 * chunk), mapping a new chunk first if needed. Returns the pages touched or -errno. */
static int64_t touch_some(struct toucher *t, struct chunks *cs, uint64_t grant, char *why,
			  size_t whylen)
{
	uint64_t page = cs->page, slice = SLICE_BYTES / page ? SLICE_BYTES / page : 1;
	uint64_t want = grant / page + (grant % page != 0);
	struct chunk *ch = chunks_open(cs);
	char *addr;
	uint64_t n;
	int64_t w;
	int err;

	if (cs->backing && kind_is_written(cs->backing->kind)) {
		/* written through the file: no mapping, no chunk records to fill */
		n = min3(want, slice, cs->total_pages - cs->touched);
		w = kind_write(cs->backing, cs->touched, n, page, t->c->touch, t->seed, why, whylen);
		if (w > 0) {
			cs->touched += (uint64_t)w;
			cs->mapped += (uint64_t)w;
		}
		return w;
	}
	if (!ch) {
		err = chunks_map_next(cs, t->c->thp, why, whylen);
		if (err < 0)
			return err;
		ch = chunks_open(cs);
	}
	addr = ch->addr + ch->touched * page;
	if (t->kernel) {
		n = prefault_step_pages((uintptr_t)addr, want, ch->pages - ch->touched, page,
					PREFAULT_SLICE_BYTES);
		populate(t, addr, n, page);
	} else {
		n = min3(want, slice, ch->pages - ch->touched);
	}
	/* After the kernel's population this writes the marker words only. cs->touched
	 * numbers the page: all chunks before the open one are full. */
	touch_pages(addr, cs->touched, n, page, t->c->touch, t->seed);
	ch->touched += n;
	cs->touched += n;
	return (int64_t)n;
}

int inflate_run(const struct balloon_conf *c, struct chunks *cs, struct emit *e, uint64_t seed,
		struct inflate_result *res, char *why, size_t whylen)
{
	uint64_t start = now_ns(), next_progress = start + c->progress_interval;
	struct toucher t = { .c = c, .e = e, .seed = seed, .kernel = c->touch == TOUCH_PAGE };
	struct pace p;
	int ret = 0;

	pace_init(&p, c->rate, c->tick_hz, start);
	pace_set_ramp(&p, c->ramp);
	res->stopped = false;
	while (cs->touched < cs->total_pages) {
		uint64_t now = now_ns(), grant, deadline;
		int64_t n;

		if (stop_requested()) {
			res->stopped = true;
			emit_tick(e, cs, &p);
			break;
		}
		if (now >= next_progress) {
			emit_tick(e, cs, &p);
			next_progress = pace_next_multiple(start, c->progress_interval, now);
		}
		grant = pace_grant(&p, now);
		if (grant == 0) {
			deadline = pace_next_deadline(&p);
			stop_sleep_until(deadline < next_progress ? deadline : next_progress);
			continue;
		}
		n = touch_some(&t, cs, grant, why, whylen);
		if (n < 0) {
			ret = (int)n;
			break;
		}
		pace_spend(&p, (uint64_t)n * cs->page);
	}
	res->bytes = chunks_touched_bytes(cs);
	res->shortfall = pace_shortfall(&p);
	res->elapsed_ns = now_ns() - start;
	return ret;
}
