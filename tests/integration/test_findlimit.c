/* Integration: balloon-run --find-limit, for real. On workloads of known size (the balloon
 * holding 100 MiB, a Go matrix of 128 MiB) the limit found lies above what the workload
 * needs and within the resolution of the highest usage its passing runs reached (its own
 * size plus the process's overhead, measured by the kernel); on a service with a [load]
 * (poolsrv_capped_survived: at most half the limit) too. The output is checked as TAP (a
 * subtest with a line per limit, its plan, the closing line and its YAML), result.json's
 * "search" and index.html's chart; then a time budget, a high end that never passes, bad
 * input (file:line, exit 2, nothing run) and an interrupt. Nothing may be left behind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testlib.h"

#define MIB (1024ull * 1024)

static char runner[PATH_MAX], own[PATH_MAX];
static bool v2;
static char tmpdir[] = "/tmp/test-findlimit-XXXXXX";

static void run(const char *const *args, int sig, int after_ms, struct run_result *r)
{
	struct run_opts o = { .sig = sig, .sig_after_ms = after_ms, .timeout_s = 300 };

	run_runner_args(runner, args, &o, r);
}

static void fail_run(struct run_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_run(struct run_result *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_message("%s\nexit %d\nstdout:\n%s\nstderr:\n%s\n", msg, r->status, r->out, r->err);
	run_result_free(r);
	fail();
}

static void assert_nothing_left(struct run_result *r)
{
	char what[2048];

	if (test_leftovers(own, v2, false, what, sizeof(what)) > 0)
		fail_run(r, "left behind: %s", what);
}

static uint64_t yaml_u64(const struct run_result *r, const char *key)
{
	char v[64];

	return strtoull(tap_yaml(r->out, key, v, sizeof(v)), NULL, 10);
}

/* The step lines ("    ok N - LIMIT: ...") and the subtest's plan agree with the YAML. */
static size_t check_subtest(struct run_result *r, const char *name)
{
	char head[128], line[64];
	size_t steps = yaml_u64(r, "steps");

	snprintf(head, sizeof(head), "# Subtest: %s: the smallest memory_limit", name);
	if (!strstr(r->out, head))
		fail_run(r, "no \"%s\"", head);
	for (size_t k = 1; k <= steps; k++) {
		snprintf(line, sizeof(line), "\n    ok %zu - ", k);
		if (!strstr(r->out, line))
			fail_run(r, "no step line %zu of %zu", k, steps);
	}
	snprintf(line, sizeof(line), "\n    ok %zu - ", steps + 1);
	if (strstr(r->out, line))
		fail_run(r, "a step line beyond the %zu steps", steps);
	snprintf(line, sizeof(line), "\n    1..%zu\n", steps);
	if (!steps || !strstr(r->out, line))
		fail_run(r, "no plan \"1..%zu\" for the subtest", steps);
	return steps;
}

/* The highest peak usage of the passing steps at the smallest passing limit, from
 * result.json (its "search" member), which must list steps entries. */
static uint64_t check_json(struct run_result *r, const char *dir, const char *name, size_t steps,
			   uint64_t pass)
{
	char path[PATH_MAX + 32], key[96];
	char *json;
	const char *p;
	size_t n = 0;
	uint64_t peak = 0;

	snprintf(path, sizeof(path), "%s/%s/result.json", dir, name);
	json = slurp(path);
	if (!json || !strstr(json, "\"search\": {") || !strstr(json, "\"stop\": \"resolved\""))
		fail_run(r, "%s: no resolved search in it", path);
	/* the steps, after the run's own figures (which have a limit_bytes too) */
	for (p = strstr(json, "\"search\": {"); (p = strstr(p, "\"limit_bytes\": ")) != NULL;
	     p++, n++) {
		uint64_t limit = strtoull(p + 15, NULL, 10);
		const char *pk = strstr(p, "\"peak_usage_bytes\": ");

		if (limit == pass && pk)
			peak = strtoull(pk + 20, NULL, 10);
	}
	snprintf(key, sizeof(key), "\"smallest_pass_bytes\": %llu", (unsigned long long)pass);
	if (n != steps || !strstr(json, key)) {
		free(json);
		fail_run(r, "%s: %zu steps (want %zu), %s", path, n, steps, key);
	}
	free(json);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	json = slurp(path);
	n = 0;
	for (p = json; p && (p = strstr(p, "<circle class=\"step ")) != NULL; p++)
		n++;
	if (!json || !strstr(json, "<svg class=\"chart search\"") || n != steps) {
		free(json);
		fail_run(r, "%s: no search chart with %zu points (%zu)", path, steps, n);
	}
	free(json);
	return peak;
}

/* A search of a workload that needs `need` bytes: resolved, above the need, within the
 * resolution of the usage its passing runs reached. */
static void known_size(const char *file, const char *name, uint64_t need, const char *repeats)
{
	char dir[PATH_MAX - 64];
	const char *args[] = { "--find-limit", "--repeats", repeats, "--report", dir, file, NULL };
	struct run_result r;
	uint64_t pass, fail_, res, peak;
	size_t steps;

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	run(args, 0, 0, &r);
	if (r.status != 0 || !strstr(r.out, "ok 1 - "))
		fail_run(&r, "%s: the search did not succeed", file);
	pass = yaml_u64(&r, "smallest_pass_bytes");
	fail_ = yaml_u64(&r, "largest_fail_bytes");
	res = yaml_u64(&r, "resolution_bytes");
	steps = check_subtest(&r, name);
	peak = check_json(&r, dir, name, steps, pass);
	print_message("# %s: needs %llu MiB; found %.1f MiB (largest failing %.1f MiB, peak "
		      "usage at it %.1f MiB) in %zu steps\n", name,
		      (unsigned long long)(need / MIB), (double)pass / MIB, (double)fail_ / MIB,
		      (double)peak / MIB, steps);
	if (pass < need || fail_ >= pass || pass - fail_ > res || peak < need || peak > pass ||
	    pass > peak + res)
		fail_run(&r, "%s: found %llu, failing %llu, resolution %llu, peak %llu for a need "
			 "of %llu", file, (unsigned long long)pass, (unsigned long long)fail_,
			 (unsigned long long)res, (unsigned long long)peak,
			 (unsigned long long)need);
	assert_nothing_left(&r);
	run_result_free(&r);
}

static void test_balloon_known_size(void **state)
{
	(void)state;
	known_size("tests/scenarios/search_balloon.ini", "search_balloon", 100 * MIB, "3");
}

static void test_matrix_known_size(void **state)
{
	(void)state;
	known_size("tests/scenarios/search_matrix.ini", "search_matrix", 128 * MIB, "2");
}

/* A service with its load: poolsrv_capped_survived passes while its peak stays within half
 * of the limit, so the limit found is about twice what it uses. */
static void test_service(void **state)
{
	const char *args[] = { "--find-limit", "--repeats", "1", "--resolution", "4M",
			       "--no-report", "scenarios/poolsrv_capped_survived.ini", NULL };
	struct run_result r;
	uint64_t pass, fail_;

	(void)state;
	run(args, 0, 0, &r);
	pass = yaml_u64(&r, "smallest_pass_bytes");
	fail_ = yaml_u64(&r, "largest_fail_bytes");
	check_subtest(&r, "poolsrv_capped_survived");
	/* poolsrv --threads 8 uses 36-40 MiB: half of the limit must hold it */
	if (r.status != 0 || pass < 64 * MIB || pass > 96 * MIB || pass - fail_ > 4 * MIB)
		fail_run(&r, "service: found %llu, failing %llu", (unsigned long long)pass,
			 (unsigned long long)fail_);
	assert_nothing_left(&r);
	run_result_free(&r);
}

/* A budget that fits one step stops after it, with what it found; a high end below the
 * need: not met (exit 1), one step. */
static void test_budget_and_no_pass(void **state)
{
	const char *budget[] = { "--find-limit", "--max-time", "1ms", "--no-report",
				 "tests/scenarios/search_matrix.ini", NULL };
	const char *high[] = { "--find-limit", "--high", "64M", "--no-report",
			       "tests/scenarios/search_matrix.ini", NULL };
	struct run_result r;
	char v[64];

	(void)state;
	run(budget, 0, 0, &r);
	if (r.status != 0 || strcmp(tap_yaml(r.out, "search_stop", v, sizeof(v)), "max_time") != 0 ||
	    yaml_u64(&r, "steps") != 1 || !strstr(r.out, "the time budget (max_time) ran out "
						 "after 1 step: smallest passing limit 256 MiB"))
		fail_run(&r, "--max-time 1ms");
	assert_nothing_left(&r);
	run_result_free(&r);
	run(high, 0, 0, &r);
	if (r.status != 1 || strcmp(tap_yaml(r.out, "search_stop", v, sizeof(v)), "no_pass") != 0 ||
	    yaml_u64(&r, "steps") != 1 ||
	    !strstr(r.out, "not ok 1 - search_matrix: not met even at 64 MiB"))
		fail_run(&r, "--high 64M");
	assert_nothing_left(&r);
	run_result_free(&r);
}

static void test_bad_input(void **state)
{
	static const struct {
		const char *args[6];
		const char *err;
	} rows[] = {
		{ { "--low", "64M", "tests/scenarios/search_matrix.ini" },
		  "--low, --high, --repeats, --resolution and --max-time are for --find-limit" },
		{ { "--find-limit", "--repeat", "3", "tests/scenarios/search_matrix.ini" },
		  "--find-limit runs each limit --repeats times itself: drop --repeat" },
		{ { "--find-limit", "--resolution", "limit-8M", "tests/scenarios/search_matrix.ini" },
		  "tests/scenarios/search_matrix.ini: [search] resolution (given on the command "
		  "line): a size (8M) or a share of the limit (2%), not limit-SIZE" },
		{ { "--find-limit", "--low", "200M", "--high", "100M",
		    "tests/scenarios/search_matrix.ini" },
		  "[search] high: 100 MiB is not above low (200 MiB)" },
		{ { "--find-limit", "--repeats", "0", "tests/scenarios/search_matrix.ini" },
		  "[search] repeats:" },
	};
	struct run_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		run(rows[i].args, 0, 0, &r);
		if (r.status != 2 || !strstr(r.err, rows[i].err) || strstr(r.out, "# Subtest"))
			fail_run(&r, "row %zu: want exit 2 and \"%s\"", i, rows[i].err);
		run_result_free(&r);
	}
}

/* Interrupted midway: the run is cleaned up, the search says what it had (exit 130). */
static void test_interrupt(void **state)
{
	const char *args[] = { "--find-limit", "--no-report", "tests/scenarios/search_balloon.ini",
			       NULL };
	struct run_result r;

	(void)state;
	run(args, SIGINT, 2500, &r);
	if (r.status != 128 + SIGINT || !strstr(r.out, "not ok 1 - search_balloon: interrupted by "
						    "SIGINT; so far: ") ||
	    !strstr(r.out, "search_stop: interrupted") || !strstr(r.out, "Bail out!"))
		fail_run(&r, "interrupted search");
	assert_nothing_left(&r);
	run_result_free(&r);
}

static int setup(void **state)
{
	(void)state;
	if (find_runner(runner, sizeof(runner), "the limit finder's tests") < 0 ||
	    test_own_cgroup(own, sizeof(own), &v2) < 0 || !mkdtemp(tmpdir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balloon_known_size),
		cmocka_unit_test(test_matrix_known_size),
		cmocka_unit_test(test_service),
		cmocka_unit_test(test_budget_and_no_pass),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_interrupt),
	};

	return cmocka_run_group_tests_name("findlimit", tests, setup, teardown);
}
