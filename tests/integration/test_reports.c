/* Integration: the reports of real runs. The shipped scenarios run with --report; every
 * result.json is read back with jansson and checked against the run, timeline.csv against its
 * header and sample count, junit.xml is validated against tests/report/junit.xsd with libxml2,
 * and index.html is rendered in headless Chromium: a screenshot must not be blank, and a probe
 * script (tests/report/check.js, injected into a copy) must find every chart laid out with
 * drawn series and no overlapping or clipped text. Also the --compare page, a failing run's
 * JUnit, and the errors of a report directory that cannot be written. Needs root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include "../report/junit_check.h"
#include "../testlib.h"

#define CHROMIUM "/usr/bin/chromium"
#define XMLLINT "/usr/bin/xmllint"

static char runner[PATH_MAX];
static char tmpdir[] = "/tmp/test-reports-XXXXXX";

/* Runs argv with its stdout into out_path and its stderr into err_path (NULL: dropped);
 * kills it after timeout_s. Returns the exit status or 128+signal. */
static int run(const char *const *argv, const char *out_path, const char *err_path,
	       int timeout_s)
{
	struct run_opts o = { .argv = argv, .timeout_s = timeout_s, .out_file = out_path,
			      .merge = err_path && strcmp(err_path, out_path) == 0 };
	struct run_result r;
	int rc;

	run_program(&o, &r);
	if (err_path && !o.merge) {
		FILE *f = fopen(err_path, "w");

		assert_non_null(f);
		fputs(r.err, f);
		fclose(f);
	}
	rc = r.timed_out ? -1 : r.status;
	run_result_free(&r);
	return rc;
}

/* Runs balloon-run with args; its stdout and stderr land in DIR.out / DIR.err. */
static int run_runner(const char *dir, const char *const *args, char **out, char **err)
{
	const char *argv[16] = { runner };
	char op[PATH_MAX], ep[PATH_MAX];
	int rc;

	for (int i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	snprintf(op, sizeof(op), "%s.out", dir);
	snprintf(ep, sizeof(ep), "%s.err", dir);
	rc = run(argv, op, ep, 180);
	*out = slurp(op);
	*err = slurp(ep);
	assert_non_null(*out);
	assert_non_null(*err);
	return rc;
}

/* What the run's TAP said of scenario name: "skipped" for a SKIP (a v2-only scenario on v1,
 * or the other way round), else the verdict of its YAML block; "" if it is not there. Which
 * verdict each scenario must give on each layout is test_scenarios' to assert; this test
 * checks that the report says the same as the TAP output. */
static void tap_verdict(const char *out, const char *name, char *buf, size_t len)
{
	char pat[300];
	const char *p;

	buf[0] = '\0';
	snprintf(pat, sizeof(pat), " - %s", name);
	for (p = strstr(out, pat); p; p = strstr(p + 1, pat))
		if (p[strlen(pat)] == ':' || p[strlen(pat)] == ' ')
			break;
	if (!p)
		return;
	if (strncmp(p + strlen(pat), " # SKIP", 7) == 0) {
		snprintf(buf, len, "skipped");
		return;
	}
	p = strstr(p, "\n  verdict: ");
	if (p)
		snprintf(buf, len, "%.*s", (int)strcspn(p + 12, "\n"), p + 12);
}

/* result.json of a scenario this machine could not run: skipped, with the reason. */
static void check_skipped_files(const char *dir, const char *name)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *j;
	const char *why;

	snprintf(path, sizeof(path), "%s/%s/result.json", dir, name);
	j = json_load_file(path, 0, &jerr);
	if (!j) {
		print_message("%s: %s (line %d)\n", path, jerr.text, jerr.line);
		fail();
	}
	why = json_string_value(json_object_get(j, "why"));
	if (strcmp(json_string_value(json_object_get(j, "result")), "skipped") != 0 || !why ||
	    strlen(why) < 10) {
		print_message("%s: expected result skipped with its reason\n", path);
		json_decref(j);
		fail();
	}
	json_decref(j);
}

/* result.json and timeline.csv of one scenario agree with each other and with the run. */
static void check_scenario_files(const char *dir, const char *name, const char *verdict)
{
	char path[PATH_MAX], *csv, *p;
	json_error_t jerr;
	json_t *j;
	size_t rows = 0;

	snprintf(path, sizeof(path), "%s/%s/result.json", dir, name);
	j = json_load_file(path, 0, &jerr);
	if (!j) {
		print_message("%s: %s (line %d)\n", path, jerr.text, jerr.line);
		fail();
	}
	if (strcmp(json_string_value(json_object_get(j, "scenario")), name) != 0 ||
	    strcmp(json_string_value(json_object_get(j, "verdict")), verdict) != 0 ||
	    !json_is_true(json_object_get(j, "expectation_met")) ||
	    !json_is_null(json_object_get(j, "why")) ||
	    json_array_size(json_object_get(j, "events")) < 3 ||
	    json_integer_value(json_object_get(json_object_get(j, "figures"), "limit_bytes")) <= 0 ||
	    !json_string_value(json_object_get(json_object_get(j, "environment"), "kernel")) ||
	    !json_string_value(json_object_get(json_object_get(j, "environment"), "cgroup")) ||
	    !json_string_value(json_object_get(json_object_get(j, "environment"),
					       "harness_version"))) {
		char *dump = json_dumps(j, JSON_INDENT(2));

		print_message("%s: expected scenario %s, verdict %s, met, events, figures, "
			      "environment:\n%s\n", path, name, verdict, dump);
		free(dump);
		json_decref(j);
		fail();
	}
	snprintf(path, sizeof(path), "%s/%s/timeline.csv", dir, name);
	csv = slurp(path);
	assert_non_null(csv);
	assert_true(strncmp(csv, "t_s,usage_bytes,limit_bytes,", 28) == 0);
	for (p = csv; *p; p++)
		rows += *p == '\n';
	json_int_t samples = json_integer_value(json_object_get(json_object_get(j, "timeline"),
								"samples"));
	if ((json_int_t)rows != samples + 1 || samples < 2) {
		print_message("%s: %zu lines, result.json says %lld samples\n", path, rows,
			      (long long)samples);
		fail();
	}
	free(csv);
	json_decref(j);
}

/* Well-formed and valid against the schema of the subset we promise. */
static xmlDocPtr junit_load(const char *dir)
{
	char path[PATH_MAX];
	xmlDocPtr doc;

	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	doc = junit_validate(path);
	/* and by xmllint, as a CI job would check it (the guest has no xmllint: the same
	 * libxml2 validation above runs there) */
	if (access(XMLLINT, X_OK) == 0) {
		const char *lint[] = { XMLLINT, "--noout", "--nonet", "--schema",
				       JUNIT_XSD, path, NULL };
		char log[PATH_MAX + 8];

		snprintf(log, sizeof(log), "%s.lint", path);
		if (run(lint, log, log, 60) != 0) {
			print_message("xmllint --schema tests/report/junit.xsd %s failed (see %s)\n",
				      path, log);
			fail();
		}
	}
	return doc;
}

/* Renders DIR/index.html in headless Chromium: the probe's line per chart must show every
 * series drawn and no text overlapping or clipped; the screenshot must not be blank. */
static void check_rendering(const char *dir, int want_charts)
{
	char page[PATH_MAX], probe[PATH_MAX], url[PATH_MAX + 8], dom[PATH_MAX], shot[PATH_MAX],
		blank[PATH_MAX], arg_shot[PATH_MAX + 16];
	char *html, *js, *d, *line;
	struct stat st_shot, st_blank;
	int charts = -1, rc;
	FILE *f;

	/* The guest lane (another kernel, same page) leaves rendering to the host lane. */
	if (getenv("REPORT_RENDER") && strcmp(getenv("REPORT_RENDER"), "host-lane") == 0) {
		print_message("# rendering is checked by the host lane (REPORT_RENDER=host-lane)\n");
		return;
	}
	if (access(CHROMIUM, X_OK) != 0) {
		print_message("SKIP rendering check: %s missing (Debian package chromium)\n",
			      CHROMIUM);
		skip();
	}
	snprintf(page, sizeof(page), "%s/index.html", dir);
	snprintf(probe, sizeof(probe), "%s/probe.html", dir);
	html = slurp(page);
	js = slurp("tests/report/check.js");
	assert_non_null(html);
	assert_non_null(js);
	char *body_end = strstr(html, "</body>");
	assert_non_null(body_end);
	f = fopen(probe, "w");
	assert_non_null(f);
	fprintf(f, "%.*s<script>\n%s</script>\n%s", (int)(body_end - html), html, js, body_end);
	fclose(f);
	free(js);
	free(html);

	snprintf(url, sizeof(url), "file://%s", probe);
	snprintf(dom, sizeof(dom), "%s/probe.dom", dir);
	const char *dump[] = { CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
			       "--window-size=1280,1000", "--dump-dom", url, NULL };
	rc = run(dump, dom, NULL, 90);
	assert_int_equal(rc, 0);
	d = slurp(dom);
	assert_non_null(d);
	line = strstr(d, "<pre id=\"check\">CHARTS ");
	if (!line) {
		print_message("the probe wrote nothing (did the page load?)\n");
		fail();
	}
	sscanf(line, "<pre id=\"check\">CHARTS %d", &charts);
	assert_int_equal(charts, want_charts);
	for (line = strstr(line, "\nCHART "); line; line = strstr(line + 1, "\nCHART ")) {
		char id[64] = "", first[256] = "";
		int width = 0, series = -1, drawn = -2, points = 0, texts = 0, overlaps = -1,
		    outside = -1;

		if (sscanf(line, "\nCHART id=%63s width=%d series=%d drawn=%d points=%d texts=%d "
			   "overlaps=%d outside=%d first=%255s", id, &width, &series, &drawn, &points,
			   &texts, &overlaps, &outside, first) != 9 ||
		    width < 300 || series < 4 || drawn != series || points < 2 || texts < 10 ||
		    overlaps != 0 || outside != 0) {
			print_message("chart rendered badly: %.*s\n(%s)\n", (int)strcspn(line + 1, "\n"),
				      line + 1, "want: width >= 300, every series drawn with >= 2 "
				      "points, no overlapping or clipped text");
			fail();
		}
	}
	free(d);

	/* A screenshot of the page against one of an empty page of the same size: a page with
	 * charts compresses far worse than a blank one. */
	snprintf(shot, sizeof(shot), "%s/screenshot.png", dir);
	snprintf(blank, sizeof(blank), "%s/blank.png", dir);
	snprintf(arg_shot, sizeof(arg_shot), "--screenshot=%s", shot);
	snprintf(url, sizeof(url), "file://%s", page);
	const char *take[] = { CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
			       "--hide-scrollbars", "--window-size=1280,1400", arg_shot, url, NULL };
	snprintf(dom, sizeof(dom), "%s/chromium.log", dir);
	assert_int_equal(run(take, dom, NULL, 90), 0);
	snprintf(arg_shot, sizeof(arg_shot), "--screenshot=%s", blank);
	const char *take_blank[] = { CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
				     "--hide-scrollbars", "--window-size=1280,1400", arg_shot,
				     "about:blank", NULL };
	assert_int_equal(run(take_blank, dom, NULL, 90), 0);
	assert_int_equal(stat(shot, &st_shot), 0);
	assert_int_equal(stat(blank, &st_blank), 0);
	if (st_shot.st_size < 20 * st_blank.st_size) {
		print_message("%s: %lld bytes, a blank page %lld: the page looks blank\n", shot,
			      (long long)st_shot.st_size, (long long)st_blank.st_size);
		fail();
	}
	print_message("# screenshot %s (%lld bytes; blank page %lld)\n", shot,
		      (long long)st_shot.st_size, (long long)st_blank.st_size);
}

static void test_shipped(void **state)
{
	char dir[256], want[PATH_MAX + 32], n[128], *out, *err;
	const char *args[] = { "--report", dir, "scenarios/", NULL };
	int rc, nfiles = 0, nskip = 0;
	struct dirent *de;
	xmlDocPtr doc;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/shipped", tmpdir);
	rc = run_runner(dir, args, &out, &err);
	snprintf(want, sizeof(want), "# report: %s/index.html\n", dir);
	if (rc != 0 || !strstr(out, want)) {
		print_message("exit %d, expected 0 and \"%s\"\nstdout:\n%s\nstderr:\n%s\n", rc, want,
			      out, err);
		fail();
	}
	/* every scenario file of scenarios/, run or skipped, has its files */
	d = opendir("scenarios");
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char name[256], verdict[64];

		if (len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 4), de->d_name);
		tap_verdict(out, name, verdict, sizeof(verdict));
		if (!verdict[0]) {
			print_message("%s: not in the TAP output\n%s\n", name, out);
			fail();
		}
		nfiles++;
		if (strcmp(verdict, "skipped") == 0) {
			nskip++;
			check_skipped_files(dir, name);
		} else {
			check_scenario_files(dir, name, verdict);
		}
	}
	closedir(d);
	assert_true(nfiles >= 6 && nfiles - nskip >= 4);
	doc = junit_load(dir);
	snprintf(n, sizeof(n), "%d", nfiles);
	assert_xpath(doc, "count(//testcase)", n);
	assert_xpath(doc, "string(/testsuites/@failures)", "0");
	assert_xpath(doc, "string(/testsuites/@errors)", "0");
	assert_xpath(doc, "count(//testcase[failure or error])", "0");
	snprintf(n, sizeof(n), "%d", nskip);
	assert_xpath(doc, "count(//testcase[skipped])", n);
	assert_xpath(doc, "count(//testcase[skipped and string-length(skipped/@message) > 10])", n);
	snprintf(n, sizeof(n), "%d", nfiles - nskip);
	assert_xpath(doc, "count(//testcase[not(skipped) and starts-with(system-out, 'ok ')])", n);
	assert_xpath(doc, "string(//testcase[@name='oom_killed']/@file)", "scenarios/oom_killed.ini");
	snprintf(n, sizeof(n), "starts-with(/testsuites/testsuite/system-out, '# %d scenarios in ')",
		 nfiles);
	assert_xpath(doc, n, "true");
	xmlFreeDoc(doc);
	check_rendering(dir, nfiles - nskip);
	free(out);
	free(err);
}

/* The MADV_FREE vs MADV_DONTNEED page: two charts on the same scales, LazyFree that collapsed
 * on the one side, none on the other. */
static void test_compare(void **state)
{
	char dir[256], *out, *err, *page, path[PATH_MAX];
	const char *args[] = { "--report", dir, "--compare", "scenarios/madv_free_reclaimed.ini",
			       "scenarios/madv_dontneed.ini", NULL };
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/compare", tmpdir);
	rc = run_runner(dir, args, &out, &err);
	if (rc != 0) {
		print_message("exit %d\n%s\n%s\n", rc, out, err);
		fail();
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	page = slurp(path);
	assert_non_null(page);
	assert_non_null(strstr(page, "<section class=\"compare\""));
	/* same scales: both compare charts end their axes at the same tick */
	char *a = strstr(page, "id=\"compare-1\""), *b = strstr(page, "id=\"compare-2\"");
	double ax = 0, ay = 0, bx = -1, by = -1;

	assert_non_null(a);
	assert_non_null(b);
	sscanf(strstr(a, "data-x-end="), "data-x-end=\"%lf\" data-y-end=\"%lf\"", &ax, &ay);
	sscanf(strstr(b, "data-x-end="), "data-x-end=\"%lf\" data-y-end=\"%lf\"", &bx, &by);
	if (ax != bx || ay != by || ay < 256) {
		print_message("compare charts: axes end at %g s / %g MiB and %g s / %g MiB\n", ax,
			      ay, bx, by);
		fail();
	}
	free(page);
	check_rendering(dir, 4);
	free(out);
	free(err);
}

/* A run that fails: the unmet expectation is a <failure>, the broken harness an <error>, and
 * their reasons are there; result.json says why. */
static void test_failing(void **state)
{
	char dir[256], *out, *err, path[PATH_MAX];
	const char *args[] = { "--report", dir, "tests/scenarios/expect_mismatch.ini",
			       "tests/scenarios/missing_binary.ini", NULL };
	xmlDocPtr doc;
	json_t *j;
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/failing", tmpdir);
	rc = run_runner(dir, args, &out, &err);
	assert_int_equal(rc, 4); /* BROK comes before not met */
	doc = junit_load(dir);
	assert_xpath(doc, "string(/testsuites/@failures)", "1");
	assert_xpath(doc, "string(/testsuites/@errors)", "1");
	assert_xpath(doc, "string(//testcase[@name='expect_mismatch']/failure/@type)", "not_met");
	assert_xpath(doc, "contains(//testcase[@name='missing_binary']/error/@message, "
		     "\"cannot run '/nonexistent/target'\")", "true");
	xmlFreeDoc(doc);
	snprintf(path, sizeof(path), "%s/expect_mismatch/result.json", dir);
	j = json_load_file(path, 0, NULL);
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "expectation_met")));
	assert_true(strlen(json_string_value(json_object_get(j, "why"))) > 10);
	json_decref(j);
	free(out);
	free(err);
}

/* A report directory that cannot be written: exit 2 before anything runs, saying where and
 * why; --compare with one file is a usage error. */
static void test_bad_dir(void **state)
{
	static const struct {
		const char *args[6];
		const char *err_has;
	} rows[] = {
		{ { "--report", "/proc/no-such/reports", "scenarios/oom_killed.ini" },
		  "cannot create report directory /proc/no-such" },
		{ { "--report", "/etc/passwd/r", "scenarios/oom_killed.ini" }, "Not a directory" },
		{ { "--compare", "scenarios/oom_killed.ini" }, "--compare: give exactly two" },
		{ { "--compare", "--no-report", "scenarios/oom_killed.ini",
		    "scenarios/madv_dontneed.ini" }, "drop --no-report" },
	};
	char dir[256], *out, *err;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/bad", tmpdir);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = run_runner(dir, rows[i].args, &out, &err);

		if (rc != 2 || !strstr(err, rows[i].err_has) || strstr(out, "ok 1")) {
			print_message("row %zu: exit %d (want 2), stderr \"%s\" (want \"%s\"), "
				      "stdout \"%s\"\n", i, rc, err, rows[i].err_has, out);
			fail();
		}
		free(out);
		free(err);
	}
}

static int setup(void **state)
{
	(void)state;
	if (find_runner(runner, sizeof(runner), "the report tests") < 0)
		return -1;
	if (!mkdtemp(tmpdir)) {
		print_message("mkdtemp %s: %s\n", tmpdir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Keeps the directory when KEEP_REPORTS is set (to look at the screenshots). */
static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	if (getenv("KEEP_REPORTS")) {
		print_message("# reports kept in %s\n", tmpdir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_failing),
		cmocka_unit_test(test_bad_dir),
	};
	int rc = cmocka_run_group_tests_name("reports", tests, setup, teardown);

	xmlCleanupParser();
	return rc;
}
