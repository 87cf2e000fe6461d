/* TAP lines: "ok 1 - name: summary", "not ok 2 - name: summary" + "# why", "# SKIP", and
 * BROK (the harness failed) kept apart from a workload that behaved otherwise. */
#include "tap.h"
#include "units.h"

#include <string.h>

void tap_plan(FILE *f, size_t n)
{
	fprintf(f, "TAP version 13\n1..%zu\n", n);
	fflush(f);
}

static void diag_lines(FILE *f, const struct scenario_result *res)
{
	for (size_t i = 0; i < res->diag.n; i++)
		fprintf(f, "#   %s\n", res->diag.v[i]);
}

/* TAP 13 YAML block: the verdict and its figures, for machines (tests, CI) to read. */
static void yaml_block(FILE *f, const struct scenario *sc, const struct scenario_result *res)
{
	const struct observation *o = &res->obs;
	struct tl_cost cost;

	fprintf(f, "  ---\n  result: %s\n  verdict: %s\n  expected: %s\n", result_name(res->result),
		verdict_name(res->vr.verdict), verdict_name((enum verdict)sc->outcome));
	if (res->vr.verdict == V_OOM_KILLED)
		fprintf(f, "  victim: %s\n", victim_name(res->vr.victim));
	fprintf(f, "  time_to_outcome_s: %.3f\n  elapsed_s: %.3f\n",
		(double)res->vr.t_outcome / 1e9, (double)res->elapsed / 1e9);
	fprintf(f, "  limit_bytes: %llu\n  peak_usage_bytes: %llu\n",
		(unsigned long long)o->limit, (unsigned long long)o->peak_usage);
	fprintf(f, "  oom_kill: %llu\n  oom_events: %llu\n",
		(unsigned long long)(o->oom_kill_final - o->oom_kill_base),
		(unsigned long long)o->oom_events);
	fprintf(f, "  lazyfree_peak_bytes: %llu\n  lazyfree_low_bytes: %llu\n",
		(unsigned long long)o->lazyfree_peak, (unsigned long long)o->lazyfree_low);
	if (o->verified)
		fprintf(f, "  verify_zero_pages: %llu\n  verify_pattern_pages: %llu\n",
			(unsigned long long)o->verify_zero_pages,
			(unsigned long long)o->verify_pattern_pages);
	timeline_cost(&res->tl, &cost);
	fprintf(f, "  samples: %zu\n  sample_cost_mean_ms: %.3f\n  sample_cost_max_ms: %.3f\n",
		cost.samples, (double)cost.mean / 1e6, (double)cost.max / 1e6);
	if (cost.lazyfree_interval)
		fprintf(f, "  lazyfree_interval_ms: %.1f\n", (double)cost.lazyfree_interval / 1e6);
	if (o->hang_detected)
		fprintf(f, "  hung_s: %.3f\n  recovered: %s\n  recovery_ms: %.1f\n",
			(double)(o->t_hang_detected - o->t_hang_start) / 1e9,
			o->recovered ? "true" : "false", (double)o->recovery_ns / 1e6);
	if (o->throttle_detected)
		fprintf(f, "  throttled_s: %.3f\n  psi_full_ms: %.1f\n  high_events: %llu\n"
			"  recovered: %s\n  recovery_ms: %.1f\n",
			(double)(o->t_throttle_detected - o->t_throttle_start) / 1e9,
			(double)o->throttle_full_us / 1e3,
			(unsigned long long)o->throttle_high_events, o->recovered ? "true" : "false",
			(double)o->recovery_ns / 1e6);
	if (o->hang_detected && o->oom_exempt)
		fprintf(f, "  oom_events_during_hang: %llu\n",
			(unsigned long long)(o->oom_at_hang_detected - o->oom_at_hang_start));
	if (o->oom_group && o->oom_group_kills) {
		fprintf(f, "  oom_group_kill: %llu\n  group_killed: \"", (unsigned long long)o->oom_group_kills);
		for (unsigned i = 0; i < o->ngroup_killed && i < 8; i++)
			fprintf(f, "%s%d %s (%s)", i ? ", " : "", o->group_killed[i].pid,
				o->group_killed[i].comm, o->group_killed[i].role);
		fprintf(f, "\"\n");
	}
	fprintf(f, "  ...\n");
}

void tap_result(FILE *f, size_t num, const struct scenario *sc, const struct scenario_result *res,
		int verbose, struct tap_totals *tot)
{
	tot->count[res->result]++;
	switch (res->result) {
	case RESULT_INTERRUPTED:
		fprintf(f, "not ok %zu - %s: interrupted by SIG%s after %.2f s, cleaned up\n", num,
			sc->name, sigabbrev_np(res->interrupted), (double)res->elapsed / 1e9);
		fprintf(f, "# %s: observed until then: %s\n", sc->name, res->vr.summary);
		break;
	case RESULT_SKIPPED:
		if (verbose >= 0)
			fprintf(f, "ok %zu - %s # SKIP %s\n", num, sc->name, res->skip_why);
		break;
	case RESULT_BROKEN:
		fprintf(f, "not ok %zu - %s: BROK: %s\n", num, sc->name, res->broken_why);
		if (res->vr.verdict != V_NONE)
			fprintf(f, "# %s: observed so far: %s: %s\n", sc->name,
				verdict_name(res->vr.verdict), res->vr.summary);
		diag_lines(f, res);
		yaml_block(f, sc, res);
		break;
	case RESULT_MET:
		if (verbose < 0)
			return;
		fprintf(f, "ok %zu - %s: %s\n", num, sc->name, res->vr.summary);
		if (verbose)
			diag_lines(f, res);
		yaml_block(f, sc, res);
		break;
	case RESULT_NOT_MET:
	case RESULT_NOT_RUN:
		fprintf(f, "not ok %zu - %s: %s\n", num, sc->name, res->vr.summary);
		fprintf(f, "# %s (%s): %s\n", sc->name, sc->file, res->why);
		diag_lines(f, res);
		yaml_block(f, sc, res);
		break;
	}
	fflush(f);
}

void tap_summary(FILE *f, const struct tap_totals *tot, double seconds)
{
	unsigned n = 0;

	for (int i = 0; i < RESULT_N; i++)
		n += tot->count[i];
	fprintf(f, "# %u scenario%s in %.1f s: %u met, %u not met, %u broken, %u skipped\n", n,
		n == 1 ? "" : "s", seconds, tot->count[RESULT_MET], tot->count[RESULT_NOT_MET],
		tot->count[RESULT_BROKEN] + tot->count[RESULT_INTERRUPTED], tot->count[RESULT_SKIPPED]);
	fflush(f);
}
