/* parent_cgroup is where the runner creates, writes and removes cgroups: only plain relative
 * names below its own cgroup pass; everything else is refused with file:line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config/scenario.h"

static const struct {
	const char *value;
	int ok;
	const char *why; /* substring of the error */
} rows[] = {
	{ "", 1, NULL },
	{ "ci", 1, NULL },
	{ "ci/job-1.2_x", 1, NULL },
	{ "..", 0, "\"..\" parts are not allowed" },
	{ "../escape", 0, "\"..\" parts are not allowed" },
	{ "a/../../b", 0, "\"..\" parts are not allowed" },
	{ "a/./b", 0, "\".\" and" },
	{ "a//b", 0, "empty" },
	{ "/abs", 0, "must be relative" },
	{ "sp ace", 0, "only letters" },
	{ "tab\there", 0, "only letters" },
	{ "ctl\001x", 0, "only letters" },
	{ "0123456789012345678901234567890123456789012345678901234567890123456789", 0,
	  "longer than 64" },
};

static void test_parent_cgroup(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		char path[] = "/tmp/test_config_paths_XXXXXX", err[512];
		struct harness_config cfg = { 0 };
		int fd = mkstemp(path), r;
		FILE *f = fdopen(fd, "w");

		assert_non_null(f);
		fprintf(f, "[harness]\nparent_cgroup = %s\n", rows[i].value);
		fclose(f);
		r = config_load(path, &cfg, err, sizeof(err));
		unlink(path);
		CHECK(rows[i].ok ? r == 0 : r < 0, "row %zu \"%s\": got %d (%s)\n", i,
		      rows[i].value, r, r ? err : "accepted");
		if (!rows[i].ok) {
			CHECK(strstr(err, ":2: [harness] parent_cgroup: ") != NULL,
			      "row %zu: no file:line prefix: %s\n", i, err);
			CHECK(strstr(err, rows[i].why) != NULL, "row %zu: %s\n", i, err);
		} else {
			assert_string_equal(cfg.parent_cgroup, rows[i].value);
		}
		config_free(&cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent_cgroup),
	};

	return cmocka_run_group_tests_name("config_paths", tests, NULL, NULL);
}
