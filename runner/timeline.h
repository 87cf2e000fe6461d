/* A scenario's sampled timeline and its marked events, kept in memory for the whole run so the
 * verdict, the TAP diagnostics and (later) reports all read the same record. */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sample {
	uint64_t t; /* ns since the scenario started */
	uint64_t usage, limit, failcnt, memsw_usage;
	uint64_t oom_kill;
	bool under_oom;
	uint64_t target_rss, target_anon, target_lazyfree;
	uint64_t balloon_bytes;
};

struct tl_event {
	uint64_t t;
	char what[24];    /* "target_ready", "balloon_inflated", "oom", "hang", ... */
	char detail[256];
};

struct timeline {
	struct sample *s;
	size_t ns, scap;
	struct tl_event *e;
	size_t ne, ecap;
};

/* Appends; returns 0 or -ENOMEM (the run goes on, the timeline just stops growing). */
int timeline_add_sample(struct timeline *tl, const struct sample *s);
int timeline_add_event(struct timeline *tl, uint64_t t, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void timeline_free(struct timeline *tl);

#endif
