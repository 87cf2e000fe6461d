/* The documentation stays true: README.md's key reference is exactly what the key table
 * prints, and configs/harness.ini holds exactly the built-in defaults. Run from the top of the
 * source tree (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/scenario.h"
#include "../testlib.h"

static void test_readme_keys(void **state)
{
	char *readme = slurp("README.md"), *table = NULL, *begin, *end;
	size_t len = 0;
	FILE *mem = open_memstream(&table, &len);

	(void)state;
	assert_non_null(readme);
	assert_non_null(mem);
	keys_print(mem, true);
	fclose(mem);
	begin = strstr(readme, "<!-- keys:begin -->\n");
	end = strstr(readme, "<!-- keys:end -->");
	assert_non_null(begin);
	assert_non_null(end);
	begin += strlen("<!-- keys:begin -->\n");
	*end = '\0';
	if (strcmp(begin, table) != 0) {
		print_message("README.md's key reference differs from `balloon-run "
			      "--list-keys=markdown`: paste the new output between the markers\n");
		fail();
	}
	free(table);
	free(readme);
}

static void test_config_file_is_defaults(void **state)
{
	struct harness_config def = { 0 }, file = { 0 };
	char err[512];

	(void)state;
	assert_int_equal(config_load(NULL, &def, err, sizeof(err)), 0);
	if (config_load("configs/harness.ini", &file, err, sizeof(err)) != 0) {
		print_message("configs/harness.ini: %s\n", err);
		fail();
	}
	assert_int_equal(def.sample_interval, file.sample_interval);
	assert_int_equal(def.hang_after, file.hang_after);
	assert_int_equal(def.recovery_timeout, file.recovery_timeout);
	assert_int_equal(def.stop_grace, file.stop_grace);
	assert_string_equal(def.parent_cgroup, file.parent_cgroup);
	assert_string_equal(def.output_dir, file.output_dir);
	assert_string_equal(def.balloon_path, file.balloon_path);
	config_free(&def);
	config_free(&file);
}

static void test_shipped_scenarios_load(void **state)
{
	static const char *const files[] = {
		"scenarios/madv_free_reclaimed.ini", "scenarios/madv_dontneed.ini",
		"scenarios/oom_killed.ini", "scenarios/oom_kill_disable_hang.ini",
		"scenarios/container_limit_ok.ini", "scenarios/crash_not_oom.ini",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct scenario sc = { 0 };
		char err[512];

		if (scenario_load(files[i], &sc, err, sizeof(err)) != 0) {
			print_message("%s\n", err);
			fail();
		}
		/* every shipped scenario says what it demonstrates */
		assert_non_null(sc.description);
		assert_true(strlen(sc.description) > 10);
		scenario_free(&sc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_keys),
		cmocka_unit_test(test_config_file_is_defaults),
		cmocka_unit_test(test_shipped_scenarios_load),
	};

	return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
