/* Pressure and protection as expectations (runner/verdict/pressure.c), no kernel: each maximum
 * met exactly, exceeded, not given, and its counter unread; the share of the run stalled; and
 * the reasons as the TAP line shows them, beside the outcome's own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "units.h"
#include "verdict/verdict.h"

#define S NSEC_PER_SEC

/* A run of 10 s (10 000 000 us of wall time) whose group's PSI was read. */
#define RUN10 .psi_known = true, .psi_window_us = 10000000

static void test_share(void **state)
{
	static const struct {
		uint64_t stall, window, milli;
	} rows[] = {
		{ 0, 0, 0 },                      /* no window: nothing stalled */
		{ 5, 0, 0 },
		{ 0, 10000000, 0 },
		{ 4000000, 10000000, 40000 },     /* 4 s of 10 s: 40 % */
		{ 4300000, 10000000, 43000 },
		{ 1, 3, 33333 },                  /* rounded down */
		{ 10000000, 10000000, 100000 },
		{ 10000500, 10000000, 100000 },   /* PSI read a little after the clock: capped */
		{ UINT64_MAX, UINT64_MAX, 100000 },
		{ UINT64_MAX / 2, UINT64_MAX, 49999 },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		CHECK_EQ(pressure_share(rows[i].stall, rows[i].window), rows[i].milli,
			 "row %zu: %llu us of %llu us\n", i, (unsigned long long)rows[i].stall,
			 (unsigned long long)rows[i].window);
}

struct row {
	const char *name;
	struct expectation e;
	struct observation o;
	bool ok;
	const char *why; /* substring of the reason when not ok */
};

#define SURVIVED .outcome = V_SURVIVED, .exit_code = -1

static const struct row rows[] = {
	{ "nothing given: anything goes", { SURVIVED },
	  { RUN10, .stall_some_us = 10000000, .high_events = 999, .max_events = 999 }, true, NULL },
	{ "some at the limit", { SURVIVED, .stall_some_given = true, .max_stall_some = 40000 },
	  { RUN10, .stall_some_us = 4000000 }, true, NULL },
	{ "some over by 3 points", { SURVIVED, .stall_some_given = true, .max_stall_some = 40000 },
	  { RUN10, .stall_some_us = 4300000 }, false,
	  "stalled 43 % of the run (some: 4.30 s of 10.00 s), expected at most 40 %" },
	{ "some over by a thousandth of a percent", { SURVIVED, .stall_some_given = true,
	  .max_stall_some = 40000 }, { RUN10, .stall_some_us = 4000001 }, true, NULL },
	{ "some over by a hundredth of a percent", { SURVIVED, .stall_some_given = true,
	  .max_stall_some = 40000 }, { RUN10, .stall_some_us = 4001000 }, false,
	  "stalled 40.0 % of the run (some" },
	{ "0 % given: any stall fails", { SURVIVED, .stall_full_given = true, .max_stall_full = 0 },
	  { RUN10, .stall_full_us = 2000 }, false, "expected at most 0 %" },
	{ "0 % given, none stalled", { SURVIVED, .stall_full_given = true, .max_stall_full = 0 },
	  { RUN10 }, true, NULL },
	{ "full over, decimals kept in the limit", { SURVIVED, .stall_full_given = true,
	  .max_stall_full = 12500 }, { RUN10, .stall_full_us = 5000000 }, false,
	  "stalled 50 % of the run (full: 5.00 s of 10.00 s), expected at most 12.5 %" },
	{ "PSI never read (v1's is the machine's)", { SURVIVED, .stall_some_given = true,
	  .max_stall_some = 40000 }, { .stall_some_us = 1 }, false,
	  "max_stall_some: the group's memory.pressure was never read" },
	{ "high events at the limit", { SURVIVED, .high_events_given = true,
	  .max_high_events = 100 }, { .high_events = 100 }, true, NULL },
	{ "high events over", { SURVIVED, .high_events_given = true, .max_high_events = 100 },
	  { .high_events = 120 }, false,
	  "memory.events high rose 120 times (throttled over memory.high), expected at most 100" },
	{ "max events: 0 means never at the limit", { SURVIVED, .max_events_given = true },
	  { .max_events = 12 }, false,
	  "the group hit its limit 12 times (memory.events max, v1 failcnt), expected at most 0" },
	{ "max events: 0 and never", { SURVIVED, .max_events_given = true }, { 0 }, true, NULL },
	{ "refaults within", { SURVIVED, .refaults_given = true, .max_refaults = 16 * MiB,
	  .page_size = 4096 }, { .refaults_known = true, .target_refaults = 4096 }, true, NULL },
	{ "refaults over", { SURVIVED, .refaults_given = true, .max_refaults = 16 * MiB,
	  .page_size = 4096 }, { .refaults_known = true, .target_refaults = 4097 }, false,
	  "the target refaulted 16.0 MiB (4097 pages evicted and faulted back in), expected at "
	  "most 16 MiB" },
	{ "refaults unread", { SURVIVED, .refaults_given = true, .max_refaults = 16 * MiB },
	  { 0 }, false, "max_refaults: the target group's workingset_refault counters were never "
	  "read" },
	{ "two maxima fail: both named", { SURVIVED, .stall_some_given = true,
	  .max_stall_some = 10000, .high_events_given = true, .max_high_events = 1 },
	  { RUN10, .stall_some_us = 2000000, .high_events = 3 }, false,
	  "stalled 20 % of the run (some: 2.00 s of 10.00 s), expected at most 10 %; "
	  "memory.events high rose 3 times" },
	/* the charge by kind (min_peak_file, min_peak_shmem, min_peak_unevictable) */
	{ "page cache reached", { SURVIVED, .min_peak_file = 128 * MiB },
	  { .file_peak = 128 * MiB }, true, NULL },
	{ "page cache short", { SURVIVED, .min_peak_file = 128 * MiB },
	  { .file_peak = 64 * MiB, .anon_peak = 200 * MiB }, false,
	  "the group's page cache peaked at 64 MiB (v1 total_cache, v2 file), expected at least "
	  "128 MiB" },
	{ "shmem short", { SURVIVED, .min_peak_shmem = 128 * MiB }, { .file_peak = 192 * MiB },
	  false, "the group's shmem peaked at 0 B (memory.stat shmem), expected at least 128 MiB" },
	{ "unevictable reached, shmem not", { SURVIVED, .min_peak_unevictable = MiB,
	  .min_peak_shmem = MiB }, { .unevictable_peak = 2 * MiB }, false,
	  "the group's shmem peaked at 0 B" },
	{ "0: unchecked", { SURVIVED }, { 0 }, true, NULL },
};

/* "survived, but stalled 43 % of the time": the outcome is met, the expectation is not. */
static void test_expect(void **state)
{
	const struct verdict_result r = { .verdict = V_SURVIVED, .summary = "target survived" };

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		char why[512];
		bool ok = verdict_expect(&rows[i].e, &r, &rows[i].o, why, sizeof(why));

		CHECK(ok == rows[i].ok, "row %zu (%s): got %s, why \"%s\"\n", i, rows[i].name,
		      ok ? "met" : "not met", why);
		if (ok)
			CHECK(!why[0], "row %zu (%s): met, yet why \"%s\"\n", i, rows[i].name, why);
		else
			CHECK(strstr(why, rows[i].why) != NULL, "row %zu (%s): why \"%s\" lacks "
			      "\"%s\"\n", i, rows[i].name, why, rows[i].why);
	}
}

/* After an outcome mismatch the pressure reasons follow it; a tiny or absent buffer is safe. */
static void test_after_outcome(void **state)
{
	const struct expectation e = { .outcome = V_SURVIVED, .exit_code = -1,
				       .stall_some_given = true, .max_stall_some = 10000 };
	const struct verdict_result r = { .verdict = V_OOM_KILLED, .summary = "target OOM-killed" };
	const struct observation o = { RUN10, .stall_some_us = 5000000 };
	char why[512], tiny[6];
	size_t used = 0;

	(void)state;
	assert_false(verdict_expect(&e, &r, &o, why, sizeof(why)));
	CHECK(strcmp(why, "expected survived, got oom_killed: target OOM-killed; stalled 50 % of "
		     "the run (some: 5.00 s of 10.00 s), expected at most 10 %") == 0,
	      "why \"%s\"\n", why);
	assert_false(verdict_expect(&e, &r, &o, NULL, 0));
	assert_false(verdict_expect(&e, &r, &o, tiny, sizeof(tiny)));
	assert_string_equal(tiny, "expec");
	assert_int_equal(pressure_expect(&e, &o, NULL, 0, &used), 1);
	assert_int_equal(used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_after_outcome),
	};

	return cmocka_run_group_tests_name("pressure", tests, NULL, NULL);
}
