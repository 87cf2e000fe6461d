/* Unit tests of the balloon's pacing arithmetic (balloon/pace.c): grants per tick, skipped ticks
 * counted as shortfall instead of bursting, rate 0, huge rates, and a simulated inflation loop
 * that must never exceed its size. Time is simulated: no kernel, no sleeping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check.h"

#include "pace.h"
#include "units.h"

#define PAGE 4096


/* Start of tick k on a grid starting at t0 (the first ns pace_tick_at() gives k). */
static uint64_t tick_start(uint64_t t0, uint64_t hz, uint64_t k)
{
	return t0 + (k * NSEC_PER_SEC + hz - 1) / hz;
}

/* {rate, hz, first ticks' grants}: exact, and spread evenly when rate is not a multiple. */
static void test_grant_per_tick(void **state)
{
	static const struct {
		uint64_t rate, hz;
		uint64_t grants[4];
	} rows[] = {
		{ 100 * MiB, 50, { 2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB } },
		{ 1000, 3, { 333, 333, 334, 333 } },
		{ 10, 20, { 0, 1, 0, 1 } },
		{ 1, 1000, { 0, 0, 0, 0 } },
		{ 4096, 20, { 204, 205, 205, 205 } },
		{ 10 * MiB, 1000, { 10485, 10486, 10486, 10486 } },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct pace p;

		pace_init(&p, rows[i].rate, rows[i].hz, 1000);
		for (uint64_t k = 0; k < 4; k++) {
			CHECK_EQ(pace_tick_grant(&p, k), rows[i].grants[k], "row %zu tick %llu\n", i,
				 (unsigned long long)k);
			CHECK_EQ(pace_grant(&p, tick_start(1000, rows[i].hz, k)), rows[i].grants[k],
				 "row %zu tick %llu\n", i, (unsigned long long)k);
			pace_spend(&p, rows[i].grants[k]);
		}
		CHECK_EQ(pace_shortfall(&p), 0, "row %zu\n", i);
	}
}

/* Any hz consecutive ticks grant exactly `rate`, whatever the remainder of rate / hz. */
static void test_second_sums_to_rate(void **state)
{
	static const uint64_t rates[] = { 1, 7, 999, 1000, 4096, 100 * MiB + 13, 3 * GiB + 1 };
	static const uint64_t hzs[] = { 20, 50, 60, 333, 1000 };

	(void)state;
	for (size_t r = 0; r < N(rates); r++) {
		for (size_t h = 0; h < N(hzs); h++) {
			struct pace p;
			uint64_t sum = 0;

			pace_init(&p, rates[r], hzs[h], 0);
			for (uint64_t k = 5 * hzs[h]; k < 6 * hzs[h]; k++)
				sum += pace_tick_grant(&p, k);
			CHECK_EQ(sum, rates[r], "rate %llu hz %llu\n", (unsigned long long)rates[r],
				 (unsigned long long)hzs[h]);
		}
	}
}

/* Ticks the caller overran: their grants (and the unspent rest of the last tick) become
 * shortfall, and the bucket holds one tick's grant, never a burst. */
static void test_missed_ticks(void **state)
{
	static const struct {
		uint64_t rate, hz;
		uint64_t spent;   /* of tick 0's grant, before the caller stalls */
		uint64_t wake;    /* the tick in which the caller looks again */
		uint64_t shortfall, grant;
	} rows[] = {
		{ 100 * MiB, 50, 2 * MiB, 1, 0, 2 * MiB },          /* on time: nothing lost */
		{ 100 * MiB, 50, 2 * MiB, 5, 8 * MiB, 2 * MiB },    /* ticks 1-4 lost */
		{ 100 * MiB, 50, 0, 5, 10 * MiB, 2 * MiB },         /* tick 0 unspent, 1-4 lost */
		{ 100 * MiB, 50, MiB, 2, 3 * MiB, 2 * MiB },        /* half of 0, all of 1 */
		{ 1000, 3, 333, 3, 333 + 334, 333 },                /* uneven grants, exact */
		{ 100 * MiB, 50, 2 * MiB, 50 * 60, (50 * 60 - 1) * 2 * MiB, 2 * MiB }, /* 1 min */
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct pace p;
		uint64_t t0 = 5 * NSEC_PER_SEC, g;

		pace_init(&p, rows[i].rate, rows[i].hz, t0);
		assert_int_equal(pace_grant(&p, t0), pace_tick_grant(&p, 0));
		pace_spend(&p, rows[i].spent);
		/* Anywhere inside the wake tick, not just at its start. */
		g = pace_grant(&p, tick_start(t0, rows[i].hz, rows[i].wake) + 1000);
		CHECK_EQ(g, rows[i].grant, "row %zu: grant\n", i);
		CHECK_EQ(pace_shortfall(&p), rows[i].shortfall, "row %zu: shortfall\n", i);
		/* Asking again in the same tick changes nothing. */
		CHECK_EQ(pace_grant(&p, tick_start(t0, rows[i].hz, rows[i].wake + 1) - 1),
			 rows[i].grant, "row %zu: second grant\n", i);
		CHECK_EQ(pace_shortfall(&p), rows[i].shortfall, "row %zu: second shortfall\n", i);
	}
}

/* The next deadline is the next tick's start: absolute, on the grid from t0. */
static void test_deadlines(void **state)
{
	static const struct {
		uint64_t hz, t0, now, deadline;
	} rows[] = {
		{ 50, 0, 0, 20 * NSEC_PER_MSEC },
		{ 50, 0, 19999999, 20 * NSEC_PER_MSEC },
		{ 50, 0, 20 * NSEC_PER_MSEC, 40 * NSEC_PER_MSEC },
		{ 50, 7, 20 * NSEC_PER_MSEC + 6, 20 * NSEC_PER_MSEC + 7 },
		{ 3, 0, 0, 333333334 },
		{ 3, 0, 333333334, 666666667 },
		{ 1000, 100, 5 * NSEC_PER_SEC + 150, 5 * NSEC_PER_SEC + NSEC_PER_MSEC + 100 },
		{ 20, 0, 3 * NSEC_PER_SEC - 1, 3 * NSEC_PER_SEC },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct pace p;
		uint64_t d;

		pace_init(&p, MiB, rows[i].hz, rows[i].t0);
		pace_grant(&p, rows[i].now);
		d = pace_next_deadline(&p);
		CHECK_EQ(d, rows[i].deadline, "row %zu\n", i);
		/* The deadline is exactly where the tick counter moves on. */
		CHECK_EQ(pace_tick_at(&p, d), pace_tick_at(&p, rows[i].now) + 1, "row %zu\n", i);
		CHECK_EQ(pace_tick_at(&p, d - 1), pace_tick_at(&p, rows[i].now), "row %zu\n", i);
	}
}

/* Rate 0: no limit, no ticks, no shortfall, at any time. */
static void test_unlimited(void **state)
{
	static const uint64_t times[] = { 0, 1, NSEC_PER_SEC, UINT64_MAX / 2, UINT64_MAX };
	struct pace p;

	(void)state;
	pace_init(&p, 0, 50, 0);
	for (size_t i = 0; i < N(times); i++) {
		assert_int_equal(pace_grant(&p, times[i]), PACE_UNLIMITED);
		pace_spend(&p, 1 * GiB);
		assert_int_equal(pace_grant(&p, times[i]), PACE_UNLIMITED);
		assert_int_equal(pace_shortfall(&p), 0);
		assert_int_equal(pace_next_deadline(&p), 0);
	}
}

/* Rates and times near 2^64 must not wrap: grants stay a tick's worth, shortfall saturates. */
static void test_huge_values(void **state)
{
	static const struct {
		uint64_t rate, hz, t0, wake_ns;
	} rows[] = {
		{ UINT64_MAX, 20, 0, NSEC_PER_SEC },
		{ UINT64_MAX, 1000, 0, 3600 * NSEC_PER_SEC },
		{ UINT64_MAX / 3, 1000, 0, UINT64_MAX - 1 },
		{ 1ULL << 60, 20, UINT64_MAX - NSEC_PER_SEC, UINT64_MAX },
		{ 100 * MiB, 50, 0, UINT64_MAX },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct pace p;
		uint64_t per_tick = rows[i].rate / rows[i].hz, g;

		pace_init(&p, rows[i].rate, rows[i].hz, rows[i].t0);
		g = pace_grant(&p, rows[i].wake_ns);
		CHECK(g == per_tick || g == per_tick + 1, "row %zu: grant %llu, per tick %llu\n", i,
		      (unsigned long long)g, (unsigned long long)per_tick);
		/* At least the skipped ticks' bytes, or saturated: never a wrapped small number. */
		CHECK(pace_shortfall(&p) >= per_tick, "row %zu: shortfall %llu\n", i,
		      (unsigned long long)pace_shortfall(&p));
		CHECK(pace_next_deadline(&p) > rows[i].wake_ns ||
		      pace_next_deadline(&p) == UINT64_MAX, "row %zu: deadline\n", i);
	}
}

/* Ramps: {rate, hz, ramp, tick k, bytes granted by ticks 0..k-1}, on the ramp (the integral
 * rate * k^2 / (2 R hz), floored), at its top and after it (plus rate / hz a tick). */
static void test_ramp_granted(void **state)
{
	static const struct {
		uint64_t rate, hz, ramp_ns, k, granted;
	} rows[] = {
		{ 100 * MiB, 50, NSEC_PER_SEC, 0, 0 },
		{ 100 * MiB, 50, NSEC_PER_SEC, 1, 20971 },         /* 100 MiB / 5000 */
		{ 100 * MiB, 50, NSEC_PER_SEC, 25, 25 * MiB / 2 },  /* half-way: a quarter */
		{ 100 * MiB, 50, NSEC_PER_SEC, 50, 50 * MiB },     /* the top: half a second's worth */
		{ 100 * MiB, 50, NSEC_PER_SEC, 51, 52 * MiB },     /* then 2 MiB a tick */
		{ 100 * MiB, 50, NSEC_PER_SEC, 100, 150 * MiB },
		{ 1000, 3, NSEC_PER_SEC, 1, 55 },                  /* 1000 k^2 / 18 */
		{ 1000, 3, NSEC_PER_SEC, 2, 222 },
		{ 1000, 3, NSEC_PER_SEC, 3, 500 },
		{ 1000, 3, NSEC_PER_SEC, 4, 833 },                 /* 500 + 1000 / 3 */
		{ 1000, 3, NSEC_PER_SEC, 6, 1500 },
		{ 100 * MiB, 50, 10 * NSEC_PER_MSEC, 1, MiB },     /* half a tick: one tick's ramp */
		{ 100 * MiB, 50, 10 * NSEC_PER_MSEC, 2, 3 * MiB },
		{ 100 * MiB, 50, 0, 3, 6 * MiB },                  /* no ramp */
		/* The longest ramp at the highest rate: no 128-bit overflow on it or after it. */
		{ UINT64_MAX, 1000, 86400 * NSEC_PER_SEC, 1000, 106751991167300 },
		{ UINT64_MAX, 1000, 86400 * NSEC_PER_SEC, 86400000, UINT64_MAX },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct pace p;

		pace_init(&p, rows[i].rate, rows[i].hz, 0);
		pace_set_ramp(&p, rows[i].ramp_ns);
		CHECK_EQ(pace_granted(&p, rows[i].k), rows[i].granted, "row %zu\n", i);
		/* The bucket starts with tick 0's grant, and the grants add up to the totals. */
		CHECK_EQ(pace_grant(&p, 0), pace_tick_grant(&p, 0), "row %zu\n", i);
		if (rows[i].k > 0 && rows[i].granted < UINT64_MAX)
			CHECK_EQ(pace_granted(&p, rows[i].k - 1) + pace_tick_grant(&p, rows[i].k - 1),
				 rows[i].granted, "row %zu\n", i);
	}
}

/* On a ramp every tick grants at most a tick's worth at the full rate, and the grants climb
 * (a floor can take one byte back from one tick to the next, never more). */
static void test_ramp_climbs(void **state)
{
	static const struct {
		uint64_t rate, hz, ramp_ns;
	} rows[] = {
		{ 1000 * MiB, 50, 5 * NSEC_PER_SEC },
		{ 10 * MiB + 7, 333, 3 * NSEC_PER_SEC },
		{ 999, 20, 2 * NSEC_PER_SEC },
		{ UINT64_MAX, 20, 10 * NSEC_PER_SEC },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct pace p;
		uint64_t prev = 0, top = rows[i].rate / rows[i].hz + 1;
		uint64_t ticks = rows[i].ramp_ns / (NSEC_PER_SEC / rows[i].hz) + 5;

		pace_init(&p, rows[i].rate, rows[i].hz, 0);
		pace_set_ramp(&p, rows[i].ramp_ns);
		for (uint64_t k = 0; k < ticks; k++) {
			uint64_t g = pace_tick_grant(&p, k);

			CHECK(g <= top, "row %zu tick %llu: %llu > %llu\n", i, (unsigned long long)k,
			      (unsigned long long)g, (unsigned long long)top);
			CHECK(g + 1 >= prev, "row %zu tick %llu: %llu after %llu\n", i,
			      (unsigned long long)k, (unsigned long long)g, (unsigned long long)prev);
			prev = g;
		}
		/* After the ramp: the plain rate, exactly, over any hz ticks (unless saturated). */
		if (pace_granted(&p, ticks + rows[i].hz) < UINT64_MAX)
			CHECK_EQ(pace_granted(&p, ticks + rows[i].hz) - pace_granted(&p, ticks),
				 rows[i].rate, "row %zu\n", i);
	}
}

/* A simulated inflation loop like balloon/inflate.c: touch whole pages while there is credit,
 * sleep to the next deadline when not, with a "kernel" that needs cost_ns per page. Checks:
 * exactly `size` in the end, never more; the time it takes; and the bookkeeping identity
 * granted = spent + shortfall + credit - debt along the way. */
static void test_simulated_inflation(void **state)
{
	static const struct {
		uint64_t size, rate, hz, cost_ns; /* cost: simulated ns to touch one page */
		uint64_t ramp_ms;                 /* the rate climbs from 0 over this */
		uint64_t min_ms, max_ms;          /* expected duration */
		int expect_shortfall;
	} rows[] = {
		{ 256 * MiB, 100 * MiB, 50, 100, 0, 2540, 2580, 0 },
		{ 256 * MiB + 3 * PAGE, 100 * MiB, 50, 100, 0, 2540, 2580, 0 },
		{ 10 * MiB, 10 * MiB, 20, 100, 0, 950, 1010, 0 },
		{ 64 * PAGE, 1000, 50, 100, 0, 258000, 258100, 0 },  /* sub-page grants: page debt */
		{ 64 * MiB, 7 * MiB + 13, 333, 100, 0, 9130, 9160, 0 },
		/* The kernel manages ~390 MiB/s (10 us a page): asking for 1000 loses bytes. */
		{ 256 * MiB, 1000 * MiB, 50, 10000, 0, 600, 700, 1 },
		/* A page costs longer than a tick: every tick is overrun. */
		{ 4 * MiB, 100 * MiB, 1000, 2 * NSEC_PER_MSEC, 0, 2000, 2100, 1 },
		/* Ramps: 50 MiB in the first second, then 100 MiB/s; half a ramp is a quarter. */
		{ 150 * MiB, 100 * MiB, 50, 100, 1000, 1980, 2000, 0 },
		{ 25 * MiB, 100 * MiB, 50, 100, 2000, 980, 1000, 0 },
		/* A ramp the kernel cannot follow to its top: shortfall only near the top. */
		{ 600 * MiB, 1000 * MiB, 50, 10000, 5000, 2450, 2600, 1 },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		uint64_t now = 1000, done = 0, pages_total = rows[i].size / PAGE, spent = 0, ms;
		struct pace p;

		pace_init(&p, rows[i].rate, rows[i].hz, now);
		pace_set_ramp(&p, rows[i].ramp_ms * NSEC_PER_MSEC);
		while (done < pages_total) {
			uint64_t g = pace_grant(&p, now), n;

			if (g == 0) {
				now = pace_next_deadline(&p);
				continue;
			}
			n = g / PAGE + (g % PAGE != 0);
			if (n > 256)
				n = 256;
			if (n > pages_total - done)
				n = pages_total - done;
			done += n;
			spent += n * PAGE;
			now += n * rows[i].cost_ns;
			pace_spend(&p, n * PAGE);
			CHECK(done * PAGE <= rows[i].size, "row %zu: past size\n", i);
			/* Everything granted up to the current tick is accounted for. */
			CHECK_EQ(pace_granted(&p, p.tick + 1),
				 spent + pace_shortfall(&p) + p.credit - p.debt,
				 "row %zu: bookkeeping at tick %llu\n", i,
				 (unsigned long long)p.tick);
		}
		ms = (now - 1000) / NSEC_PER_MSEC;
		CHECK_EQ(done, pages_total, "row %zu\n", i);
		CHECK(ms >= rows[i].min_ms && ms <= rows[i].max_ms, "row %zu: took %llu ms\n", i,
		      (unsigned long long)ms);
		CHECK_EQ(pace_shortfall(&p) > 0, rows[i].expect_shortfall,
			 "row %zu: shortfall %llu\n", i, (unsigned long long)pace_shortfall(&p));
		CHECK(p.debt < PAGE, "row %zu: debt %llu\n", i, (unsigned long long)p.debt);
	}
}

/* Periodic events (progress lines) resume on their grid after a miss, without catching up. */
static void test_next_multiple(void **state)
{
	static const struct {
		uint64_t t0, period, now, next;
	} rows[] = {
		{ 0, 100, 0, 100 },
		{ 0, 100, 99, 100 },
		{ 0, 100, 100, 200 },
		{ 0, 100, 1050, 1100 },   /* ten periods missed: next one, not the first missed */
		{ 500, 100, 100, 600 },   /* before t0 */
		{ 7, 0, 7, 8 },           /* period 0 taken as 1 ns */
		{ 0, NSEC_PER_SEC, UINT64_MAX - 1, UINT64_MAX }, /* saturates */
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		CHECK_EQ(pace_next_multiple(rows[i].t0, rows[i].period, rows[i].now), rows[i].next,
			 "row %zu\n", i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grant_per_tick),
		cmocka_unit_test(test_second_sums_to_rate),
		cmocka_unit_test(test_missed_ticks),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_huge_values),
		cmocka_unit_test(test_ramp_granted),
		cmocka_unit_test(test_ramp_climbs),
		cmocka_unit_test(test_simulated_inflation),
		cmocka_unit_test(test_next_multiple),
	};

	return cmocka_run_group_tests_name("pace", tests, NULL, NULL);
}
