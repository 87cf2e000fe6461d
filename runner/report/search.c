/* The limit finder in the report: result.json's "search" (every step, the bounds, the
 * unstable band, the headroom) and, in index.html, its chart and a table of its steps. */
#include "report_int.h"
#include "units.h"

#include <stdlib.h>

#define MIB_D (1024.0 * 1024.0)

static int step_class(const struct search_step *st)
{
	return st->broken ? SC_BROKEN : search_step_passed(st) ? SC_MET :
	       search_step_unstable(st) ? SC_UNSTABLE : SC_NOT_MET;
}

static json_t *bytes_or_null(uint64_t v)
{
	return v ? json_integer((json_int_t)v) : json_null();
}

json_t *report_json_search(const struct search *s)
{
	json_t *steps = json_array(), *o;

	for (size_t i = 0; steps && i < s->n; i++) {
		const struct search_step *st = &s->steps[i];

		json_array_append_new(steps, json_pack("{s:I, s:s, s:i, s:i, s:i, s:I, s:s, s:s, s:f}",
			"limit_bytes", (json_int_t)st->limit,
			"class", search_classes[step_class(st)].name,
			"met", st->met, "not_met", st->not_met, "broken", st->broken,
			"peak_usage_bytes", (json_int_t)st->peak, "verdicts", st->verdicts,
			"why", st->why, "seconds", (double)st->ns / 1e9));
	}
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:i, s:o, s:o, s:f, s:o}",
		      "stop", search_stop_name(s->stop),
		      "stop_means", search_stop_text(s->stop),
		      "smallest_pass_bytes", bytes_or_null(s->pass),
		      "largest_fail_bytes", bytes_or_null(s->fail),
		      "unstable_low_bytes", bytes_or_null(s->unstable_lo),
		      "unstable_high_bytes", bytes_or_null(s->unstable_hi),
		      "own_limit_bytes", (json_int_t)s->p.own,
		      "headroom_bytes", s->pass ? json_integer((json_int_t)s->p.own -
							       (json_int_t)s->pass) : json_null(),
		      "headroom_pct", s->pass ? json_real(100.0 * ((double)s->p.own -
							    (double)s->pass) / (double)s->p.own)
					      : json_null(),
		      "repeats", (int)s->p.repeats,
		      "resolution_bytes", s->pass ? json_integer((json_int_t)search_resolution(
						&s->p, s->pass)) : json_null(),
		      "bounds", json_pack("{s:o, s:o, s:I}", "low_bytes", bytes_or_null(s->p.low),
					  "high_bytes", bytes_or_null(s->p.high),
					  "machine_cap_bytes", (json_int_t)s->p.cap),
		      "seconds", (double)s->ns / 1e9,
		      "steps", steps);
	return o;
}

void report_html_search(FILE *f, const struct report_entry *e, size_t i)
{
	const struct search *s = e->search;
	struct search_point *pts = calloc(s->n ? s->n : 1, sizeof(*pts));
	struct search_chart sc = { .n = s->n, .p = pts, .own = (double)s->p.own / MIB_D,
				   .pass = (double)s->pass / MIB_D,
				   .fail = (double)s->fail / MIB_D };
	char id[48], a[32], b[32];

	if (!pts)
		return;
	for (size_t k = 0; k < s->n; k++)
		pts[k] = (struct search_point){ (double)s->steps[k].limit / MIB_D,
						(double)s->steps[k].peak / MIB_D,
						step_class(&s->steps[k]) };
	snprintf(id, sizeof(id), "search-%zu", i + 1);
	fprintf(f, "<p class=\"caption\">The limit finder: each point is a memory_limit it "
		"tried (%u run%s each) at the highest cgroup usage of its runs, green when the "
		"expectation held every time. Above the smallest passing limit it held, below the "
		"largest failing one it did not; the dotted diagonal is a run that used all of "
		"its limit.</p>\n", s->p.repeats, s->p.repeats == 1 ? "" : "s");
	chart_search_svg(f, &sc, id, 1000, 380);
	free(pts);
	fprintf(f, "<details><summary>steps (%zu)</summary>\n<table class=\"steps\">\n<thead><tr>"
		"<th>#</th><th>limit</th><th>runs</th><th>verdicts</th><th>peak usage</th>"
		"<th>time (s)</th></tr></thead>\n<tbody>\n", s->n);
	for (size_t k = 0; k < s->n; k++) {
		const struct search_step *st = &s->steps[k];

		fprintf(f, "<tr class=\"%s\"><td class=\"num\">%zu</td><td class=\"num\">%s</td>"
			"<td>%s</td><td>", search_classes[step_class(st)].name, k + 1,
			fmt_size(st->limit, a, sizeof(a)), search_classes[step_class(st)].label);
		html_puts(f, st->verdicts);
		if (st->why[0]) {
			fprintf(f, "<div class=\"why\">");
			html_puts(f, st->why);
			fprintf(f, "</div>");
		}
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%.1f</td></tr>\n",
			fmt_size(st->peak, b, sizeof(b)), (double)st->ns / 1e9);
	}
	fprintf(f, "</tbody>\n</table>\n</details>\n");
	if (e->runs)
		fprintf(f, "<p class=\"caption\">The chart below is the last run kept: at the "
			"smallest passing limit when there is one.</p>\n");
}
