/* Pressure, protection and swap over a run (run/pressure.c): counters at the start of the
 * run, which each sample and the end are measured against. Internal to the runner. */
#ifndef RUN_PRESSURE_H
#define RUN_PRESSURE_H

#include <stdint.h>

struct run;
struct cg_counters;

struct pressure_base {
	uint64_t t;                  /* CLOCK_MONOTONIC ns at the start */
	uint64_t psi_some, psi_full; /* us, the scenario group's PSI totals */
	uint64_t high, max;          /* memory.events high, max (v1: failcnt) */
	uint64_t refaults, low;      /* the target's group: workingset refaults, events low */
	uint64_t pswpout, pswpin;    /* /proc/vmstat pages */
};

/* At the start of the run, with grp[0]'s counters read then (top, may be NULL). */
void pressure_start(struct run *r, const struct cg_counters *top);
/* With each sample of grp[0] (not while the harness stops the run), at time t (absolute). */
void pressure_sample(struct run *r, const struct cg_counters *c, uint64_t t);
/* At the end of observation, before cleanup. */
void pressure_finish(struct run *r);

#endif
