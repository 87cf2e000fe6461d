/* What a scenario needs from the machine, as data: every item of [scenario] requires has a
 * probe in one table, and keys only some layouts can apply (v1's oom_kill_disable, v2's
 * memory_high, ...) imply a need of their own. Checked before anything is launched; a need
 * that is not met makes the scenario SKIP with the reason, never FAIL. */
#ifndef REQUIRES_H
#define REQUIRES_H

#include "cgroup/cgroup.h"
#include "config/scenario.h"

#include <stdbool.h>
#include <stddef.h>

/* A requirement: its name (a [scenario] requires item) and its probe, which returns NULL when
 * this machine has it, else writes why not into buf and returns buf. */
struct requirement {
	const char *name;
	const char *(*probe)(const struct cg_env *env, char *buf, size_t len);
};

extern const struct requirement requirements[];
extern const size_t requirements_n;

/* The row of a requires item, or NULL. */
const struct requirement *requirement_find(const char *name);

/* Why this machine cannot run sc (the first need not met), or NULL: what the target itself
 * needs (its programs on target_path, an oom_score_adj the runner can set), the requires
 * items, then the needs the keys imply. target_path NULL: programs are not checked. */
const char *requires_unmet(const struct scenario *sc, const struct cg_env *env,
			   const char *target_path, char *buf, size_t len);

#endif
