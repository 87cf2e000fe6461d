/* The limit finder (see findlimit.h): the runs of each step, their outcome for the search,
 * and what goes to TAP and the report. */
#include "findlimit.h"
#include "exitcode.h"
#include "fileio.h"
#include "msg.h"
#include "report/tap.h"
#include "requires.h"
#include "run/status.h"
#include "search/search.h"
#include "finish.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024ull * 1024)

/* 90 % of MemAvailable: a limit above what the machine can give tests the machine, not
 * the workload. */
static uint64_t machine_cap(void)
{
	char buf[8192], *p;
	unsigned long long kib;

	if (read_small_file("/proc/meminfo", buf, sizeof(buf)) <= 0 ||
	    !(p = strstr(buf, "MemAvailable:")) || sscanf(p + 13, "%llu", &kib) != 1)
		return 4096 * MIB;
	return (uint64_t)kib * 1024 / 10 * 9 / MIB * MIB;
}

static void search_params_of(const struct scenario *sc, struct search_params *p)
{
	memset(p, 0, sizeof(*p));
	p->low = sc->search.low;
	p->high = sc->search.high;
	p->own = sc->memory_limit;
	p->floor = 8 * MIB; /* [cgroup] memory_limit's minimum */
	p->cap = machine_cap();
	if (p->cap < p->floor)
		p->cap = p->floor;
	if (p->high > p->cap) /* asked for: tried, whatever the machine says */
		p->cap = p->high;
	p->repeats = (unsigned)sc->search.repeats;
	if (sc->search.resolution.kind == SIZE_PERCENT)
		p->res_milli_pct = (unsigned)sc->search.resolution.milli_pct;
	else
		p->res_bytes = sc->search.resolution.bytes;
	p->max_time = sc->search.max_time;
}

/* The scenario again with memory_limit = limit; what depends on the limit follows it:
 * memsw_limit keeps its swap allowance, memory_high its share (a profile's: its formula). */
static int load_step(const struct scenario *sc, const struct findlimit_src *src, size_t idx,
		     uint64_t limit, struct scenario *out, char *err, size_t errlen)
{
	struct inifile_override *ov = calloc(src->nov + 3, sizeof(*ov));
	char spec[3][96];
	size_t n = src->nov;
	int r;

	if (!ov) {
		errf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < src->nov; i++)
		ov[i] = src->ov[i];
	snprintf(spec[0], sizeof(spec[0]), "cgroup.memory_limit=%" PRIu64, limit);
	ov[n++] = (struct inifile_override){ spec[0], "--find-limit's step" };
	if (sc->memsw_limit) {
		snprintf(spec[1], sizeof(spec[1]), "cgroup.memsw_limit=%" PRIu64,
			 limit + (sc->memsw_limit - sc->memory_limit));
		ov[n++] = (struct inifile_override){ spec[1], "--find-limit's step (same swap)" };
	}
	/* a profile derives memory_high (and min, low) from the limit itself (config/profile.c) */
	if (sc->memory_high && sc->profile == PROFILE_NONE) {
		uint64_t high = (uint64_t)((unsigned __int128)limit * sc->memory_high /
					   sc->memory_limit) & ~(uint64_t)4095;

		snprintf(spec[2], sizeof(spec[2]), "cgroup.memory_high=%" PRIu64, high);
		ov[n++] = (struct inifile_override){ spec[2], "--find-limit's step (same share)" };
	}
	r = scenario_load_with(src->files ? src->files[idx] : NULL, ov, n, out, err, errlen);
	free(ov);
	return r;
}

/* "oom_killed 2, survived 1": the verdicts of a step's runs, in order of first sight. */
static void add_verdict(struct search_step *st, const char **names, unsigned *counts,
			size_t *nnames, const char *v)
{
	size_t i, used = 0;

	for (i = 0; i < *nnames && strcmp(names[i], v) != 0; i++)
		;
	if (i == *nnames) {
		names[i] = v;
		counts[i] = 0;
		(*nnames)++;
	}
	counts[i]++;
	st->verdicts[0] = '\0';
	for (size_t k = 0; k < *nnames; k++)
		used += (size_t)snprintf(st->verdicts + used, used < sizeof(st->verdicts) ?
					 sizeof(st->verdicts) - used : 0, "%s%s %u",
					 k ? ", " : "", names[k], counts[k]);
}

struct finder {
	const struct monitor_opts *mo;
	int verbose;
	bool quiet;
	struct report *rep;
	unsigned round;        /* report rounds of this scenario so far */
	int interrupted;
	bool report_failed;
};

/* Runs one step: the scenario at st->limit, repeats times. */
static void run_step(struct finder *f, const struct scenario *sc0,
		     const struct findlimit_src *src, size_t idx, struct search *s,
		     struct search_step *st)
{
	const char *names[8];
	unsigned counts[8];
	size_t nnames = 0;
	struct scenario sc;
	char err[1024];
	uint64_t t0 = now_ns();

	if (load_step(sc0, src, idx, st->limit, &sc, err, sizeof(err)) < 0) {
		/* the limit made the file invalid (a memory_high share below its minimum) */
		st->broken = 1;
		snprintf(st->verdicts, sizeof(st->verdicts), "BROK: %.80s", err);
		st->ns = now_ns() - t0;
		return;
	}
	for (unsigned i = 0; i < s->p.repeats && !f->interrupted; i++) {
		struct scenario_result res = { 0 };
		struct monitor_opts m = *f->mo;
		char logs[PATH_MAX + 80];

		m.log_dir = f->rep && report_scenario_dir(f->rep, idx, logs, sizeof(logs), err,
							  sizeof(err)) == 0 ? logs : NULL;
		monitor_run(&sc, &m, &res);
		status_clear();
		f->interrupted = res.interrupted;
		if (res.result == RESULT_INTERRUPTED) {
			scenario_result_free(&res);
			break;
		}
		if (res.result == RESULT_MET)
			st->met++;
		else if (res.result == RESULT_BROKEN)
			st->broken++;
		else
			st->not_met++;
		if (res.result != RESULT_MET && !st->why[0])
			snprintf(st->why, sizeof(st->why), "%s", scenario_result_reason(&res));
		if (res.obs.peak_usage > st->peak)
			st->peak = res.obs.peak_usage;
		add_verdict(st, names, counts, &nnames,
			    res.result == RESULT_BROKEN ? "BROK" : verdict_name(res.vr.verdict));
		if (f->verbose)
			printf("    #   run %u at %s: %s%s%s\n", i + 1, fmt_size(st->limit, err, 32),
			       result_name(res.result), res.result == RESULT_MET ? "" : ": ",
			       res.result == RESULT_MET ? "" : scenario_result_reason(&res));
		/* the report keeps the run that says the most: the smallest passing limit's
		 * (passing limits only come down), or the latest while nothing passed */
		if (f->rep && i + 1 == s->p.repeats && (search_step_passed(st) || !s->pass) &&
		    report_add(f->rep, idx, f->round++, &sc, &res, err, sizeof(err)) < 0) {
			warnmsg("report: %s; no further report files are written", err);
			report_free(f->rep);
			f->rep = NULL;
			f->report_failed = true;
		}
		scenario_result_free(&res);
	}
	scenario_free(&sc);
	st->ns = now_ns() - t0;
}

/* "208 MiB" into buf. */
static const char *mib(uint64_t v, char *buf, size_t len)
{
	return fmt_size(v, buf, len);
}

/* What the search found, in one line (the TAP line, the report's summary). */
static void summarize(const struct search *s, char *buf, size_t len)
{
	char a[32], b[32], c[32];
	size_t w = 0;

#define ADD(...) (w += (size_t)snprintf(buf + w, w < len ? len - w : 0, __VA_ARGS__))
	buf[0] = '\0';
	switch (s->stop) {
	case SEARCH_NO_PASS:
		ADD("not met even at %s, the highest limit tried", mib(s->fail, a, sizeof(a)));
		break;
	case SEARCH_BROKEN:
		ADD("a run at %s was BROK: the search stopped", mib(s->steps[s->n - 1].limit, a,
								   sizeof(a)));
		break;
	case SEARCH_PASSES_LOW:
		ADD("met at every limit tried, down to %s", mib(s->pass, a, sizeof(a)));
		break;
	default:
		if (s->stop != SEARCH_RESOLVED)
			ADD("%s after %zu step%s: ", search_stop_text(s->stop), s->n,
			    s->n == 1 ? "" : "s");
		if (s->pass)
			ADD("smallest passing limit %s", mib(s->pass, a, sizeof(a)));
		else
			ADD("no passing limit yet");
		if (s->fail)
			ADD(", largest failing %s", mib(s->fail, b, sizeof(b)));
		break;
	}
	if (s->pass && s->p.own) {
		uint64_t d = s->p.own > s->pass ? s->p.own - s->pass : s->pass - s->p.own;

		ADD("; its own %s %s %s (%.1f %%)", mib(s->p.own, c, sizeof(c)),
		    s->p.own >= s->pass ? "leaves" : "is short by", mib(d, a, sizeof(a)),
		    100.0 * (double)d / (double)s->p.own);
	}
	if (s->unstable_lo)
		ADD("; unstable %s..%s", mib(s->unstable_lo, a, sizeof(a)),
		    mib(s->unstable_hi, b, sizeof(b)));
#undef ADD
}

static enum result result_of(const struct search *s)
{
	switch (s->stop) {
	case SEARCH_RESOLVED:
	case SEARCH_PASSES_LOW:
		return RESULT_MET;
	case SEARCH_MAX_TIME:
		return s->pass ? RESULT_MET : RESULT_NOT_MET;
	case SEARCH_BROKEN:
		return RESULT_BROKEN;
	case SEARCH_INTERRUPTED:
		return RESULT_INTERRUPTED;
	default:
		return RESULT_NOT_MET;
	}
}

/* One scenario's search: its subtest, then its result line. */
static void find_one(struct finder *f, const struct scenario *sc, const struct findlimit_src *src,
		     size_t idx, struct tap_totals *tot)
{
	struct search_params p;
	struct search s;
	char why[256], err[512], summary[512];
	uint64_t limit, t0 = now_ns();

	if (requires_unmet(sc, f->mo->env, f->mo->target_path, why, sizeof(why))) {
		struct scenario_result res = { .skipped = true };

		snprintf(res.skip_why, sizeof(res.skip_why), "%s", why);
		scenario_result_finish(&res);
		tap_result(stdout, idx + 1, sc, &res, f->quiet ? -1 : f->verbose, tot);
		return;
	}
	search_params_of(sc, &p);
	search_init(&s, &p);
	f->round = 0;
	if (!f->quiet)
		tap_search_begin(stdout, sc, &p);
	while ((limit = search_next(&s)) != 0) {
		struct search_step st = { .limit = limit };

		run_step(f, sc, src, idx, &s, &st);
		if (f->interrupted) {
			search_end(&s, SEARCH_INTERRUPTED);
			break;
		}
		if (search_record(&s, &st) < 0) {
			search_end(&s, SEARCH_BROKEN);
			break;
		}
		if (!f->quiet)
			tap_search_step(stdout, s.n, &st, p.repeats);
	}
	summarize(&s, summary, sizeof(summary));
	tap_search_end(stdout, idx + 1, sc, &s, result_of(&s), summary,
		       (double)(now_ns() - t0) / 1e9, f->quiet, f->interrupted, tot);
	if (f->rep && report_add_search(f->rep, idx, &s, result_of(&s), summary, err,
					sizeof(err)) < 0) {
		warnmsg("report: %s; no further report files are written", err);
		report_free(f->rep);
		f->rep = NULL;
		f->report_failed = true;
	}
	search_free(&s);
}

int findlimit_all(const struct scenario *scs, size_t n, const struct findlimit_src *src,
		  const struct monitor_opts *mo, int verbose, bool quiet, struct report *rep)
{
	struct finder f = { .mo = mo, .verbose = verbose, .quiet = quiet, .rep = rep };
	struct tap_totals tot = { 0 };
	uint64_t t0 = now_ns();

	if (!quiet)
		tap_plan(stdout, n);
	for (size_t i = 0; i < n && !f.interrupted; i++)
		find_one(&f, &scs[i], src, i, &tot);
	status_clear();
	return suite_finish(&f.rep, &tot, (double)(now_ns() - t0) / 1e9, f.interrupted, quiet,
			    f.report_failed);
}
