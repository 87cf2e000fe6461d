/* What a run tells about pressure, protection and swap, for the expectations of
 * verdict/pressure.c and the report's figures: the scenario group's stall time (its own PSI)
 * and limit events from its creation to the end of observation, the target group's refaults
 * and memory.low breaches, the swap the groups and the machine used. Counters are read at the
 * start, with each sample, and once at the end: nothing here walks memory. */
#include "runstate.h"
#include "pressure.h"

#include <stdio.h>
#include <string.h>

/* machine-wide pages swapped out and in since boot (/proc/vmstat) */
static int vmstat_swap(uint64_t *out, uint64_t *in)
{
	char text[16384];
	int ok = 0;

	if (read_small_file("/proc/vmstat", text, sizeof(text)) <= 0)
		return -1;
	ok += cg_kv_get(text, "pswpout", out) == 0;
	ok += cg_kv_get(text, "pswpin", in) == 0;
	return ok == 2 ? 0 : -1;
}

void pressure_start(struct run *r, const struct cg_counters *top)
{
	struct pressure_base *b = &r->pbase;
	struct cg_counters c;

	memset(b, 0, sizeof(*b));
	b->t = now_ns();
	if (top) {
		b->psi_some = top->psi.some_total;
		b->psi_full = top->psi.full_total;
		b->high = top->ev_high;
		b->max = top->failcnt;
	}
	if (r->tgt_grp && r->mo->env->ops->read(r->tgt_grp, &c, NULL, 0) == 0) {
		b->refaults = c.refault_anon + c.refault_file;
		b->low = c.ev_low;
	}
	r->obs->pswp_known = vmstat_swap(&b->pswpout, &b->pswpin) == 0;
}

static uint64_t rise(uint64_t now, uint64_t base)
{
	return now > base ? now - base : 0;
}

void pressure_sample(struct run *r, const struct cg_counters *c, uint64_t t)
{
	struct observation *o = r->obs;
	const struct pressure_base *b = &r->pbase;

	/* v1's PSI is the machine's: every other task's stalls, not evidence about the group */
	if (c->psi.known && !c->psi.system_wide) {
		o->psi_known = true;
		o->psi_window_us = rise(t, b->t) / 1000;
		o->stall_some_us = rise(c->psi.some_total, b->psi_some);
		o->stall_full_us = rise(c->psi.full_total, b->psi_full);
	}
	o->high_events = rise(c->ev_high, b->high);
	o->max_events = rise(c->failcnt, b->max);
	if (c->swap > o->swap_peak)
		o->swap_peak = c->swap;
	if (c->anon > o->anon_peak)
		o->anon_peak = c->anon;
	if (c->file > o->file_peak)
		o->file_peak = c->file;
	if (c->shmem > o->shmem_peak)
		o->shmem_peak = c->shmem;
	if (c->unevictable > o->unevictable_peak)
		o->unevictable_peak = c->unevictable;
	if (r->balloon_bytes > o->balloon_peak)
		o->balloon_peak = r->balloon_bytes;
}

void pressure_finish(struct run *r)
{
	struct observation *o = r->obs;
	const struct pressure_base *b = &r->pbase;
	struct cg_counters c;
	uint64_t out, in;

	/* the last word on the group's own counters, before cleanup kills anything */
	if (r->mo->env->ops->read(&r->grp[0], &c, NULL, 0) == 0)
		pressure_sample(r, &c, now_ns());
	if (r->tgt_grp && r->mo->env->ops->read(r->tgt_grp, &c, NULL, 0) == 0) {
		/* workingset_refault_* exist on v2 (5.9+); v1's memory.stat has no such lines */
		o->refaults_known = r->mo->env->layout == CG_LAYOUT_UNIFIED;
		o->target_refaults = rise(c.refault_anon + c.refault_file, b->refaults);
		o->target_low_events = rise(c.ev_low, b->low);
	}
	if (r->bal_grp && r->bal_grp != &r->grp[0] &&
	    r->mo->env->ops->read(r->bal_grp, &c, NULL, 0) == 0)
		o->balloon_swap = c.swap;
	if (o->pswp_known && vmstat_swap(&out, &in) == 0) {
		o->pswpout = rise(out, b->pswpout);
		o->pswpin = rise(in, b->pswpin);
	} else {
		o->pswp_known = false;
	}
}
