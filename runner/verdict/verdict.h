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
	V_THROTTLED,  /* v2: held at memory.high, the group stalled on memory (PSI full) */
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
	int pid;
	char comm[16];    /* its name, read before it was reaped */
};

/* Where the runner's CPU time for sampling went (report/figures.c shows each per sample). */
enum sample_source { SRC_CGROUP, SRC_TASKS, SRC_SMAPS, SRC_OTHER, SRC_N };

struct observation {
	bool has_balloon, has_load;
	uint64_t sample_cpu[SRC_N]; /* ns of CPU over all samples, per source */
	uint64_t sample_cpu_n;      /* samples counted there */
	uint64_t lazyfree_walks;    /* smaps_rollup walks of the target's page tables */
	struct proc_end target, balloon, load;
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

	/* hang (v1: oom_kill_disable and the memcg OOM wait; v2: the OOM livelock) */
	bool oom_kill_disable;
	bool hang_detected;
	uint64_t t_hang_start;   /* first sample of the stretch without progress */
	uint64_t t_hang_detected;/* when it had lasted hang_after */
	/* how much of the target hung, at detection: its threads by where they were, and the
	 * CPU time its processes used during the stretch (threads that kept computing) */
	unsigned hang_threads, hang_in_wait, hang_running, hang_asleep;
	uint64_t hang_cpu_ns;
	char hang_states[256];   /* "1 of 4 threads in the OOM wait, 3 asleep (...)" */
	bool recovered;          /* kill + reap + cgroup removal succeeded after the hang */
	uint64_t recovery_ns;

	/* target LazyFree (summed over the target's processes), from samples */
	uint64_t lazyfree_peak;
	uint64_t t_lazyfree_peak;
	uint64_t lazyfree_low;   /* lowest LazyFree at or after the peak */
	uint64_t t_lazyfree_low;

	/* the kernel's own count of discarded lazily freed pages during the run (v1: the
	 * machine-wide /proc/vmstat pglazyfreed, so an upper bound on the target's share) */
	bool lazyfreed_known;
	uint64_t lazyfreed_kernel; /* bytes */

	/* page contents as evidence: a balloon target run with --verify reports, after its
	 * MADV_FREE, how many freed pages read back zero (discarded) or still held its pattern */
	bool verified;
	uint64_t verify_zero_pages, verify_pattern_pages;

	/* v2 hang: the OOM livelock. Every target task is exempt from the OOM killer
	 * (oom_score_adj -1000), so at memory.max the kernel finds no victim, the charge fails
	 * and the page fault is retried: memory.events oom rises, oom_kill does not. */
	bool oom_exempt;          /* every target task stayed at -1000 through the hang */
	uint64_t oom_at_hang_start, oom_at_hang_detected; /* memory.events oom */

	/* v2 throttling at memory.high: allocations over it reclaim and sleep */
	bool throttle_detected;
	uint64_t high;            /* memory.high of the scenario group */
	uint64_t t_throttle_start, t_throttle_detected;
	uint64_t throttle_full_us;     /* PSI full stall of the group over the window */
	uint64_t throttle_high_events; /* rise of memory.events high over the window */
	uint64_t throttle_growth;      /* bytes the target's RSS gained over the window */

	/* v2 memory.oom.group: the processes a group kill took (SIGKILLs the runner did not
	 * send while oom_group_kill rose), so the report can name every one */
	bool oom_group;
	uint64_t oom_group_kills;      /* rise of memory.events oom_group_kill */
	unsigned ngroup_killed;        /* may exceed the entries kept */
	struct {
		int pid;
		char comm[16];
		char role[8];          /* "target", "balloon", "child" */
	} group_killed[8];

	/* the kernel's own account (/dev/kmsg "oom-kill:" lines) of kills in the scenario's
	 * groups and the groups below them (a container runtime's); known = it could be read */
	bool kernel_known;
	unsigned kernel_kills;
	unsigned nested_kills;   /* of those, in groups below the scenario's own: counted by no
				    counter the runner reads (their group may be gone already) */
	uint64_t t_kernel_kill;  /* ns from the start of the run to the first, kernel's clock */
	uint64_t t_kernel_kill_read; /* when the runner read that record (its own clock) */
	int kernel_victim_pid;   /* the first victim, as the kernel named it */
	char kernel_victim[16];

	/* pressure over the run, from the scenario group's creation to the end of observation
	 * (run/pressure.c): stall times from the group's own PSI (psi_known: v2 memory.pressure;
	 * v1's machine-wide PSI is not evidence about one group) over the wall time between */
	bool psi_known;
	uint64_t psi_window_us, stall_some_us, stall_full_us;
	uint64_t high_events;    /* rise of v2 memory.events high */
	uint64_t max_events;     /* rise of v2 memory.events max (v1 memory.failcnt) */
	/* protection: the target's group (its own child with placement = sibling) */
	bool refaults_known;     /* its memory.stat has workingset_refault_* (v2) */
	uint64_t target_refaults;   /* pages evicted and faulted back in during the run */
	uint64_t target_low_events; /* rise of its memory.events low: reclaimed below memory.low */
	/* swap */
	uint64_t swap_peak;      /* highest swap use of the scenario's group (v2 swap.current) */
	/* the group's charge by kind (memory.stat), highest over the samples */
	uint64_t anon_peak, file_peak, shmem_peak, unevictable_peak;
	uint64_t balloon_peak;   /* most the balloon had touched or written (its progress lines) */
	uint64_t balloon_swap;   /* swap held by the balloon's own group at the end (sibling) */
	bool pswp_known;
	uint64_t pswpout, pswpin; /* pages the machine swapped out / in during the run
				     (/proc/vmstat: machine-wide, an upper bound for the group) */

	bool timed_out;
	bool not_ready;          /* the timeout was the target's ready timeout */
	char not_ready_why[192]; /* what the readiness probe's last try saw ("" = none) */
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
 *  1. hung: hang_detected with oom_kill_disable (v1: the memcg OOM wait), or with oom_exempt
 *     and memory.events oom risen during the hang (v2: the OOM livelock); hang_detected
 *     alone proves nothing;
 *  2. oom_killed: a tracked process (target, balloon if has_balloon) not killed by the harness
 *     died of SIGKILL and its oom_kill_seen stood above the base by more kills than were
 *     already credited to a process reaped before it (two SIGKILLs and a rise of one are one OOM
 *     kill, credited to the first reaped); victim = target, balloon or both;
 *  3. oom_killed, victim other: oom_kill_final > base with no tracked process credited (e.g. a
 *     child of the target), whatever became of the target (even SIGSEGV or exit 3);
 *  3b. throttled: throttle_detected with memory.events high risen and the group stalled
 *     (PSI full) at least half of the window (v2 memory.high);
 *  4. timeout (ready timeout when not_ready). Rules 1-3b beat a timeout only for events by
 *     t_end (hang or throttling detected / OOM death at or before it); an OOM death after
 *     t_end loses to it;
 *  5. none: the target never started (nothing to judge);
 *  6. exited (non-zero status) / killed (any signal: SIGSEGV, or a SIGKILL without a rise),
 *     both only when the target ended on its own (by_harness = cleanup, counts as alive);
 *  7. reclaimed: lazyfree_peak - lazyfree_low >= reclaim_threshold and > 0;
 *  8. survived.
 * t_outcome is measured from t_pressure (0 if the event came earlier) to: the first credited
 * death (oom_killed), t_first_oom or else t_end (victim other), t_hang_detected (hung),
 * t_lazyfree_low (reclaimed), the target's end (exited, killed), t_end (survived, timeout). */
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
	uint64_t max_peak_usage; /* bytes; 0 = unchecked */
	int load_exit;         /* the status a [load] that ended the run must have; -1 = any */
	/* pressure and protection maxima (verdict/pressure.c); unchecked unless *_given */
	bool stall_some_given, stall_full_given, high_events_given, max_events_given,
	     refaults_given;
	uint64_t max_stall_some, max_stall_full; /* thousandths of a percent of the run */
	uint64_t max_high_events, max_max_events;
	uint64_t max_refaults;  /* bytes */
	uint64_t page_size;     /* bytes per page, for refaults; 0 = 4096 */
	/* the group's charge by kind must have reached these (bytes; 0 = unchecked) */
	uint64_t min_peak_file, min_peak_shmem, min_peak_unevictable;
};

/* True when the result meets the expectation; otherwise why (may be NULL) says what differed,
 * failures "; "-separated ("expected survived, got oom_killed: <summary>"). outcome 0 = any.
 * victim, max_time, exit_code (when the verdict is exited) and signal (a signal number, when the
 * verdict is killed) are checked only once the outcome matches; min_reclaimed, max_lazyfree and
 * min_peak_usage always. */
bool verdict_expect(const struct expectation *e, const struct verdict_result *r,
		    const struct observation *o, char *why, size_t whylen);

/* The pressure and protection maxima of e against o, whatever the outcome: the share of the
 * run stalled (some, full), the high and max events, the target's refaults. Appends one
 * "; "-separated reason per failure to why at *used (which it advances) and returns how many
 * failed. A maximum whose counter could not be read fails, saying so. */
int pressure_expect(const struct expectation *e, const struct observation *o, char *why,
		    size_t whylen, size_t *used);

/* The share of the run stalled, in thousandths of a percent (0 when the window is empty). */
uint64_t pressure_share(uint64_t stall_us, uint64_t window_us);

const char *verdict_name(enum verdict v);
const char *victim_name(enum victim v);

#endif
