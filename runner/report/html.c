/* index.html: one self-contained page (inline CSS and SVG; no script, font or network) with a
 * table of the scenarios and, for each, its chart and events; with --compare the two
 * scenarios side by side on the same scales first. Every piece of text is HTML-escaped. */
#include "report_int.h"

#include <math.h>
#include <signal.h>
#include <string.h>

static const char css[] =
	"body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;margin:24px;color:#222;"
	"background:#fff;max-width:1240px}\n"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px}\n"
	".meta{color:#555;font-size:13px;margin:2px 0}\n"
	".summary{font-size:15px;font-weight:bold;margin:10px 0 18px}\n"
	"table{border-collapse:collapse;font-size:13px}\n"
	"th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n"
	"th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}\n"
	".badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;"
	"font-weight:bold;color:#fff;white-space:nowrap}\n"
	".met{background:#1e8449}.not_met{background:#c0392b}.broken{background:#7d3c98}"
	".interrupted{background:#7d3c98}.skipped,.not_run{background:#888}\n"
	".why{color:#a93226;white-space:pre-wrap}\n"
	".desc{color:#444;margin:2px 0 8px}\n"
	"section.scenario{border-top:1px solid #ddd;margin-top:18px}\n"
	".charts{display:flex;flex-wrap:wrap;gap:16px}.charts>div{width:600px;max-width:100%}\n"
	"svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}\n"
	"table.events td:first-child{white-space:nowrap;text-align:right}\n"
	"table.events td:nth-child(2){white-space:nowrap;font-family:monospace}\n"
	"details{margin:6px 0}summary{cursor:pointer;color:#1f5fbf}\n"
	"pre.tap{background:#f7f7f7;border:1px solid #e3e3e3;padding:8px;font-size:12px;"
	"overflow-x:auto}\n"
	".caption{font-size:13px;color:#444;max-width:1150px}\n";

static void badge(FILE *f, enum result o)
{
	fprintf(f, "<span class=\"badge %s\">%s</span>", result_name(o),
		o == RESULT_NOT_MET ? "not met" : o == RESULT_NOT_RUN ? "not run" : result_name(o));
}

static void header(FILE *f, const struct report_info *info)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>balloon-run report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		"<h1>balloon-run report</h1>\n<p class=\"meta\">started ", css);
	html_puts(f, info->started);
	fprintf(f, " on ");
	html_puts(f, info->host);
	fprintf(f, "; cgroup ");
	html_puts(f, info->meta->cgroup);
	fprintf(f, "; balloon-run ");
	html_puts(f, info->meta->version);
	if (info->meta->rounds > 1)
		fprintf(f, "; %u rounds (each scenario shows its last round)", info->meta->rounds);
	fprintf(f, "</p>\n<p class=\"meta\">kernel ");
	html_puts(f, info->kernel);
	fprintf(f, "</p>\n<p class=\"summary\">");
	html_puts(f, info->summary);
	if (info->interrupted)
		fprintf(f, " &mdash; interrupted by SIG%s", sigabbrev_np(info->interrupted));
	fprintf(f, "</p>\n");
}

static void overview(FILE *f, const struct report_entry *e, size_t n,
		     const struct report_info *info)
{
	bool rounds = info->meta->rounds > 1;

	fprintf(f, "<table class=\"overview\">\n<thead><tr><th>#</th><th>scenario</th>"
		"<th>result</th><th>verdict</th><th>expected</th><th>what happened</th>"
		"<th>time (s)</th>%s<th>files</th></tr></thead>\n<tbody>\n",
		rounds ? "<th>rounds met</th>" : "");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<tr><td class=\"num\">%zu</td><td><a href=\"#s-", i + 1);
		html_puts(f, e[i].name);
		fprintf(f, "\">");
		html_puts(f, e[i].name);
		fprintf(f, "</a></td><td>");
		badge(f, e[i].outcome);
		fprintf(f, "</td><td>%s</td><td>%s</td><td>", e[i].verdict, e[i].expected);
		html_puts(f, e[i].summary);
		if (e[i].outcome != RESULT_MET && e[i].why && *e[i].why) {
			fprintf(f, "<div class=\"why\">");
			html_puts(f, e[i].why);
			fprintf(f, "</div>");
		}
		fprintf(f, "</td><td class=\"num\">%.2f</td>", e[i].elapsed_s);
		if (rounds)
			fprintf(f, "<td class=\"num\">%u/%u</td>", e[i].count[RESULT_MET], e[i].runs);
		fprintf(f, "<td>");
		if (e[i].runs) {
			fprintf(f, "<a href=\"");
			html_puts(f, e[i].name);
			fprintf(f, "/timeline.csv\">timeline.csv</a> <a href=\"");
			html_puts(f, e[i].name);
			fprintf(f, "/result.json\">result.json</a>");
		}
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</tbody>\n</table>\n");
}

static void event_table(FILE *f, const struct chart_data *cd)
{
	fprintf(f, "<details><summary>events (%zu)</summary>\n<table class=\"events\">\n"
		"<thead><tr><th>#</th><th>time (s)</th><th>event</th><th>detail</th></tr></thead>"
		"\n<tbody>\n", cd->ne_total);
	for (size_t i = 0; i < cd->ne; i++) {
		fprintf(f, "<tr><td>%zu</td><td class=\"num\">%.3f</td><td>", i + 1, cd->ev[i].t);
		html_puts(f, cd->ev[i].what);
		fprintf(f, "</td><td>");
		html_puts(f, cd->ev[i].detail);
		fprintf(f, "</td></tr>\n");
	}
	if (cd->ne < cd->ne_total)
		fprintf(f, "<tr><td colspan=\"4\">%zu more in result.json</td></tr>\n",
			cd->ne_total - cd->ne);
	fprintf(f, "</tbody>\n</table>\n</details>\n");
}

static void scenario_section(FILE *f, const struct report_entry *e, size_t i,
			     const struct report_info *info)
{
	char id[96];

	fprintf(f, "<section class=\"scenario\" id=\"s-");
	html_puts(f, e->name);
	fprintf(f, "\">\n<h2>%zu. ", i + 1);
	html_puts(f, e->name);
	fprintf(f, " ");
	badge(f, e->outcome);
	fprintf(f, "</h2>\n");
	if (e->description) {
		fprintf(f, "<p class=\"desc\">");
		html_puts(f, e->description);
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<p>");
	html_puts(f, e->summary);
	fprintf(f, "</p>\n");
	if (e->outcome != RESULT_MET && e->why && *e->why) {
		fprintf(f, "<p class=\"why\">");
		html_puts(f, e->why);
		fprintf(f, "</p>\n");
	}
	if (e->search)
		report_html_search(f, e, i);
	if (e->first_bad_round && info->meta->rounds > 1) {
		fprintf(f, "<p class=\"why\">first failure in round %u of %u: ", e->first_bad_round,
			e->runs);
		html_puts(f, e->first_bad_why);
		fprintf(f, " (its files: <a href=\"");
		html_puts(f, e->name);
		fprintf(f, "/first-failure/result.json\">first-failure/</a>)</p>\n");
	}
	if (e->runs && e->chart.n) {
		struct chart_opts o = { .id = id, .width = 1000, .height = 360 };

		snprintf(id, sizeof(id), "chart-%zu", i + 1);
		chart_svg(f, &e->chart, &o);
	} else if (e->runs) {
		fprintf(f, "<p>no samples were taken (the run ended before the first one).</p>\n");
	}
	if (e->runs)
		event_table(f, &e->chart);
	if (e->tap) {
		fprintf(f, "<details><summary>TAP output</summary>\n<pre class=\"tap\">");
		html_puts(f, e->tap);
		fprintf(f, "</pre>\n</details>\n");
	}
	fprintf(f, "</section>\n");
}

/* Two scenarios side by side, same axes: the target's RSS and LazyFree under the same
 * balloon (the MADV_FREE vs MADV_DONTNEED demo). */
static void comparison(FILE *f, const struct report_entry *e)
{
	const unsigned mask = 1u << CS_LIMIT | 1u << CS_BALLOON | 1u << CS_RSS | 1u << CS_LAZYFREE;
	double xm = fmax(chart_x_max(&e[0].chart), chart_x_max(&e[1].chart));
	double ym = fmax(chart_y_max(&e[0].chart, mask), chart_y_max(&e[1].chart, mask)) * 1.04;

	fprintf(f, "<section class=\"compare\" id=\"compare\">\n<h2>");
	html_puts(f, e[0].name);
	fprintf(f, " vs ");
	html_puts(f, e[1].name);
	fprintf(f, "</h2>\n<p class=\"caption\">The same balloon (purple) inflates beside each "
		"target; both charts share their scales. Green is the target's resident memory "
		"(RSS), the shaded orange area its LazyFree: pages freed with MADV_FREE that still "
		"count in RSS until the kernel needs them.</p>\n<div class=\"charts\">\n");
	for (int i = 0; i < 2; i++) {
		char id[32], title[160];
		struct chart_opts o = { .id = id, .title = title, .series = mask, .x_max = xm,
					.y_max = ym, .width = 600, .height = 340 };

		snprintf(id, sizeof(id), "compare-%d", i + 1);
		snprintf(title, sizeof(title), "%s: %s", e[i].name, e[i].verdict);
		fprintf(f, "<div>\n");
		chart_svg(f, &e[i].chart, &o);
		fprintf(f, "<p class=\"caption\">");
		html_puts(f, e[i].summary);
		fprintf(f, "</p>\n</div>\n");
	}
	fprintf(f, "</div>\n</section>\n");
}

int report_html_write(FILE *f, const struct report_entry *e, size_t n,
		      const struct report_info *info)
{
	header(f, info);
	if (info->meta->compare && n == 2 && e[0].runs && e[1].runs)
		comparison(f, e);
	overview(f, e, n, info);
	for (size_t i = 0; i < n; i++)
		scenario_section(f, &e[i], i, info);
	fprintf(f, "</body>\n</html>\n");
	return ferror(f) ? -1 : 0;
}
