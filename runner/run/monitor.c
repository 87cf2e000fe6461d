/* One scenario from start to verdict: create its cgroups, start the target, start the balloon
 * when the target is ready, watch everything in one epoll loop (pidfds, OOM eventfds, child
 * output, a sampling timerfd and a deadline timerfd), then kill, reap, remove and decide. */
#include "runstate.h"
#include "container.h"
#include "kmsg.h"
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

static const int signal_numbers[] = { 0, SIGSEGV, SIGABRT, SIGBUS, SIGKILL, SIGTERM, SIGILL,
				      SIGFPE, SIGINT }; /* SIGNAL_CHOICES order */

static int arm_timer(int fd, uint64_t abs_ns, uint64_t interval_ns)
{
	struct itimerspec its = { 0 };

	if (!abs_ns)
		abs_ns = 1; /* a zero it_value would disarm the timer: "at once" instead */
	its.it_value.tv_sec = (time_t)(abs_ns / NSEC_PER_SEC);
	its.it_value.tv_nsec = (long)(abs_ns % NSEC_PER_SEC);
	its.it_interval.tv_sec = (time_t)(interval_ns / NSEC_PER_SEC);
	its.it_interval.tv_nsec = (long)(interval_ns % NSEC_PER_SEC);
	return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

/* What the scenario's keys (or its profile) made of the groups beyond the limit. */
static void limits_event(struct run *r, const struct cg_limits *lim,
			 const struct cg_limits *prot, bool v2)
{
	const struct scenario *sc = r->sc;
	char text[256] = "";
	size_t w = 0;

#define PART(...) (w += (size_t)snprintf(text + w, w < sizeof(text) ? sizeof(text) - w : 0, \
					 __VA_ARGS__))
	if (sc->memsw_limit)
		PART("%s%s %llu MiB", w ? ", " : "", v2 ? "memory.swap.max" : "memsw limit",
		     (unsigned long long)to_mib(v2 ? sc->memsw_limit - sc->memory_limit :
						 sc->memsw_limit));
	if (lim->high)
		PART("%smemory.high %llu MiB", w ? ", " : "", (unsigned long long)to_mib(lim->high));
	if (prot->min)
		PART("%smemory.min %llu MiB on %s", w ? ", " : "",
		     (unsigned long long)to_mib(prot->min), r->tgt_grp->dir);
	if (prot->low)
		PART("%smemory.low %llu MiB on %s", w ? ", " : "",
		     (unsigned long long)to_mib(prot->low), r->tgt_grp->dir);
	if (sc->profile == PROFILE_KUBERNETES && !v2)
		PART("%sprofile kubernetes on cgroup v1: the limit only, as the kubelet (MemoryQoS "
		     "needs v2)", w ? ", " : "");
#undef PART
	if (w)
		run_event(r, "limits", "%s", text);
}

static int setup_groups(struct run *r)
{
	const struct cg_env *env = r->mo->env;
	const struct scenario *sc = r->sc;
	/* the kubelet sets only the limit on v1 (MemoryQoS is v2's): so does its profile */
	bool v2 = env->layout == CG_LAYOUT_UNIFIED, qos = v2 || sc->profile == PROFILE_NONE;
	struct cg_limits lim = { .memory = sc->memory_limit, .memsw = sc->memsw_limit,
				 .high = qos ? sc->memory_high : 0,
				 .oom_kill_disable = sc->oom_kill_disable,
				 .oom_group = sc->oom_group };
	/* protection belongs to the target's group: with siblings its own child, so reclaim
	 * inside the limited group weighs it against the balloon's */
	struct cg_limits prot = { .low = qos ? sc->memory_low : 0, .min = qos ? sc->memory_min : 0 };
	/* A container's runtime hands controllers down to the container's group below the
	 * target's: on v2 that group can then hold no process, so the balloon goes beside it. */
	bool sibling = sc->has_balloon && (sc->placement == PLACE_SIBLING ||
					   sc->container == CONTAINER_PODMAN);
	char name[PATH_MAX], err[512];
	int ret;

	if (!sibling) {
		lim.low = prot.low;
		lim.min = prot.min;
	}

	/* Unique per run and recognisable: the runner's pid says who owns it. */
	snprintf(name, sizeof(name), "balloon-run-%d-%s", (int)getpid(), sc->name);
	r->ngrp = 1;
	if ((ret = cg_group_init(env, &r->grp[0], name, err, sizeof(err))) < 0 ||
	    (ret = env->ops->create(env, &r->grp[0], &lim, err, sizeof(err))) < 0)
		goto fail;
	r->tgt_grp = r->bal_grp = &r->grp[0];
	if (sibling) {
		/* Two children under one limited parent: the limit is shared, the accounting
		 * and the OOM-kill counts stay per workload. */
		static const char *const kids[] = { "target", "balloon" };

		for (int i = 0; i < 2; i++) {
			char kid[PATH_MAX + 16];

			snprintf(kid, sizeof(kid), "%s/%s", name, kids[i]);
			r->ngrp++;
			if ((ret = cg_group_init(env, &r->grp[i + 1], kid, err, sizeof(err))) < 0 ||
			    (ret = env->ops->create(env, &r->grp[i + 1], i == 0 ? &prot : NULL, err,
						    sizeof(err))) < 0)
				goto fail;
		}
		r->tgt_grp = &r->grp[1];
		r->bal_grp = &r->grp[2];
	}
	/* The load generator and podman beside the scenario's group, never below it: no limit,
	 * their memory counts nowhere, and cleanup can still kill everything they started. */
	if (sc->container == CONTAINER_PODMAN)
		snprintf(r->container, sizeof(r->container), "%s", name);
	if (sc->has_load || sc->container == CONTAINER_PODMAN) {
		char lname[PATH_MAX + 8];

		snprintf(lname, sizeof(lname), "%s-outside", name);
		if ((ret = cg_group_init(env, &r->out_grp, lname, err, sizeof(err))) < 0 ||
		    (ret = env->ops->create(env, &r->out_grp, NULL, err, sizeof(err))) < 0)
			goto fail;
	}
	if ((ret = env->ops->oom_notify(&r->grp[0], err, sizeof(err))) < 0 ||
	    (ret = run_watch(r, r->grp[0].oom_fd, T_OOM)) < 0)
		goto fail;
	/* the kernel's own record of OOM kills: root only (not there, the counters suffice) */
	r->kmsg_fd = kmsg_open();
	r->obs->kernel_known = r->kmsg_fd >= 0;
	if (r->kmsg_fd >= 0 && run_watch(r, r->kmsg_fd, T_KMSG) < 0)
		run_unwatch(r, &r->kmsg_fd);
	observe_start(r);
	run_event(r, "cgroup", "%s limit %llu MiB%s", r->grp[0].dir,
		  (unsigned long long)to_mib(sc->memory_limit),
		  sc->oom_kill_disable ? ", oom_kill_disable 1" : "");
	limits_event(r, &lim, &prot, v2);
	return 0;
fail:
	run_broke(r, "%s", err);
	return ret;
}

/* The earliest moment something is due: a start, a ready condition, an end. */
static uint64_t next_deadline(const struct run *r)
{
	const struct scenario *sc = r->sc;
	uint64_t d = r->t0 + sc->timeout;

#define EARLIER(x) do { uint64_t x_ = (x); if (x_ < d) d = x_; } while (0)
	if (!r->ready) {
		EARLIER(r->t_target_start + sc->ready_timeout);
		if (sc->ready == READY_DELAY)
			EARLIER(r->t_target_start + sc->ready_delay);
		EARLIER(probe_due(r));
	} else {
		if (sc->has_balloon && !r->balloon_started)
			EARLIER(r->t_balloon_due);
		if (sc->has_load && !r->load_started)
			EARLIER(r->t_load_due);
		if (sc->duration)
			EARLIER(r->t_ready + sc->duration);
	}
	if (r->kmsg_poll_until)
		EARLIER(r->kmsg_poll_next);
	/* A stuck stretch is judged the moment it has lasted hang_after, not at the next tick */
	if (r->hang.since && !r->hang.detected)
		EARLIER(r->hang.since + r->hang.hang_after);
#undef EARLIER
	return d;
}

static void on_deadline(struct run *r)
{
	const struct scenario *sc = r->sc;
	uint64_t now = now_ns();

	if (now >= r->t0 + sc->timeout) {
		r->obs->timed_out = true;
		run_event(r, "timeout", "scenario timeout %.2f s reached", (double)sc->timeout / 1e9);
		r->stop = true;
		return;
	}
	observe_kmsg_poll(r, now);
	if (!r->ready && sc->ready == READY_DELAY && now >= r->t_target_start + sc->ready_delay)
		run_set_ready(r, "delay");
	probe_try(r);
	if (!r->ready && now >= r->t_target_start + sc->ready_timeout) {
		r->obs->timed_out = r->obs->not_ready = true;
		snprintf(r->obs->not_ready_why, sizeof(r->obs->not_ready_why), "%s", probe_last(r));
		run_event(r, "timeout", "target not ready after %.2f s%s%s",
			  (double)sc->ready_timeout / 1e9, *probe_last(r) ? "; last try: " : "",
			  probe_last(r));
		r->stop = true;
		return;
	}
	if (r->ready && sc->has_load && !r->load_started && now >= r->t_load_due)
		run_start_load(r);
	if (r->ready && sc->has_balloon && !r->balloon_started && now >= r->t_balloon_due) {
		/* A group under OOM with the killer disabled cannot start anything (even exec
		 * waits): leave it to the hang check, and look again at the next sample. */
		if (r->last.under_oom && r->last.oom_kill_disable)
			r->t_balloon_due = now + r->mo->cfg->sample_interval;
		else
			run_start_balloon(r);
	}
	/* One more sample when the stretch has lasted hang_after: the hang proof needs this
	 * sample's counters against the last one's (hang_step), so it is a sample, not a guess. */
	if (r->hang.since && !r->hang.detected && now >= r->hang.since + r->hang.hang_after)
		observe_sample(r);
	if (r->ready && sc->duration && now >= r->t_ready + sc->duration) {
		run_event(r, "duration", "observed %.2f s after ready", (double)sc->duration / 1e9);
		r->stop = true;
	}
}

/* After a child exits: does that end the observation? */
static void after_exit(struct run *r)
{
	const struct proc_end *b = r->balloon.end;

	/* The balloon is the harness's own tool: failing (rather than finishing or being
	 * OOM-killed) means the pressure was not what the scenario asked for. */
	if (b->ended && !b->by_harness && (b->signaled ? b->code != SIGKILL : b->code != 0)) {
		const struct tracked *p = &r->balloon;

		run_broke(r, "balloon %s %d%s%s", b->signaled ? "killed by signal" : "exited with status",
		      b->code, p->ntail ? ": " : "", p->ntail ? p->tail[(p->ntail - 1) % TAIL_LINES] : "");
	}
	if (r->target.end->ended) {
		r->stop = true;
		return;
	}
	if (r->load.end->ended && !r->load.end->by_harness) {
		r->stop = true; /* the load ran to its end: so does the observation */
		return;
	}
	/* A target stuck in the memcg OOM wait (or throttled) is not done: the checks decide. */
	if (r->balloon.end->ended && !r->sc->duration && !r->hang.since && !r->throttle_since) {
		/* The balloon finished its run (or died): one last sample records the end state. */
		observe_sample(r);
		r->stop = true;
	}
}

static void on_signal(struct run *r)
{
	struct signalfd_siginfo si;

	while (read(r->mo->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			/* a child exited: the same as its pidfd becoming readable */
			observe_reap(r, false);
			after_exit(r);
			continue;
		}
		r->res->interrupted = (int)si.ssi_signo;
		run_event(r, "interrupted", "SIG%s: ending the run", sigabbrev_np((int)si.ssi_signo));
		r->stop = true;
	}
}

static void dispatch(struct run *r, enum tag tag)
{
	uint64_t ticks;

	switch (tag) {
	case T_TICK:
		if (read(r->tick_fd, &ticks, sizeof(ticks)) > 0)
			observe_sample(r);
		break;
	case T_DEADLINE:
		if (read(r->dl_fd, &ticks, sizeof(ticks)) > 0 || errno == EAGAIN)
			on_deadline(r);
		break;
	case T_SIGNAL: on_signal(r); break;
	case T_OOM: observe_oom(r); break;
	case T_TGT_PID:
	case T_BAL_PID:
	case T_LOAD_PID:
		observe_reap(r, false);
		after_exit(r);
		break;
	case T_LOAD_OUT: observe_output(r, &r->load, false); break;
	case T_LOAD_ERR: observe_output(r, &r->load, true); break;
	case T_PROBE: probe_event(r); break;
	case T_KMSG: observe_kmsg(r); break;
	case T_TGT_OUT: observe_output(r, &r->target, false); break;
	case T_TGT_ERR: observe_output(r, &r->target, true); break;
	case T_BAL_OUT: observe_output(r, &r->balloon, false); break;
	case T_BAL_ERR: observe_output(r, &r->balloon, true); break;
	}
}

static void event_loop(struct run *r)
{
	struct epoll_event evs[16];
	int n;

	while (!r->stop) {
		if (arm_timer(r->dl_fd, next_deadline(r), 0) < 0) {
			run_broke(r, "timerfd: %s", strerror(errno));
			return;
		}
		n = epoll_wait(r->epfd, evs, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			run_broke(r, "epoll_wait: %s", strerror(errno));
			return;
		}
		/* Child exits last: output and OOM notifications of the same wake-up come first,
		 * so a ready line or an OOM event is never lost behind an exit. */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < n; i++) {
				enum tag t = (enum tag)evs[i].data.u64;
				bool is_exit = t == T_TGT_PID || t == T_BAL_PID || t == T_LOAD_PID;

				if (is_exit == (pass == 1) && !r->stop)
					dispatch(r, t);
			}
	}
}

static void reap_cb(pid_t pid, int status, void *ctx)
{
	observe_reaped(ctx, pid, status, true);
}

/* Drains what the children printed before they died (ready lines, balloon phases). */
static void drain_output(struct run *r)
{
	struct tracked *ps[] = { &r->target, &r->balloon, &r->load };

	for (size_t i = 0; i < 3; i++) {
		if (ps[i]->sp.out_fd >= 0)
			observe_output(r, ps[i], false);
		if (ps[i]->sp.err_fd >= 0)
			observe_output(r, ps[i], true);
	}
}

/* Asks the children still running to stop (SIGTERM) and gives them stop_grace to exit, so a
 * balloon can release its memory and a target can report (balloon --verify). A hung run, or
 * one under OOM with the killer disabled, goes straight to SIGKILL. */
static void stop_gracefully(struct run *r)
{
	struct tracked *ps[] = { &r->target, &r->balloon, &r->load };
	uint64_t now, deadline = now_ns() + r->mo->cfg->stop_grace;
	struct epoll_event evs[16];
	struct cg_counters c;
	uint64_t drop;
	bool alive = false;
	int n;

	r->stopping = true; /* from here on every exit is the harness's doing */
	if (r->obs->hang_detected || r->obs->throttle_detected || r->res->interrupted) {
		run_event(r, "stopping", "SIGKILL at once (%s)", r->res->interrupted ? "interrupted"
			  : r->obs->hang_detected ? "hung" : "throttled");
		return;
	}
	/* Tasks in the memcg OOM wait only wake for a fatal signal; a SIGTERM they catch
	 * (the balloon does) would just use up the grace period. */
	if (r->grp[0].created && r->mo->env->ops->read(&r->grp[0], &c, NULL, 0) == 0 &&
	    c.oom_kill_disable && c.under_oom) {
		run_event(r, "stopping", "SIGKILL at once: tasks in the memcg OOM wait ignore "
			  "SIGTERM");
		return;
	}
	for (size_t i = 0; i < 3; i++)
		if (ps[i]->sp.pid > 0 && !ps[i]->end->ended) {
			kill(ps[i]->sp.pid, SIGTERM);
			alive = true;
		}
	if (alive)
		run_event(r, "stopping", "SIGTERM, then SIGKILL after %.1f s",
			  (double)r->mo->cfg->stop_grace / 1e9);
	while (alive && (now = now_ns()) < deadline && !r->res->interrupted) {
		n = epoll_wait(r->epfd, evs, 16, (int)((deadline - now + NSEC_PER_MSEC - 1) /
						       NSEC_PER_MSEC));
		for (int i = 0; i < n; i++) {
			enum tag t = (enum tag)evs[i].data.u64;

			if (t == T_TICK || t == T_DEADLINE) { /* the timeline goes on to the end */
				if (read(t == T_TICK ? r->tick_fd : r->dl_fd, &drop, sizeof(drop)) > 0 &&
				    t == T_TICK)
					observe_sample(r);
			}
			else if (t == T_SIGNAL) /* SIGCHLD reaps; an interrupt ends the grace */
				on_signal(r);
			else
				dispatch(r, t);
		}
		observe_reap(r, true);
		alive = false;
		for (size_t i = 0; i < 3; i++)
			if (ps[i]->sp.pid > 0 && !ps[i]->end->ended)
				alive = true;
	}
}

/* Kill and reap everything in every group, then remove the groups (children first) and check
 * they are gone. Returns 0 when nothing is left. */
static int cleanup(struct run *r)
{
	uint64_t deadline = now_ns() + r->mo->cfg->recovery_timeout;
	struct cg_group *all[4];
	char err[512];
	int ret = 0, k, n = 0;

	/* children first (removal order), the load's group beside them last */
	for (int i = r->ngrp - 1; i >= 0; i--)
		all[n++] = &r->grp[i];
	if (r->out_grp.created)
		all[n++] = &r->out_grp;
	observe_lazyfree_final(r);
	r->stopping = true;
	probe_end(r);
	if (r->epfd >= 0)
		stop_gracefully(r);
	for (int i = 0; i < n; i++) {
		if (!all[i]->created)
			continue;
		k = cg_kill_all(all[i], deadline, reap_cb, r);
		if (k < 0) {
			run_broke(r, "cleanup: tasks of %s did not die within %.1f s (%s)", all[i]->dir,
				  (double)r->mo->cfg->recovery_timeout / 1e9, strerror(-k));
			ret = k;
		}
	}
	/* The SIGKILLs may leave podman's record of the container (podman and conmon died with
	 * it): removed while the outside group still exists to run podman in. */
	if (r->container[0] && r->out_grp.created &&
	    (k = container_remove(r->mo->env, &r->out_grp, r->container, deadline, err,
				  sizeof(err))) < 0) {
		run_broke(r, "cleanup: %s", err);
		ret = k;
	}
	observe_reap(r, true);
	drain_output(r);
	observe_sample(r); /* the timeline ends with the emptied group */
	for (int i = 0; i < n; i++) {
		k = r->mo->env->ops->destroy(all[i], err, sizeof(err));
		if (k < 0) {
			run_broke(r, "cleanup: %s", err);
			ret = k;
		}
	}
	if (ret == 0)
		run_event(r, "cleanup_done", "every task killed and reaped, %d cgroup%s removed",
			  n, n == 1 ? "" : "s");
	return ret;
}

static void decide(struct run *r)
{
	const struct scenario *sc = r->sc;
	struct expectation e = {
		.outcome = sc->outcome,
		.victim = sc->victim,
		.min_reclaimed = sc->min_reclaimed,
		.max_lazyfree = sc->max_lazyfree,
		.max_time = sc->max_time,
		.min_peak_usage = sc->min_peak_usage,
		/* exit_code 0 means not given: any non-zero status will do */
		.exit_code = sc->outcome == V_EXITED && sc->exit_code ? (int)sc->exit_code : -1,
		.signal = sc->outcome == V_KILLED && sc->signal > 0 &&
				  (size_t)sc->signal < sizeof(signal_numbers) / sizeof(signal_numbers[0])
			  ? signal_numbers[sc->signal] : 0,
		.max_peak_usage = size_spec_bytes(&sc->max_peak_usage, sc->memory_limit),
		.load_exit = !sc->has_load || strcmp(sc->load_exit_code, "any") == 0 ? -1 :
			     atoi(sc->load_exit_code),
		.stall_some_given = sc->max_stall_some_given,
		.stall_full_given = sc->max_stall_full_given,
		.high_events_given = sc->max_high_events_given,
		.max_events_given = sc->max_max_events_given,
		.refaults_given = sc->max_refaults_given,
		.max_stall_some = sc->max_stall_some,
		.max_stall_full = sc->max_stall_full,
		.max_high_events = sc->max_high_events,
		.max_max_events = sc->max_max_events,
		.max_refaults = sc->max_refaults,
		.page_size = (uint64_t)sysconf(_SC_PAGESIZE),
		.min_peak_file = sc->min_peak_file,
		.min_peak_shmem = sc->min_peak_shmem,
		.min_peak_unevictable = sc->min_peak_unevictable,
	};

	verdict_decide(r->obs, sc->min_reclaimed ? sc->min_reclaimed : MiB, &r->res->vr);
	r->res->met = verdict_expect(&e, &r->res->vr, r->obs, r->res->why, sizeof(r->res->why));
}

static void tails_to_diag(struct run *r, struct tracked *p)
{
	unsigned first = p->ntail > TAIL_LINES ? p->ntail - TAIL_LINES : 0;

	for (unsigned i = first; i < p->ntail; i++)
		run_diag(r, "%s: %s", p->role, p->tail[i % TAIL_LINES]);
}

static int open_loop_fds(struct run *r)
{
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	r->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	r->dl_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (r->epfd < 0 || r->tick_fd < 0 || r->dl_fd < 0) {
		run_broke(r, "epoll/timerfd: %s", strerror(errno));
		return -errno;
	}
	if (run_watch(r, r->tick_fd, T_TICK) < 0 || run_watch(r, r->dl_fd, T_DEADLINE) < 0 ||
	    (r->mo->sigfd >= 0 && run_watch(r, r->mo->sigfd, T_SIGNAL) < 0) ||
	    arm_timer(r->tick_fd, now_ns() + r->mo->cfg->sample_interval,
		      r->mo->cfg->sample_interval) < 0) {
		run_broke(r, "epoll: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* DIR/NAME/target.log, balloon.log, load.log: everything each child printed (a run without a
 * report keeps only the last lines, for the diagnostics). */
static void open_logs(struct run *r)
{
	struct tracked *ps[] = { &r->target, &r->balloon, &r->load };
	char path[PATH_MAX + 32];

	if (!r->mo->log_dir)
		return;
	for (size_t i = 0; i < 3; i++) {
		if ((ps[i] == &r->balloon && !r->sc->has_balloon) ||
		    (ps[i] == &r->load && !r->sc->has_load))
			continue;
		snprintf(path, sizeof(path), "%s/%s.log", r->mo->log_dir, ps[i]->role);
		ps[i]->log = fopen(path, "we");
		if (!ps[i]->log)
			run_diag(r, "cannot write %s: %s", path, strerror(errno));
	}
}

static void close_logs(struct run *r)
{
	struct tracked *ps[] = { &r->target, &r->balloon, &r->load };

	for (size_t i = 0; i < 3; i++)
		if (ps[i]->log) {
			fclose(ps[i]->log);
			ps[i]->log = NULL;
		}
}

static void close_loop_fds(struct run *r)
{
	statm_kept_sweep(&r->statm, true);
	spawn_close(&r->target.sp);
	spawn_close(&r->balloon.sp);
	spawn_close(&r->load.sp);
	if (r->mo->sigfd >= 0 && r->epfd >= 0)
		epoll_ctl(r->epfd, EPOLL_CTL_DEL, r->mo->sigfd, NULL);
	int *fds[] = { &r->tick_fd, &r->dl_fd, &r->kmsg_fd, &r->epfd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int monitor_run(const struct scenario *sc, const struct monitor_opts *mo,
		struct scenario_result *res)
{
	struct run r = { .sc = sc, .mo = mo, .res = res, .epfd = -1, .tick_fd = -1, .dl_fd = -1,
			 .kmsg_fd = -1 };
	uint64_t t_cleanup;

	memset(res, 0, sizeof(*res));
	r.obs = &res->obs;
	r.obs->has_balloon = sc->has_balloon;
	r.obs->oom_kill_disable = sc->oom_kill_disable;
	r.obs->oom_group = sc->oom_group;
	r.obs->high = sc->memory_high;
	r.target = (struct tracked){ .role = "target", .sp = { -1, -1, -1, -1 },
				     .end = &res->obs.target };
	r.balloon = (struct tracked){ .role = "balloon", .sp = { -1, -1, -1, -1 },
				      .end = &res->obs.balloon };
	r.load = (struct tracked){ .role = "load", .sp = { -1, -1, -1, -1 },
				   .end = &res->obs.load };
	r.obs->has_load = sc->has_load;
	r.out_grp.oom_fd = r.out_grp.ctl_fd = -1;
	r.probe_watched = -1;
	/* the loader checked it: a failure here is out of memory */
	r.has_ready_re = sc->ready_regex &&
			 regcomp(&r.ready_re, sc->ready_regex, REG_EXTENDED | REG_NOSUB) == 0;
	open_logs(&r);
	/* v1 oom_kill_disable: the memcg OOM wait; every target task exempt: the OOM livelock */
	hang_init(&r.hang, sc->oom_kill_disable ? HANG_OOM_WAIT : sc->oom_score_adj == -1000 ?
		  HANG_LIVELOCK : HANG_OFF, sc->hang_after ? sc->hang_after : mo->cfg->hang_after);
	r.t0 = res->t0 = now_ns();
	for (int i = 0; i < 3; i++)
		r.grp[i].oom_fd = r.grp[i].ctl_fd = -1;

	if (open_loop_fds(&r) == 0 && setup_groups(&r) == 0 && run_start_target(&r) == 0) {
		probe_begin(&r);
		observe_sample(&r);
		event_loop(&r);
	}
	r.obs->t_end = run_rel(&r, now_ns());
	observe_finish(&r);
	t_cleanup = now_ns();
	if (cleanup(&r) == 0 && (r.obs->hang_detected || r.obs->throttle_detected)) {
		r.obs->recovered = true;
		r.obs->recovery_ns = now_ns() - t_cleanup;
		run_event(&r, "recovered", "killed, reaped and removed in %.0f ms",
			  (double)r.obs->recovery_ns / 1e6);
	}
	close_loop_fds(&r);
	decide(&r);
	if (!res->met || res->broken) {
		tails_to_diag(&r, &r.target);
		tails_to_diag(&r, &r.balloon);
		tails_to_diag(&r, &r.load);
	}
	close_logs(&r);
	if (r.has_ready_re)
		regfree(&r.ready_re);
	res->elapsed = now_ns() - r.t0;
	scenario_result_finish(res);
	return res->broken ? -EIO : 0;
}

void scenario_result_finish(struct scenario_result *res)
{
	res->result = result_classify(res->interrupted != 0, res->skipped, res->broken, res->met);
}

const char *scenario_result_reason(const struct scenario_result *res)
{
	switch (res->result) {
	case RESULT_INTERRUPTED: return "interrupted by a signal; everything was cleaned up";
	case RESULT_SKIPPED: return res->skip_why;
	case RESULT_BROKEN: return res->broken_why;
	case RESULT_NOT_MET: return res->why;
	default: return "";
	}
}

void scenario_result_free(struct scenario_result *res)
{
	timeline_free(&res->tl);
	strlist_free(&res->diag);
}
