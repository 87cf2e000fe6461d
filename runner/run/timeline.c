/* Growable arrays of samples and events (doubling, so appends are amortised O(1)). */
#include "timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL(n, k, f, h) { n, k, offsetof(struct sample, f), h }
const struct tl_column tl_columns[] = {
	COL("t_s", TLK_SECONDS, t, "seconds since the scenario started"),
	COL("usage_bytes", TLK_U64, usage, "memory charged to the limited cgroup"),
	COL("limit_bytes", TLK_U64, limit, "its limit (v1 limit_in_bytes, v2 memory.max)"),
	COL("high_bytes", TLK_U64, high, "v2 memory.high (0: none)"),
	COL("failcnt", TLK_U64, failcnt, "times the limit was hit (v2: memory.events max)"),
	COL("memsw_usage_bytes", TLK_U64, memsw_usage, "memory+swap charged (0: no accounting)"),
	COL("memsw_limit_bytes", TLK_U64, memsw_limit, "memory+swap limit"),
	COL("under_oom", TLK_BOOL, under_oom, "v1 oom_control under_oom"),
	COL("oom_kill", TLK_U64, oom_kill, "OOM kills in the scenario's groups"),
	COL("oom_events", TLK_U64, oom, "v2 memory.events oom"),
	COL("high_events", TLK_U64, ev_high, "v2 memory.events high"),
	COL("target_rss_bytes", TLK_U64, target_rss, "resident memory of the target's processes"),
	COL("target_anon_bytes", TLK_U64, target_anon, "their anonymous memory"),
	COL("target_lazyfree_bytes", TLK_U64, target_lazyfree,
	    "their LazyFree: MADV_FREE pages the kernel has not reclaimed yet"),
	COL("lazyfree_age_s", TLK_SECONDS, lazyfree_age, "age of the latest walk of the target's "
	    "page tables for LazyFree (smaps_rollup)"),
	COL("lazyfree_carried", TLK_BOOL, lazyfree_carried, "target_lazyfree_bytes is that walk's, "
	    "carried by the group's count of MADV_FREE pages (memory.stat)"),
	COL("balloon_bytes", TLK_U64, balloon_bytes, "memory the balloon has touched"),
	COL("pgfault", TLK_U64, pgfault, "page faults in the group (memory.stat)"),
	COL("pgmajfault", TLK_U64, pgmajfault, "major page faults in the group"),
	COL("anon_bytes", TLK_U64, anon, "anonymous memory charged to the group (v1 total_rss, "
	    "v2 anon)"),
	COL("file_bytes", TLK_U64, file, "page cache charged to it, shmem included (v1 "
	    "total_cache, v2 file)"),
	COL("shmem_bytes", TLK_U64, shmem, "of that, shmem: tmpfs, /dev/shm, memfd (memory.stat "
	    "shmem)"),
	COL("unevictable_bytes", TLK_U64, unevictable, "unevictable memory: mlocked pages "
	    "(memory.stat unevictable)"),
	COL("psi_some_avg10_pct", TLK_PERCENT, psi_some_avg10,
	    "memory pressure, some (v1: the machine's)"),
	COL("psi_full_avg10_pct", TLK_PERCENT, psi_full_avg10, "memory pressure, full"),
	COL("psi_some_total_us", TLK_US, psi_some_total, "time some task stalled on memory"),
	COL("psi_full_total_us", TLK_US, psi_full_total, "time all tasks stalled on memory"),
	COL("sample_cost_s", TLK_SECONDS, cost, "time this sample took to read"),
};
const size_t tl_ncolumns = sizeof(tl_columns) / sizeof(tl_columns[0]);

void tl_format(const struct tl_column *c, const struct sample *s, char *buf, size_t len)
{
	const char *p = (const char *)s + c->off;
	uint64_t u;
	double d;

	switch (c->kind) {
	case TLK_SECONDS:
		memcpy(&u, p, sizeof(u));
		snprintf(buf, len, "%.6f", (double)u / 1e9);
		break;
	case TLK_U64:
		memcpy(&u, p, sizeof(u));
		snprintf(buf, len, "%" PRIu64, u);
		break;
	case TLK_BOOL:
		snprintf(buf, len, "%d", *(const bool *)p ? 1 : 0);
		break;
	case TLK_PERCENT:
		memcpy(&d, p, sizeof(d));
		if (s->psi_known)
			snprintf(buf, len, "%.2f", d);
		else
			snprintf(buf, len, "%s", "");
		break;
	case TLK_US:
		memcpy(&u, p, sizeof(u));
		if (s->psi_known)
			snprintf(buf, len, "%" PRIu64, u);
		else
			snprintf(buf, len, "%s", "");
		break;
	}
}

static int grow(void **arr, size_t *cap, size_t used, size_t elem)
{
	size_t ncap;
	void *p;

	if (used < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int timeline_add_sample(struct timeline *tl, const struct sample *s)
{
	if (grow((void **)&tl->s, &tl->scap, tl->ns, sizeof(*tl->s)) < 0)
		return -ENOMEM;
	tl->s[tl->ns++] = *s;
	return 0;
}

int timeline_add_event(struct timeline *tl, uint64_t t, const char *what, const char *fmt, ...)
{
	struct tl_event *e;
	va_list ap;

	if (grow((void **)&tl->e, &tl->ecap, tl->ne, sizeof(*tl->e)) < 0)
		return -ENOMEM;
	e = &tl->e[tl->ne++];
	e->t = t;
	snprintf(e->what, sizeof(e->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	return 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->s);
	free(tl->e);
	memset(tl, 0, sizeof(*tl));
}

void timeline_cost(const struct timeline *tl, struct tl_cost *c)
{
	uint64_t sum = 0, t_first = 0, t_last = 0;
	size_t fresh = 0;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < tl->ns; i++) {
		const struct sample *s = &tl->s[i];

		sum += s->cost;
		if (s->cost > c->max)
			c->max = s->cost;
		if (s->lazyfree_carried)
			c->carried++;
		if (s->lazyfree_age == 0) {
			if (!fresh++)
				t_first = s->t;
			t_last = s->t;
		}
	}
	c->samples = tl->ns;
	c->mean = tl->ns ? sum / tl->ns : 0;
	c->lazyfree_interval = fresh > 1 ? (t_last - t_first) / (fresh - 1) : 0;
}
