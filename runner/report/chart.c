/* SVG line charts of a scenario's timeline for index.html: memory series in MiB against
 * seconds, the limit as a dashed line, events as labelled vertical markers, axes with units
 * and round tick steps, a legend. Inline SVG only: no script, no font, no network. */
#include "report_int.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* Drawn in this order: LazyFree as a shaded area under the others, RSS on top of it. */
const struct chart_series chart_series[CS_N] = {
	[CS_LIMIT] = { "limit_bytes", "limit", "#c0392b", "7 4", 1.5 },
	[CS_USAGE] = { "usage_bytes", "cgroup usage", "#1f5fbf", NULL, 3.5 },
	[CS_BALLOON] = { "balloon_bytes", "balloon size", "#8e44ad", "2 2", 2 },
	[CS_RSS] = { "target_rss_bytes", "target RSS", "#1e8449", NULL, 2 },
	[CS_LAZYFREE] = { "target_lazyfree_bytes", "target LazyFree", "#e67e22", NULL, 1.5 },
};
static const int draw_order[CS_N] = { CS_LAZYFREE, CS_LIMIT, CS_USAGE, CS_BALLOON, CS_RSS };

#define FONT_PX 11
#define CHAR_PX 6.3  /* average advance of an 11 px sans-serif character */
#define LANE_PX 14
#define MAX_LANES 5

static const struct tl_column *column(const char *name)
{
	for (size_t c = 0; c < tl_ncolumns; c++)
		if (strcmp(tl_columns[c].name, name) == 0 && tl_columns[c].kind == TLK_U64)
			return &tl_columns[c];
	return NULL;
}

static double mib_at(const struct tl_column *c, const struct sample *s)
{
	uint64_t u;

	memcpy(&u, (const char *)s + c->off, sizeof(u));
	return (double)u / (1024.0 * 1024.0);
}

int chart_collect(struct chart_data *cd, const struct timeline *tl)
{
	const struct tl_column *col[CS_N];
	size_t n = tl->ns < CHART_MAX_POINTS ? tl->ns : CHART_MAX_POINTS;

	memset(cd, 0, sizeof(*cd));
	for (int k = 0; k < CS_N; k++)
		if (!(col[k] = column(chart_series[k].column)))
			return -EINVAL;
	/* bucket b holds samples [b*ns/n, (b+1)*ns/n): the maximum of each series over it */
	for (size_t b = 0; b < n; b++) {
		size_t lo = b * tl->ns / n, hi = (b + 1) * tl->ns / n;

		cd->t[b] = (double)tl->s[lo].t / 1e9;
		for (int k = 0; k < CS_N; k++) {
			double m = 0;

			for (size_t i = lo; i < hi; i++)
				m = fmax(m, mib_at(col[k], &tl->s[i]));
			cd->v[k][b] = m;
		}
	}
	cd->n = n;
	cd->ne_total = tl->ne;
	cd->ne = tl->ne < CHART_MAX_EVENTS ? tl->ne : CHART_MAX_EVENTS;
	for (size_t i = 0; i < cd->ne; i++) {
		cd->ev[i].t = (double)tl->e[i].t / 1e9;
		snprintf(cd->ev[i].what, sizeof(cd->ev[i].what), "%s", tl->e[i].what);
		snprintf(cd->ev[i].detail, sizeof(cd->ev[i].detail), "%s", tl->e[i].detail);
	}
	return 0;
}

void chart_axis(double max, int max_ticks, double *end, double *step)
{
	static const double mult[] = { 1, 2, 5 };
	double p;

	if (!(max > 0) || max_ticks < 1) {
		*step = 1;
		*end = max_ticks > 0 ? 1 : 1;
		return;
	}
	p = pow(10, floor(log10(max / max_ticks)));
	for (;; p *= 10)
		for (int i = 0; i < 3; i++) {
			double s = mult[i] * p, e = ceil(max / s - 1e-9) * s;

			if (e / s <= max_ticks + 1e-9) {
				*step = s;
				*end = e;
				return;
			}
		}
}

double chart_x_max(const struct chart_data *cd)
{
	double m = cd->n ? cd->t[cd->n - 1] : 0;

	for (size_t i = 0; i < cd->ne; i++)
		m = fmax(m, cd->ev[i].t);
	return m;
}

double chart_y_max(const struct chart_data *cd, unsigned series)
{
	double m = 0;

	for (int k = 0; k < CS_N; k++)
		if (!series || (series & 1u << k))
			for (size_t i = 0; i < cd->n; i++)
				m = fmax(m, cd->v[k][i]);
	return m;
}

int chart_lanes(const double *x, const double *w, size_t n, int max_lanes, int *lane)
{
	double end[MAX_LANES * 4];
	int used = 0;

	if (max_lanes > (int)(sizeof(end) / sizeof(end[0])))
		max_lanes = (int)(sizeof(end) / sizeof(end[0]));
	for (size_t i = 0; i < n; i++) {
		lane[i] = -1;
		for (int k = 0; k < max_lanes; k++)
			if (k >= used || x[i] >= end[k] + 4) {
				lane[i] = k;
				end[k] = x[i] + w[i];
				if (k >= used)
					used = k + 1;
				break;
			}
	}
	return used;
}

/* Events that end something badly stand out in red; the rest are grey. */
static const char *event_color(const char *what)
{
	static const char *const bad[] = { "oom", "oom_wait", "hang", "timeout", "interrupted",
					   "balloon_error", "exit" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(what, bad[i]) == 0)
			return "#c0392b";
	return "#6b6b6b";
}

/* Decimals a tick label needs at this step. */
static int tick_decimals(double step)
{
	return step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
}

struct frame {
	double x0, x1, y0, y1; /* plot area, px */
	double xend, xstep, yend, ystep;
};

static double px(const struct frame *fr, double t)
{
	return fr->x0 + t / fr->xend * (fr->x1 - fr->x0);
}

static double py(const struct frame *fr, double mib)
{
	return fr->y1 - mib / fr->yend * (fr->y1 - fr->y0);
}

static void axes(FILE *f, const struct frame *fr, const char *xtitle, const char *ytitle)
{
	fprintf(f, "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
	for (double v = 0; v <= fr->yend + fr->ystep / 2; v += fr->ystep)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", fr->x0,
			fr->x1, py(fr, v), py(fr, v));
	for (double v = 0; v <= fr->xend + fr->xstep / 2; v += fr->xstep)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", px(fr, v),
			px(fr, v), fr->y0, fr->y1);
	fprintf(f, "</g>\n<g class=\"axes\" font-size=\"%d\" fill=\"#333\">\n", FONT_PX);
	fprintf(f, "<path d=\"M%.1f %.1fV%.1fH%.1f\" stroke=\"#555\" fill=\"none\"/>\n", fr->x0,
		fr->y0, fr->y1, fr->x1);
	for (double v = 0; v <= fr->yend + fr->ystep / 2; v += fr->ystep) {
		fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
			fr->x0 - 5, py(fr, v) + 3.5);
		fprintf(f, "%.*f</text>\n", tick_decimals(fr->ystep), v);
	}
	for (double v = 0; v <= fr->xend + fr->xstep / 2; v += fr->xstep) {
		fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			px(fr, v), fr->y1 + 18);
		fprintf(f, "%.*f</text>\n", tick_decimals(fr->xstep), v);
	}
	fprintf(f, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
		"</text>\n", (fr->x0 + fr->x1) / 2, fr->y1 + 34, xtitle);
	fprintf(f, "<text class=\"axis-title\" transform=\"translate(13 %.1f) rotate(-90)\" "
		"text-anchor=\"middle\">%s</text>\n</g>\n", (fr->y0 + fr->y1) / 2, ytitle);
}

static void series(FILE *f, const struct frame *fr, const struct chart_data *cd, int k)
{
	const struct chart_series *s = &chart_series[k];

	if (!cd->n)
		return;
	fprintf(f, "<path class=\"series s-%s\" data-points=\"%zu\" fill=\"none\" stroke=\"%s\" "
		"stroke-width=\"%.1f\" stroke-linejoin=\"round\"%s%s%s d=\"", s->column, cd->n,
		s->color, s->width, s->dash ? " stroke-dasharray=\"" : "", s->dash ? s->dash : "",
		s->dash ? "\"" : "");
	for (size_t i = 0; i < cd->n; i++)
		fprintf(f, "%s%.1f %.1f", i ? "L" : "M", px(fr, cd->t[i]), py(fr, cd->v[k][i]));
	fprintf(f, "\"/>\n");
	if (k == CS_LAZYFREE) { /* the lazily freed pages as an area: visibly "there" or gone */
		fprintf(f, "<path class=\"area\" fill=\"%s\" fill-opacity=\"0.22\" stroke=\"none\" "
			"d=\"M%.1f %.1f", s->color, px(fr, cd->t[0]), py(fr, 0));
		for (size_t i = 0; i < cd->n; i++)
			fprintf(f, "L%.1f %.1f", px(fr, cd->t[i]), py(fr, cd->v[k][i]));
		fprintf(f, "L%.1f %.1fZ\"/>\n", px(fr, cd->t[cd->n - 1]), py(fr, 0));
	}
}

/* Event markers with "N what" labels in lanes above the plot; a label that finds no lane is
 * cut to its number. Returns the lanes needed (the caller sizes the top margin first). */
static int event_layout(const struct chart_data *cd, const struct frame *fr, double width,
			double *lx, double *lw, int *lane, bool *short_label)
{
	int used = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < cd->ne; i++) {
			char label[48];
			double x = px(fr, cd->ev[i].t);

			if (pass == 0)
				short_label[i] = false;
			snprintf(label, sizeof(label), short_label[i] ? "%zu" : "%zu %s", i + 1,
				 cd->ev[i].what);
			lw[i] = (double)strlen(label) * CHAR_PX + 4;
			lx[i] = fmin(x + 3, width - 2 - lw[i]);
		}
		used = chart_lanes(lx, lw, cd->ne, MAX_LANES, lane);
		for (size_t i = 0; i < cd->ne; i++)
			if (lane[i] < 0)
				short_label[i] = true;
	}
	return used;
}

static void event_markers(FILE *f, const struct chart_data *cd, const struct frame *fr,
			  double lanes_top, const double *lx, const int *lane, const bool *short_label)
{
	fprintf(f, "<g class=\"events\" font-size=\"%d\">\n", FONT_PX);
	for (size_t i = 0; i < cd->ne; i++) {
		const char *color = event_color(cd->ev[i].what);
		double x = px(fr, cd->ev[i].t);
		double ly = lanes_top + (lane[i] < 0 ? MAX_LANES - 1 : lane[i]) * LANE_PX;

		fprintf(f, "<g class=\"event\"><title>%zu %.3f s %s: ", i + 1, cd->ev[i].t,
			cd->ev[i].what);
		html_puts(f, cd->ev[i].detail);
		fprintf(f, "</title><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>", x, x,
			lane[i] < 0 ? fr->y0 : ly + 3, fr->y1, color);
		if (lane[i] >= 0) {
			fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%zu",
				lx[i], ly, color, i + 1);
			if (!short_label[i]) {
				fprintf(f, " ");
				html_puts(f, cd->ev[i].what);
			}
			fprintf(f, "</text>");
		}
		fprintf(f, "</g>\n");
	}
	fprintf(f, "</g>\n");
}

static void legend(FILE *f, const struct chart_opts *o, unsigned mask, double y)
{
	double x = 64;

	fprintf(f, "<g class=\"legend\" font-size=\"%d\" fill=\"#333\">\n", FONT_PX + 1);
	for (int k = 0; k < CS_N; k++) {
		const struct chart_series *s = &chart_series[k];

		if (!(mask & 1u << k))
			continue;
		if (k == CS_LAZYFREE)
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"9\" "
				"fill=\"%s\" fill-opacity=\"0.22\"/>", x, y - 8, s->color);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
			"stroke-width=\"3\"%s%s%s/>", x, x + 22, k == CS_LAZYFREE ? y - 8 : y - 4,
			k == CS_LAZYFREE ? y - 8 : y - 4, s->color,
			s->dash ? " stroke-dasharray=\"" : "", s->dash ? s->dash : "",
			s->dash ? "\"" : "");
		fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 27, y,
			s->label);
		x += 27 + strlen(s->label) * (CHAR_PX + 0.7) + 22;
	}
	fprintf(f, "<g class=\"label\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#6b6b6b\" stroke-dasharray=\"3 3\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>"
		"</g>\n</g>\n", x + 4, x + 4, y - 11, y + 2, x + 10, y,
		o->width >= 800 ? "event (numbered, listed below)" : "event");
}

int chart_svg(FILE *f, const struct chart_data *cd, const struct chart_opts *o)
{
	unsigned mask = o->series ? o->series : (1u << CS_N) - 1;
	double lx[CHART_MAX_EVENTS], lw[CHART_MAX_EVENTS];
	int lane[CHART_MAX_EVENTS], lanes;
	bool short_label[CHART_MAX_EVENTS];
	double title_h = o->title ? 20 : 4;
	struct frame fr = { .x0 = 64, .x1 = o->width - 18 };

	chart_axis(o->x_max > 0 ? o->x_max : chart_x_max(cd), 10, &fr.xend, &fr.xstep);
	chart_axis(o->y_max > 0 ? o->y_max : chart_y_max(cd, mask) * 1.04, 6, &fr.yend,
		   &fr.ystep);
	lanes = event_layout(cd, &fr, o->width, lx, lw, lane, short_label);
	fr.y0 = title_h + 12 + (lanes ? lanes : 1) * LANE_PX;
	fr.y1 = o->height - 62;
	fprintf(f, "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		"data-x-end=\"%g\" data-y-end=\"%g\" "
		"font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n", o->id, o->width,
		o->height, o->width, o->height, fr.xend, fr.yend);
	if (o->title) {
		fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"15\" font-size=\"13\" "
			"font-weight=\"bold\" fill=\"#222\">", fr.x0);
		html_puts(f, o->title);
		fprintf(f, "</text>\n");
	}
	axes(f, &fr, "time since the scenario started (s)", "memory (MiB)");
	for (int j = 0; j < CS_N; j++)
		if (mask & 1u << draw_order[j])
			series(f, &fr, cd, draw_order[j]);
	event_markers(f, cd, &fr, title_h + 12, lx, lane, short_label);
	legend(f, o, mask, o->height - 10);
	fprintf(f, "</svg>\n");
	return ferror(f) ? -EIO : 0;
}

/* ---- the limit finder's chart ---- */

const struct search_class search_classes[SC_N] = {
	[SC_MET] = { "met", "met every time", "#1e8449" },
	[SC_UNSTABLE] = { "unstable", "unstable (met some times)", "#e67e22" },
	[SC_NOT_MET] = { "not_met", "not met", "#c0392b" },
	[SC_BROKEN] = { "broken", "BROK", "#7d3c98" },
};

static void vline(FILE *f, const struct frame *fr, double x_mib, const char *cls,
		  const char *color, const char *label, int row)
{
	double x = px(fr, x_mib);

	fprintf(f, "<g class=\"mark %s\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"%s\">", cls, x, x, fr->y0 - 2,
		fr->y1, color, x + 3, fr->y0 - 4 - row * LANE_PX, FONT_PX, color);
	html_puts(f, label);
	fprintf(f, "</text></g>\n");
}

int chart_search_svg(FILE *f, const struct search_chart *sc, const char *id, int width,
		     int height)
{
	struct frame fr = { .x0 = 64, .x1 = width - 18, .y0 = 20 + 3 * LANE_PX,
			    .y1 = height - 62 };
	double xmax = fmax(sc->own, 0), ymax = 0;
	char label[64];

	for (size_t i = 0; i < sc->n; i++) {
		xmax = fmax(xmax, sc->p[i].limit);
		ymax = fmax(ymax, fmax(sc->p[i].peak, sc->p[i].limit));
	}
	chart_axis(xmax * 1.04, 10, &fr.xend, &fr.xstep);
	chart_axis(ymax * 1.04, 6, &fr.yend, &fr.ystep);
	fprintf(f, "<svg class=\"chart search\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" data-steps=\"%zu\" "
		"font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n", id, width, height,
		width, height, sc->n);
	axes(f, &fr, "memory_limit tried (MiB)", "peak usage (MiB)");
	/* usage can never pass the limit: the diagonal is where a step used all it had */
	fprintf(f, "<line class=\"diagonal\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#999\" stroke-dasharray=\"2 3\"/>\n", px(&fr, 0), py(&fr, 0),
		px(&fr, fmin(fr.xend, fr.yend)), py(&fr, fmin(fr.xend, fr.yend)));
	if (sc->fail > 0) {
		snprintf(label, sizeof(label), "largest failing %.0f MiB", sc->fail);
		vline(f, &fr, sc->fail, "fail", "#c0392b", label, 2);
	}
	if (sc->pass > 0) {
		snprintf(label, sizeof(label), "smallest passing %.0f MiB", sc->pass);
		vline(f, &fr, sc->pass, "pass", "#1e8449", label, 1);
	}
	if (sc->own > 0) {
		snprintf(label, sizeof(label), "its own limit %.0f MiB", sc->own);
		vline(f, &fr, sc->own, "own", "#1f5fbf", label, 0);
	}
	fprintf(f, "<g class=\"steps\">\n");
	for (size_t i = 0; i < sc->n; i++) {
		const struct search_class *c = &search_classes[sc->p[i].cls];

		fprintf(f, "<circle class=\"step %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\">"
			"<title>step %zu: %.0f MiB, %s, peak %.1f MiB</title></circle>\n", c->name,
			px(&fr, sc->p[i].limit), py(&fr, sc->p[i].peak), c->color, i + 1,
			sc->p[i].limit, c->label, sc->p[i].peak);
	}
	fprintf(f, "</g>\n<g class=\"legend\" font-size=\"%d\" fill=\"#333\">\n", FONT_PX + 1);
	double x = 64;
	for (int k = 0; k < SC_N; k++) {
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"/><text x=\"%.1f\" "
			"y=\"%d\">%s</text>\n", x + 5, height - 14, search_classes[k].color, x + 14,
			height - 10, search_classes[k].label);
		x += 24 + strlen(search_classes[k].label) * (CHAR_PX + 0.7);
	}
	fprintf(f, "</g>\n</svg>\n");
	return ferror(f) ? -EIO : 0;
}
