/* The report directory: created and checked before any scenario runs, per-scenario files
 * written as each scenario ends (every file through a temporary name and a rename, so a
 * reader never sees half a file), a bounded summary per scenario kept for junit.xml and
 * index.html, written at the end. */
#include "report_int.h"
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

struct report {
	char dir[PATH_MAX];
	char index[PATH_MAX + 16];
	struct report_meta meta;
	struct report_info info;
	struct report_entry *e;
	size_t n;
};

/* mkdir -p: each missing component, 0755. */
static int mkdirs(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		errf(err, errlen, "report directory \"%.64s\": %s", path,
		     len ? "path too long" : "empty path");
		return -ENAMETOOLONG;
	}
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			int e = errno;

			errf(err, errlen, "cannot create report directory %s: %s", buf, strerror(e));
			return -e;
		}
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

/* fopen of path's temporary sibling; report_commit renames it into place. */
static FILE *create_tmp(const char *path, char *tmp, size_t tmplen, char *err, size_t errlen)
{
	FILE *f;

	snprintf(tmp, tmplen, "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		errf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
	return f;
}

static int commit_tmp(FILE *f, const char *tmp, const char *path, char *err, size_t errlen)
{
	int bad = ferror(f), e;

	if (fclose(f) != 0 || bad) {
		e = bad ? EIO : errno;
		unlink(tmp);
		errf(err, errlen, "cannot write %s: %s", tmp, strerror(e));
		return -e;
	}
	if (rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(e));
		return -e;
	}
	return 0;
}

int report_open(struct report **rp, const char *dir, const struct scenario *scs, size_t n,
		const struct report_meta *meta, char *err, size_t errlen)
{
	struct report *r = calloc(1, sizeof(*r));
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	char probe[PATH_MAX + 32];
	FILE *f;
	int ret = -ENOMEM;

	*rp = NULL;
	if (!r || !(r->e = calloc(n ? n : 1, sizeof(*r->e)))) {
		errf(err, errlen, "report: out of memory");
		goto cleanup;
	}
	ret = mkdirs(dir, err, errlen);
	if (ret < 0)
		goto cleanup;
	if (!realpath(dir, r->dir)) {
		ret = -errno;
		errf(err, errlen, "report directory %s: %s", dir, strerror(-ret));
		goto cleanup;
	}
	/* Writable? Find out now, before anything runs, not after the first scenario. */
	snprintf(probe, sizeof(probe), "%s/.write-test.%d", r->dir, (int)getpid());
	f = fopen(probe, "w");
	if (!f) {
		ret = -errno;
		errf(err, errlen, "report directory %s is not writable: %s (choose another with "
		     "--report DIR, or --no-report)", r->dir, strerror(-ret));
		goto cleanup;
	}
	fclose(f);
	unlink(probe);
	snprintf(r->index, sizeof(r->index), "%s/index.html", r->dir);
	r->meta = *meta;
	r->info.meta = &r->meta;
	if (uname(&u) == 0) {
		snprintf(r->info.kernel, sizeof(r->info.kernel), "%.30s %.60s %.100s %.30s",
			 u.sysname, u.release, u.version, u.machine);
		snprintf(r->info.host, sizeof(r->info.host), "%s", u.nodename);
	}
	gmtime_r(&now, &tm);
	strftime(r->info.started, sizeof(r->info.started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(r->e[i].name, sizeof(r->e[i].name), "%s", scs[i].name);
		r->e[i].file = strdup(scs[i].file ? scs[i].file : "");
		r->e[i].description = scs[i].description ? strdup(scs[i].description) : NULL;
		r->e[i].verdict = "none";
		r->e[i].expected = verdict_name((enum verdict)scs[i].outcome);
		if (!r->e[i].file) {
			errf(err, errlen, "report: out of memory");
			ret = -ENOMEM;
			goto cleanup;
		}
	}
	*rp = r;
	r = NULL;
	ret = 0;
cleanup:
	report_free(r);
	return ret;
}

/* Writes the document j (consumed) to path through a temporary file, as every report file. */
static int write_json(json_t *j, const char *path, char *err, size_t errlen)
{
	char tmp[PATH_MAX + 128];
	FILE *f;
	int ret;

	if (!(f = create_tmp(path, tmp, sizeof(tmp), err, errlen))) {
		ret = -errno;
		json_decref(j);
		return ret;
	}
	ret = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(j);
	if (ret < 0) {
		fclose(f);
		unlink(tmp);
		errf(err, errlen, "cannot write %s: jansson could not write the document", tmp);
		return -EIO;
	}
	return commit_tmp(f, tmp, path, err, errlen);
}

/* timeline.csv and result.json of one round into dir (created). */
static int write_round(const struct report *r, const char *dir, const struct scenario *sc,
		       const struct scenario_result *res, unsigned round, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 64];
	json_t *j = NULL;
	FILE *f;
	int ret;

	ret = mkdirs(dir, err, errlen);
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	if (!(f = create_tmp(path, tmp, sizeof(tmp), err, errlen)))
		return -errno;
	report_csv_write(f, &res->tl);
	ret = commit_tmp(f, tmp, path, err, errlen);
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/result.json", dir);
	j = report_json_result(&r->info, sc, res, round);
	if (!j) {
		errf(err, errlen, "%s: cannot build the JSON document (out of memory)", path);
		return -ENOMEM;
	}
	return write_json(j, path, err, errlen);
}

/* The TAP lines of this round, exactly as printed (verbose, so with its diagnostics). */
static char *tap_text(size_t num, const struct scenario *sc, const struct scenario_result *res)
{
	struct tap_totals scratch = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	tap_result(m, num, sc, res, 1, &scratch);
	fclose(m);
	return buf;
}

static int replace_str(char **dst, const char *src)
{
	char *c = strdup(src ? src : "");

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

int report_add(struct report *r, size_t idx, unsigned round, const struct scenario *sc,
	       const struct scenario_result *res, char *err, size_t errlen)
{
	struct report_entry *e = &r->e[idx];
	enum result ro = res->result;
	char dir[PATH_MAX + 80];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", r->dir, e->name);
	if (round == 0) { /* a first-failure copy from an earlier run would mislead */
		char old[PATH_MAX + 128];

		snprintf(old, sizeof(old), "%s/first-failure/timeline.csv", dir);
		unlink(old);
		snprintf(old, sizeof(old), "%s/first-failure/result.json", dir);
		unlink(old);
		snprintf(old, sizeof(old), "%s/first-failure", dir);
		rmdir(old);
	}
	ret = write_round(r, dir, sc, res, round, err, errlen);
	if (ret < 0)
		return ret;
	e->runs++;
	e->count[ro]++;
	if ((ro == RESULT_NOT_MET || ro == RESULT_BROKEN) && !e->first_bad_round) {
		e->first_bad_round = round + 1;
		if (replace_str(&e->first_bad_why, scenario_result_reason(res)) < 0)
			return -ENOMEM;
		if (r->meta.rounds > 1) { /* the last round would overwrite it */
			char fdir[PATH_MAX + 96];

			snprintf(fdir, sizeof(fdir), "%s/first-failure", dir);
			ret = write_round(r, fdir, sc, res, round, err, errlen);
			if (ret < 0)
				return ret;
		}
	}
	e->outcome = ro;
	e->verdict = verdict_name(res->vr.verdict);
	snprintf(e->summary, sizeof(e->summary), "%s", res->vr.summary);
	e->elapsed_s = (double)res->elapsed / 1e9;
	e->total_s += e->elapsed_s;
	e->outcome_s = (double)res->vr.t_outcome / 1e9;
	free(e->tap);
	e->tap = tap_text(idx + 1, sc, res);
	if (replace_str(&e->why, scenario_result_reason(res)) < 0 || !e->tap)
		return -ENOMEM;
	return chart_collect(&e->chart, &res->tl);
}

int report_add_search(struct report *r, size_t idx, const struct search *s, enum result result,
		      const char *summary, char *err, size_t errlen)
{
	struct report_entry *e = &r->e[idx];
	struct search *c = malloc(sizeof(*c));
	struct search_step *steps = malloc((s->n ? s->n : 1) * sizeof(*steps));

	if (!c || !steps) {
		free(c);
		free(steps);
		errf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*c = *s;
	c->steps = memcpy(steps, s->steps, s->n * sizeof(*steps));
	c->alloc = s->n;
	if (e->search) {
		search_free(e->search);
		free(e->search);
	}
	e->search = c;
	e->outcome = result;
	e->verdict = "search";
	e->elapsed_s = (double)s->ns / 1e9; /* the whole search, not its last run */
	snprintf(e->summary, sizeof(e->summary), "%s", summary);
	return replace_str(&e->why, result == RESULT_MET ? "" : search_stop_text(s->stop));
}

/* result.json of a searched scenario: its last kept run's (if any) with the search added. */
static int write_search_json(const struct report *r, const struct report_entry *e, char *err,
			     size_t errlen)
{
	char path[PATH_MAX + 96];
	json_t *j, *js;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", r->dir, e->name);
	if ((ret = mkdirs(path, err, errlen)) < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/%s/result.json", r->dir, e->name);
	j = e->runs ? json_load_file(path, 0, NULL) : NULL;
	if (!j)
		j = json_pack("{s:s, s:s}", "scenario", e->name, "file", e->file);
	js = report_json_search(e->search);
	if (!j || !js || json_object_set_new(j, "search", js) < 0) {
		json_decref(j);
		errf(err, errlen, "%s: cannot build the JSON document (out of memory)", path);
		return -ENOMEM;
	}
	json_object_set_new(j, "result", json_string(result_name(e->outcome)));
	return write_json(j, path, err, errlen);
}

int report_finish(struct report *r, const struct tap_totals *tot, double seconds,
		  int interrupted, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 64];
	FILE *f, *m;
	char *line = NULL;
	size_t len = 0;
	int ret;

	r->info.seconds = seconds;
	r->info.interrupted = interrupted;
	m = open_memstream(&line, &len);
	if (!m)
		return -ENOMEM;
	tap_summary(m, tot, seconds);
	fclose(m);
	snprintf(r->info.summary, sizeof(r->info.summary), "%.*s",
		 (int)strcspn(line + (line[0] == '#' ? 2 : 0), "\n"), line + (line[0] == '#' ? 2 : 0));
	free(line);
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].search && (ret = write_search_json(r, &r->e[i], err, errlen)) < 0)
			return ret;
	snprintf(path, sizeof(path), "%s/junit.xml", r->dir);
	ret = report_junit_write(path, r->e, r->n, &r->info, err, errlen);
	if (ret < 0)
		return ret;
	if (!(f = create_tmp(r->index, tmp, sizeof(tmp), err, errlen)))
		return -errno;
	report_html_write(f, r->e, r->n, &r->info);
	return commit_tmp(f, tmp, r->index, err, errlen);
}

int report_scenario_dir(const struct report *r, size_t idx, char *dir, size_t len, char *err,
			size_t errlen)
{
	if ((size_t)snprintf(dir, len, "%s/%s", r->dir, r->e[idx].name) >= len) {
		errf(err, errlen, "report directory %s/%s: path too long", r->dir, r->e[idx].name);
		return -ENAMETOOLONG;
	}
	return mkdirs(dir, err, errlen);
}

const char *report_index_path(const struct report *r)
{
	return r->index;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->e && i < r->n; i++) {
		free(r->e[i].file);
		free(r->e[i].description);
		free(r->e[i].first_bad_why);
		free(r->e[i].why);
		free(r->e[i].tap);
		if (r->e[i].search) {
			search_free(r->e[i].search);
			free(r->e[i].search);
		}
	}
	free(r->e);
	free(r);
}
