/* A scenario's sampled timeline and its marked events, kept in memory for the whole run so the
 * verdict, the TAP diagnostics and the reports all read the same record. */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One sample: the limited group's counters, the target's memory, the balloon's size. */
struct sample {
	uint64_t t; /* ns since the scenario started */
	uint64_t usage, limit, failcnt, memsw_usage, memsw_limit, high;
	uint64_t oom_kill;      /* summed over the scenario's groups */
	uint64_t oom;           /* v2 memory.events oom */
	uint64_t ev_high;       /* v2 memory.events high: times memory.high throttled */
	bool under_oom;
	uint64_t target_rss, target_anon, target_lazyfree;
	uint64_t lazyfree_age;  /* ns since the target's latest smaps_rollup walk */
	bool lazyfree_carried;  /* target_lazyfree: that walk's, carried by the group's count */
	uint64_t balloon_bytes;
	uint64_t pgfault, pgmajfault;
	uint64_t anon, file, shmem, unevictable; /* the group's memory.stat, by kind */
	bool psi_known, psi_system_wide;
	double psi_some_avg10, psi_full_avg10;
	uint64_t psi_some_total, psi_full_total; /* us */
	uint64_t cost;          /* ns this sample took to read */
};

/* The columns of a sample, in order: one table drives the CSV header and rows, the JSON
 * figures and the chart series. */
enum tl_kind { TLK_SECONDS, TLK_U64, TLK_BOOL, TLK_PERCENT, TLK_US };
struct tl_column {
	const char *name; /* with its unit: "usage_bytes", "t_s", "psi_some_avg10_pct" */
	enum tl_kind kind;
	size_t off;       /* offsetof(struct sample, ...) */
	const char *help;
};
extern const struct tl_column tl_columns[];
extern const size_t tl_ncolumns;

/* Formats column c of s into buf ("" for PSI where the kernel has none). */
void tl_format(const struct tl_column *c, const struct sample *s, char *buf, size_t len);

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

/* What sampling cost: mean and worst time to take one sample, and the mean interval between
 * LazyFree readings (smaps_rollup walks, kept on a time budget); ns, 0 when unknown. */
struct tl_cost {
	size_t samples;
	uint64_t mean, max, lazyfree_interval;
	size_t carried; /* samples whose LazyFree was carried by the group's count */
};
void timeline_cost(const struct timeline *tl, struct tl_cost *c);

#endif
