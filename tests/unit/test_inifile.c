/* Tests of the file layer under scenario_load and config_load (runner/inifile.c): syntax,
 * sections, keys outside or unknown to a section, overlong lines, NUL bytes, unreadable
 * files, required keys, and the [harness] config table. */
#include "scenario_fixture.h"

#include "config/inifile.h"
#include "units.h"

static void test_unknown_section(void **state)
{
	(void)state;
	load_err("[cgroup]\nmemory_limit = 64M\n\n[foo]\nx = 1\n", 4,
		 "[foo]: unknown section (known: scenario, cgroup, target, balloon, load, expect, search)", NULL);
	/* An empty unknown section is found too (inih never reports section headers). */
	load_err("[cgroup]\nmemory_limit = 64M\n[targets]\n", 3, "[targets]: unknown section",
		 NULL);
	/* The first error wins: a bad value before the unknown section. */
	load_err("[cgroup]\nmemory_limit = 12Q\n[foo]\n", 2, "[cgroup] memory_limit: ",
		 "\"12Q\" is not a size (use 512M, 2G, 4096)");
	load_err("[cgroup]\nmemory_limit = 64M\n[cgroup]\n", 3,
		 "[cgroup]: section given twice (first at line 1)", NULL);
	load_err("[cgroup] memory_limit = 64M\n", 1, "[cgroup]: text after the section header",
		 NULL);
}

static void test_missing_required(void **state)
{
	(void)state;
	/* In a present section: the line of its header. */
	load_err("[target]\ncommand = true\n[cgroup]\noom_kill_disable = yes\n[expect]\n"
		 "outcome = hung\n", 3, "[cgroup] memory_limit: required key is missing", NULL);
	/* A whole section missing: the file only. */
	load_err("[target]\ncommand = true\n[expect]\noutcome = survived\n", 0,
		 "[cgroup] memory_limit: required key is missing", NULL);
	load_err("[cgroup]\nmemory_limit = 64M\n[expect]\noutcome = survived\n", 0,
		 "[target] command: required key is missing", NULL);
	load_err("[cgroup]\nmemory_limit = 64M\n[target]\ncommand = true\n", 0,
		 "[expect] outcome: required key is missing", NULL);
	load_err("[cgroup]\nmemory_limit = 64M\n[target]\ncommand = true\n[expect]\n", 5,
		 "[expect] outcome: required key is missing", NULL);
	/* [balloon] is optional, but when present it needs its size. */
	load_err("[cgroup]\nmemory_limit = 64M\n[target]\ncommand = true\n[balloon]\n"
		 "rate = 10M/s\n[expect]\noutcome = survived\n", 5,
		 "[balloon] size: required key is missing", NULL);
	load_err("", 0, "[cgroup] memory_limit: required key is missing", NULL);
	load_err("; only a comment\n", 0, "[cgroup] memory_limit: required key is missing",
		 NULL);
}

static void test_long_lines(void **state)
{
	static char text[48 * 1024];
	char desc[INIFILE_LINE_MAX + 200];
	struct scenario sc;
	const char *pre = "description = ";
	size_t n;

	(void)state;
	/* 300 characters: beyond inih's default of 200, which would split the line. */
	memset(desc, 'd', 300);
	desc[300] = '\0';
	snprintf(text, sizeof(text), "[scenario]\n%s%s\n[cgroup]\nmemory_limit = 64M\n[target]\n"
		 "command = true\n[expect]\noutcome = survived\n", pre, desc);
	load_ok(text, &sc);
	assert_int_equal(strlen(sc.description), 300);
	scenario_free(&sc);

	/* Exactly the limit, with CRLF line ends. */
	n = INIFILE_LINE_MAX - strlen(pre);
	memset(desc, 'e', n);
	desc[n] = '\0';
	snprintf(text, sizeof(text), "[scenario]\r\n%s%s\r\n[cgroup]\r\nmemory_limit = 64M\r\n"
		 "[target]\r\ncommand = true\r\n[expect]\r\noutcome = survived\r\n", pre, desc);
	load_ok(text, &sc);
	assert_int_equal(strlen(sc.description), n);
	scenario_free(&sc);

	/* One more, and far more: refused at their line, not split. */
	desc[n] = 'e';
	desc[n + 1] = '\0';
	snprintf(text, sizeof(text), "[scenario]\n%s%s\n", pre, desc);
	load_err(text, 2, "line is 4097 characters long (at most 4096)", NULL);
	snprintf(text, sizeof(text), "[cgroup]\nmemory_limit = 64M\n[target]\n; %0*d\n", 10000, 0);
	load_err(text, 4, "line is 10002 characters long", NULL);
	/* An error before the long line is the one reported. */
	snprintf(text, sizeof(text), "[cgroup]\nmemory_limit = 1K\n; %0*d\n", 5000, 0);
	load_err(text, 2, "[cgroup] memory_limit: ", "out of range");
}

static void test_outside_section(void **state)
{
	(void)state;
	load_err("timeout = 10s\n[cgroup]\nmemory_limit = 64M\n", 1,
		 "timeout: key outside any section (it belongs in [scenario])", NULL);
	load_err("\n\nwhatever = 1\n", 3, "whatever: key outside any section", NULL);
}

static void test_syntax(void **state)
{
	struct scenario sc;

	(void)state;
	load_err("[cgroup]\nmemory_limit = 64M\njust some words\n", 3, "syntax error", NULL);
	load_err("[cgroup\nmemory_limit = 64M\n", 1, "syntax error", NULL);
	load_err("[cgroup]\n = 64M\n", 2, "syntax error (no key before the '=')", NULL);
	load_err("[cgroup]\nMemory_Limit = 64M\n", 2,
		 "[cgroup] Memory_Limit: unknown key (did you mean memory_limit?)", NULL);
	/* Indentation is not a continuation line. */
	load_err("[scenario]\ndescription = a\n  continued\n", 3, "syntax error", NULL);
	load_err("[cgroup]\nmemory_limit = 64M\nmemory_limit = 128M\n", 3,
		 "[cgroup] memory_limit: given twice (first at line 2)", NULL);
	load_err("[cgroup]\nmemory_limt = 64M\n", 2,
		 "[cgroup] memory_limt: unknown key (did you mean memory_limit?)", NULL);
	load_err("[cgroup]\ncommand = true\n", 2,
		 "[cgroup] command: unknown key (it belongs in [target])", NULL);
	load_err("[cgroup]\nzzz = 1\n", 2,
		 "[cgroup] zzz: unknown key (known: memory_limit memsw_limit oom_kill_disable memory_high "
		 "oom_group memory_low memory_min profile request reservation throttling_factor)",
		 NULL);
	load_err("[cgroup]\nmemory_limit =\n", 2, "[cgroup] memory_limit: empty value (expected SIZE)",
		 NULL);
	load_err("[cgroup]\nmemory_limit = 64M ; a comment\nmemory_limit = 1\n", 3,
		 "[cgroup] memory_limit: given twice", NULL);
	/* BOM, comments, inline comments, indentation, dashes for underscores, ':' for '='. */
	load_ok("\xEF\xBB\xBF# comment\n[cgroup]\n  memory-limit = 64M ; inline\n"
		"[target]\ncommand: true\n[expect]\n\toutcome = survived\n", &sc);
	assert_int_equal(sc.memory_limit, 64 * MiB);
	assert_string_equal(sc.command.v[0], "true");
	scenario_free(&sc);
}

static void test_file_errors(void **state)
{
	struct scenario sc;
	char err[512], path[128], *big;
	const size_t bigsize = INIFILE_SIZE_MAX + 10;

	(void)state;
	path_of("missing.ini", path, sizeof(path));
	assert_int_equal(scenario_load(path, &sc, err, sizeof(err)), -ENOENT);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_string_equal(err + strlen(path), ": cannot open: No such file or directory");
	assert_null(sc.file);

	assert_int_equal(scenario_load(dir, &sc, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, ": cannot read: Is a directory"));

	path_of("nul.ini", path, sizeof(path));
	static const char nul[] = "[cgroup]\nmemory_limit = 64M\n\0x = 1\n";
	write_file(path, nul, sizeof(nul) - 1);
	assert_int_equal(scenario_load(path, &sc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":3: contains a NUL byte"));

	big = malloc(bigsize);
	assert_non_null(big);
	for (size_t i = 0; i < bigsize; i++)
		big[i] = i % 64 == 63 ? '\n' : ';';
	path_of("big.ini", path, sizeof(path));
	write_file(path, big, bigsize);
	free(big);
	assert_int_equal(scenario_load(path, &sc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "larger than 1024 KiB"));
}

static void test_config(void **state)
{
	struct harness_config cfg;
	char err[512], path[128], want[256];

	(void)state;
	assert_int_equal(config_load(NULL, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.sample_interval, 100 * NSEC_PER_MSEC);
	assert_int_equal(cfg.hang_after, 2 * NSEC_PER_SEC);
	assert_int_equal(cfg.recovery_timeout, 10 * NSEC_PER_SEC);
	assert_string_equal(cfg.parent_cgroup, "");
	assert_string_equal(cfg.output_dir, ""); /* the user's state directory */
	assert_string_equal(cfg.balloon_path, "");
	config_free(&cfg);

	path_of("harness.ini", path, sizeof(path));
	static const char good[] = "[harness]\nsample_interval = 50ms\nparent_cgroup = tests\n"
				   "output_dir = /tmp/out\n";
	write_file(path, good, strlen(good));
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.sample_interval, 50 * NSEC_PER_MSEC);
	assert_int_equal(cfg.hang_after, 2 * NSEC_PER_SEC);
	assert_string_equal(cfg.parent_cgroup, "tests");
	assert_string_equal(cfg.output_dir, "/tmp/out");
	config_free(&cfg);

	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "[harness]\nsample_interval = 5ms\n",
		  ":2: [harness] sample_interval: \"5ms\" is out of range (10 ms to 10.00 s)" },
		{ "[harness]\nhang_after = 50ms\n", ":2: [harness] hang_after: " },
		{ "[harness]\nrecovery_timeout =\n", ":2: [harness] recovery_timeout: empty value" },
		{ "[harness]\nsample_intervall = 1s\n",
		  ":2: [harness] sample_intervall: unknown key (did you mean sample_interval?)" },
		{ "\n[runner]\n", ":2: [runner]: unknown section (known: harness)" },
		{ "[harness]\nrecovery_timeout = soon\n", ":2: [harness] recovery_timeout: " },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		write_file(path, bad[i].text, strlen(bad[i].text));
		snprintf(want, sizeof(want), "%s%s", path, bad[i].want);
		assert_int_equal(config_load(path, &cfg, err, sizeof(err)), -EINVAL);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("got \"%s\", expected \"%s...\"", err, want);
		assert_null(cfg.output_dir);
	}
	path_of("nope.ini", path, sizeof(path));
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, ": cannot open: No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_outside_section),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests_name("inifile", tests, fixture_setup, fixture_teardown);
}
