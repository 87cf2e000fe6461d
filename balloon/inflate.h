/* Inflation: map chunks and touch their pages at the paced rate until the balloon reaches its
 * size or a stop is requested, with "tick" progress lines on the way. */
#ifndef INFLATE_H
#define INFLATE_H

#include "balloon_conf.h"
#include "chunks.h"
#include "emit.h"

#include <stdbool.h>
#include <stdint.h>

struct inflate_result {
	uint64_t bytes;      /* touched */
	uint64_t shortfall;  /* bytes the pacing granted that the kernel could not take in time */
	uint64_t elapsed_ns; /* from the first grant to the last page */
	bool stopped;        /* a SIGTERM/SIGINT ended it early */
};

/* Inflates cs (set up by chunks_init) as c says. Returns 0 (also when stopped early: see
 * res->stopped) or the -errno of chunks_map_next() with the reason in why. */
int inflate_run(const struct balloon_conf *c, struct chunks *cs, struct emit *e, uint64_t seed,
		struct inflate_result *res, char *why, size_t whylen);

#endif
