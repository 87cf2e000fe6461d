/* The kubernetes profile's arithmetic (runner/config/profile.c) against the kubelet's rules,
 * row by row: memory.min or memory.low = the request, memory.high by KEP-2570's formula
 * (floored to a page), none for a Guaranteed pod; then the same through a scenario file, with
 * Kubernetes' own spellings of sizes (512Mi, 1Gi) and the keys a profile refuses. */
#include "scenario_fixture.h"
#include "check.h"

#include "config/profile.h"

#define PAGE 4096

static void test_kubernetes(void **state)
{
	static const struct {
		const char *name;
		uint64_t limit, request;
		int reservation;
		uint64_t factor; /* thousandths of a percent */
		struct profile_values want;
	} rows[] = {
		/* the 1.27 blog's shape: request 256Mi, limit 512Mi, factor 0.9:
		 * 256Mi + 0.9 * 256Mi = 486.4 MiB, floored to a page */
		{ "burstable, min", 512 * MiB, 256 * MiB, RESERVE_MIN, 90000,
		  { .min = 256 * MiB, .high = 510027366 / PAGE * PAGE } },
		{ "burstable, low", 512 * MiB, 256 * MiB, RESERVE_LOW, 90000,
		  { .low = 256 * MiB, .high = 510027366 / PAGE * PAGE } },
		{ "burstable, no reservation", 512 * MiB, 256 * MiB, RESERVE_NONE, 90000,
		  { .high = 510027366 / PAGE * PAGE } },
		{ "factor 0: no memory.high (v1.37's null)", 512 * MiB, 256 * MiB, RESERVE_MIN, 0,
		  { .min = 256 * MiB } },
		{ "factor 100%: high = limit, so none", 512 * MiB, 256 * MiB, RESERVE_MIN, 100000,
		  { .min = 256 * MiB } },
		{ "guaranteed: request = limit, no memory.high", 512 * MiB, 512 * MiB, RESERVE_MIN,
		  90000, { .min = 512 * MiB } },
		{ "no request: the limit (API default)", 512 * MiB, 0, RESERVE_MIN, 90000,
		  { .min = 512 * MiB } },
		{ "request 0-ish: high above it", 100 * MiB, 4096, RESERVE_LOW, 50000,
		  { .low = 4096, .high = (4096 + (100 * MiB - 4096) / 2) / PAGE * PAGE } },
		{ "odd sizes floor to a page", 1000000007, 3, RESERVE_NONE, 90000,
		  { .high = (3 + (uint64_t)((1000000007 - 3) * 0.9)) / PAGE * PAGE } },
		{ "a tiny gap floors to the request: none", 2 * PAGE, PAGE, RESERVE_NONE, 10000,
		  { 0 } },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct profile_values got;

		profile_kubernetes(rows[i].limit, rows[i].request, rows[i].reservation,
				   rows[i].factor, PAGE, &got);
		CHECK(got.min == rows[i].want.min && got.low == rows[i].want.low &&
		      got.high == rows[i].want.high, "row %zu (%s): min %llu low %llu high %llu, "
		      "want %llu %llu %llu\n", i, rows[i].name, (unsigned long long)got.min,
		      (unsigned long long)got.low, (unsigned long long)got.high,
		      (unsigned long long)rows[i].want.min, (unsigned long long)rows[i].want.low,
		      (unsigned long long)rows[i].want.high);
	}
}

#define POD "[cgroup]\nmemory_limit = 512Mi\nprofile = kubernetes\n%s\n[target]\ncommand = true\n" \
	    "[expect]\noutcome = survived\n"

/* Through a scenario file: sizes as a pod spec writes them, the derived values in place. */
static void test_scenario(void **state)
{
	struct scenario sc;
	char text[512];
	long page = sysconf(_SC_PAGESIZE);

	(void)state;
	snprintf(text, sizeof(text), POD, "request = 256Mi");
	load_ok(text, &sc);
	assert_int_equal(sc.memory_limit, 512 * MiB);
	assert_int_equal(sc.memory_min, 256 * MiB);
	assert_int_equal(sc.memory_low, 0);
	assert_int_equal(sc.memory_high, 510027366 / page * page);
	scenario_free(&sc);

	snprintf(text, sizeof(text), POD, "request = 1Gi");
	load_err(text, 4, "[cgroup] request: ", "1 GiB is above memory_limit (512 MiB)");
	snprintf(text, sizeof(text), POD, "memory_high = 300M");
	load_err(text, 4, "[cgroup] memory_high: ", "set by profile = kubernetes");
	snprintf(text, sizeof(text), POD, "memory_low = 300M");
	load_err(text, 4, "[cgroup] memory_low: ", "set by profile = kubernetes");
	snprintf(text, sizeof(text), "%s", "[cgroup]\nmemory_limit = 512Mi\nrequest = 256Mi\n"
		 "[target]\ncommand = true\n[expect]\noutcome = survived\n");
	load_err(text, 3, "[cgroup] request: ", "only used with profile = kubernetes");
	snprintf(text, sizeof(text), POD, "reservation = low\nthrottling_factor = 0%");
	load_ok(text, &sc);
	assert_int_equal(sc.memory_low, 512 * MiB);
	assert_int_equal(sc.memory_high, 0);
	scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kubernetes),
		cmocka_unit_test(test_scenario),
	};

	return cmocka_run_group_tests_name("profile", tests, fixture_setup, fixture_teardown);
}
