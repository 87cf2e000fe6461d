/* The limit finder's search (runner/search/search.c) against made-up workloads: one that
 * needs a known number of bytes (found within the resolution, from below and from above the
 * scenario's own limit, in the number of steps bisection allows), one that is flaky near its
 * need (the unstable band, reported), one that never fits (no_pass at the machine's cap or a
 * given high end), one that fits anywhere (passes_low, and the low end tried), a broken run,
 * a time budget, and the resolution as a share of the limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "search/search.h"

#include <stdio.h>
#include <string.h>

#define MIB (1024ull * 1024)

/* A workload: below need it fails; within [need, need + flaky) it passes in the first
 * `flaky_met` repeats only; above, always. A step takes step_ns. */
struct workload {
	uint64_t need, flaky;
	unsigned flaky_met;
	bool broken_at_need;
	uint64_t step_ns;
};

static struct search_params params(uint64_t own)
{
	return (struct search_params){ .own = own, .floor = 8 * MIB, .cap = 16384 * MIB,
				       .repeats = 3, .res_bytes = 8 * MIB };
}

/* Runs the search to its end; returns the number of steps. */
static size_t run(struct search *s, const struct workload *w)
{
	uint64_t limit;

	while ((limit = search_next(s)) != 0) {
		struct search_step st = { .limit = limit, .ns = w->step_ns };

		assert_true(limit % MIB == 0);
		assert_true(limit >= s->p.floor && limit <= s->p.cap);
		for (unsigned i = 0; i < s->p.repeats; i++) {
			if (w->broken_at_need && limit >= w->need)
				st.broken++;
			else if (limit < w->need)
				st.not_met++;
			else if (limit < w->need + w->flaky && i >= w->flaky_met)
				st.not_met++;
			else
				st.met++;
		}
		assert_int_equal(search_record(s, &st), 0);
		assert_true(s->n < 64); /* bisection over 16 GiB in MiB takes ~24 steps */
	}
	return s->n;
}

static void test_found_within_resolution(void **state)
{
	const uint64_t needs[] = { 9 * MIB, 100 * MIB, 655 * MIB + 4096, 3000 * MIB };
	const uint64_t owns[] = { 64 * MIB, 640 * MIB, 8192 * MIB };

	(void)state;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		for (size_t j = 0; j < sizeof(owns) / sizeof(owns[0]); j++) {
			struct search_params p = params(owns[j]);
			struct workload w = { .need = needs[i] };
			struct search s;

			search_init(&s, &p);
			run(&s, &w);
			assert_int_equal(s.stop, SEARCH_RESOLVED);
			assert_true(s.pass >= w.need);
			assert_true(s.fail < w.need);
			assert_true(s.pass - s.fail <= 8 * MIB);
			assert_int_equal(s.unstable_lo, 0);
			search_free(&s);
		}
}

/* From the scenario's own passing limit down: the first step is that limit, then halves. */
static void test_step_order(void **state)
{
	struct search_params p = params(640 * MIB);
	struct workload w = { .need = 200 * MIB };
	struct search s;

	(void)state;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.steps[0].limit, 640 * MIB);
	assert_int_equal(s.steps[1].limit, 320 * MIB);
	assert_int_equal(s.steps[2].limit, 160 * MIB);
	/* 640 MiB halved down to 8 MiB: log2(640/8) ~ 6.3, so at most 8 steps */
	assert_true(s.n <= 8);
	search_free(&s);
	/* own too small: doubled until it passes */
	p = params(64 * MIB);
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.steps[0].limit, 64 * MIB);
	assert_int_equal(s.steps[1].limit, 128 * MIB);
	assert_int_equal(s.steps[2].limit, 256 * MIB);
	assert_int_equal(s.stop, SEARCH_RESOLVED);
	search_free(&s);
}

static void test_unstable_band(void **state)
{
	struct search_params p = params(1024 * MIB);
	struct workload w = { .need = 300 * MIB, .flaky = 40 * MIB, .flaky_met = 1 };
	struct search s;

	(void)state;
	search_init(&s, &p);
	run(&s, &w);
	/* N of N: the smallest limit passing every repeat is above the flaky band */
	assert_int_equal(s.stop, SEARCH_RESOLVED);
	assert_true(s.pass >= w.need + w.flaky);
	assert_true(s.pass - s.fail <= 8 * MIB);
	assert_true(s.unstable_lo >= w.need && s.unstable_lo < w.need + w.flaky);
	assert_true(s.unstable_hi >= s.unstable_lo && s.unstable_hi < w.need + w.flaky);
	search_free(&s);
}

static void test_no_pass(void **state)
{
	struct search_params p = params(512 * MIB);
	struct workload w = { .need = 20000 * MIB };
	struct search s;

	(void)state;
	p.cap = 2000 * MIB;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_NO_PASS);
	assert_int_equal(s.pass, 0);
	assert_int_equal(s.steps[s.n - 1].limit, 2000 * MIB); /* 512, 1024, then the cap */
	assert_int_equal(s.n, 3);
	search_free(&s);
	/* a given high end is tried once */
	p = params(512 * MIB);
	p.high = 700 * MIB;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_NO_PASS);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.steps[0].limit, 700 * MIB);
	search_free(&s);
}

static void test_passes_low(void **state)
{
	struct search_params p = params(256 * MIB);
	struct workload w = { .need = 1 * MIB };
	struct search s;

	(void)state;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_PASSES_LOW);
	assert_int_equal(s.pass, 8 * MIB); /* the floor */
	assert_int_equal(s.fail, 0);
	search_free(&s);
	/* with a low end: it is tried itself once bisection is near it */
	p.low = 100 * MIB;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_PASSES_LOW);
	assert_int_equal(s.pass, 100 * MIB);
	assert_int_equal(s.steps[s.n - 1].limit, 100 * MIB);
	search_free(&s);
	/* and when it fails there, the boundary lies between it and the passing limit */
	w.need = 103 * MIB;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_RESOLVED);
	assert_int_equal(s.fail, 100 * MIB);
	assert_true(s.pass >= 103 * MIB && s.pass <= 108 * MIB);
	search_free(&s);
}

static void test_broken_and_time(void **state)
{
	struct search_params p = params(512 * MIB);
	struct workload w = { .need = 100 * MIB, .broken_at_need = true };
	struct search s;

	(void)state;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_BROKEN);
	assert_int_equal(s.n, 1);
	search_free(&s);
	/* 10 s a step, 35 s budget: three steps, the fourth would not fit */
	w = (struct workload){ .need = 100 * MIB, .step_ns = 10000000000ull };
	p.max_time = 35000000000ull;
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_MAX_TIME);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.pass, 128 * MIB); /* 512, 256, 128: what it found so far */
	search_free(&s);
	/* an interrupt ends it where it is */
	p.max_time = 0;
	search_init(&s, &p);
	assert_int_equal(search_next(&s), 512 * MIB);
	search_end(&s, SEARCH_INTERRUPTED);
	assert_int_equal(search_next(&s), 0);
	assert_string_equal(search_stop_name(s.stop), "interrupted");
	search_free(&s);
}

static void test_percent_resolution(void **state)
{
	struct search_params p = params(4096 * MIB);
	struct workload w = { .need = 2500 * MIB };
	struct search s;

	(void)state;
	p.res_bytes = 0;
	p.res_milli_pct = 2000; /* 2 % */
	assert_int_equal(search_resolution(&p, 1000 * MIB), 20 * MIB);
	assert_int_equal(search_resolution(&p, 10 * MIB), 1 * MIB); /* never below 1 MiB */
	search_init(&s, &p);
	run(&s, &w);
	assert_int_equal(s.stop, SEARCH_RESOLVED);
	assert_true(s.pass - s.fail <= s.pass / 50);
	assert_true(s.pass - s.fail > 8 * MIB); /* coarser than the bytes default here */
	search_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_within_resolution),
		cmocka_unit_test(test_step_order),
		cmocka_unit_test(test_unstable_band),
		cmocka_unit_test(test_no_pass),
		cmocka_unit_test(test_passes_low),
		cmocka_unit_test(test_broken_and_time),
		cmocka_unit_test(test_percent_resolution),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
