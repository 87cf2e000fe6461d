/* What a scenario needs from the machine (runner/requires.c): every item the requires key
 * accepts has a probe, and each need is judged against a described machine (layout, swap
 * accounting) without touching this one: rows of {scenario text, machine, SKIP reason}. */
#include "scenario_fixture.h"
#include "check.h"

#include "config/keys.h"
#include "requires.h"

/* The requires row's choices and the probe table name the same items, in both directions. */
static void test_every_choice_has_a_probe(void **state)
{
	size_t n;
	const struct opt *tab, *row;
	int k;

	(void)state;
	assert_int_equal(keys_init(), 0);
	tab = keys_scenario(&n);
	row = opt_find(tab, n, "scenario", "requires");
	assert_non_null(row);
	for (k = 0; opt_choice(row, k); k++)
		CHECK(requirement_find(opt_choice(row, k)) != NULL,
		      "requires = %s is accepted but has no probe in runner/requires.c\n",
		      opt_choice(row, k));
	CHECK_EQ((uint64_t)k, requirements_n, "%d choices, %zu probes\n", k, requirements_n);
	for (size_t i = 0; i < requirements_n; i++)
		assert_non_null(requirements[i].probe);
}

#define BASE "[cgroup]\nmemory_limit = 64M\n%s\n[target]\ncommand = true\n" \
	     "[expect]\noutcome = survived\n%s\n[scenario]\n%s\n"

static const struct {
	const char *cgroup_keys, *scenario_keys;
	enum cg_layout layout;
	bool memsw;
	const char *skip; /* substring of the reason; NULL = runs */
} rows[] = {
	/* requires = cgroup_v1 was accepted and never checked: on v2 it must skip */
	{ "", "requires = cgroup_v1", CG_LAYOUT_UNIFIED, true,
	  "requires cgroup_v1; this machine has v2 (unified)" },
	{ "", "requires = cgroup_v1", CG_LAYOUT_HYBRID, true, NULL },
	{ "", "requires = cgroup_v1", CG_LAYOUT_V1, true, NULL },
	{ "", "requires = cgroup_v2", CG_LAYOUT_HYBRID, true,
	  "requires cgroup_v2; this machine has hybrid" },
	{ "", "requires = cgroup_v2", CG_LAYOUT_UNIFIED, true, NULL },
	{ "", "requires = memsw", CG_LAYOUT_V1, false, "requires memsw; no swap accounting "
	  "(memory.memsw.* absent" },
	{ "", "requires = memsw", CG_LAYOUT_UNIFIED, false, "memory.swap.max absent" },
	{ "", "requires = memsw", CG_LAYOUT_V1, true, NULL },
	{ "", "requires = cgroup_v2, memsw", CG_LAYOUT_UNIFIED, false, "requires memsw" },
	/* keys that only one layout can apply imply the need */
	{ "oom_kill_disable = yes", "", CG_LAYOUT_UNIFIED, true,
	  "[cgroup] oom_kill_disable: cgroup v2 has no switch to disable the OOM killer" },
	{ "oom_kill_disable = yes", "", CG_LAYOUT_HYBRID, true, NULL },
	{ "memory_high = 32M", "", CG_LAYOUT_V1, true,
	  "[cgroup] memory_high: needs cgroup v2 memory.high; this machine has v1" },
	{ "memory_high = 32M", "", CG_LAYOUT_UNIFIED, true, NULL },
	{ "oom_group = yes", "", CG_LAYOUT_HYBRID, true, "[cgroup] oom_group: needs cgroup v2" },
	{ "memsw_limit = 128M", "", CG_LAYOUT_UNIFIED, false,
	  "[cgroup] memsw_limit: needs swap accounting; no swap accounting" },
	{ "memsw_limit = 128M", "", CG_LAYOUT_UNIFIED, true, NULL },
	{ "", "", CG_LAYOUT_UNIFIED, false, NULL },
	/* protection is v2's */
	{ "memory_low = 32M", "", CG_LAYOUT_HYBRID, true,
	  "[cgroup] memory_low: needs cgroup v2 memory.low; this machine has hybrid" },
	{ "memory_min = 32M", "", CG_LAYOUT_V1, true, "[cgroup] memory_min: needs cgroup v2" },
	{ "memory_low = 32M\nmemory_min = 16M", "", CG_LAYOUT_UNIFIED, true, NULL },
	/* a profile's values are the kubelet's, which sets only the limit on v1: it runs */
	{ "profile = kubernetes\nrequest = 32M", "", CG_LAYOUT_HYBRID, true, NULL },
	{ "profile = kubernetes\nrequest = 32M\nreservation = low", "", CG_LAYOUT_V1, true,
	  NULL },
	{ "", "requires = psi", CG_LAYOUT_V1, true, "requires psi; this machine has v1" },
};

/* The maxima of [expect] that only some machines can judge: the group's own PSI is v2's,
 * memory.events high and the refault counters too; the limit's count is v1's failcnt as well. */
static const struct {
	const char *expect_keys;
	enum cg_layout layout;
	const char *skip;
} expect_rows[] = {
	{ "max_stall_some = 40%", CG_LAYOUT_HYBRID,
	  "[expect] max_stall_some/max_stall_full: needs the group's own memory pressure (v2 "
	  "memory.pressure); this machine has hybrid (v1 memory controller): no "
	  "memory.pressure per group" },
	{ "max_stall_full = 0%", CG_LAYOUT_V1, "machine-wide "
	  "/proc/pressure/memory counts every other task too" },
	{ "max_high_events = 0", CG_LAYOUT_HYBRID,
	  "[expect] max_high_events: needs cgroup v2 memory.events high" },
	{ "max_high_events = 0", CG_LAYOUT_UNIFIED, NULL },
	{ "max_max_events = 0", CG_LAYOUT_HYBRID, NULL },
	{ "max_refaults = 16M", CG_LAYOUT_V1,
	  "[expect] max_refaults: needs cgroup v2 memory.stat workingset_refault_anon/file" },
	{ "max_refaults = 16M", CG_LAYOUT_UNIFIED, NULL },
};

static void check_row(const char *text, enum cg_layout layout, bool memsw, const char *skip,
		      size_t i)
{
	struct scenario sc;
	struct cg_env env = { .layout = layout, .has_memsw = memsw };
	char why[512];
	const char *got;

	load_ok(text, &sc);
	got = requires_unmet(&sc, &env, NULL, why, sizeof(why));
	scenario_free(&sc);
	if (!skip)
		CHECK(got == NULL, "row %zu: expected it to run, got SKIP \"%s\"\n", i, why);
	else
		CHECK(got && strstr(got, skip), "row %zu: expected a SKIP saying \"%s\", got "
		      "\"%s\"\n", i, skip, got ? got : "(runs)");
}

static void test_needs(void **state)
{
	char text[512];

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		snprintf(text, sizeof(text), BASE, rows[i].cgroup_keys, "", rows[i].scenario_keys);
		check_row(text, rows[i].layout, rows[i].memsw, rows[i].skip, i);
	}
	for (size_t i = 0; i < N(expect_rows); i++) {
		snprintf(text, sizeof(text), BASE, "", expect_rows[i].expect_keys, "");
		check_row(text, expect_rows[i].layout, true, expect_rows[i].skip, N(rows) + i);
	}
}

/* root is the one probe that reads this process: it must agree with geteuid. */
static void test_root_probe(void **state)
{
	struct cg_env env = { .layout = CG_LAYOUT_V1 };
	char why[128];
	const struct requirement *q = requirement_find("root");

	(void)state;
	assert_non_null(q);
	CHECK((q->probe(&env, why, sizeof(why)) == NULL) == (geteuid() == 0),
	      "root probe says \"%s\" with euid %d\n", why, (int)geteuid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_choice_has_a_probe),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_root_probe),
	};

	return cmocka_run_group_tests_name("requires", tests, fixture_setup, fixture_teardown);
}
