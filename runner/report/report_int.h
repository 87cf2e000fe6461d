/* Inside the reports: the per-scenario summary kept across rounds, the chart data, and the
 * writers of each file format (one file each). Used by report.c and the unit tests only. */
#ifndef REPORT_INT_H
#define REPORT_INT_H

#include "run/monitor.h"
#include "report.h"
#include "search/search.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- report_text.c: what any report file may hold ---- */

/* A copy of s (NULL: "") that is valid UTF-8 with no control characters but newline and tab:
 * invalid bytes become U+FFFD, control characters "\xNN" (XML 1.0 cannot hold them at all,
 * escaped or not). Returns NULL only when out of memory. */
char *text_clean(const char *s);
/* Writes s cleaned and HTML-escaped (& < > " '). Returns 0 or -ENOMEM. */
int html_puts(FILE *f, const char *s);
/* Writes one CSV field, quoted (RFC 4180) when it holds a comma, quote, CR or LF. */
void csv_field(FILE *f, const char *s);

/* ---- chart.c: SVG charts of a timeline ---- */

#define CHART_MAX_POINTS 600  /* per series: a chart is ~800 px wide */
#define CHART_MAX_EVENTS 40

/* The series a chart can draw, each a column of tl_columns (runner/timeline.h). */
struct chart_series {
	const char *column; /* tl_columns name, a byte count */
	const char *label;  /* legend text */
	const char *color;
	const char *dash;   /* SVG stroke-dasharray, NULL = solid */
	double width;
};
enum { CS_LIMIT, CS_USAGE, CS_BALLOON, CS_RSS, CS_LAZYFREE, CS_N };
extern const struct chart_series chart_series[CS_N];

struct chart_event {
	double t;            /* s */
	char what[24];
	char detail[256];
};

/* A timeline reduced to at most CHART_MAX_POINTS points (the maximum of each series over
 * each time bucket, so peaks survive) and its first CHART_MAX_EVENTS events. */
struct chart_data {
	size_t n;
	double t[CHART_MAX_POINTS];               /* s */
	double v[CS_N][CHART_MAX_POINTS];         /* MiB */
	size_t ne, ne_total;
	struct chart_event ev[CHART_MAX_EVENTS];
};

struct chart_opts {
	const char *id;        /* unique per page: SVG ids and the chart's class hooks */
	const char *title;     /* drawn above the plot, NULL = none */
	unsigned series;       /* bit mask of CS_*; 0 = all */
	double x_max, y_max;   /* 0 = from the data */
	int width, height;     /* px */
};

/* Fills cd from tl; returns -EINVAL when a series names no column of tl_columns. */
int chart_collect(struct chart_data *cd, const struct timeline *tl);
/* The axis end and tick step for data up to max: steps of 1, 2 or 5 x 10^k, at most
 * max_ticks steps from 0 to the end. */
void chart_axis(double max, int max_ticks, double *end, double *step);
/* The larger end of the data: seconds (x) and MiB (y) over the given series. */
double chart_x_max(const struct chart_data *cd);
double chart_y_max(const struct chart_data *cd, unsigned series);
/* Assigns each of n labels (left x, width w, in px, ordered by x) a lane 0..max_lanes-1
 * such that labels in one lane do not overlap, or -1 when none is free. Returns the number
 * of lanes used. */
int chart_lanes(const double *x, const double *w, size_t n, int max_lanes, int *lane);
/* Writes one inline <svg>. Returns 0, or -EIO when f fails. */
int chart_svg(FILE *f, const struct chart_data *cd, const struct chart_opts *o);

/* The limit finder's chart: a point per limit tried (x the limit, y the highest peak usage
 * of its runs, coloured by how its runs went), the scenario's own limit and the bounds found
 * as vertical lines. */
enum { SC_MET, SC_UNSTABLE, SC_NOT_MET, SC_BROKEN, SC_N };
struct search_class {
	const char *name, *label, *color;
};
extern const struct search_class search_classes[SC_N];
struct search_point {
	double limit, peak; /* MiB */
	int cls;            /* SC_* */
};
struct search_chart {
	size_t n;
	const struct search_point *p;
	double own, pass, fail; /* MiB; 0 = none */
};
int chart_search_svg(FILE *f, const struct search_chart *sc, const char *id, int width,
		     int height);

/* ---- report.c: the summary of each scenario over its rounds ---- */


struct report_entry {
	char name[72];
	char *file;          /* the scenario file */
	char *description;   /* may be NULL */
	unsigned runs, count[RESULT_N]; /* rounds run, per outcome */
	unsigned first_bad_round;  /* 1-based round that did not meet; 0 = none */
	char *first_bad_why;
	/* the last round */
	enum result outcome;
	const char *verdict, *expected;
	char summary[256];
	char *why;            /* reason when not met (cleaned later) */
	char *tap;            /* the round's TAP lines */
	double elapsed_s, outcome_s;
	double total_s;       /* over all rounds */
	struct chart_data chart;
	struct search *search; /* --find-limit: the search (its runs above: the smallest
				  passing limit's last one), or NULL */
};

struct report_info {
	const struct report_meta *meta;
	char kernel[256];     /* uname: system, release, version, machine */
	char host[256];       /* node name */
	char started[32];     /* when the suite started, ISO 8601 UTC */
	char summary[256];    /* the TAP summary line */
	double seconds;
	int interrupted;
};

/* ---- report_json.c ---- */

/* result.json of one round. Returns a new object, or NULL when out of memory. */
json_t *report_json_result(const struct report_info *info, const struct scenario *sc,
			   const struct scenario_result *res, unsigned round);

/* ---- report_csv.c ---- */

/* timeline.csv: a header row of tl_columns names (units in the names), a row per sample. */
int report_csv_write(FILE *f, const struct timeline *tl);

/* ---- report_junit.c ---- */

/* junit.xml at path: a testsuite with one testcase per scenario. Returns 0 or -errno. */
int report_junit_write(const char *path, const struct report_entry *e, size_t n,
		       const struct report_info *info, char *err, size_t errlen);

/* ---- search.c: the limit finder in result.json and index.html ---- */

/* The "search" member of result.json. Returns a new object, or NULL when out of memory. */
json_t *report_json_search(const struct search *s);
/* The search's chart and a table of its steps. */
void report_html_search(FILE *f, const struct report_entry *e, size_t i);

/* ---- report_html.c ---- */

int report_html_write(FILE *f, const struct report_entry *e, size_t n,
		      const struct report_info *info);

#endif
