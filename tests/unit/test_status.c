/* The status line's text: the usage bar against the limit, what is shown when, and that it
 * never exceeds the terminal's width (a wrapped line cannot be redrawn in place). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "check.h"
#include "run/status.h"

#define MB (1024ull * 1024)

static const struct {
	uint64_t usage, limit, lazy, balloon, oom_kill;
	int width;
	const char *phase;
	const char *want; /* the whole line */
} rows[] = {
	{ 100 * MB, 200 * MB, 0, 0, 0, 0, "target_ready",
	  "sc    1.5s target_ready     [##########----------] 100/200 MiB  LazyFree 0 MiB" },
	{ 200 * MB, 200 * MB, 5 * MB, 0, 1, 0, "oom",
	  "sc    1.5s oom              [####################] 200/200 MiB  LazyFree 5 MiB  oom_kill 1" },
	/* usage above the limit (v2 memory.high runs can overshoot briefly): the bar is full */
	{ 300 * MB, 200 * MB, 0, 64 * MB, 0, 0, "balloon_started",
	  "sc    1.5s balloon_started  [####################] 300/200 MiB  LazyFree 0 MiB  balloon 64 MiB" },
	/* no limit: no bar */
	{ 7 * MB, ~0ull, 0, 0, 0, 0, "",
	  "sc    1.5s starting         usage 7 MiB  LazyFree 0 MiB" },
	/* a narrow terminal cuts the line one column short of its width */
	{ 100 * MB, 200 * MB, 0, 0, 0, 30, "target_ready", "sc    1.5s target_ready     [" },
};

static void test_format(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct sample s = { .usage = rows[i].usage, .limit = rows[i].limit,
				    .target_lazyfree = rows[i].lazy,
				    .balloon_bytes = rows[i].balloon, .oom_kill = rows[i].oom_kill };
		char line[512];

		status_format(line, sizeof(line), rows[i].width, "sc", 1500000000ull,
			      rows[i].phase, &s);
		CHECK(strcmp(line, rows[i].want) == 0, "row %zu:\n got '%s'\nwant '%s'\n", i, line,
		      rows[i].want);
		CHECK(!rows[i].width || strlen(line) < (size_t)rows[i].width, "row %zu wide\n", i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
