/* The one clock every deadline and timestamp of the harness is on: CLOCK_MONOTONIC in ns. */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in ns. */
uint64_t now_ns(void);

/* The CPU time this thread has used, in ns (CLOCK_THREAD_CPUTIME_ID): what a piece of work
 * cost, whatever else the machine was doing meanwhile. */
uint64_t cpu_ns(void);

#endif
