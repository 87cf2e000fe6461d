/* result.json: one round of one scenario for machines: the verdict and whether it met the
 * expectation (and why not), the key figures, the events, and where it ran (kernel, cgroup
 * version, harness version). Built with jansson; free text is cleaned to valid UTF-8 first
 * (jansson refuses anything else). */
#include "report_int.h"
#include "figures.h"

#include <stdlib.h>

/* A JSON string of s cleaned, or null for NULL. */
static json_t *jstr(const char *s)
{
	char *c;
	json_t *j;

	if (!s)
		return json_null();
	c = text_clean(s);
	j = c ? json_string(c) : NULL;
	free(c);
	return j;
}

static json_t *jsec(uint64_t ns)
{
	return json_real((double)ns / 1e9);
}

/* The same figures as the TAP YAML block (report/figures.c), as JSON numbers and strings. */
static json_t *figures(const struct scenario *sc, const struct scenario_result *res)
{
	struct figure figs[FIGURES_MAX];
	size_t n = figures_collect(sc, res, figs, FIGURES_MAX);
	json_t *f = json_object();

	for (size_t i = 0; f && i < n; i++) {
		const struct figure *g = &figs[i];
		json_t *v = NULL;

		switch (g->type) {
		case FIG_UINT: v = json_integer((json_int_t)g->u); break;
		case FIG_NS_AS_S: v = jsec(g->u); break;
		case FIG_NS_AS_MS: v = json_real((double)g->u / 1e6); break;
		case FIG_REAL: v = json_real(g->d); break;
		case FIG_BOOL: v = json_boolean(g->u); break;
		case FIG_TEXT: v = jstr(g->text); break;
		}
		json_object_set_new(f, g->key, v);
	}
	return f;
}

static json_t *events(const struct timeline *tl)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < tl->ne; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "t_s", jsec(tl->e[i].t),
						   "what", jstr(tl->e[i].what), "detail",
						   jstr(tl->e[i].detail)));
	return a;
}

static json_t *strings(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, jstr(l->v[i]));
	return a;
}

static json_t *timeline_info(const struct timeline *tl)
{
	json_t *cols = json_array();

	for (size_t c = 0; cols && c < tl_ncolumns; c++)
		json_array_append_new(cols, json_pack("{s:s, s:s}", "name", tl_columns[c].name,
						      "meaning", tl_columns[c].help));
	return json_pack("{s:s, s:I, s:o}", "file", "timeline.csv", "samples",
			 (json_int_t)tl->ns, "columns", cols);
}

json_t *report_json_result(const struct report_info *info, const struct scenario *sc,
			   const struct scenario_result *res, unsigned round)
{
	enum result ro = res->result;
	const char *why = scenario_result_reason(res);

	/* json_pack steals each "o" reference, also on failure, and fails on a NULL one. */
	return json_pack("{s:o, s:o, s:o, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o,"
			 " s:{s:o, s:o, s:o, s:o, s:o}, s:{s:I, s:I}}",
			 "scenario", jstr(sc->name),
			 "file", jstr(sc->file),
			 "description", jstr(sc->description),
			 "result", result_name(ro),
			 "verdict", verdict_name(res->vr.verdict),
			 "expected", verdict_name((enum verdict)sc->outcome),
			 "expectation_met", ro == RESULT_MET,
			 "why", ro == RESULT_MET ? json_null() : jstr(why),
			 "summary", jstr(res->vr.summary),
			 "figures", figures(sc, res),
			 "events", events(&res->tl),
			 "diagnostics", strings(&res->diag),
			 "timeline", timeline_info(&res->tl),
			 "environment",
			 "kernel", jstr(info->kernel),
			 "cgroup", jstr(info->meta->cgroup),
			 "host", jstr(info->host),
			 "harness_version", jstr(info->meta->version),
			 "t0_monotonic_s", json_real((double)res->t0 / 1e9),
			 "round", "number", (json_int_t)round + 1, "of",
			 (json_int_t)info->meta->rounds);
}
