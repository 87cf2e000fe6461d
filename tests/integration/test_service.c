/* Integration: your own service under test, for real on loopback. Every readiness probe
 * (tcp, http, file, exec, a regex on stderr) against a real listener (poolsrv from the
 * workload pack) or file, with its timeout and the last try's reason; a [load] that ends the
 * run and one that fails; the target as another user; the children's logs in the report;
 * max_peak_usage; the one-line mode and --set; and bad input (an unknown probe, a port out
 * of range, a user that does not exist): file:line, exit 2, nothing launched. Needs root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testlib.h"

static char runner[PATH_MAX];
static char tmpdir[] = "/tmp/test-service-XXXXXX";

#define LAUNCHED "/tmp/balloon-run-test-launched"

/* Runs the runner with args; fails with its output unless the exit status is want and
 * stdout (or stderr) holds every string of has (NULL-terminated). */
static void expect_run(const char *const *args, int want, const char *const *out_has,
		       const char *const *err_has, struct run_result *r)
{
	struct run_opts o = { .timeout_s = 120 };
	bool bad = false;

	run_runner_args(runner, args, &o, r);
	bad = r->status != want;
	for (size_t i = 0; out_has && out_has[i]; i++)
		bad = bad || !strstr(r->out, out_has[i]);
	for (size_t i = 0; err_has && err_has[i]; i++)
		bad = bad || !strstr(r->err, err_has[i]);
	if (bad) {
		print_message("%s: want exit %d", args[0], want);
		for (size_t i = 0; out_has && out_has[i]; i++)
			print_message(", stdout ~ '%s'", out_has[i]);
		for (size_t i = 0; err_has && err_has[i]; i++)
			print_message(", stderr ~ '%s'", err_has[i]);
		print_message("\ngot exit %d\nstdout:\n%s\nstderr:\n%s\n", r->status, r->out, r->err);
		run_result_free(r);
		fail();
	}
}

static const struct {
	const char *file, *how; /* what target_ready must say */
} ready_rows[] = {
	{ "tests/scenarios/ready_tcp.ini", "by tcp 127.0.0.1:18511" },
	{ "tests/scenarios/ready_http.ini", "by http 127.0.0.1 port 18512 /healthz" },
	{ "tests/scenarios/ready_file.ini", "by file /tmp/balloon-run-test-ready.pid" },
	{ "tests/scenarios/ready_exec.ini", "by exec httpload" },
	{ "tests/scenarios/ready_stderr_regex.ini", "by a line on stderr" },
};

/* Each probe against the real thing: ready, the event says by what, the run met. */
static void test_ready_probes(void **state)
{
	struct run_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(ready_rows) / sizeof(ready_rows[0]); i++) {
		const char *args[] = { "-v", "--no-report", ready_rows[i].file, NULL };
		const char *has[] = { "target_ready", ready_rows[i].how, "ok 1 - ", NULL };

		unlink("/tmp/balloon-run-test-ready.pid");
		expect_run(args, 0, has, NULL, &r);
		run_result_free(&r);
	}
	unlink("/tmp/balloon-run-test-ready.pid");
}

/* A probe that never succeeds: the ready timeout, with what the last try saw. */
static void test_ready_timeouts(void **state)
{
	const char *http[] = { "--no-report", "tests/scenarios/ready_http_404.ini", NULL };
	const char *tcp[] = { "--no-report", "tests/scenarios/ready_tcp_refused.ini", NULL };
	const char *http_has[] = { "never became ready", "last try: /no-such-page answered 404",
				   "verdict: timeout", NULL };
	const char *tcp_has[] = { "never became ready", "port 18519: Connection refused", NULL };
	struct run_result r;

	(void)state;
	expect_run(http, 0, http_has, NULL, &r);
	run_result_free(&r);
	expect_run(tcp, 0, tcp_has, NULL, &r);
	run_result_free(&r);
}

/* The load: the shipped pair (poolsrv capped: 2000 requests, exit 0) and one whose
 * requests all fail: survived, but not met, with the load's status as the reason. */
static void test_load(void **state)
{
	const char *ok[] = { "--no-report", "scenarios/poolsrv_capped_survived.ini", NULL };
	const char *bad[] = { "--no-report", "tests/scenarios/load_fails.ini", NULL };
	const char *ok_has[] = { "the load ran to its end, exit status 0", "load_exit_code: 0",
				 "load_ran_to_end: true", NULL };
	const char *bad_has[] = { "not ok 1 - load_fails", "the load exited with status 1 "
				  "(expected exit status 0)", NULL };
	struct run_result r;

	(void)state;
	expect_run(ok, 0, ok_has, NULL, &r);
	run_result_free(&r);
	expect_run(bad, 1, bad_has, NULL, &r);
	run_result_free(&r);
}

/* user/group, and the children's logs: target.log says who it ran as; load.log and
 * target.log of the load scenario hold their whole output. */
static void test_user_and_logs(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], *log;
	const char *args[] = { "--report", dir, "tests/scenarios/run_as_user.ini",
			       "scenarios/poolsrv_capped_survived.ini", NULL };
	struct run_result r;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/logs", tmpdir);
	expect_run(args, 0, NULL, NULL, &r);
	run_result_free(&r);
	snprintf(path, sizeof(path), "%s/run_as_user/target.log", dir);
	log = slurp(path);
	assert_non_null(log);
	if (!strstr(log, " out ids 65534 65534")) {
		print_message("%s:\n%s\n", path, log);
		free(log);
		fail();
	}
	free(log);
	snprintf(path, sizeof(path), "%s/poolsrv_capped_survived/load.log", dir);
	log = slurp(path);
	assert_non_null(log);
	assert_non_null(strstr(log, "httpload: requests=2000 2xx=2000"));
	free(log);
	snprintf(path, sizeof(path), "%s/poolsrv_capped_survived/target.log", dir);
	log = slurp(path);
	assert_non_null(log);
	/* both streams, each line with its time and stream */
	assert_non_null(strstr(log, " out poolsrv: listening on 127.0.0.1:18402 with 8 workers"));
	assert_non_null(strstr(log, " err "));
	free(log);
}

/* The rollout expectation: a peak over 50 % of the limit is not met, with the figures. */
static void test_max_peak_usage(void **state)
{
	const char *args[] = { "--no-report", "tests/scenarios/peak_too_high.ini", NULL };
	const char *has[] = { "not ok 1 - peak_too_high", "expected peak usage of at most 32 MiB "
			      "(max_peak_usage)", NULL };
	struct run_result r;

	(void)state;
	expect_run(args, 1, has, NULL, &r);
	run_result_free(&r);
}

/* The one-line mode: a command under a limit, from the same keys as a file; its errors
 * name the option; --set changes a key of a scenario file. */
static void test_one_line(void **state)
{
	const char *ok[] = { "--no-report", "--limit", "64M", "--duration", "300ms", "--",
			     "sh", "-c", "echo 'a b'; sleep 5", NULL };
	const char *ok_has[] = { "ok 1 - sh: target survived", "limit_bytes: 67108864", NULL };
	const char *killed[] = { "--no-report", "--limit", "100M", "--balloon", "300M",
				 "--expect", "oom_killed", "--", "sleep", "10", NULL };
	const char *killed_has[] = { "ok 1 - sleep: balloon", "OOM-killed", "victim: balloon",
				     NULL };
	const char *bad[] = { "--limit", "12Q", "--", "true", NULL };
	const char *bad_err[] = { "--limit 12Q: [cgroup] memory_limit: \"12Q\" is not a size",
				  NULL };
	const char *set[] = { "--no-report", "--set", "cgroup.memory_limit=300M",
			      "scenarios/oom_killed.ini", NULL };
	const char *set_has[] = { "limit_bytes: 314572800", "ok 1 - oom_killed", NULL };
	const char *set_bad[] = { "--set", "cgroup.memory_limt=1G", "scenarios/oom_killed.ini",
				  NULL };
	const char *set_bad_err[] = { "scenarios/oom_killed.ini: --set cgroup.memory_limt=1G: "
				      "[cgroup] memory_limt: unknown key (did you mean "
				      "memory_limit?)", NULL };
	struct run_result r;

	(void)state;
	expect_run(ok, 0, ok_has, NULL, &r);
	run_result_free(&r);
	expect_run(killed, 0, killed_has, NULL, &r);
	run_result_free(&r);
	expect_run(bad, 2, NULL, bad_err, &r);
	run_result_free(&r);
	expect_run(set, 0, set_has, NULL, &r);
	run_result_free(&r);
	expect_run(set_bad, 2, NULL, set_bad_err, &r);
	run_result_free(&r);
}

/* Bad input keeps its standard: file:line: [section] key: reason, exit 2, nothing run. */
static void test_bad_input(void **state)
{
	static const struct {
		const char *file, *err;
	} rows[] = {
		{ "tests/scenarios/bad_probe.ini",
		  "bad_probe.ini:6: [target] ready: \"probe\" is not one of "
		  "start|line|rss|delay|tcp|http|file|exec" },
		{ "tests/scenarios/bad_port.ini",
		  "bad_port.ini:7: [target] ready_tcp: \"127.0.0.1:70000\": port 70000 is out of "
		  "range (1 to 65535)" },
		{ "tests/scenarios/bad_user.ini",
		  "bad_user.ini:6: [target] user: no such user \"no-such-user-here\"" },
	};
	struct run_result r;
	struct stat st;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { rows[i].file, NULL };
		const char *err[] = { rows[i].err, "nothing was run", NULL };

		unlink(LAUNCHED);
		expect_run(args, 2, NULL, err, &r);
		run_result_free(&r);
		if (stat(LAUNCHED, &st) == 0) {
			print_message("%s: the target ran\n", rows[i].file);
			fail();
		}
	}
}

static int setup(void **state)
{
	(void)state;
	if (find_runner(runner, sizeof(runner), "the service tests") < 0)
		return -1;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_probes),
		cmocka_unit_test(test_ready_timeouts),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_user_and_logs),
		cmocka_unit_test(test_max_peak_usage),
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests_name("service", tests, setup, teardown);
}
