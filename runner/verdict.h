/* The verdict: a pure function from what the monitor recorded (process ends, counters, samples)
 * to what happened, and a second pure function that checks it against the scenario's [expect].
 * No kernel access here, so every rule is unit-tested on recorded observations. */
#ifndef VERDICT_H
#define VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Order matches OUTCOME_CHOICES in scenario.h: scenario.outcome == verdict value. */
enum verdict {
	V_NONE = 0,
	V_RECLAIMED,  /* target alive, its LazyFree fell from its peak, no OOM kill */
	V_OOM_KILLED, /* a process died of SIGKILL and the cgroup's oom_kill counter rose */
	V_HUNG,       /* oom_kill_disable, under_oom, every target task in the memcg OOM wait */
	V_SURVIVED,   /* target alive at the end (or exited 0), nothing OOM-killed */
	V_EXITED,     /* target exited with a non-zero status */
	V_KILLED,     /* target died of a signal that was not an OOM kill */
	V_TIMEOUT,    /* the scenario's timeout (or the ready timeout) ran out first */
};

enum victim { VIC_NONE, VIC_TARGET, VIC_BALLOON, VIC_BOTH, VIC_OTHER };

/* How one tracked process ended. Times are ns since the scenario started. */
struct proc_end {
	bool started;
	bool ended;
	bool by_harness;  /* the runner killed it (cleanup/recovery), so not evidence */
	bool signaled;    /* died of a signal (code = signal number) */
	int code;         /* exit status or signal number */
	uint64_t t;
	uint64_t oom_kill_seen; /* the cgroup's oom_kill counter read just after it was reaped */
};

struct observation {
	bool has_balloon;
	struct proc_end target, balloon;
	uint64_t t_pressure;     /* when pressure began: balloon start, else target start */
	uint64_t t_end;          /* when observation ended (before cleanup kills) */

	/* cgroup counters, summed over the scenario's groups */
	uint64_t oom_kill_base;  /* oom_kill at scenario start */
	uint64_t oom_kill_final; /* oom_kill at the end of observation */
	uint64_t oom_events;     /* OOM notifications received (eventfd) */
	uint64_t t_first_oom;    /* time of the first notification */
	uint64_t limit;          /* memory limit of the scenario group */
	uint64_t usage_at_oom;   /* usage read when the first OOM notification / kill was seen */
	uint64_t peak_usage;

	/* hang (oom_kill_disable) */
	bool oom_kill_disable;
	bool hang_detected;
	uint64_t t_hang_start;   /* first sample where every target task was in the OOM wait */
	uint64_t t_hang_detected;/* when it had lasted hang_after */
	bool recovered;          /* kill + reap + cgroup removal succeeded after the hang */
	uint64_t recovery_ns;

	/* target LazyFree (summed over the target's processes), from samples */
	uint64_t lazyfree_peak;
	uint64_t t_lazyfree_peak;
	uint64_t lazyfree_low;   /* lowest LazyFree at or after the peak */
	uint64_t t_lazyfree_low;

	bool timed_out;
	bool not_ready;          /* the timeout was the target's ready timeout */
};

struct verdict_result {
	enum verdict verdict;
	enum victim victim;
	uint64_t reclaimed;   /* lazyfree_peak - lazyfree_low */
	uint64_t t_outcome;   /* ns from t_pressure to the outcome */
	char summary[256];    /* "reclaimed 246 MiB of 256 MiB LazyFree in 1.40 s, no OOM kill" */
};

/* Decides what happened. `reclaim_threshold` is the LazyFree fall (bytes) that counts as
 * reclaim: the scenario's min_reclaimed when given, else a small default. Rules, in order:
 * timeout; hang (hang_detected with oom_kill_disable); oom_killed (a process not killed by the
 * harness died of SIGKILL and oom_kill rose above the base by then; victim = which one(s));
 * oom_kill rose with no tracked death (victim other: a child of the target); target exited
 * non-zero -> exited; target killed by a signal -> killed; reclaimed; survived. */
void verdict_decide(const struct observation *o, uint64_t reclaim_threshold,
		    struct verdict_result *r);

struct expectation {
	int outcome;           /* enum verdict */
	int victim;            /* 0 any, 1 target, 2 balloon */
	uint64_t min_reclaimed;
	uint64_t max_lazyfree;
	uint64_t max_time;     /* ns, 0 = unchecked */
	uint64_t min_peak_usage;
	int exit_code;         /* -1 = unchecked */
	int signal;            /* 0 = unchecked */
};

/* True when the result meets the expectation; otherwise why says what differed
 * ("expected survived, got oom_killed (victim balloon)"). */
bool verdict_expect(const struct expectation *e, const struct verdict_result *r,
		    const struct observation *o, char *why, size_t whylen);

const char *verdict_name(enum verdict v);
const char *victim_name(enum victim v);

#endif
