/* State of one running scenario, shared by monitor.c (setup, loop, cleanup) and observe.c
 * (what each event tells). Internal to the runner. */
#ifndef RUNSTATE_H
#define RUNSTATE_H

#include "hang.h"
#include "monitor.h"
#include "pressure.h"
#include "proc.h"
#include "ready.h"
#include "spawn.h"

#include <regex.h>
#include <stdio.h>

#define TAIL_LINES 6

struct linebuf {
	char buf[4096];
	size_t len;
};

/* A child the runner started: target, balloon or load. */
struct tracked {
	const char *role;
	struct spawned sp;
	struct proc_end *end; /* lives in the observation */
	struct linebuf out, err;
	char tail[TAIL_LINES][200]; /* last lines it printed, for diagnostics */
	unsigned ntail;
	FILE *log;            /* everything it printed (DIR/NAME/ROLE.log), or NULL */
};

/* epoll tags: a child's pid, stdout and stderr tags follow each other (start_child) */
enum tag { T_TICK = 1, T_DEADLINE, T_SIGNAL, T_OOM, T_TGT_PID, T_TGT_OUT, T_TGT_ERR,
	   T_BAL_PID, T_BAL_OUT, T_BAL_ERR, T_LOAD_PID, T_LOAD_OUT, T_LOAD_ERR, T_PROBE,
	   T_KMSG };

struct run {
	const struct scenario *sc;
	const struct monitor_opts *mo;
	struct scenario_result *res;
	struct observation *obs;
	struct cg_group grp[3]; /* [0] the limited group; [1] target, [2] balloon if sibling */
	int ngrp;
	struct cg_group *tgt_grp, *bal_grp;
	struct tracked target, balloon, load;
	/* Beside the scenario's group, without a limit: the load, and podman (with its conmon)
	 * for a target in a container; created only for those. */
	struct cg_group out_grp;
	char container[PATH_MAX];  /* the container's name (= the scenario group's), or "" */
	bool target_seen;          /* a sample found a task in the target's group */
	bool load_started;
	uint64_t t_load_due;       /* absolute: ready + [load] start_delay */
	struct ready_probe probe;  /* ready = tcp, http, file, exec */
	bool probing;
	int probe_watched;         /* the probe fd in the epoll set, or -1 */
	uint32_t probe_events;
	int kmsg_fd;               /* /dev/kmsg from the start of the run, or -1 */
	int kmsg_pid;              /* the victim of the latest oom-kill: record (0: none) */
	/* After an OOM notification /dev/kmsg is read every KMSG_POLL_NS for a short while: the
	 * kernel may wake its readers as late as the next tick (a deferred klogd wake-up), while
	 * the kill's record is readable at once. 0 = no window open. */
	uint64_t kmsg_poll_until, kmsg_poll_next, kmsg_poll_opened; /* absolute */
	unsigned nested_tgt, nested_bal; /* kernel-logged kills below the target's / balloon's
					    group, in groups not ours */
	regex_t ready_re;          /* ready_regex, compiled once */
	bool has_ready_re;
	int epfd, tick_fd, dl_fd;
	uint64_t t0;             /* CLOCK_MONOTONIC at setup */
	uint64_t t_target_start, t_ready, t_balloon_due; /* absolute */
	struct hang_tracker hang; /* the hang proof (run/hang.c) */
	uint64_t hang_cpu0;       /* the target's CPU time when the stretch began */
	bool ready, balloon_started, stop;
	bool stopping;           /* the run is over: exits now are the harness's doing */
	uint64_t balloon_bytes;
	uint64_t grp_oom_base[3]; /* oom_kill of each group at the start */
	uint64_t grp_group_kill_base; /* memory.events oom_group_kill of grp[0] at the start */
	uint64_t lazyfreed_base;  /* pglazyfreed at the start */
	struct cg_counters last; /* of grp[0], from the latest sample */
	char phase[24];          /* the latest event: what the status line shows */
	struct cg_counters prev; /* of grp[0], from the sample before it */
	uint64_t t_prev;         /* absolute time of prev; 0 = none yet */
	uint64_t oom_kill_last;  /* oom_kill summed over the groups at the latest sample */
	/* throttling at memory.high: where the stalled window began */
	uint64_t throttle_since, throttle_full0, throttle_high0, throttle_rss0;
	uint64_t t_oom_logged;   /* the last "oom" event written (v2 can have hundreds a second) */
	struct pressure_base pbase; /* counters at the start: pressure.c */
	/* smaps_rollup (LazyFree) walks the target's page tables: it is read on a time budget
	 * (observe.c), so a big target slows the LazyFree reading, never the other counters */
	uint64_t t_walk;           /* absolute: the latest walk (0: none yet) */
	uint64_t walk_cost, walk_rss; /* what it took (ns) and the target's Rss then */
	uint64_t lazyfree;         /* the latest figure: walked, or carried (observe.c) */
	uint64_t lazy_walked, t_lazyfree; /* the latest walk's figure and when (absolute) */
	struct statm_kept statm;   /* the target's /proc/PID/statm, kept open */
	uint64_t lazy_est;         /* the group's MADV_FREE pages by its LRU counters (bytes,
				      cg_lazy_estimate) at the latest walk */
};

/* How a sample knows the target's LazyFree: a walk of its page tables (or, with none at the
 * latest walk and none freed since, without one), carried from the latest walk by the group's
 * count, or not as of now (the latest walk's figure, LAZY_OLD). */
enum lazy_src { LAZY_OLD, LAZY_WALKED, LAZY_CARRIED };

static inline uint64_t run_rel(const struct run *r, uint64_t abs_ns)
{
	return abs_ns > r->t0 ? abs_ns - r->t0 : 0;
}

/* observe.c */
void observe_sample(struct run *r);
void observe_lazyfree_final(struct run *r);
void observe_oom(struct run *r);
void observe_output(struct run *r, struct tracked *p, bool is_err);
void observe_reap(struct run *r, bool by_harness);
void observe_reaped(struct run *r, pid_t pid, int status, bool by_harness);
/* oom_kill summed over the scenario's groups; top: grp[0]'s counters if just read, or NULL. */
uint64_t observe_oom_kills(struct run *r, const struct cg_counters *top);
void observe_start(struct run *r);
/* What /dev/kmsg logged since the last call (OOM kills in the scenario's groups). */
void observe_kmsg(struct run *r);
/* The read of /dev/kmsg that is due in the window an OOM notification opened (at now). */
void observe_kmsg_poll(struct run *r, uint64_t now);
void observe_finish(struct run *r);

/* children.c: starting the target, the balloon, the load */
int run_start_target(struct run *r);
int run_start_balloon(struct run *r);
int run_start_load(struct run *r);

/* probe.c: the readiness probe inside the loop */
void probe_begin(struct run *r);
uint64_t probe_due(const struct run *r);
void probe_try(struct run *r);
void probe_event(struct run *r);
bool probe_reaped(struct run *r, pid_t pid, int status);
void probe_end(struct run *r);
/* Why the target is not ready yet ("" when nothing was probed). */
const char *probe_last(const struct run *r);

/* loop.c: shared by monitor.c and observe.c */
/* An event of the timeline ("cgroup", "oom", ...), printed at once with -v. */
void run_event(struct run *r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line for the TAP diagnostics of this scenario. */
void run_diag(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds fd to the loop's epoll set under tag; removes and closes it (sets *fd = -1). */
int run_watch(struct run *r, int fd, enum tag tag);
void run_unwatch(struct run *r, int *fd);
/* The harness itself failed (BROK): keeps the first reason and ends the run. */
void run_broke(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The target became ready (line, rss, delay or start): the balloon is due. */
void run_set_ready(struct run *r, const char *how);

#endif
