/* result.json: one round of one scenario for machines: the verdict and whether it met the
 * expectation (and why not), the key figures, the events, and where it ran (kernel, cgroup
 * version, harness version). Built with jansson; free text is cleaned to valid UTF-8 first
 * (jansson refuses anything else). */
#include "report_int.h"

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

static json_t *figures(const struct scenario_result *res)
{
	const struct observation *o = &res->obs;
	const struct verdict_result *vr = &res->vr;
	json_t *f = json_object();

	if (!f)
		return NULL;
	json_object_set_new(f, "time_to_outcome_s", jsec(vr->t_outcome));
	json_object_set_new(f, "elapsed_s", jsec(res->elapsed));
	json_object_set_new(f, "limit_bytes", json_integer((json_int_t)o->limit));
	json_object_set_new(f, "peak_usage_bytes", json_integer((json_int_t)o->peak_usage));
	json_object_set_new(f, "oom_kill",
			    json_integer((json_int_t)(o->oom_kill_final - o->oom_kill_base)));
	json_object_set_new(f, "oom_events", json_integer((json_int_t)o->oom_events));
	json_object_set_new(f, "lazyfree_peak_bytes", json_integer((json_int_t)o->lazyfree_peak));
	json_object_set_new(f, "lazyfree_low_bytes", json_integer((json_int_t)o->lazyfree_low));
	json_object_set_new(f, "reclaimed_bytes", json_integer((json_int_t)vr->reclaimed));
	if (vr->verdict == V_OOM_KILLED)
		json_object_set_new(f, "victim", json_string(victim_name(vr->victim)));
	if (o->verified) {
		json_object_set_new(f, "verify_zero_pages",
				    json_integer((json_int_t)o->verify_zero_pages));
		json_object_set_new(f, "verify_pattern_pages",
				    json_integer((json_int_t)o->verify_pattern_pages));
	}
	if (o->hang_detected) {
		json_object_set_new(f, "hung_s", jsec(o->t_hang_detected - o->t_hang_start));
		json_object_set_new(f, "recovered", json_boolean(o->recovered));
		json_object_set_new(f, "recovery_ms", json_real((double)o->recovery_ns / 1e6));
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
			 " s:{s:o, s:o, s:o, s:o}, s:{s:I, s:I}}",
			 "scenario", jstr(sc->name),
			 "file", jstr(sc->file),
			 "description", jstr(sc->description),
			 "result", result_name(ro),
			 "verdict", verdict_name(res->vr.verdict),
			 "expected", verdict_name((enum verdict)sc->outcome),
			 "expectation_met", ro == RESULT_MET,
			 "why", ro == RESULT_MET ? json_null() : jstr(why),
			 "summary", jstr(res->vr.summary),
			 "figures", figures(res),
			 "events", events(&res->tl),
			 "diagnostics", strings(&res->diag),
			 "timeline", timeline_info(&res->tl),
			 "environment",
			 "kernel", jstr(info->kernel),
			 "cgroup", jstr(info->meta->cgroup),
			 "host", jstr(info->host),
			 "harness_version", jstr(info->meta->version),
			 "round", "number", (json_int_t)round + 1, "of",
			 (json_int_t)info->meta->rounds);
}
