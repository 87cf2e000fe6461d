/* The hang proof (runner/run/hang.c) on recorded samples, and the thread census that reports
 * how much of a target hung (runner/run/proc.c). Each row is a run of 100 ms samples and the
 * steps it must give: '-' none, 'S' start, '.' still stuck, 'L' left, 'D' detected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "run/hang.h"
#include "run/proc.h"

#define MS 1000000ull
#define MIB (1024ull * 1024)

/* A sample changed from the steady hung state by one field. */
enum change { SAME, NOT_UNDER_OOM, NO_WAITER, FREED, CHARGED, USAGE_DOWN, KILLED, PROC_EXIT,
	      NOT_EXEMPT, OOM_FLAT };

struct row {
	const char *what;
	enum hang_mode mode;
	const char *changes; /* per sample: '=' same, 'u' not under_oom, 'w' no waiter, 'f' freed,
				'c' charged, 'd' usage down, 'k' killed, 'p' a process exited,
				'x' not exempt, 'o' oom events flat */
	const char *steps;
	const char *why;     /* what the last 'L' must say, or NULL */
};

static const struct row rows[] = {
	{ "v1: the Go hang: one thread waits, the rest sleep, nothing moves for 2 s",
	  HANG_OOM_WAIT, "======================", "S...................D.", NULL },
	{ "v1: another process frees memory at 1 s: the proof starts over",
	  HANG_OOM_WAIT, "==========f=====================", "S.........LS...................D", NULL },
	{ "v1: freeing every 1.5 s never lets it reach hang_after",
	  HANG_OOM_WAIT, "===============f==============f==============f=====",
	  "S..............LS.............LS.............LS....", "uncharged" },
	{ "v1: under_oom clears", HANG_OOM_WAIT, "=====u====", "S....LS...", "under_oom cleared" },
	{ "v1: no thread left in the wait", HANG_OOM_WAIT, "=====w", "S....L", "no target thread" },
	{ "v1: an allocation went through", HANG_OOM_WAIT, "=====c", "S....L", "pages charged" },
	{ "v1: usage fell (kernel memory freed)", HANG_OOM_WAIT, "=====d", "S....L", "usage" },
	{ "v1: a task was killed", HANG_OOM_WAIT, "=====k", "S....L", "oom_kill" },
	{ "v1: a target process exited", HANG_OOM_WAIT, "=====p", "S....L", "process" },
	{ "v1: not under OOM at all", HANG_OOM_WAIT, "uuuuu", "-----", NULL },
	{ "v2: the livelock: memory.events oom rising, every task exempt, no kill",
	  HANG_LIVELOCK, "=======================", "-S...................D.", NULL },
	{ "v2: memory.events oom stops rising", HANG_LIVELOCK, "=====o==", "-S...LS.",
	  "stopped rising" },
	{ "v2: a task is no longer exempt", HANG_LIVELOCK, "=====x", "-S...L",
	  "no longer exempt" },
	{ "v2: memory freed by another process during the livelock", HANG_LIVELOCK, "=====d=",
	  "-S...LS", "usage" },
	{ "off: a scenario that cannot hang tracks nothing", HANG_OFF, "=====", "-----", NULL },
};

/* The steady hung state at sample i, with one change applied. */
static void sample(struct hang_facts *f, unsigned i, char change, uint64_t *oom, uint64_t *freed)
{
	*oom += 7;          /* the v2 livelock hits the limit hundreds of times a second */
	memset(f, 0, sizeof(*f));
	f->t = 1000 * MS + i * 100 * MS;
	f->under_oom = true;
	f->in_wait = 1;
	f->all_exempt = true;
	f->oom_kill = 0;
	f->usage = 200 * MIB;
	f->charges = 51200;
	f->uncharges = 40;
	f->procs = hang_procs_add(hang_procs_add(0, 100, 200 * MIB), 101, 64 * 1024);
	switch (change) {
	case 'u': f->under_oom = false; break;
	case 'w': f->in_wait = 0; break;
	case 'f': *freed += 5120; break; /* 20 MiB uncharged and taken again by the waiter */
	case 'c': f->charges += 3; break;
	case 'd': f->usage -= 4096; break;
	case 'k': f->oom_kill = 1; break;
	case 'p': f->procs = hang_procs_add(0, 100, 200 * MIB); break;
	case 'x': f->all_exempt = false; break;
	case 'o': *oom -= 7; break;
	}
	f->uncharges += *freed;
	f->charges += *freed;
	f->oom_events = *oom;
}

static void test_rows(void **state)
{
	(void)state;
	for (size_t r = 0; r < N(rows); r++) {
		struct hang_tracker h;
		char got[128] = "";
		uint64_t oom = 1000, freed = 0;
		size_t n = strlen(rows[r].changes);

		hang_init(&h, rows[r].mode, 2000 * MS);
		for (size_t i = 0; i < n; i++) {
			struct hang_facts f;
			static const char mark[] = { [HANG_STEP_NONE] = '-', [HANG_STEP_START] = 'S',
						     [HANG_STEP_STUCK] = '.', [HANG_STEP_LEFT] = 'L',
						     [HANG_STEP_DETECTED] = 'D' };

			sample(&f, (unsigned)i, rows[r].changes[i], &oom, &freed);
			got[i] = mark[hang_step(&h, &f)];
		}
		CHECK(strcmp(got, rows[r].steps) == 0, "row %zu (%s):\n  samples %s\n  want    %s\n"
		      "  got     %s\n", r, rows[r].what, rows[r].changes, rows[r].steps, got);
		if (rows[r].why)
			CHECK(strstr(h.why, rows[r].why) != NULL, "row %zu (%s): why \"%s\" lacks "
			      "\"%s\"\n", r, rows[r].what, h.why, rows[r].why);
	}
}

/* The signature of the target's processes does not depend on the order they are read in,
 * and changes with any process's resident size. */
static void test_procs_signature(void **state)
{
	uint64_t a = hang_procs_add(hang_procs_add(hang_procs_add(0, 1, 10), 2, 20), 3, 30);
	uint64_t b = hang_procs_add(hang_procs_add(hang_procs_add(0, 3, 30), 1, 10), 2, 20);

	(void)state;
	assert_int_equal(a, b);
	assert_true(a != hang_procs_add(hang_procs_add(hang_procs_add(0, 1, 10), 2, 20), 3, 34));
	assert_true(a != hang_procs_add(hang_procs_add(0, 1, 10), 2, 20));
}

static const struct {
	const char *threads; /* "state:place" items, ',' separated */
	const char *text;
} census_rows[] = {
	/* the Go runtime while hung (measured: kernel.md) */
	{ "D:mem_cgroup_oom_synchronize,S:hrtimer_nanosleep,S:futex_do_wait,S:futex_do_wait",
	  "1 of 4 threads in the OOM wait, 3 asleep (hrtimer_nanosleep, futex_do_wait x2)" },
	{ "D:mem_cgroup_oom_synchronize", "1 of 1 thread in the OOM wait" },
	{ "D:mem_cgroup_oom_synchronize,R:,R:,R:",
	  "1 of 4 threads in the OOM wait, 3 running" },
	{ "S:do_wait,D:mem_cgroup_oom_synchronize,D:io_schedule,Z:",
	  "1 of 4 threads in the OOM wait, 1 asleep (do_wait), 1 blocked (io_schedule), 1 other "
	  "(stopped or exiting)" },
	{ "S:ep_poll,S:futex_do_wait,R:", "0 of 3 threads in the OOM wait, 1 running, 2 asleep "
	  "(ep_poll, futex_do_wait)" },
	{ "S:", "0 of 1 thread in the OOM wait, 1 asleep (?)" },
};

/* v2's livelock: the charge is retried in state R, so the lead is the running threads. */
static void test_census_livelock(void **state)
{
	struct census c = { .procs = 1 };
	char text[256];

	(void)state;
	census_thread(&c, 'R', "");
	census_thread(&c, 'R', "");
	census_thread(&c, 'S', "futex_wait_queue");
	census_text(&c, true, text, sizeof(text));
	assert_string_equal(text, "2 of 3 threads running, 1 asleep (futex_wait_queue)");
}

static void test_census(void **state)
{
	(void)state;
	for (size_t r = 0; r < N(census_rows); r++) {
		struct census c = { .procs = 1 };
		char list[256], text[256], *save = NULL;

		snprintf(list, sizeof(list), "%s", census_rows[r].threads);
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			census_thread(&c, t[0], t + 2);
		census_text(&c, false, text, sizeof(text));
		CHECK(strcmp(text, census_rows[r].text) == 0, "row %zu:\n  want %s\n  got  %s\n", r,
		      census_rows[r].text, text);
	}
}

/* A long census is cut, never overflowed. */
static void test_census_cut(void **state)
{
	struct census c = { .procs = 3 };
	char text[40];
	char fn[48];

	(void)state;
	for (int i = 0; i < 20; i++) {
		snprintf(fn, sizeof(fn), "some_kernel_function_%d", i);
		census_thread(&c, 'S', fn);
	}
	census_text(&c, false, text, sizeof(text));
	assert_int_equal(strlen(text), sizeof(text) - 1);
	assert_string_equal(text + sizeof(text) - 4, "...");
	assert_int_equal(c.nwhere, CENSUS_PLACES);
	assert_int_equal(c.asleep, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_procs_signature),
		cmocka_unit_test(test_census),
		cmocka_unit_test(test_census_cut),
		cmocka_unit_test(test_census_livelock),
	};

	return cmocka_run_group_tests_name("hang", tests, NULL, NULL);
}
