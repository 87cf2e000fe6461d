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
	     "[expect]\noutcome = survived\n[scenario]\n%s\n"

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
};

static void test_needs(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct scenario sc;
		struct cg_env env = { .layout = rows[i].layout, .has_memsw = rows[i].memsw };
		char text[512], why[512];
		const char *got;

		snprintf(text, sizeof(text), BASE, rows[i].cgroup_keys, rows[i].scenario_keys);
		load_ok(text, &sc);
		got = requires_unmet(&sc, &env, NULL, why, sizeof(why));
		scenario_free(&sc);
		if (!rows[i].skip)
			CHECK(got == NULL, "row %zu: expected it to run, got SKIP \"%s\"\n", i, why);
		else
			CHECK(got && strstr(got, rows[i].skip), "row %zu: expected a SKIP saying "
			      "\"%s\", got \"%s\"\n", i, rows[i].skip, got ? got : "(runs)");
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
