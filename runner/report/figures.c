/* Which figures a result has: always the limit, usage, kills and sampling cost; the proof of
 * its verdict where there is one (the victim, the hang and how much of the target hung, the
 * throttling, the pages read back, the group kill). */
#include "figures.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct list {
	struct figure *f;
	size_t n, max;
};

static struct figure *add(struct list *l, const char *key, enum fig_type type, uint64_t u,
			  double d, const char *s)
{
	struct figure *f;

	if (l->n >= l->max)
		return NULL;
	f = &l->f[l->n++];
	*f = (struct figure){ .key = key, .type = type, .u = u, .d = d };
	snprintf(f->text, sizeof(f->text), "%s", s ? s : "");
	return f;
}

#define U(key, v) add(l, key, FIG_UINT, (uint64_t)(v), 0, NULL)
#define SEC(key, ns) add(l, key, FIG_NS_AS_S, (uint64_t)(ns), 0, NULL)
#define MSEC(key, ns) add(l, key, FIG_NS_AS_MS, (uint64_t)(ns), 0, NULL)
#define REAL(key, v) add(l, key, FIG_REAL, 0, (double)(v), NULL)
#define BOOL(key, v) add(l, key, FIG_BOOL, (uint64_t)!!(v), 0, NULL)
#define TEXT(key, v) add(l, key, FIG_TEXT, 0, 0, (v))

static void hang_figures(struct list *l, const struct observation *o)
{
	SEC("hung_s", o->t_hang_detected - o->t_hang_start);
	BOOL("recovered", o->recovered);
	MSEC("recovery_ms", o->recovery_ns);
	U("hang_threads", o->hang_threads);
	U("hang_threads_in_oom_wait", o->hang_in_wait);
	U("hang_threads_running", o->hang_running);
	U("hang_threads_asleep", o->hang_asleep);
	TEXT("hang_thread_states", o->hang_states);
	SEC("hang_cpu_s", o->hang_cpu_ns);
	if (o->oom_exempt)
		U("oom_events_during_hang", o->oom_at_hang_detected - o->oom_at_hang_start);
}

/* The pressure a run put on its group, the protection of the target, the swap used: what
 * the expectations of verdict/pressure.c judge, shown whenever they say something. */
static void pressure_figures(struct list *l, const struct scenario *sc,
			     const struct observation *o)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (o->psi_known) {
		REAL("stall_some_pct", (double)pressure_share(o->stall_some_us, o->psi_window_us) / 1e3);
		REAL("stall_full_pct", (double)pressure_share(o->stall_full_us, o->psi_window_us) / 1e3);
		REAL("stall_some_ms", (double)o->stall_some_us / 1e3);
		REAL("stall_full_ms", (double)o->stall_full_us / 1e3);
		U("memory_events_high", o->high_events);
	}
	U("memory_events_max", o->max_events);
	if (o->refaults_known && (sc->memory_low || sc->memory_min || sc->max_refaults_given ||
				  o->target_refaults || o->target_low_events)) {
		U("target_refault_bytes", o->target_refaults * page);
		U("target_low_events", o->target_low_events);
	}
	/* the charge by kind, where the run was about a kind other than anonymous memory */
	if ((sc->has_balloon && sc->balloon.kind != KIND_ANON) || sc->min_peak_file ||
	    sc->min_peak_shmem || sc->min_peak_unevictable) {
		U("anon_peak_bytes", o->anon_peak);
		U("file_peak_bytes", o->file_peak);
		U("shmem_peak_bytes", o->shmem_peak);
		U("unevictable_peak_bytes", o->unevictable_peak);
		U("balloon_peak_bytes", o->balloon_peak);
	}
	if (sc->memsw_limit || o->swap_peak || o->pswpout) {
		U("swap_peak_bytes", o->swap_peak);
		if (o->balloon_swap || (sc->has_balloon && sc->placement == PLACE_SIBLING))
			U("balloon_swap_bytes", o->balloon_swap);
		if (o->pswp_known) {
			U("pswpout_pages", o->pswpout);
			U("pswpin_pages", o->pswpin);
		}
	}
}

size_t figures_collect(const struct scenario *sc, const struct scenario_result *res,
		       struct figure *f, size_t max)
{
	const struct observation *o = &res->obs;
	const struct verdict_result *vr = &res->vr;
	struct list list = { f, 0, max }, *l = &list;
	struct tl_cost cost;

	if (vr->verdict == V_OOM_KILLED)
		TEXT("victim", victim_name(vr->victim));
	SEC("time_to_outcome_s", vr->t_outcome);
	SEC("elapsed_s", res->elapsed);
	U("limit_bytes", o->limit);
	U("peak_usage_bytes", o->peak_usage);
	U("oom_kill", o->oom_kill_final - o->oom_kill_base);
	U("oom_events", o->oom_events);
	U("lazyfree_peak_bytes", o->lazyfree_peak);
	U("lazyfree_low_bytes", o->lazyfree_low);
	U("reclaimed_bytes", vr->reclaimed);
	if (o->kernel_known) {
		U("kernel_oom_kills", o->kernel_kills);
		if (o->nested_kills)
			U("nested_oom_kills", o->nested_kills);
	}
	/* how soon the runner knew, against the kernel's timestamp of the kill: when it read
	 * the kernel's record, and when the victim was dead and reaped (its memory freed) */
	if (vr->verdict == V_OOM_KILLED && o->kernel_kills) {
		const struct proc_end *e = vr->victim == VIC_BALLOON ? &o->balloon : &o->target;

		add(l, "oom_kill_read_after_ms", FIG_NS_AS_MS, o->t_kernel_kill_read >
		    o->t_kernel_kill ? o->t_kernel_kill_read - o->t_kernel_kill : 0, 0, NULL);
		if (vr->victim != VIC_OTHER && e->ended)
			add(l, "oom_kill_reaped_after_ms", FIG_NS_AS_MS, e->t > o->t_kernel_kill ?
			    e->t - o->t_kernel_kill : 0, 0, NULL);
	}
	if (o->verified) {
		U("verify_zero_pages", o->verify_zero_pages);
		U("verify_pattern_pages", o->verify_pattern_pages);
	}
	timeline_cost(&res->tl, &cost);
	U("samples", cost.samples);
	REAL("sample_cost_mean_ms", (double)cost.mean / 1e6);
	REAL("sample_cost_max_ms", (double)cost.max / 1e6);
	if (cost.lazyfree_interval)
		add(l, "lazyfree_interval_ms", FIG_NS_AS_MS, cost.lazyfree_interval, 0, NULL);
	if (o->lazyfree_walks)
		U("lazyfree_walks", o->lazyfree_walks);
	if (cost.carried)
		U("lazyfree_carried_samples", cost.carried);
	if (o->sample_cpu_n) {
		/* CPU time, not wall time: what watching costs whatever else the machine does */
		static const char *const keys[SRC_N] = {
			[SRC_CGROUP] = "sample_cpu_cgroup_ms", [SRC_TASKS] = "sample_cpu_tasks_ms",
			[SRC_SMAPS] = "sample_cpu_smaps_ms", [SRC_OTHER] = "sample_cpu_other_ms",
		};
		uint64_t all = 0;

		for (int k = 0; k < SRC_N; k++)
			all += o->sample_cpu[k];
		REAL("sample_cpu_mean_ms", (double)all / (double)o->sample_cpu_n / 1e6);
		for (int k = 0; k < SRC_N; k++)
			REAL(keys[k], (double)o->sample_cpu[k] / (double)o->sample_cpu_n / 1e6);
	}
	pressure_figures(l, sc, o);
	if (o->hang_detected)
		hang_figures(l, o);
	if (o->has_load && o->load.started) {
		BOOL("load_ran_to_end", o->load.ended && !o->load.by_harness);
		if (o->load.ended && !o->load.by_harness) {
			U(o->load.signaled ? "load_signal" : "load_exit_code", o->load.code);
			SEC("load_end_s", o->load.t);
		}
	}
	if (o->throttle_detected) {
		SEC("throttled_s", o->t_throttle_detected - o->t_throttle_start);
		REAL("psi_full_ms", (double)o->throttle_full_us / 1e3);
		U("high_events", o->throttle_high_events);
		BOOL("recovered", o->recovered);
		MSEC("recovery_ms", o->recovery_ns);
	}
	if (o->oom_group && o->oom_group_kills) {
		struct figure *g;

		U("oom_group_kill", o->oom_group_kills);
		g = TEXT("group_killed", "");
		for (unsigned i = 0, w = 0; g && i < o->ngroup_killed && i < 8; i++)
			w += (unsigned)snprintf(g->text + w, w < sizeof(g->text) ? sizeof(g->text) - w : 0,
						"%s%d %s (%s)", i ? ", " : "", o->group_killed[i].pid,
						o->group_killed[i].comm, o->group_killed[i].role);
	}
	return l->n;
}
