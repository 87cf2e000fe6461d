/* The report writers without a kernel: text cleaning and escaping, timeline.csv, result.json
 * (read back with jansson), junit.xml (read back with libxml2 and validated against
 * tests/report/junit.xsd), index.html escaping and self-containment, the chart arithmetic,
 * and the repeat policy (worst round decides, first failure kept). Run from the top of the
 * source tree (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "report/report_int.h"
#include "../report/junit_check.h"
#include "../testlib.h"

#define FFFD "\xef\xbf\xbd"

/* Free text that reaches reports: quotes, markup, CDATA end, newlines, non-ASCII, control
 * characters, invalid UTF-8. */
static const struct {
	const char *in, *clean;
} texts[] = {
	{ "plain", "plain" },
	{ "", "" },
	{ "quote \" apostrophe ' <tag> & amp ]]> end", "quote \" apostrophe ' <tag> & amp ]]> end" },
	{ "line1\nline2\ttab", "line1\nline2\ttab" },
	{ "cr\r\n", "cr\\x0d\n" },
	{ "bell\x07 esc\x1b[31m del\x7f", "bell\\x07 esc\\x1b[31m del\\x7f" },
	{ "Grüße ✓ 𝄞 日本", "Grüße ✓ 𝄞 日本" },
	{ "bad \xff byte", "bad " FFFD " byte" },
	{ "cut \xc3", "cut " FFFD },
	{ "overlong \xc0\xaf", "overlong " FFFD FFFD },
	{ "surrogate \xed\xa0\x80", "surrogate " FFFD FFFD FFFD },
	{ "not xml \xef\xbf\xbe", "not xml " FFFD FFFD FFFD },
	{ "above max \xf4\x90\x80\x80", "above max " FFFD FFFD FFFD FFFD },
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static void test_text_clean(void **state)
{
	(void)state;
	for (size_t i = 0; i < NTEXTS; i++) {
		char *c = text_clean(texts[i].in);

		assert_non_null(c);
		if (strcmp(c, texts[i].clean) != 0) {
			print_message("row %zu: \"%s\" -> \"%s\", expected \"%s\"\n", i, texts[i].in,
				      c, texts[i].clean);
			free(c);
			fail();
		}
		free(c);
	}
	char *n = text_clean(NULL);
	assert_string_equal(n, "");
	free(n);
}

static char *capture_html(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	assert_int_equal(html_puts(m, s), 0);
	fclose(m);
	return buf;
}

static void test_html_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
		{ "a & b \"q\"", "a &amp; b &quot;q&quot;" },
		{ "]]>", "]]&gt;" },
		{ "Grüße\x01", "Grüße\\x01" },
		{ "\xff<", FFFD "&lt;" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *got = capture_html(rows[i].in);

		if (strcmp(got, rows[i].out) != 0) {
			print_message("row %zu: got \"%s\", expected \"%s\"\n", i, got, rows[i].out);
			free(got);
			fail();
		}
		free(got);
	}
}

static void test_csv_field(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "usage_bytes", "usage_bytes" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "l1\nl2", "\"l1\nl2\"" },
		{ "cr\r", "\"cr\r\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		csv_field(m, rows[i].in);
		fclose(m);
		if (strcmp(buf, rows[i].out) != 0) {
			print_message("row %zu: got [%s], expected [%s]\n", i, buf, rows[i].out);
			free(buf);
			fail();
		}
		free(buf);
	}
}

/* A timeline of n samples: usage ramps to 300 MiB, LazyFree falls, limit 400 MiB. */
static void fill_timeline(struct timeline *tl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sample s = { 0 };

		s.t = i * 100000000ull;
		s.limit = 400ull << 20;
		s.usage = (uint64_t)(300.0 * (double)i / (double)(n > 1 ? n - 1 : 1)) << 20;
		s.target_rss = 256ull << 20;
		s.target_lazyfree = i < n / 2 ? 256ull << 20 : 100ull << 20;
		s.balloon_bytes = s.usage;
		s.psi_known = i % 2;
		s.psi_some_avg10 = 1.5;
		assert_int_equal(timeline_add_sample(tl, &s), 0);
	}
}

static void test_csv_write(void **state)
{
	struct timeline tl = { 0 };
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, rows = 0;
	FILE *m = open_memstream(&buf, &len);

	(void)state;
	fill_timeline(&tl, 3);
	assert_int_equal(report_csv_write(m, &tl), 0);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save), rows++) {
		size_t commas = 0;

		for (char *p = line; *p; p++)
			commas += *p == ',';
		assert_int_equal(commas, tl_ncolumns - 1);
		if (rows == 0) { /* the header is the column table, units in the names */
			char want[2048] = "";

			for (size_t c = 0; c < tl_ncolumns; c++) {
				strcat(want, c ? "," : "");
				strcat(want, tl_columns[c].name);
			}
			assert_string_equal(line, want);
			assert_non_null(strstr(line, "t_s,usage_bytes,limit_bytes"));
		}
	}
	assert_int_equal(rows, 4);
	free(buf);
	timeline_free(&tl);
}

/* A scenario and a result whose free text is odd: the writers must keep it exact (cleaned). */
struct fixture {
	struct scenario sc;
	struct scenario_result res;
};

static void make_fixture(struct fixture *fx, const char *name, const char *odd, int kind)
{
	memset(fx, 0, sizeof(*fx));
	fx->sc.name = strdup(name);
	fx->sc.file = strdup("tests/scenarios/odd.ini");
	fx->sc.description = strdup(odd);
	fx->sc.outcome = V_SURVIVED;
	fx->res.vr.verdict = V_OOM_KILLED;
	fx->res.vr.victim = VIC_TARGET;
	snprintf(fx->res.vr.summary, sizeof(fx->res.vr.summary), "summary: %s", odd);
	fx->res.obs.limit = 400ull << 20;
	fx->res.obs.oom_kill_base = 1;
	fx->res.obs.oom_kill_final = 2;
	fx->res.elapsed = 1500000000ull;
	if (kind == RESULT_NOT_MET)
		snprintf(fx->res.why, sizeof(fx->res.why), "%s", odd);
	else if (kind == RESULT_BROKEN)
		fx->res.broken = true, snprintf(fx->res.broken_why, sizeof(fx->res.broken_why), "%s", odd);
	else if (kind == RESULT_SKIPPED)
		fx->res.skipped = true, snprintf(fx->res.skip_why, sizeof(fx->res.skip_why), "%s", odd);
	else
		fx->res.met = true;
	scenario_result_finish(&fx->res);
	strlist_push(&fx->res.diag, odd);
	fill_timeline(&fx->res.tl, 5);
	timeline_add_event(&fx->res.tl, 100000000ull, "oom", "%s", odd);
}

static void free_fixture(struct fixture *fx)
{
	free(fx->sc.name);
	free(fx->sc.file);
	free(fx->sc.description);
	timeline_free(&fx->res.tl);
	strlist_free(&fx->res.diag);
}

static void test_json_result(void **state)
{
	struct report_meta meta = { .version = "0.1.0", .cgroup = "v1", .rounds = 1 };
	struct report_info info = { .meta = &meta, .kernel = "Linux 6.1 \"odd\"", .host = "h" };

	(void)state;
	for (size_t i = 0; i < NTEXTS; i++) {
		struct fixture fx;
		json_t *j, *back;
		json_error_t jerr;
		char *text;

		make_fixture(&fx, "odd.name-1", texts[i].in, RESULT_NOT_MET);
		j = report_json_result(&info, &fx.sc, &fx.res, 0);
		assert_non_null(j);
		text = json_dumps(j, JSON_INDENT(2));
		assert_non_null(text);
		back = json_loads(text, 0, &jerr);
		if (!back) {
			print_message("row %zu: result.json does not parse: %s\n%s\n", i, jerr.text, text);
			fail();
		}
		assert_string_equal(json_string_value(json_object_get(back, "scenario")), "odd.name-1");
		assert_string_equal(json_string_value(json_object_get(back, "result")), "not_met");
		assert_string_equal(json_string_value(json_object_get(back, "verdict")), "oom_killed");
		assert_string_equal(json_string_value(json_object_get(back, "expected")), "survived");
		assert_true(json_is_false(json_object_get(back, "expectation_met")));
		assert_string_equal(json_string_value(json_object_get(back, "why")), texts[i].clean);
		assert_string_equal(json_string_value(json_object_get(back, "description")),
				    texts[i].clean);
		json_t *ev = json_object_get(back, "events");
		assert_int_equal(json_array_size(ev), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "detail")),
				    texts[i].clean);
		assert_string_equal(json_string_value(json_array_get(json_object_get(back,
							"diagnostics"), 0)), texts[i].clean);
		json_t *fig = json_object_get(back, "figures");
		assert_int_equal(json_integer_value(json_object_get(fig, "oom_kill")), 1);
		assert_string_equal(json_string_value(json_object_get(fig, "victim")), "target");
		json_t *env = json_object_get(back, "environment");
		assert_string_equal(json_string_value(json_object_get(env, "kernel")), "Linux 6.1 \"odd\"");
		assert_string_equal(json_string_value(json_object_get(env, "cgroup")), "v1");
		assert_string_equal(json_string_value(json_object_get(env, "harness_version")), "0.1.0");
		assert_int_equal(json_integer_value(json_object_get(json_object_get(back, "timeline"),
								    "samples")), 5);
		json_decref(back);
		free(text);
		json_decref(j);
		free_fixture(&fx);
	}
}

static void test_json_met_has_null_why(void **state)
{
	struct report_meta meta = { .version = "0.1.0", .cgroup = "v1", .rounds = 1 };
	struct report_info info = { .meta = &meta };
	struct fixture fx;
	json_t *j;

	(void)state;
	make_fixture(&fx, "ok", "fine", RESULT_MET);
	j = report_json_result(&info, &fx.sc, &fx.res, 0);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "why")));
	assert_true(json_is_true(json_object_get(j, "expectation_met")));
	json_decref(j);
	free_fixture(&fx);
}

/* Runs a report over the given rounds into a fresh temporary directory. */
static void run_report(const char *dir, struct fixture *fx, size_t n, unsigned rounds,
		       const int *kinds_per_round)
{
	struct report_meta meta = { .version = "0.1.0", .cgroup = "v1", .rounds = rounds };
	struct scenario scs[4];
	struct tap_totals tot = { 0 };
	struct report *r;
	char err[1024];

	for (size_t i = 0; i < n; i++)
		scs[i] = fx[i].sc;
	if (report_open(&r, dir, scs, n, &meta, err, sizeof(err)) < 0) {
		print_message("report_open: %s\n", err);
		fail();
	}
	for (unsigned round = 0; round < rounds; round++)
		for (size_t i = 0; i < n; i++) {
			struct fixture again;

			make_fixture(&again, fx[i].sc.name, fx[i].sc.description,
				     kinds_per_round ? kinds_per_round[round] :
				     fx[i].res.met ? RESULT_MET : fx[i].res.broken ? RESULT_BROKEN :
				     fx[i].res.skipped ? RESULT_SKIPPED : RESULT_NOT_MET);
			if (report_add(r, i, round, &again.sc, &again.res, err, sizeof(err)) < 0) {
				print_message("report_add: %s\n", err);
				fail();
			}
			free_fixture(&again);
		}
	if (report_finish(r, &tot, 1.5, 0, err, sizeof(err)) < 0) {
		print_message("report_finish: %s\n", err);
		fail();
	}
	report_free(r);
}

/* Parses path (no network, no entities) and validates it against the JUnit subset schema. */
static xmlDocPtr junit_load(const char *path)
{
	return junit_validate(path);
}

static void test_junit_escaping(void **state)
{
	static const int kinds[] = { RESULT_NOT_MET, RESULT_BROKEN, RESULT_SKIPPED };

	(void)state;
	for (size_t i = 0; i < NTEXTS; i++)
		for (size_t k = 0; k < 3; k++) {
			char dir[] = "/tmp/test-report-XXXXXX", path[64], expr[128], want[700];
			struct fixture fx[2];
			xmlDocPtr doc;

			assert_non_null(mkdtemp(dir));
			make_fixture(&fx[0], "odd", texts[i].in, kinds[k]);
			make_fixture(&fx[1], "fine", "all good", RESULT_MET);
			run_report(dir, fx, 2, 1, NULL);
			snprintf(path, sizeof(path), "%s/junit.xml", dir);
			doc = junit_load(path);
			assert_xpath(doc, "count(//testcase)", "2");
			assert_xpath(doc, "string(/testsuites/testsuite/@tests)", "2");
			assert_xpath(doc, "count(//testcase[@name='fine']/*)", "1"); /* system-out */
			snprintf(expr, sizeof(expr), "string(//testcase[@name='odd']/%s/@message)",
				 k == 0 ? "failure" : k == 1 ? "error" : "skipped");
			/* an empty reason still says something (the schema wants one) */
			assert_xpath(doc, expr, *texts[i].clean ? texts[i].clean : "(no reason given)");
			if (k < 2) {
				snprintf(expr, sizeof(expr), "string(//testcase[@name='odd']/%s/@type)",
					 k == 0 ? "failure" : "error");
				assert_xpath(doc, expr, k == 0 ? "not_met" : "broken");
				/* the body: the reason, then the verdict and the expectation */
				snprintf(expr, sizeof(expr), "substring-before(//testcase[@name='odd']"
					 "/%s, '\nverdict: oom_killed, expected: survived')",
					 k == 0 ? "failure" : "error");
				assert_xpath(doc, expr, *texts[i].clean ? texts[i].clean :
					     "(no reason given)");
			}
			snprintf(want, sizeof(want), "# %s", "0 scenarios in 1.5 s: 0 met, 0 not met, "
				 "0 broken, 0 skipped\n");
			assert_xpath(doc, "string(/testsuites/testsuite/system-out)", want);
			xmlFreeDoc(doc);
			free_fixture(&fx[0]);
			free_fixture(&fx[1]);
			snprintf(path, sizeof(path), "rm -rf '%s'", dir);
			assert_int_equal(system(path), 0);
		}
}

/* With --repeat the worst round decides, the first failure is kept apart, nothing grows. */
static void test_repeat_policy(void **state)
{
	static const int kinds[] = { RESULT_MET, RESULT_NOT_MET, RESULT_MET, RESULT_NOT_MET, RESULT_MET };
	char dir[] = "/tmp/test-report-XXXXXX", path[128];
	struct fixture fx;
	struct stat st;
	xmlDocPtr doc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_fixture(&fx, "soak", "round failed", RESULT_MET);
	run_report(dir, &fx, 1, 5, kinds);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	doc = junit_load(path);
	assert_xpath(doc, "string(//testcase/failure/@message)",
		     "not met in 2 of 5 rounds, first in round 2: round failed");
	assert_xpath(doc, "string(//property[@name='rounds']/@value)", "5");
	xmlFreeDoc(doc);
	snprintf(path, sizeof(path), "%s/soak/first-failure/result.json", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/soak/result.json", dir);
	json_t *j = json_load_file(path, 0, NULL);
	assert_non_null(j); /* the last round: met */
	assert_string_equal(json_string_value(json_object_get(j, "result")), "met");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "round"), "number")), 5);
	json_decref(j);
	free_fixture(&fx);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* Odd text is escaped in index.html; the page loads nothing from anywhere. */
static void test_html_page(void **state)
{
	static const char *const external[] = { "<script", "<link", " src=\"", "@import", "url(",
						"href=\"http", "<iframe", "<img" };
	char dir[] = "/tmp/test-report-XXXXXX", path[128];
	struct fixture fx[2];
	char *page;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_fixture(&fx[0], "odd", "<script>alert(1)</script> & \"q\" \x01", RESULT_NOT_MET);
	make_fixture(&fx[1], "fine", "<img src=x onerror=alert(1)>", RESULT_MET);
	run_report(dir, fx, 2, 1, NULL);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	page = slurp(path);
	assert_non_null(page);
	for (size_t i = 0; i < sizeof(external) / sizeof(external[0]); i++)
		if (strstr(page, external[i])) {
			print_message("index.html holds \"%s\"\n", external[i]);
			fail();
		}
	assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; \\x01"));
	assert_non_null(strstr(page, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_int_equal(strstr(page, "<svg class=\"chart\"") != NULL, 1);
	free(page);
	free_fixture(&fx[0]);
	free_fixture(&fx[1]);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* A report directory that cannot be made says where and why. */
static void test_open_errors(void **state)
{
	struct report_meta meta = { .version = "0.1.0", .cgroup = "v1", .rounds = 1 };
	struct report *r = (struct report *)&meta;
	char err[1024];

	(void)state;
	assert_int_equal(report_open(&r, "/etc/passwd/reports", NULL, 0, &meta, err, sizeof(err)),
			 -ENOTDIR);
	assert_null(r);
	assert_non_null(strstr(err, "/etc/passwd"));
	assert_non_null(strstr(err, "Not a directory"));
	assert_int_equal(report_open(&r, "", NULL, 0, &meta, err, sizeof(err)), -ENAMETOOLONG);
}

static void test_chart_axis(void **state)
{
	static const struct {
		double max;
		int ticks;
		double end, step;
	} rows[] = {
		{ 0, 10, 1, 1 },       { -3, 10, 1, 1 },     { 2.65, 10, 3, 0.5 },
		{ 416, 6, 500, 100 },  { 1, 10, 1, 0.1 },    { 300, 6, 300, 50 },
		{ 0.004, 10, 0.004, 0.0005 }, { 86400, 10, 90000, 10000 }, { 7, 6, 8, 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double end, step;

		chart_axis(rows[i].max, rows[i].ticks, &end, &step);
		if (end < rows[i].end * 0.999999 || end > rows[i].end * 1.000001 ||
		    step < rows[i].step * 0.999999 || step > rows[i].step * 1.000001) {
			print_message("row %zu: max %g: end %g step %g, expected %g %g\n", i,
				      rows[i].max, end, step, rows[i].end, rows[i].step);
			fail();
		}
	}
}

static void test_chart_lanes(void **state)
{
	static const struct {
		size_t n;
		double x[6], w[6];
		int max;
		int lane[6], used;
	} rows[] = {
		{ 3, { 0, 100, 200 }, { 50, 50, 50 }, 3, { 0, 0, 0 }, 1 },
		{ 3, { 0, 10, 20 }, { 50, 50, 50 }, 3, { 0, 1, 2 }, 3 },
		{ 4, { 0, 10, 20, 30 }, { 50, 50, 50, 50 }, 3, { 0, 1, 2, -1 }, 3 },
		{ 4, { 0, 10, 60, 70 }, { 50, 50, 50, 50 }, 3, { 0, 1, 0, 1 }, 2 },
		{ 0, { 0 }, { 0 }, 3, { 0 }, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int lane[6];

		assert_int_equal(chart_lanes(rows[i].x, rows[i].w, rows[i].n, rows[i].max, lane),
				 rows[i].used);
		for (size_t k = 0; k < rows[i].n; k++)
			if (lane[k] != rows[i].lane[k]) {
				print_message("row %zu label %zu: lane %d, expected %d\n", i, k, lane[k],
					      rows[i].lane[k]);
				fail();
			}
	}
}

/* Every series names a byte column of the table; a long run is cut to the point budget with
 * its peak kept. */
static void test_chart_collect(void **state)
{
	static struct chart_data cd;
	struct timeline tl = { 0 };

	(void)state;
	fill_timeline(&tl, 5000);
	tl.s[2500].usage = 999ull << 20;
	assert_int_equal(chart_collect(&cd, &tl), 0);
	assert_int_equal(cd.n, CHART_MAX_POINTS);
	assert_true(chart_y_max(&cd, 1u << CS_USAGE) == 999);
	assert_true(chart_y_max(&cd, 1u << CS_LIMIT) == 400);
	assert_true(chart_x_max(&cd) > 499 && chart_x_max(&cd) < 500);
	timeline_free(&tl);
	fill_timeline(&tl, 3);
	assert_int_equal(chart_collect(&cd, &tl), 0);
	assert_int_equal(cd.n, 3);
	timeline_free(&tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_clean),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_csv_write),
		cmocka_unit_test(test_json_result),
		cmocka_unit_test(test_json_met_has_null_why),
		cmocka_unit_test(test_junit_escaping),
		cmocka_unit_test(test_repeat_policy),
		cmocka_unit_test(test_html_page),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_chart_axis),
		cmocka_unit_test(test_chart_lanes),
		cmocka_unit_test(test_chart_collect),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
