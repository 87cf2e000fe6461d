/* The verdict: what happened, proven from the monitor's recorded evidence (process ends, the
 * cgroup's oom_kill counter, hang samples, LazyFree samples), and whether that meets the
 * scenario's [expect]. Pure functions; the rules are tested in tests/unit/test_verdict.c. */
#include "verdict.h"
#include "msg.h"
#include "units.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bounded appending into a fixed buffer (summary, why): never overflows, truncates quietly. */
struct sbuf {
	char *p;
	size_t len, pos;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->p || b->pos + 1 >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->pos, b->len - b->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->pos = b->pos + (size_t)n < b->len ? b->pos + (size_t)n : b->len - 1;
}

static uint64_t since(uint64_t t, uint64_t t0)
{
	return t > t0 ? t - t0 : 0;
}

/* Always seconds with two decimals, so summaries read alike ("0.84 s", "60.00 s"). */
static const char *secs(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f s", (double)ns / 1e9);
	return buf;
}

/* fmt_size, plus the exact byte count when fmt_size had to round ("200.0 MiB (209715199 B)"),
 * so a failed size comparison never shows two equal-looking figures. */
static const char *size_exact(uint64_t bytes, char *buf, size_t len)
{
	char s[32];

	fmt_size(bytes, s, sizeof(s));
	if (strchr(s, '.'))
		snprintf(buf, len, "%s (%llu B)", s, (unsigned long long)bytes);
	else
		snprintf(buf, len, "%s", s);
	return buf;
}

static const char *const signames[] = {
	[SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",   [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD",
	[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
	[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",   [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO",     [SIGPWR] = "SIGPWR",   [SIGSYS] = "SIGSYS",
};

static const char *sig_name(int sig, char *buf, size_t len)
{
	if (sig > 0 && (size_t)sig < sizeof(signames) / sizeof(signames[0]) && signames[sig])
		snprintf(buf, len, "%s", signames[sig]);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

static bool alive_at_end(const struct proc_end *p)
{
	return p->started && (!p->ended || p->by_harness);
}

/* Ended on its own (not a cleanup or recovery kill by the runner). */
static bool ended_alone(const struct proc_end *p)
{
	return p->started && p->ended && !p->by_harness;
}

/* "alive", "exited with status 3", "killed by SIGSEGV", "never started". */
static const char *fate(const struct proc_end *p, char *buf, size_t len)
{
	char sig[24];

	if (!p->started)
		snprintf(buf, len, "never started");
	else if (alive_at_end(p))
		snprintf(buf, len, "alive");
	else if (p->signaled)
		snprintf(buf, len, "killed by %s", sig_name(p->code, sig, sizeof(sig)));
	else
		snprintf(buf, len, "exited with status %d", p->code);
	return buf;
}

/* "at 200/200 MiB" from the usage read at the OOM, else "at peak 190/200 MiB". */
static const char *oom_usage(const struct observation *o, char *buf, size_t len)
{
	uint64_t u = o->usage_at_oom ? o->usage_at_oom : o->peak_usage;
	const char *what = o->usage_at_oom ? "at" : "at peak";

	if (o->limit)
		snprintf(buf, len, "%s %llu/%llu MiB", what, (unsigned long long)to_mib(u),
			 (unsigned long long)to_mib(o->limit));
	else
		snprintf(buf, len, "%s %llu MiB (no limit)", what, (unsigned long long)to_mib(u));
	return buf;
}

static const char *peak_usage(const struct observation *o, char *buf, size_t len)
{
	if (o->limit)
		snprintf(buf, len, "peak usage %llu/%llu MiB",
			 (unsigned long long)to_mib(o->peak_usage), (unsigned long long)to_mib(o->limit));
	else
		snprintf(buf, len, "peak usage %llu MiB", (unsigned long long)to_mib(o->peak_usage));
	return buf;
}

/* Which tracked processes are proven OOM-killed. A process is credited when it died of a
 * SIGKILL the runner did not send and, when it was reaped, the oom_kill counter stood above
 * the base by more than the kills already credited to processes reaped before it: two SIGKILLed
 * processes with a rise of one are one OOM kill (the first reaped) and one plain SIGKILL.
 * With `by_end`, deaths after t_end (after a timeout) are not considered. */
struct oom_evidence {
	enum victim victim;
	uint64_t t_first; /* the first credited death */
	uint64_t counter; /* highest oom_kill value read */
};

static void find_oom(const struct observation *o, bool by_end, struct oom_evidence *ev)
{
	const struct proc_end *p[2] = { &o->target, o->has_balloon ? &o->balloon : NULL };
	bool hit[2] = { false, false };
	unsigned first = 0, credited = 0;

	/* Credit in reaping order; on a tie the target goes first. */
	if (p[1] && p[1]->t < p[0]->t)
		first = 1;
	ev->victim = VIC_NONE;
	ev->t_first = 0;
	ev->counter = o->oom_kill_final;
	for (unsigned k = 0; k < 2; k++) {
		unsigned i = k == 0 ? first : 1 - first;
		const struct proc_end *q = p[i];

		if (!q || !ended_alone(q) || !q->signaled || q->code != SIGKILL)
			continue;
		if (by_end && q->t > o->t_end)
			continue;
		if (q->oom_kill_seen <= o->oom_kill_base ||
		    q->oom_kill_seen - o->oom_kill_base <= credited)
			continue;
		if (credited++ == 0)
			ev->t_first = q->t;
		hit[i] = true;
		if (q->oom_kill_seen > ev->counter)
			ev->counter = q->oom_kill_seen;
	}
	if (hit[0] && hit[1])
		ev->victim = VIC_BOTH;
	else if (hit[0])
		ev->victim = VIC_TARGET;
	else if (hit[1])
		ev->victim = VIC_BALLOON;
}

/* The v2 hang: no victim, and the charge failed again and again during the hang. */
static bool livelock_proven(const struct observation *o)
{
	return o->oom_exempt && o->oom_at_hang_detected > o->oom_at_hang_start &&
	       o->oom_kill_final == o->oom_kill_base;
}

static void add_recovery(const struct observation *o, struct sbuf *s)
{
	char rec[32];

	if (o->recovered)
		sb_add(s, "; recovered in %s", fmt_duration(o->recovery_ns, rec, sizeof(rec)));
	else
		sb_add(s, "; recovery FAILED (kill, reap or cgroup removal did not complete)");
}

static void decide_hung(const struct observation *o, struct verdict_result *r, struct sbuf *s)
{
	char t[32], u[48];

	r->verdict = V_HUNG;
	r->t_outcome = since(o->t_hang_detected, o->t_pressure);
	if (o->oom_kill_disable)
		sb_add(s, "target hung %s in the memcg OOM wait (under_oom, oom_kill_disable) %s",
		       secs(since(o->t_hang_detected, o->t_hang_start), t, sizeof(t)),
		       oom_usage(o, u, sizeof(u)));
	else
		sb_add(s, "target hung %s in an OOM livelock %s: every task OOM-exempt (-1000), "
		       "memory.events oom %llu -> %llu, oom_kill unchanged at %llu",
		       secs(since(o->t_hang_detected, o->t_hang_start), t, sizeof(t)),
		       oom_usage(o, u, sizeof(u)), (unsigned long long)o->oom_at_hang_start,
		       (unsigned long long)o->oom_at_hang_detected,
		       (unsigned long long)o->oom_kill_base);
	/* how much of a many-threaded target hung (the whole census is in the YAML block) */
	if (o->hang_threads > 1 && o->oom_kill_disable)
		sb_add(s, "; %u of %u threads in the wait, %u running", o->hang_in_wait,
		       o->hang_threads, o->hang_running);
	else if (o->hang_threads > 1)
		sb_add(s, "; %u of %u threads running", o->hang_running, o->hang_threads);
	add_recovery(o, s);
}

/* Throttled: the high counter rose and the group stalled at least half of the window. */
static bool throttle_proven(const struct observation *o)
{
	uint64_t window_us = since(o->t_throttle_detected, o->t_throttle_start) / 1000;

	return o->throttle_detected && o->throttle_high_events > 0 && window_us > 0 &&
	       o->throttle_full_us * 2 >= window_us;
}

static void decide_throttled(const struct observation *o, struct verdict_result *r,
			     struct sbuf *s)
{
	uint64_t window = since(o->t_throttle_detected, o->t_throttle_start);
	char t[32], h[32], g[32], u[48];

	r->verdict = V_THROTTLED;
	r->t_outcome = since(o->t_throttle_detected, o->t_pressure);
	sb_add(s, "target throttled %s at memory.high %s: stalled %.0f%% of the time (PSI full), "
	       "memory.events high +%llu, grew %s, %s",
	       secs(window, t, sizeof(t)), fmt_size(o->high, h, sizeof(h)),
	       100.0 * (double)o->throttle_full_us / ((double)window / 1e3),
	       (unsigned long long)o->throttle_high_events,
	       fmt_size(o->throttle_growth, g, sizeof(g)), peak_usage(o, u, sizeof(u)));
	add_recovery(o, s);
}

/* "; oom.group took 3: 120 balloon (target), 125 sh (child), ..." */
static void add_group_kill(const struct observation *o, struct sbuf *s)
{
	unsigned kept = o->ngroup_killed < 8 ? o->ngroup_killed : 8;

	if (!o->oom_group || !o->oom_group_kills)
		return;
	sb_add(s, "; oom.group killed %u process%s:", o->ngroup_killed,
	       o->ngroup_killed == 1 ? "" : "es");
	for (unsigned i = 0; i < kept; i++)
		sb_add(s, "%s %d %s (%s)", i ? "," : "", o->group_killed[i].pid,
		       o->group_killed[i].comm, o->group_killed[i].role);
	if (kept < o->ngroup_killed)
		sb_add(s, ", ...");
}

/* "target matrix (pid 1234)": the victim with the name the kernel knew it by. */
static const char *victim_text(const struct observation *o, enum victim v, char *buf,
			       size_t len)
{
	const struct proc_end *e = v == VIC_TARGET ? &o->target : v == VIC_BALLOON ? &o->balloon :
				   NULL;

	/* the kernel's own name for the process it killed (a container's, not its launcher) */
	if ((v == VIC_TARGET || v == VIC_OTHER) && o->kernel_victim[0])
		snprintf(buf, len, "%s %s (pid %d)", victim_name(v), o->kernel_victim,
			 o->kernel_victim_pid);
	else if (e && e->comm[0])
		snprintf(buf, len, "%s %s (pid %d)", victim_name(v), e->comm, e->pid);
	else if (v == VIC_BOTH && o->target.comm[0])
		snprintf(buf, len, "target %s (pid %d) and balloon", o->target.comm, o->target.pid);
	else
		snprintf(buf, len, "%s", victim_name(v));
	return buf;
}

static void decide_oom(const struct observation *o, const struct oom_evidence *ev,
		       struct verdict_result *r, struct sbuf *s)
{
	char t[32], u[48], f[48];

	r->verdict = V_OOM_KILLED;
	r->victim = ev->victim;
	if (ev->victim == VIC_OTHER) {
		/* No tracked death to time it by: the first OOM notification, else the end. */
		bool notified = o->oom_events > 0;

		r->t_outcome = since(notified ? o->t_first_oom : o->t_end, o->t_pressure);
		sb_add(s, "untracked process OOM-killed (oom_kill %llu -> %llu) %s %s %s; target %s",
		       (unsigned long long)o->oom_kill_base, (unsigned long long)ev->counter,
		       notified ? "after" : "by", secs(r->t_outcome, t, sizeof(t)),
		       oom_usage(o, u, sizeof(u)), fate(&o->target, f, sizeof(f)));
		return;
	}
	r->t_outcome = since(ev->t_first, o->t_pressure);
	sb_add(s, "%s OOM-killed after %s %s (oom_kill %llu -> %llu)",
	       victim_text(o, ev->victim, f, sizeof(f)), secs(r->t_outcome, t, sizeof(t)),
	       oom_usage(o, u, sizeof(u)), (unsigned long long)o->oom_kill_base,
	       (unsigned long long)ev->counter);
	if (ev->victim == VIC_BALLOON)
		sb_add(s, ", target %s", fate(&o->target, f, sizeof(f)));
	add_group_kill(o, s);
}

static void decide_timeout(const struct observation *o, struct verdict_result *r,
			   struct sbuf *s)
{
	char t[32], f[48], u[48];

	r->verdict = V_TIMEOUT;
	r->t_outcome = since(o->t_end, o->t_pressure);
	if (o->not_ready)
		sb_add(s, "target never became ready (ready timeout, %s after start%s%s); target %s",
		       secs(o->t_end, t, sizeof(t)), o->not_ready_why[0] ? "; last try: " : "",
		       o->not_ready_why, fate(&o->target, f, sizeof(f)));
	else
		sb_add(s, "timed out after %s; target %s, %s, no OOM kill",
		       secs(o->t_end, t, sizeof(t)), fate(&o->target, f, sizeof(f)),
		       peak_usage(o, u, sizeof(u)));
}

/* Target alive (or exited 0) and no OOM kill: reclaimed when LazyFree fell far enough. */
static void decide_alive(const struct observation *o, uint64_t threshold,
			 struct verdict_result *r, struct sbuf *s)
{
	char t[32], a[32], b[32], c[32], u[48], f[48];

	if (r->reclaimed > 0 && r->reclaimed >= threshold) {
		r->verdict = V_RECLAIMED;
		r->t_outcome = since(o->t_lazyfree_low, o->t_pressure);
		sb_add(s, "reclaimed %s of %s LazyFree in %s, no OOM kill",
		       fmt_size(r->reclaimed, a, sizeof(a)), fmt_size(o->lazyfree_peak, b, sizeof(b)),
		       secs(r->t_outcome, t, sizeof(t)));
		/* The pages' own contents agree (or not): evidence beyond the accounting. */
		if (o->verified)
			sb_add(s, "; %llu freed pages read back zero",
			       (unsigned long long)o->verify_zero_pages);
	} else {
		r->verdict = V_SURVIVED;
		r->t_outcome = since(o->t_end, o->t_pressure);
		sb_add(s, "target survived %s%s, %s, no OOM kill", secs(r->t_outcome, t, sizeof(t)),
		       alive_at_end(&o->target) ? "" : " (exited 0)", peak_usage(o, u, sizeof(u)));
		if (o->has_load && o->load.ended && !o->load.by_harness)
			sb_add(s, "; the load %s %d", o->load.signaled ? "was killed by signal" :
			       "ran to its end, exit status", o->load.code);
		if (o->lazyfree_peak)
			sb_add(s, ", LazyFree reclaimed %s of %s (threshold %s)",
			       fmt_size(r->reclaimed, a, sizeof(a)),
			       fmt_size(o->lazyfree_peak, b, sizeof(b)),
			       fmt_size(threshold, c, sizeof(c)));
	}
	/* A balloon that failed or never ran means the pressure was not what was planned. */
	if (o->has_balloon && !alive_at_end(&o->balloon) &&
	    !(ended_alone(&o->balloon) && !o->balloon.signaled && o->balloon.code == 0))
		sb_add(s, "; balloon %s", fate(&o->balloon, f, sizeof(f)));
}

void verdict_decide(const struct observation *o, uint64_t reclaim_threshold,
		    struct verdict_result *r)
{
	struct sbuf s = { r->summary, sizeof(r->summary), 0 };
	const struct proc_end *tg = &o->target;
	struct oom_evidence ev;
	char t[32], sig[24];

	memset(r, 0, sizeof(*r));
	r->reclaimed = o->lazyfree_peak > o->lazyfree_low ? o->lazyfree_peak - o->lazyfree_low : 0;
	/* A fall of LazyFree is reclaim only as far as the kernel says it discarded lazily freed
	 * pages (pglazyfreed): a target that munmaps or reuses its own freed memory also makes
	 * LazyFree fall, and that is not the kernel's doing. */
	if (o->lazyfreed_known && o->lazyfreed_kernel < r->reclaimed)
		r->reclaimed = o->lazyfreed_kernel;

	/* Proven events that happened by the end of observation beat a timeout. */
	if (o->hang_detected && (o->oom_kill_disable || livelock_proven(o)) &&
	    (!o->timed_out || o->t_hang_detected <= o->t_end)) {
		decide_hung(o, r, &s);
		return;
	}
	find_oom(o, o->timed_out, &ev);
	if (ev.victim == VIC_NONE && o->oom_kill_final > o->oom_kill_base)
		ev.victim = VIC_OTHER;
	if (ev.victim != VIC_NONE) {
		decide_oom(o, &ev, r, &s);
		return;
	}
	if (throttle_proven(o) && (!o->timed_out || o->t_throttle_detected <= o->t_end)) {
		decide_throttled(o, r, &s);
		return;
	}
	if (o->timed_out) {
		decide_timeout(o, r, &s);
		return;
	}
	if (!tg->started) {
		r->verdict = V_NONE;
		sb_add(&s, "target never started: nothing to judge");
		return;
	}
	if (ended_alone(tg) && (tg->signaled || tg->code != 0)) {
		r->t_outcome = since(tg->t, o->t_pressure);
		secs(r->t_outcome, t, sizeof(t));
		if (tg->signaled) {
			r->verdict = V_KILLED;
			sb_add(&s, "target killed by %s after %s, not an OOM kill (oom_kill unchanged at %llu)",
			       sig_name(tg->code, sig, sizeof(sig)), t,
			       (unsigned long long)o->oom_kill_base);
		} else {
			r->verdict = V_EXITED;
			sb_add(&s, "target exited with status %d after %s, no OOM kill", tg->code, t);
		}
		return;
	}
	decide_alive(o, reclaim_threshold, r, &s);
}

/* Adds one failure to why, "; "-separated. */
static void fail(struct sbuf *b, int *fails, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void fail(struct sbuf *b, int *fails, const char *fmt, ...)
{
	char tmp[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	sb_add(b, "%s%s", *fails ? "; " : "", tmp);
	(*fails)++;
}

/* struct expectation's victim: 0 any, 1 target, 2 balloon (enum victim_expect in scenario.h). */
#define VICTIM_EXPECT_TARGET 1
#define VICTIM_EXPECT_BALLOON 2

static bool victim_meets(int want, enum victim got)
{
	if (want == VICTIM_EXPECT_TARGET)
		return got == VIC_TARGET || got == VIC_BOTH;
	if (want == VICTIM_EXPECT_BALLOON)
		return got == VIC_BALLOON || got == VIC_BOTH;
	return false;
}

/* Checks that only make sense once the outcome is the expected one. */
static void expect_detail(const struct expectation *e, const struct verdict_result *r,
			  const struct observation *o, struct sbuf *b, int *fails)
{
	char x[32], y[32];

	if (e->victim && !victim_meets(e->victim, r->victim))
		fail(b, fails, "expected victim %s, got %s",
		     e->victim == VICTIM_EXPECT_TARGET ? "target" :
		     e->victim == VICTIM_EXPECT_BALLOON ? "balloon" : "(invalid)",
		     victim_name(r->victim));
	if (e->max_time && r->t_outcome > e->max_time)
		fail(b, fails, "expected %s within %s, took %s", verdict_name(r->verdict),
		     secs(e->max_time, x, sizeof(x)), secs(r->t_outcome, y, sizeof(y)));
	if (r->verdict == V_EXITED && e->exit_code >= 0 && o->target.code != e->exit_code)
		fail(b, fails, "expected exit status %d, got %d", e->exit_code, o->target.code);
	if (r->verdict == V_KILLED && e->signal && o->target.code != e->signal)
		fail(b, fails, "expected killed by %s, got %s", sig_name(e->signal, x, sizeof(x)),
		     sig_name(o->target.code, y, sizeof(y)));
}

bool verdict_expect(const struct expectation *e, const struct verdict_result *r,
		    const struct observation *o, char *why, size_t whylen)
{
	struct sbuf b = { why, whylen, 0 };
	char x[48], y[48], z[48];
	int fails = 0;

	if (why && whylen)
		why[0] = '\0';
	if (e->outcome && e->outcome != (int)r->verdict)
		fail(&b, &fails, "expected %s, got %s: %s", verdict_name((enum verdict)e->outcome),
		     verdict_name(r->verdict), r->summary);
	else
		expect_detail(e, r, o, &b, &fails);
	if (e->min_reclaimed && r->reclaimed < e->min_reclaimed)
		fail(&b, &fails, "expected at least %s of LazyFree reclaimed, got %s (peak %s)",
		     size_exact(e->min_reclaimed, x, sizeof(x)), size_exact(r->reclaimed, y, sizeof(y)),
		     fmt_size(o->lazyfree_peak, z, sizeof(z)));
	if (e->max_lazyfree && o->lazyfree_peak > e->max_lazyfree)
		fail(&b, &fails, "expected LazyFree to stay at or below %s, peak was %s",
		     size_exact(e->max_lazyfree, x, sizeof(x)),
		     size_exact(o->lazyfree_peak, y, sizeof(y)));
	if (e->min_peak_usage && o->peak_usage < e->min_peak_usage)
		fail(&b, &fails, "expected peak usage of at least %s, got %s",
		     size_exact(e->min_peak_usage, x, sizeof(x)),
		     size_exact(o->peak_usage, y, sizeof(y)));
	if (e->max_peak_usage && o->peak_usage > e->max_peak_usage)
		fail(&b, &fails, "expected peak usage of at most %s (max_peak_usage), got %s",
		     size_exact(e->max_peak_usage, x, sizeof(x)),
		     size_exact(o->peak_usage, y, sizeof(y)));
	/* A load that ran to its end must have ended well; one the harness stopped says
	 * nothing (the target died, or the time ran out). */
	if (o->has_load && o->load.ended && !o->load.by_harness && e->load_exit >= 0 &&
	    (o->load.signaled || o->load.code != e->load_exit))
		fail(&b, &fails, "the load %s %d (expected exit status %d)",
		     o->load.signaled ? "was killed by signal" : "exited with status", o->load.code,
		     e->load_exit);
	/* pressure and protection limits hold whatever the outcome: "survived, but stalled
	 * 43 % of the run" is not ok */
	fails += pressure_expect(e, o, why, whylen, &b.pos);
	return fails == 0;
}

const char *verdict_name(enum verdict v)
{
	static const char *const names[] = {
		[V_NONE] = "none",         [V_RECLAIMED] = "reclaimed", [V_OOM_KILLED] = "oom_killed",
		[V_HUNG] = "hung",         [V_SURVIVED] = "survived",   [V_EXITED] = "exited",
		[V_KILLED] = "killed",     [V_TIMEOUT] = "timeout",     [V_THROTTLED] = "throttled",
	};

	if ((unsigned)v < sizeof(names) / sizeof(names[0]))
		return names[v];
	return "(invalid verdict)";
}

const char *victim_name(enum victim v)
{
	static const char *const names[] = {
		[VIC_NONE] = "none",   [VIC_TARGET] = "target", [VIC_BALLOON] = "balloon",
		[VIC_BOTH] = "target+balloon", [VIC_OTHER] = "other",
	};

	if ((unsigned)v < sizeof(names) / sizeof(names[0]))
		return names[v];
	return "(invalid victim)";
}
