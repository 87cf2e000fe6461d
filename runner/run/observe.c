/* What each event of a running scenario tells the monitor: samples of counters and of the
 * target's memory, the hang check, OOM notifications, child output and child exits. Every
 * fact that a verdict rests on is recorded into the observation here. */
#include "runstate.h"
#include "msg.h"
#include "kmsg.h"
#include "progress.h"
#include "status.h"
#include "units.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS 4096

/* The oom_kill counters of every scenario group, summed: on v1 a kill is counted in the
 * victim's own group, which is a child group with placement = sibling. */
uint64_t observe_oom_kills(struct run *r, const struct cg_counters *top)
{
	uint64_t sum = top ? top->oom_kill : 0, n;

	for (int i = top ? 1 : 0; i < r->ngrp; i++)
		if (r->grp[i].created && r->mo->env->ops->oom_kills(&r->grp[i], &n) == 0)
			sum += n;
	/* and the kills the kernel logged in groups below ours, which no counter of ours has */
	return sum + r->nested_tgt + (r->bal_grp != r->tgt_grp ? r->nested_bal : 0);
}

/* Is the kernel's cgroup path one of the scenario's own groups? */
static bool our_group(const struct run *r, const char *path)
{
	for (int i = 0; i < r->ngrp; i++)
		if (path[0] == '/' && strcmp(path + 1, r->grp[i].name) == 0)
			return true;
	return false;
}

/* A "Killed process" record names no group: the victim's is read from /proc (it is still
 * exiting when the record is read), else it is one of our children's. false: not ours to
 * know, or the same kill as the oom-kill: record read just before it. */
static bool place_victim(struct run *r, struct kmsg_kill *k)
{
	const struct tracked *ps[] = { &r->target, &r->balloon };

	if (k->pid == r->kmsg_pid)
		return false;
	if (proc_memcg(k->pid, k->task_memcg, sizeof(k->task_memcg)) < 0) {
		k->task_memcg[0] = '\0';
		for (size_t i = 0; i < 2; i++)
			if (ps[i]->sp.pid == k->pid)
				snprintf(k->task_memcg, sizeof(k->task_memcg), "/%.*s",
					 (int)sizeof(k->task_memcg) - 2,
					 (ps[i] == &r->target ? r->tgt_grp : r->bal_grp)->name);
		if (!k->task_memcg[0])
			return false;
	}
	return true;
}

static void on_kernel_kill(const struct kmsg_kill *rec, void *ctx)
{
	struct run *r = ctx;
	struct observation *o = r->obs;
	struct kmsg_kill copy = *rec, *k = &copy;
	char group[PATH_MAX + 2];
	uint64_t t = k->t_us * 1000;
	bool named = k->oom_memcg[0] != '\0';

	if (named)
		r->kmsg_pid = k->pid; /* its "Killed process" line follows: the same kill */
	else if (!place_victim(r, k))
		return;
	snprintf(group, sizeof(group), "/%s", r->grp[0].name);
	if (!kmsg_in_group(k->oom_memcg, group) && !kmsg_in_group(k->task_memcg, group))
		return;
	if (!o->kernel_kills++) {
		o->t_kernel_kill = run_rel(r, t);
		o->t_kernel_kill_read = run_rel(r, now_ns());
		o->kernel_victim_pid = k->pid;
		snprintf(o->kernel_victim, sizeof(o->kernel_victim), "%.*s",
			 (int)sizeof(o->kernel_victim) - 1, k->task);
	}
	if (!our_group(r, k->task_memcg)) {
		char tg[PATH_MAX + 2];

		o->nested_kills++;
		snprintf(tg, sizeof(tg), "/%s", r->bal_grp->name);
		if (r->bal_grp != r->tgt_grp && kmsg_in_group(k->task_memcg, tg))
			r->nested_bal++;
		else
			r->nested_tgt++;
	}
	if (named)
		run_event(r, "kernel_oom_kill", "the kernel killed %s (pid %d) in %s at %.3f s (limit "
			  "hit in %s)", k->task, k->pid, k->task_memcg, (double)run_rel(r, t) / 1e9,
			  k->oom_memcg);
	else
		run_event(r, "kernel_oom_kill", "the kernel killed %s (pid %d) in %s at %.3f s (its "
			  "oom-kill: line, which names the group whose limit was hit, was rate-limited)",
			  k->task, k->pid, k->task_memcg, (double)run_rel(r, t) / 1e9);
}

void observe_kmsg(struct run *r)
{
	if (r->kmsg_fd >= 0)
		kmsg_drain(r->kmsg_fd, on_kernel_kill, r);
}

/* The kill follows an OOM notification by about a millisecond; the kernel's wake-up of
 * /dev/kmsg readers may wait for the next tick (4 ms at HZ=250). So a notification opens a window
 * of KMSG_POLL_WINDOW in which the record is read every KMSG_POLL_NS, closed by the first
 * kill read; at most one window a second (a v2 livelock notifies hundreds of times). */
#define KMSG_POLL_NS (1 * NSEC_PER_MSEC)
#define KMSG_POLL_WINDOW (30 * NSEC_PER_MSEC)

static void kmsg_poll_open(struct run *r, uint64_t now)
{
	if (r->kmsg_fd < 0 || r->kmsg_poll_until ||
	    (r->kmsg_poll_opened && now - r->kmsg_poll_opened < NSEC_PER_SEC))
		return;
	r->kmsg_poll_opened = now;
	r->kmsg_poll_until = now + KMSG_POLL_WINDOW;
	r->kmsg_poll_next = now + KMSG_POLL_NS;
}

void observe_kmsg_poll(struct run *r, uint64_t now)
{
	unsigned before = r->obs->kernel_kills;

	if (!r->kmsg_poll_until || now < r->kmsg_poll_next)
		return;
	observe_kmsg(r);
	if (r->obs->kernel_kills > before || now >= r->kmsg_poll_until)
		r->kmsg_poll_until = 0;
	else
		r->kmsg_poll_next = now + KMSG_POLL_NS;
}

/* The target's processes: its own group's tasks, or the shared group's minus the balloon. */
static int target_pids(struct run *r, pid_t *pids, size_t max)
{
	int n = cg_pids(r->tgt_grp, pids, max), k = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (r->tgt_grp != r->bal_grp || pids[i] != r->balloon.sp.pid)
			pids[k++] = pids[i];
	return k;
}

/* Per group counters at the start, so a death is judged by its own group's count. */
void observe_start(struct run *r)
{
	struct cg_counters c;

	r->obs->oom_kill_base = 0;
	for (int i = 0; i < r->ngrp; i++)
		if (r->mo->env->ops->oom_kills(&r->grp[i], &r->grp_oom_base[i]) == 0)
			r->obs->oom_kill_base += r->grp_oom_base[i];
	r->obs->lazyfreed_known = vmstat_lazyfreed(&r->lazyfreed_base) == 0;
	if (r->mo->env->ops->read(&r->grp[0], &c, NULL, 0) == 0) {
		r->grp_group_kill_base = c.oom_group_kill;
		pressure_start(r, &c);
	} else {
		pressure_start(r, NULL);
	}
}

/* After a memory.oom.group kill every process of the group has a SIGKILL pending: let them
 * die and reap them before cleanup, so each is recorded as the kernel's doing (bounded). */
static void collect_group_kill(struct run *r)
{
	uint64_t deadline = now_ns() + 500 * NSEC_PER_MSEC;
	struct cg_counters c;
	pid_t pids[64];
	int left;

	if (!r->sc->oom_group || r->mo->env->ops->read(&r->grp[0], &c, NULL, 0) < 0 ||
	    c.oom_group_kill <= r->grp_group_kill_base)
		return;
	r->obs->oom_group_kills = c.oom_group_kill - r->grp_group_kill_base;
	do {
		struct timespec ts = { 0, 5 * 1000 * 1000 };

		observe_reap(r, false);
		left = 0;
		for (int i = 0; i < r->ngrp; i++) {
			int n = cg_pids(&r->grp[i], pids, 64);

			left += n > 0 ? n : 0;
		}
		if (left)
			nanosleep(&ts, NULL);
	} while (left && now_ns() < deadline);
	observe_reap(r, false);
}

/* Totals at the end of observation (before cleanup kills anything). */
void observe_finish(struct run *r)
{
	uint64_t now;

	collect_group_kill(r);
	r->obs->oom_kill_final = observe_oom_kills(r, NULL);
	pressure_finish(r);
	if (r->obs->lazyfreed_known && vmstat_lazyfreed(&now) == 0 && now >= r->lazyfreed_base)
		r->obs->lazyfreed_kernel = now - r->lazyfreed_base;
}

/* Every target task exempt from the OOM killer (oom_score_adj -1000)? */
static bool all_exempt(const pid_t *pids, int n)
{
	char path[64], buf[16];

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pids[i]);
		if (read_small_file(path, buf, sizeof(buf)) <= 0 || atoi(buf) != -1000)
			return false;
	}
	return n > 0;
}

/* Throttling at memory.high: usage over memory.high and the group fully stalled (PSI full:
 * every task waiting on memory) at least half the time from one sample to the next, unbroken
 * for hang_after, with memory.events high risen over that window. (The high count comes in
 * bursts, one per return to user space after a penalty sleep of up to 2 s: it is judged over
 * the window, not per sample.) */
static void check_throttle(struct run *r, const struct cg_counters *c, uint64_t rss)
{
	uint64_t now = now_ns(), dt_us = r->t_prev ? (now - r->t_prev) / 1000 : 0;
	bool stalled = dt_us && c->high && c->usage > c->high && c->psi.known &&
		       !c->psi.system_wide && c->psi.full_total >= r->prev.psi.full_total &&
		       (c->psi.full_total - r->prev.psi.full_total) * 2 >= dt_us;

	if (!stalled) {
		if (r->throttle_since)
			run_event(r, "throttle_left", "the group ran more than half the time, or "
				  "memory.high stopped acting");
		r->throttle_since = 0;
		return;
	}
	if (!r->throttle_since) {
		r->throttle_since = r->t_prev;
		r->obs->t_throttle_start = run_rel(r, r->t_prev);
		r->throttle_full0 = r->prev.psi.full_total;
		r->throttle_high0 = r->prev.ev_high;
		r->throttle_rss0 = rss;
		run_event(r, "throttled", "usage %llu MiB over memory.high %llu MiB, memory.events "
			  "high %llu, PSI full +%llu ms in %llu ms", (unsigned long long)to_mib(c->usage),
			  (unsigned long long)to_mib(c->high), (unsigned long long)c->ev_high,
			  (unsigned long long)((c->psi.full_total - r->prev.psi.full_total) / 1000),
			  (unsigned long long)(dt_us / 1000));
	} else if (now - r->throttle_since >= r->hang.hang_after && !r->obs->throttle_detected &&
		   c->ev_high > r->throttle_high0) {
		struct observation *o = r->obs;

		o->throttle_detected = true;
		o->t_throttle_detected = run_rel(r, now);
		o->high = c->high;
		o->throttle_full_us = c->psi.full_total - r->throttle_full0;
		o->throttle_high_events = c->ev_high - r->throttle_high0;
		o->throttle_growth = rss > r->throttle_rss0 ? rss - r->throttle_rss0 : 0;
		run_event(r, "throttle", "stalled %.0f%% of %.2f s at memory.high: throttled",
			  100.0 * (double)o->throttle_full_us / ((double)(now - r->throttle_since) / 1e3),
			  (double)(now - r->throttle_since) / 1e9);
		r->stop = true;
	}
}

/* Where the target's threads are: the report of a hang and the count of threads in the
 * memcg OOM wait that the v1 rule needs. */
static void take_census(const pid_t *pids, int n, struct census *cs)
{
	memset(cs, 0, sizeof(*cs));
	for (int i = 0; i < n; i++)
		proc_census_add(pids[i], cs);
}

static void record_hang(struct run *r, const struct cg_counters *c, const struct census *cs)
{
	struct observation *o = r->obs;
	const struct hang_tracker *h = &r->hang;

	o->hang_detected = true;
	o->oom_exempt = h->mode == HANG_LIVELOCK;
	o->t_hang_start = run_rel(r, h->since);
	o->t_hang_detected = run_rel(r, h->prev.t);
	o->oom_at_hang_start = h->first.oom_events;
	o->oom_at_hang_detected = c->oom;
	if (!o->usage_at_oom)
		o->usage_at_oom = c->usage;
	o->hang_threads = cs->threads;
	o->hang_in_wait = cs->in_oom_wait;
	o->hang_running = cs->running;
	o->hang_asleep = cs->asleep + cs->blocked;
	o->hang_cpu_ns = cs->cpu_ns > r->hang_cpu0 ? cs->cpu_ns - r->hang_cpu0 : 0;
	census_text(cs, r->hang.mode == HANG_LIVELOCK, o->hang_states, sizeof(o->hang_states));
}

/* The hang check of each sample (run/hang.c has the rules). The threads are looked at only
 * while the group is under OOM (v1) or its limit is being hit (v2), so an ordinary sample
 * costs nothing more. */
static void check_hang(struct run *r, const struct cg_counters *c, const pid_t *pids, int n,
		       uint64_t procs)
{
	struct hang_facts f = { .t = now_ns(), .under_oom = c->under_oom, .oom_events = c->oom,
				.oom_kill = r->oom_kill_last, .usage = c->usage,
				.charges = c->charges, .uncharges = c->uncharges, .procs = procs };
	bool hitting = r->hang.mode == HANG_OOM_WAIT ? c->under_oom : c->oom > r->prev.oom;
	struct census cs = { 0 };
	char states[256];

	if (r->hang.mode == HANG_OFF)
		return;
	if (hitting) {
		take_census(pids, n, &cs);
		f.in_wait = cs.in_oom_wait;
		f.all_exempt = r->hang.mode == HANG_LIVELOCK && all_exempt(pids, n);
	}
	switch (hang_step(&r->hang, &f)) {
	case HANG_STEP_START:
		r->hang_cpu0 = cs.cpu_ns;
		census_text(&cs, r->hang.mode == HANG_LIVELOCK, states, sizeof(states));
		if (r->hang.mode == HANG_OOM_WAIT)
			run_event(r, "oom_wait", "%s; under_oom 1, usage %llu MiB", states,
				  (unsigned long long)to_mib(c->usage));
		else
			run_event(r, "oom_livelock", "every target task at oom_score_adj -1000, "
				  "memory.events oom %llu -> %llu, oom_kill %llu; %s",
				  (unsigned long long)r->prev.oom, (unsigned long long)c->oom,
				  (unsigned long long)r->oom_kill_last, states);
		break;
	case HANG_STEP_LEFT:
		run_event(r, r->hang.mode == HANG_OOM_WAIT ? "oom_wait_left" : "livelock_left", "%s",
			  r->hang.why);
		break;
	case HANG_STEP_DETECTED:
		record_hang(r, c, &cs);
		if (r->hang.mode == HANG_OOM_WAIT)
			run_event(r, "hang", "no progress for %.2f s (nothing charged or uncharged, "
				  "usage %llu MiB unchanged): hung; %s",
				  (double)(r->hang.prev.t - r->hang.since) / 1e9,
				  (unsigned long long)to_mib(c->usage), r->obs->hang_states);
		else
			run_event(r, "hang", "no victim for %.2f s (memory.events oom %llu -> %llu): "
				  "hung; %s", (double)(r->hang.prev.t - r->hang.since) / 1e9,
				  (unsigned long long)r->obs->oom_at_hang_start,
				  (unsigned long long)c->oom, r->obs->hang_states);
		r->stop = true;
		break;
	default:
		break;
	}
}

static void track_lazyfree(struct observation *o, uint64_t t, uint64_t lazy)
{
	if (lazy > o->lazyfree_peak) {
		o->lazyfree_peak = o->lazyfree_low = lazy;
		o->t_lazyfree_peak = o->t_lazyfree_low = t;
	} else if (lazy < o->lazyfree_low) {
		o->lazyfree_low = lazy;
		o->t_lazyfree_low = t;
	}
}

/* The target's memory: Rss and anon from statm every sample (O(1)). LazyFree needs
 * smaps_rollup, a walk of the target's page tables (some 2 ms for 256 MiB here, 30 ms for
 * 8 GiB). Between walks the group's own count of MADV_FREE pages (cg_lazy_estimate, from the
 * memory.stat read this sample anyway) carries the figure: the latest walk's, moved by what
 * the count moved since (cg_lazy_carry). That holds while the count is the target's alone:
 * nothing else in the scenario's groups frees lazily (lazy_carried). The walks then only
 * correct what moves no counter (pages the target wrote to again after freeing them stay on
 * the file LRU until reclaim looks at them), on a budget of 1/SMAPS_CARRY_DUTY of the time.
 * Where the count is not the target's alone (a balloon that releases with MADV_FREE), a move
 * of LAZY_MOVED since the latest walk sets off a walk, at most 1/SMAPS_MOVED_DUTY of the time,
 * else walks come on a budget of 1/SMAPS_DUTY; the figure is the latest walk's, and while the
 * target had none and the count did not move, it has none, known without a walk. */
#define LAZY_MOVED (1ull << 20)
#define SMAPS_MOVED_DUTY 10    /* 10 %, while it changes */
#define SMAPS_DUTY 500         /* 0.2 %, while nothing says it did */
#define SMAPS_CARRY_DUTY 2000  /* 0.05 %, while the count carries the figure, */
#define CARRY_MIN_GAP NSEC_PER_SEC /* and never sooner than 1 s after the latest walk */
#define PAGE_BYTES 4096.0 /* the least a walk's Rss is counted as */

/* Whether the group's MADV_FREE count is the target's alone: no balloon, or one that never
 * frees lazily (the load generator runs outside the scenario's groups). */
static bool lazy_carried(const struct run *r)
{
	return !r->sc->has_balloon || r->sc->balloon.release != REL_FREE;
}

/* Walks the target's processes for their LazyFree; est: the group's count now, rss: the
 * target's Rss. Returns how many were read. */
static int walk_lazyfree(struct run *r, uint64_t est, uint64_t rss, const pid_t *pids, int n,
			 uint64_t t)
{
	struct proc_mem sm = { 0 };
	uint64_t cpu0 = cpu_ns();
	int read_ok = 0;

	for (int i = 0; i < n; i++)
		if (proc_mem_add(pids[i], &sm) == 0)
			read_ok++;
	r->obs->sample_cpu[SRC_SMAPS] += cpu_ns() - cpu0;
	r->walk_cost = now_ns() - t;
	r->walk_rss = rss;
	r->t_walk = t;
	r->lazy_est = est;
	r->lazyfree = r->lazy_walked = sm.lazyfree;
	r->t_lazyfree = t;
	r->obs->lazyfree_walks++;
	return read_ok;
}

/* Whether a walk is due: the time since the latest one pays for the next at 1/duty of the
 * time, and is min_gap at least. A walk costs in proportion to what the target maps, so the
 * next one is the latest's cost scaled by the target's Rss now against then: a target walked
 * while small and grown big since is not walked again at once. */
static bool walk_due(const struct run *r, uint64_t t, uint64_t rss, uint64_t duty,
		     uint64_t min_gap)
{
	double then = r->walk_rss > PAGE_BYTES ? (double)r->walk_rss : PAGE_BYTES;
	double now = rss > PAGE_BYTES ? (double)rss : PAGE_BYTES;
	double gap = (double)r->walk_cost * now / then * (double)duty;

	return (double)(t - r->t_walk) >= (gap > (double)min_gap ? gap : (double)min_gap);
}

/* Whether the group's count moved enough since the latest walk to say LazyFree changed. */
static bool lazy_moved(const struct run *r, uint64_t est)
{
	return est > r->lazy_est + LAZY_MOVED || est + LAZY_MOVED < r->lazy_est;
}

/* Reads the target's processes (n of them): Rss and anon into m, and LazyFree into
 * r->lazyfree when it is known as of now (*src says how: enum lazy_src). Returns how many
 * processes were read. */
static int sample_target(struct run *r, const struct cg_counters *c, const pid_t *pids, int n,
			 struct proc_mem *m, enum lazy_src *src, uint64_t *procs)
{
	uint64_t t = now_ns(), est = cg_lazy_estimate(c);
	bool carried = lazy_carried(r), moved;
	int read_ok = 0;

	*procs = 0;
	for (int i = 0; i < n; i++) {
		uint64_t before = m->rss;

		/* one that just exited adds nothing */
		if (proc_statm_add_kept(&r->statm, pids[i], m) == 0)
			read_ok++;
		*procs = hang_procs_add(*procs, (int)pids[i], m->rss - before);
	}
	statm_kept_sweep(&r->statm, false);
	moved = lazy_moved(r, est);
	*src = LAZY_WALKED;
	if (!r->t_walk) /* the first sample: walked at once (the target is small yet) */
		return walk_lazyfree(r, est, m->rss, pids, n, t);
	if (carried) {
		/* moves under LAZY_MOVED are within the count's own lag */
		r->lazyfree = cg_lazy_carry(r->lazy_walked, r->lazy_est,
					    moved ? est : r->lazy_est, m->anon);
		*src = LAZY_CARRIED;
		if ((!moved && r->lazy_walked == 0) ||
		    !walk_due(r, t, m->rss, SMAPS_CARRY_DUTY, CARRY_MIN_GAP))
			return read_ok;
		*src = LAZY_WALKED;
		return walk_lazyfree(r, est, m->rss, pids, n, t);
	}
	if (!moved && r->lazyfree == 0) {
		r->t_lazyfree = t;
		return read_ok;
	}
	if (!walk_due(r, t, m->rss, moved ? SMAPS_MOVED_DUTY : SMAPS_DUTY, 0)) {
		*src = LAZY_OLD;
		return read_ok;
	}
	return walk_lazyfree(r, est, m->rss, pids, n, t);
}

/* One more walk as the run ends, before anything is stopped: with walks on a budget the
 * latest one can be a minute old, and the verdict weighs the LazyFree seen last. Carried, the
 * figure is as of the latest sample, but only a walk sees pages the target wrote to again:
 * the walk confirms a fall the count saw (reclaim leaves the file LRU, so the count misses
 * none). Not for a run that hung or was interrupted: nothing is weighed then, and the stop
 * must not wait. */
void observe_lazyfree_final(struct run *r)
{
	static pid_t pids[MAX_PIDS];
	uint64_t t = now_ns(), est = cg_lazy_estimate(&r->last);
	int n;

	if (!r->grp[0].created || r->stopping || r->target.sp.pid <= 0 || r->target.end->ended ||
	    r->obs->hang_detected || r->res->interrupted || !r->t_walk)
		return;
	/* none at the latest walk and none freed since (as the shortcut in sample_target) */
	if (r->lazyfree == 0 && !lazy_moved(r, est))
		return;
	if (lazy_carried(r) && r->obs->lazyfree_peak < r->obs->lazyfree_low + LAZY_MOVED)
		return;
	n = target_pids(r, pids, MAX_PIDS);
	/* the last walk: its Rss sets the time of no other */
	if (n > 0 && walk_lazyfree(r, est, r->walk_rss, pids, n, t) > 0)
		track_lazyfree(r->obs, run_rel(r, t), r->lazyfree);
}

void observe_sample(struct run *r)
{
	static pid_t pids[MAX_PIDS];
	struct sample s = { 0 };
	struct proc_mem m = { 0 };
	struct cg_counters c;
	char err[256];
	uint64_t t = now_ns(), cpu0 = cpu_ns(), cpu1, smaps0;
	uint64_t procs;
	enum lazy_src src;
	int n, read_ok;

	if (!r->grp[0].created)
		return;
	r->obs->sample_cpu_n++;
	if (r->mo->env->ops->read(&r->grp[0], &c, err, sizeof(err)) < 0) {
		run_diag(r, "sample: %s", err);
		return;
	}
	r->last = c;
	s.t = run_rel(r, t);
	s.usage = c.usage;
	s.limit = c.limit;
	s.high = c.high;
	s.failcnt = c.failcnt;
	s.memsw_usage = c.memsw_usage;
	s.memsw_limit = c.memsw_limit;
	s.under_oom = c.under_oom;
	s.oom = c.oom;
	s.ev_high = c.ev_high;
	s.pgfault = c.pgfault;
	s.pgmajfault = c.pgmajfault;
	s.anon = c.anon;
	s.file = c.file;
	s.shmem = c.shmem;
	s.unevictable = c.unevictable;
	s.psi_known = c.psi.known;
	s.psi_system_wide = c.psi.system_wide;
	s.psi_some_avg10 = c.psi.some_avg10;
	s.psi_full_avg10 = c.psi.full_avg10;
	s.psi_some_total = c.psi.some_total;
	s.psi_full_total = c.psi.full_total;
	s.oom_kill = observe_oom_kills(r, &c); /* grp[0] was just read: not again */
	r->oom_kill_last = s.oom_kill;
	cpu1 = cpu_ns();
	r->obs->sample_cpu[SRC_CGROUP] += cpu1 - cpu0;

	smaps0 = r->obs->sample_cpu[SRC_SMAPS];
	n = target_pids(r, pids, MAX_PIDS);
	if (n > 0)
		r->target_seen = true;
	read_ok = sample_target(r, &c, pids, n, &m, &src, &procs);
	cpu0 = cpu_ns();
	r->obs->sample_cpu[SRC_TASKS] += cpu0 - cpu1 - (r->obs->sample_cpu[SRC_SMAPS] - smaps0);
	s.target_rss = m.rss;
	s.target_anon = m.anon;
	s.target_lazyfree = n > 0 ? r->lazyfree : 0;
	s.lazyfree_age = src == LAZY_WALKED || !r->t_lazyfree ? 0 : t - r->t_lazyfree;
	s.lazyfree_carried = src == LAZY_CARRIED;
	s.balloon_bytes = r->balloon_bytes;
	s.cost = now_ns() - t;
	timeline_add_sample(&r->res->tl, &s);
	status_show(r->sc->name, s.t, r->phase, &s);
	/* The kernel's high-water mark misses nothing between two samples (a program that
	 * lives 0.3 s is sampled three times); usage only falls once the harness stops. */
	if (c.peak > r->obs->peak_usage)
		r->obs->peak_usage = c.peak;
	/* While the harness stops the run the timeline goes on (to the end of cleanup), but
	 * nothing seen then is evidence: an exiting target's LazyFree falls, and no hang starts. */
	if (r->stopping) {
		r->obs->sample_cpu[SRC_OTHER] += cpu_ns() - cpu0;
		return;
	}

	if (c.usage > r->obs->peak_usage)
		r->obs->peak_usage = c.usage;
	pressure_sample(r, &c, t);
	r->obs->limit = c.limit;
	/* Only a figure as of now, of every target process, says anything about LazyFree: an
	 * exiting target reads as 0, which is no reclaim. */
	if ((src == LAZY_WALKED ? read_ok > 0 : src == LAZY_CARRIED && read_ok == n) &&
	    r->target.sp.pid > 0 && !r->target.end->ended)
		track_lazyfree(r->obs, s.t, r->lazyfree);
	if (!r->ready && r->sc->ready == READY_RSS && m.rss >= r->sc->ready_rss)
		run_set_ready(r, "rss");
	check_hang(r, &c, pids, n, procs);
	if (r->sc->memory_high)
		check_throttle(r, &c, m.rss);
	if (c.oom_group_kill > r->obs->oom_group_kills + r->grp_group_kill_base)
		r->obs->oom_group_kills = c.oom_group_kill - r->grp_group_kill_base;
	r->prev = c;
	r->t_prev = t;
	r->obs->sample_cpu[SRC_OTHER] += cpu_ns() - cpu0;
}

void observe_oom(struct run *r)
{
	struct cg_counters c;
	int n = 0;

	for (int i = 0; i < r->ngrp; i++)
		n += r->mo->env->ops->oom_ack(&r->grp[i]);
	if (n <= 0)
		return;
	kmsg_poll_open(r, now_ns());
	if (!r->obs->oom_events) {
		r->obs->t_first_oom = run_rel(r, now_ns());
		/* v2 says so after the kill (memory.events changes with oom_kill), when the
		 * victim's memory is gone already: the highest usage seen stands for it */
		if (r->mo->env->ops->read(&r->grp[0], &c, NULL, 0) == 0)
			r->obs->usage_at_oom = c.usage;
		if (r->obs->usage_at_oom < r->obs->peak_usage)
			r->obs->usage_at_oom = r->obs->peak_usage;
	}
	r->obs->oom_events += (uint64_t)n;
	/* On v2 a livelock raises memory.events oom hundreds of times a second: one event line
	 * a second tells the story without flooding the timeline. */
	if (r->t_oom_logged && now_ns() - r->t_oom_logged < NSEC_PER_SEC)
		return;
	r->t_oom_logged = now_ns();
	run_event(r, "oom", "memcg OOM notification (%d, %llu in all), usage %llu MiB", n,
		  (unsigned long long)r->obs->oom_events,
		  (unsigned long long)to_mib(r->obs->usage_at_oom));
}

static void keep_tail(struct tracked *p, const char *line)
{
	snprintf(p->tail[p->ntail % TAIL_LINES], sizeof(p->tail[0]), "%s", line);
	p->ntail++;
}

static void balloon_line(struct run *r, const char *line)
{
	struct progress_event ev;

	if (progress_parse(line, &ev) < 0) {
		keep_tail(&r->balloon, line);
		return;
	}
	if (ev.has_bytes)
		r->balloon_bytes = ev.bytes;
	if (strcmp(ev.event, PROGRESS_TICK) == 0)
		return;
	if (strcmp(ev.event, PROGRESS_VERIFIED) == 0)
		run_event(r, "balloon_verified", "zero %llu, pattern %llu, other %llu pages",
			  (unsigned long long)ev.zero_pages, (unsigned long long)ev.pattern_pages,
			  (unsigned long long)ev.other_pages);
	else if (strcmp(ev.event, PROGRESS_ERROR) == 0)
		run_event(r, "balloon_error", "%s", ev.text);
	else {
		char what[24];

		snprintf(what, sizeof(what), "balloon_%s", ev.event);
		run_event(r, what, "%llu MiB%s%s", (unsigned long long)to_mib(ev.bytes),
			  ev.text[0] ? ", " : "", ev.text);
	}
}

/* ready = line: the line is in the stream looked at and matches ready_line or ready_regex. */
static bool ready_line(struct run *r, bool is_err, const char *line)
{
	const struct scenario *sc = r->sc;

	if (sc->ready_stream != STREAM_BOTH && (sc->ready_stream == STREAM_STDERR) != is_err)
		return false;
	if (sc->ready_line)
		return strstr(line, sc->ready_line) != NULL;
	return r->has_ready_re && regexec(&r->ready_re, line, 0, NULL, 0) == 0;
}

static void handle_line(struct run *r, struct tracked *p, bool is_err, const char *line)
{
	if (r->mo->verbose > 1) {
		status_clear();
		printf("# %s%s: %s\n", p->role, is_err ? " stderr" : "", line);
	}
	if (p->log)
		fprintf(p->log, "%9.3f %s %s\n", (double)run_rel(r, now_ns()) / 1e9,
			is_err ? "err" : "out", line);
	if (p == &r->balloon && !is_err) {
		balloon_line(r, line);
		return;
	}
	if (p == &r->target && !is_err) {
		struct progress_event ev;

		/* A balloon as target reports what its freed pages read back as. */
		if (progress_parse(line, &ev) == 0 && strcmp(ev.event, PROGRESS_VERIFIED) == 0) {
			run_event(r, "target_verified", "of its freed pages %llu read back zero "
				  "(discarded by the kernel), %llu still held the pattern",
				  (unsigned long long)ev.zero_pages,
				  (unsigned long long)ev.pattern_pages);
			r->obs->verify_zero_pages = ev.zero_pages;
			r->obs->verify_pattern_pages = ev.pattern_pages;
			r->obs->verified = true;
		}
	}
	keep_tail(p, line);
	if (p == &r->target && !r->ready && r->sc->ready == READY_LINE &&
	    ready_line(r, is_err, line))
		run_set_ready(r, is_err ? "a line on stderr" : "a line on stdout");
}

void observe_output(struct run *r, struct tracked *p, bool is_err)
{
	struct linebuf *lb = is_err ? &p->err : &p->out;
	int *fd = is_err ? &p->sp.err_fd : &p->sp.out_fd;
	ssize_t n;
	char *nl;

	/* At most 64 KiB per wake-up: a chatty child must not starve samples and deadlines. */
	for (int rounds = 0; rounds < 16; rounds++) {
		n = read(*fd, lb->buf + lb->len, sizeof(lb->buf) - 1 - lb->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) { /* EOF or error: the child closed it */
			if (lb->len) {
				lb->buf[lb->len] = '\0';
				handle_line(r, p, is_err, lb->buf);
				lb->len = 0;
			}
			run_unwatch(r, fd);
			return;
		}
		lb->len += (size_t)n;
		lb->buf[lb->len] = '\0';
		while ((nl = strchr(lb->buf, '\n')) != NULL) {
			*nl = '\0';
			handle_line(r, p, is_err, lb->buf);
			lb->len -= (size_t)(nl + 1 - lb->buf);
			memmove(lb->buf, nl + 1, lb->len + 1);
		}
		if (lb->len == sizeof(lb->buf) - 1) { /* an endless line: take it in pieces */
			handle_line(r, p, is_err, lb->buf);
			lb->len = 0;
		}
	}
}

static uint64_t own_group_kills(struct run *r, const struct tracked *p)
{
	struct cg_group *g = p == &r->target ? r->tgt_grp : r->bal_grp;
	int i = (int)(g - r->grp);
	uint64_t n, nested = p == &r->target ? r->nested_tgt : r->nested_bal;

	if (!g->created || r->mo->env->ops->oom_kills(g, &n) < 0 || n < r->grp_oom_base[i])
		return observe_oom_kills(r, NULL) - r->obs->oom_kill_base;
	if (i == 0 && r->ngrp > 1) /* the parent counts nothing of its own on v1 */
		return observe_oom_kills(r, NULL) - r->obs->oom_kill_base;
	return n - r->grp_oom_base[i] + nested;
}

/* podman's "Error: ..." line among the last ones it printed (else the last one). */
static const char *podman_error(const struct tracked *p)
{
	unsigned first = p->ntail > TAIL_LINES ? p->ntail - TAIL_LINES : 0;

	for (unsigned i = p->ntail; i > first; i--)
		if (strncmp(p->tail[(i - 1) % TAIL_LINES], "Error", 5) == 0)
			return p->tail[(i - 1) % TAIL_LINES];
	return p->ntail ? p->tail[(p->ntail - 1) % TAIL_LINES] : "it printed nothing";
}

static void record_end(struct run *r, struct tracked *p, int status, bool by_harness)
{
	struct proc_end *e = p->end;

	/* The kernel logs a kill before it sends the SIGKILL: whatever it logged is read now. */
	observe_kmsg(r);
	by_harness = by_harness || r->stopping;
	e->ended = true;
	e->by_harness = by_harness;
	e->pid = (int)p->sp.pid;
	e->t = run_rel(r, now_ns());
	e->signaled = WIFSIGNALED(status);
	e->code = e->signaled ? WTERMSIG(status) : WEXITSTATUS(status);
	/* podman run says 128+N when the container's main process died of signal N: that
	 * death is the target's (podman itself killed is the harness's SIGKILL, or a crash) */
	if (p == &r->target && r->container[0] && !e->signaled && e->code > 128 &&
	    e->code < 128 + NSIG) {
		e->signaled = true;
		e->code -= 128;
		run_event(r, "container_exit", "podman run exited with %d: the container's main "
			  "process died of signal %d (%s)", e->code + 128, e->code,
			  sigabbrev_np(e->code) ? sigabbrev_np(e->code) : "?");
	}
	/* 125 is podman's own failure ("the error is with podman itself"): before anything ran
	 * in the group, no workload of the scenario's said so */
	if (p == &r->target && r->container[0] && !e->signaled && e->code == 125 &&
	    !r->target_seen && !by_harness)
		run_broke(r, "podman could not run the container (exit 125): %s", podman_error(p));
	/* The kernel raises oom_kill before it sends the SIGKILL, so this read sees it. Only
	 * the process's own group counts (with placement = sibling the other one's kill is
	 * not its death), expressed against the scenario-wide base the verdict compares with. */
	/* The load lives outside the limit: no OOM kill of the scenario's is its death. */
	e->oom_kill_seen = r->obs->oom_kill_base + (p == &r->load ? 0 : own_group_kills(r, p));
	if (!by_harness) {
		if (e->signaled)
			run_event(r, "exit", "%s %s pid %d killed by signal %d (%s), oom_kill %llu -> "
				  "%llu", p->role, e->comm, (int)p->sp.pid, e->code,
				  sigabbrev_np(e->code) ? sigabbrev_np(e->code) : "?",
				  (unsigned long long)r->obs->oom_kill_base,
				  (unsigned long long)e->oom_kill_seen);
		else
			run_event(r, "exit", "%s %s pid %d exited with status %d after %.2f s",
				  p->role, e->comm, (int)p->sp.pid, e->code, (double)e->t / 1e9);
	}
	run_unwatch(r, &p->sp.pidfd);
}

/* With memory.oom.group a kill takes every process of the group: note each one that died of
 * a SIGKILL the runner did not send (comm read before the zombie was reaped). */
static void note_group_kill(struct run *r, pid_t pid, int status, const char *role,
			    const char *comm)
{
	struct observation *o = r->obs;
	unsigned i = o->ngroup_killed;

	if (!r->sc->oom_group || r->stopping || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGKILL)
		return;
	o->ngroup_killed++;
	if (i >= sizeof(o->group_killed) / sizeof(o->group_killed[0]))
		return;
	o->group_killed[i].pid = (int)pid;
	snprintf(o->group_killed[i].comm, sizeof(o->group_killed[i].comm), "%s",
		 comm && *comm ? comm : "?");
	snprintf(o->group_killed[i].role, sizeof(o->group_killed[i].role), "%s", role);
}

static void reaped(struct run *r, pid_t pid, int status, bool by_harness, const char *comm)
{
	struct tracked *ps[] = { &r->target, &r->balloon, &r->load };
	const char *role = "child";

	if (probe_reaped(r, pid, status))
		return;
	for (size_t i = 0; i < 3; i++)
		if (ps[i]->sp.pid == pid && !ps[i]->end->ended) {
			role = ps[i]->role;
			snprintf(ps[i]->end->comm, sizeof(ps[i]->end->comm), "%s", comm ? comm : "");
			record_end(r, ps[i], status, by_harness);
		}
	if (!by_harness)
		note_group_kill(r, pid, status, role, comm);
}

void observe_reaped(struct run *r, pid_t pid, int status, bool by_harness)
{
	reaped(r, pid, status, by_harness, NULL);
}

/* Reaps every child that has exited: ours, and orphans handed to us as subreaper. Each is
 * looked at first (WNOWAIT) so its name can still be read from /proc. */
void observe_reap(struct run *r, bool by_harness)
{
	char path[64], comm[32];
	siginfo_t si;
	int status;

	for (;;) {
		si.si_pid = 0;
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid <= 0)
			break;
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)si.si_pid);
		if (read_small_file(path, comm, sizeof(comm)) > 0)
			comm[strcspn(comm, "\n")] = '\0';
		else
			comm[0] = '\0';
		if (waitpid(si.si_pid, &status, WNOHANG) <= 0)
			break;
		reaped(r, si.si_pid, status, by_harness, comm);
	}
}
