/* The hang proof as a pure step function over samples, so every rule is unit-tested on
 * recorded rows. A target is hung when, unbroken for hang_after, some target thread stays in
 * the kernel's wait and the memory cgroup makes no progress out of it:
 *   v1 (oom_kill_disable): under_oom stays set and some target thread sleeps in the memcg
 *      OOM wait (state D in mem_cgroup_oom_synchronize);
 *   v2 (no such switch; every target task at oom_score_adj -1000): memory.events oom rises
 *      from sample to sample and nothing is killed: the charge fails and is retried.
 * No progress means: no page charged or uncharged (v1 memory.stat total_pgpgin/pgpgout), the
 * group's usage unchanged, no OOM kill, and the target's processes the same with the same
 * resident sizes. Other threads sleeping, spinning or waking on timers (a runtime's helpers)
 * change none of these, so they never reset the proof; a task that frees memory does, since
 * that is what wakes the waiters. */
#ifndef HANG_H
#define HANG_H

#include <stdbool.h>
#include <stdint.h>

enum hang_mode {
	HANG_OFF,      /* the scenario cannot hang: nothing is tracked */
	HANG_OOM_WAIT, /* v1 memory.oom_control oom_kill_disable */
	HANG_LIVELOCK, /* every target task OOM-exempt (v2, or v1 without the switch) */
};

/* What one sample saw. */
struct hang_facts {
	uint64_t t;            /* ns, any monotonic origin */
	bool under_oom;        /* v1 memory.oom_control under_oom */
	unsigned in_wait;      /* target threads in D in the memcg OOM wait (v1) */
	bool all_exempt;       /* every target task at oom_score_adj -1000 */
	uint64_t oom_events;   /* v2 memory.events oom (limit hits no reclaim could satisfy) */
	uint64_t oom_kill;     /* OOM kills in the scenario's groups */
	uint64_t usage;        /* the limited group's usage, bytes */
	uint64_t charges;      /* v1 memory.stat total_pgpgin (0 where the kernel has none) */
	uint64_t uncharges;    /* v1 memory.stat total_pgpgout */
	uint64_t procs;        /* the target's processes and their resident sizes, hashed */
};

enum hang_step {
	HANG_STEP_NONE,     /* not stuck, and was not */
	HANG_STEP_START,    /* stuck from this sample on */
	HANG_STEP_STUCK,    /* still stuck, no progress */
	HANG_STEP_LEFT,     /* was stuck; progress or the wait ended (why says which) */
	HANG_STEP_DETECTED, /* stuck for hang_after: hung (once) */
};

struct hang_tracker {
	enum hang_mode mode;
	uint64_t hang_after;   /* ns */
	struct hang_facts prev;
	bool have_prev;
	uint64_t since;        /* t of the first stuck sample of this stretch; 0 = not stuck */
	struct hang_facts first; /* that sample */
	bool detected;
	char why[160];         /* with HANG_STEP_LEFT: what ended the stretch */
};

void hang_init(struct hang_tracker *h, enum hang_mode mode, uint64_t hang_after);

/* Feeds one sample; returns what it means. After HANG_STEP_LEFT a sample that is itself
 * stuck starts a new stretch at the next call. */
enum hang_step hang_step(struct hang_tracker *h, const struct hang_facts *f);

/* Order-independent hash of (pid, resident bytes) pairs: hang_facts.procs. */
uint64_t hang_procs_add(uint64_t acc, int pid, uint64_t rss);

#endif
