/* The one clock every deadline and timestamp of the harness is on: CLOCK_MONOTONIC in ns. */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in ns. */
uint64_t now_ns(void);

#endif
