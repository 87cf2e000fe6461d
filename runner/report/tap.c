/* TAP lines: "ok 1 - name: summary", "not ok 2 - name: summary" + "# why", "# SKIP", and
 * BROK (the harness failed) kept apart from a workload that behaved otherwise. */
#include "tap.h"
#include "figures.h"
#include "units.h"

#include <signal.h>
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

/* A YAML scalar: plain when it cannot be mistaken for anything else, else double-quoted. */
static void yaml_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

/* TAP 13 YAML block: the verdict and its figures (report/figures.c), for machines. */
static void yaml_block(FILE *f, const struct scenario *sc, const struct scenario_result *res)
{
	struct figure figs[FIGURES_MAX];
	size_t n = figures_collect(sc, res, figs, FIGURES_MAX);

	fprintf(f, "  ---\n  result: %s\n  verdict: %s\n  expected: %s\n", result_name(res->result),
		verdict_name(res->vr.verdict), verdict_name((enum verdict)sc->outcome));
	for (size_t i = 0; i < n; i++) {
		const struct figure *g = &figs[i];

		fprintf(f, "  %s: ", g->key);
		switch (g->type) {
		case FIG_UINT: fprintf(f, "%llu", (unsigned long long)g->u); break;
		case FIG_NS_AS_S: fprintf(f, "%.3f", (double)g->u / 1e9); break;
		case FIG_NS_AS_MS: fprintf(f, "%.1f", (double)g->u / 1e6); break;
		case FIG_REAL: fprintf(f, "%.3f", g->d); break;
		case FIG_BOOL: fputs(g->u ? "true" : "false", f); break;
		case FIG_TEXT:
			/* victim names stay plain, as before: target, balloon, target+balloon */
			if (strcmp(g->key, "victim") == 0)
				fputs(g->text, f);
			else
				yaml_text(f, g->text);
			break;
		}
		fputc('\n', f);
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

void tap_search_begin(FILE *f, const struct scenario *sc, const struct search_params *p)
{
	char a[32], b[32], c[32];

	if (p->res_milli_pct)
		snprintf(c, sizeof(c), "%.3g %%", (double)p->res_milli_pct / 1000);
	else
		fmt_size(p->res_bytes, c, sizeof(c));
	fprintf(f, "# Subtest: %s: the smallest memory_limit meeting \"%s\" %u of %u times, "
		"between %s and %s, resolution %s\n", sc->name,
		verdict_name((enum verdict)sc->outcome), p->repeats, p->repeats,
		p->low ? fmt_size(p->low, a, sizeof(a)) : "8 MiB",
		p->high ? fmt_size(p->high, b, sizeof(b)) : "its own limit doubled as needed", c);
	fflush(f);
}

void tap_search_step(FILE *f, size_t num, const struct search_step *st, unsigned repeats)
{
	char a[32], b[32];
	const char *what = search_step_passed(st) ? "met" : search_step_unstable(st) ?
			   "unstable: met" : "not met";

	if (st->broken)
		fprintf(f, "    not ok %zu - %s: %s\n", num, fmt_size(st->limit, a, sizeof(a)),
			st->verdicts);
	else
		fprintf(f, "    ok %zu - %s: %s %u of %u (%s), peak %s, %.1f s%s%s\n", num,
			fmt_size(st->limit, a, sizeof(a)), what,
			search_step_passed(st) || search_step_unstable(st) ? st->met : st->not_met,
			repeats, st->verdicts, fmt_size(st->peak, b, sizeof(b)),
			(double)st->ns / 1e9, st->why[0] ? "; " : "", st->why);
	fflush(f);
}

void tap_search_end(FILE *f, size_t num, const struct scenario *sc, const struct search *s,
		    enum result result, const char *summary, double seconds, bool quiet,
		    int interrupted, struct tap_totals *tot)
{
	uint64_t res = s->pass ? search_resolution(&s->p, s->pass) : 0;
	unsigned runs = 0;

	tot->count[result]++;
	for (size_t i = 0; i < s->n; i++)
		runs += s->steps[i].met + s->steps[i].not_met + s->steps[i].broken;
	if (!quiet)
		fprintf(f, "    1..%zu\n", s->n);
	if (quiet && result == RESULT_MET)
		return;
	if (result == RESULT_INTERRUPTED)
		fprintf(f, "not ok %zu - %s: interrupted by SIG%s; so far: %s\n", num, sc->name,
			sigabbrev_np(interrupted), summary);
	else
		fprintf(f, "%sok %zu - %s: %s%s\n", result == RESULT_MET ? "" : "not ", num,
			sc->name, result == RESULT_BROKEN ? "BROK: " : "", summary);
	fprintf(f, "  ---\n  result: %s\n  search_stop: %s\n  expected: %s\n",
		result_name(result), search_stop_name(s->stop),
		verdict_name((enum verdict)sc->outcome));
	fprintf(f, "  smallest_pass_bytes: %llu\n  largest_fail_bytes: %llu\n"
		"  resolution_bytes: %llu\n  unstable_low_bytes: %llu\n  unstable_high_bytes: %llu\n"
		"  own_limit_bytes: %llu\n", (unsigned long long)s->pass,
		(unsigned long long)s->fail, (unsigned long long)res,
		(unsigned long long)s->unstable_lo, (unsigned long long)s->unstable_hi,
		(unsigned long long)s->p.own);
	if (s->pass)
		fprintf(f, "  headroom_bytes: %lld\n  headroom_pct: %.1f\n",
			(long long)s->p.own - (long long)s->pass,
			100.0 * ((double)s->p.own - (double)s->pass) / (double)s->p.own);
	fprintf(f, "  steps: %zu\n  runs: %u\n  repeats: %u\n  elapsed_s: %.1f\n  ...\n", s->n,
		runs, s->p.repeats, seconds);
	fflush(f);
}