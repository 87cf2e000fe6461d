/* TAP lines: "ok 1 - name: summary", "not ok 2 - name: summary" + "# why", "# SKIP", and
 * BROK (the harness failed) kept apart from a workload that behaved otherwise. */
#include "tap.h"
#include "figures.h"
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
