/* The probes behind [scenario] requires and the needs that keys imply (see requires.h). */
#include "requires.h"
#include "fileio.h"
#include "paths.h"
#include "run/container.h"
#include "run/spawn.h"

#include <errno.h>
#include <limits.h>
#include <sys/statfs.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *probe_root(const struct cg_env *env, char *buf, size_t len)
{
	(void)env;
	if (geteuid() == 0)
		return NULL;
	snprintf(buf, len, "not root (euid %d)", (int)geteuid());
	return buf;
}

static const char *layout_is(const struct cg_env *env, bool v2, char *buf, size_t len)
{
	if ((env->layout == CG_LAYOUT_UNIFIED) == v2)
		return NULL;
	snprintf(buf, len, "this machine has %s", cg_layout_name(env->layout));
	return buf;
}

static const char *probe_v1(const struct cg_env *env, char *buf, size_t len)
{
	return layout_is(env, false, buf, len);
}

static const char *probe_v2(const struct cg_env *env, char *buf, size_t len)
{
	return layout_is(env, true, buf, len);
}

static const char *probe_memsw(const struct cg_env *env, char *buf, size_t len)
{
	if (env->has_memsw)
		return NULL;
	snprintf(buf, len, "no swap accounting (%s absent): boot with swapaccount=1",
		 env->layout == CG_LAYOUT_UNIFIED ? "memory.swap.max" : "memory.memsw.*");
	return buf;
}

static const char *probe_swap(const struct cg_env *env, char *buf, size_t len)
{
	char text[4096];

	(void)env;
	/* /proc/swaps has a header line; any further line is an active swap area. */
	if (read_small_file("/proc/swaps", text, sizeof(text)) > 0 && strchr(text, '\n') &&
	    strchr(text, '\n')[1] != '\0')
		return NULL;
	snprintf(buf, len, "no swap space (/proc/swaps lists none: swapon)");
	return buf;
}

/* PSI per group is a v2 file (memory.pressure); v1 has only the machine's
 * /proc/pressure/memory, which counts every task of the machine: a limit on a scenario's
 * stall judged from it would fail for what its neighbours did, so it is not offered. On v2 a
 * kernel with PSI on (/proc/pressure/memory readable) has the file in every group below the
 * root (the root's own is /proc/pressure/memory). */
static const char *probe_psi(const struct cg_env *env, char *buf, size_t len)
{
	if (env->layout != CG_LAYOUT_UNIFIED) {
		snprintf(buf, len, "this machine has %s: no memory.pressure per group, and the "
			 "machine-wide /proc/pressure/memory counts every other task too",
			 cg_layout_name(env->layout));
		return buf;
	}
	if (access("/proc/pressure/memory", R_OK) == 0)
		return NULL;
	snprintf(buf, len, "no pressure stall information (/proc/pressure/memory absent: a kernel "
		 "without CONFIG_PSI, or booted with psi=0)");
	return buf;
}

/* One row per item of the requires key (REQUIRES_CHOICES in config/keys.c; a unit test
 * checks that the two agree). */
const struct requirement requirements[] = {
	{ "root", probe_root },
	{ "cgroup_v1", probe_v1 },
	{ "cgroup_v2", probe_v2 },
	{ "memsw", probe_memsw },
	{ "swap", probe_swap },
	{ "psi", probe_psi },
};
const size_t requirements_n = sizeof(requirements) / sizeof(requirements[0]);

const struct requirement *requirement_find(const char *name)
{
	for (size_t i = 0; i < requirements_n; i++)
		if (strcmp(requirements[i].name, name) == 0)
			return &requirements[i];
	return NULL;
}

static bool has_oom_kill_disable(const struct scenario *sc) { return sc->oom_kill_disable; }
static bool has_oom_group(const struct scenario *sc) { return sc->oom_group; }
static bool has_memsw_limit(const struct scenario *sc) { return sc->memsw_limit != 0; }
/* A profile's values are the kubelet's, which sets only the limit on v1: never a reason to
 * skip (profile.c). */
static bool by_hand(const struct scenario *sc) { return sc->profile == PROFILE_NONE; }
static bool has_memory_high(const struct scenario *sc) { return sc->memory_high && by_hand(sc); }
static bool has_memory_low(const struct scenario *sc) { return sc->memory_low && by_hand(sc); }
static bool has_memory_min(const struct scenario *sc) { return sc->memory_min && by_hand(sc); }
static bool has_max_stall(const struct scenario *sc)
{
	return sc->max_stall_some_given || sc->max_stall_full_given;
}
static bool has_max_high_events(const struct scenario *sc) { return sc->max_high_events_given; }
static bool has_max_refaults(const struct scenario *sc) { return sc->max_refaults_given; }

/* Keys that only some machines can apply: never silently ignored. */
static const struct implied {
	const char *key;
	bool (*given)(const struct scenario *sc);
	const char *need; /* a requirements[] name */
	const char *why;
} implied[] = {
	{ "[cgroup] oom_kill_disable", has_oom_kill_disable, "cgroup_v1",
	  "cgroup v2 has no switch to disable the OOM killer (memory.oom_control is v1 only)" },
	{ "[cgroup] memory_high", has_memory_high, "cgroup_v2", "needs cgroup v2 memory.high" },
	{ "[cgroup] oom_group", has_oom_group, "cgroup_v2", "needs cgroup v2 memory.oom.group" },
	{ "[cgroup] memsw_limit", has_memsw_limit, "memsw", "needs swap accounting" },
	{ "[cgroup] memory_low", has_memory_low, "cgroup_v2", "needs cgroup v2 memory.low" },
	{ "[cgroup] memory_min", has_memory_min, "cgroup_v2", "needs cgroup v2 memory.min" },
	{ "[expect] max_stall_some/max_stall_full", has_max_stall, "psi",
	  "needs the group's own memory pressure (v2 memory.pressure)" },
	{ "[expect] max_high_events", has_max_high_events, "cgroup_v2",
	  "needs cgroup v2 memory.events high" },
	{ "[expect] max_refaults", has_max_refaults, "cgroup_v2",
	  "needs cgroup v2 memory.stat workingset_refault_anon/file per group" },
};

/* A balloon that fills page cache or shmem needs its directory on the right file system, with
 * room: page cache needs a disk file system (a tmpfs would make it shmem; the busybox guest
 * has none), shmem a tmpfs. What the balloon itself refuses (exit 3) is a SKIP here. */
static const char *balloon_dir_unusable(const struct scenario *sc, char *buf, size_t len)
{
	const char *dir = sc->has_balloon ? balloon_kind_dir(&sc->balloon) : NULL;
	const char *kind = sc->balloon.kind == KIND_FILE ? "file" : "shmem";
	struct statfs st;
	bool tmpfs;

	if (!dir)
		return NULL;
	if (statfs(dir, &st) < 0) {
		snprintf(buf, len, "[balloon] kind = %s: its directory %s: %s", kind, dir,
			 strerror(errno));
		return buf;
	}
	tmpfs = (unsigned long)st.f_type == 0x01021994 /* TMPFS_MAGIC */ ||
		(unsigned long)st.f_type == 0x858458f6 /* RAMFS_MAGIC */;
	if (sc->balloon.kind == KIND_FILE && tmpfs)
		snprintf(buf, len, "[balloon] kind = file: %s is a tmpfs here, whose pages are shmem: "
			 "no disk file system for page cache (set [balloon] dir)", dir);
	else if (sc->balloon.kind == KIND_SHMEM && !tmpfs)
		snprintf(buf, len, "[balloon] kind = shmem: %s is not a tmpfs here (set [balloon] "
			 "dir)", dir);
	else
		return NULL;
	return buf;
}

/* The programs of [target] needs, on the target's PATH. A program of the workload pack that
 * this machine could not build says why in NAME.skip beside where it would be. */
static const char *missing_program(const struct scenario *sc, const char *target_path,
				   char *buf, size_t len)
{
	char found[PATH_MAX], skip[PATH_MAX + 8], note[256] = "";

	for (size_t i = 0; target_path && i < sc->needs.n; i++) {
		const char *prog = sc->needs.v[i];

		if (paths_which(target_path, prog, found, sizeof(found)))
			continue;
		for (const char *d = target_path; *d && !note[0]; d += strcspn(d, ":"),
		     d += *d == ':') {
			snprintf(skip, sizeof(skip), "%.*s/%s.skip", (int)strcspn(d, ":"), d, prog);
			if (read_small_file(skip, note, sizeof(note)) > 0)
				note[strcspn(note, "\n")] = '\0';
		}
		snprintf(buf, len, "[target] needs %s: not found on the target's PATH%s%s%s%s%s",
			 prog, note[0] ? " (" : "", note, note[0] ? ")" : "",
			 sc->package ? "; it comes from the Debian package " : "",
			 sc->package ? sc->package : "");
		if (sc->package)
			snprintf(buf + strlen(buf), len - strlen(buf), " (apt-get install %s; make "
				 "workloads)", sc->package);
		return buf;
	}
	return NULL;
}

const char *requires_unmet(const struct scenario *sc, const struct cg_env *env,
			   const char *target_path, char *buf, size_t len)
{
	char why[256];
	int r;

	if (missing_program(sc, target_path, buf, len) || container_unusable(sc, env, buf, len) ||
	    balloon_dir_unusable(sc, buf, len))
		return buf;
	/* First what the target itself needs: the probe is the very write the child makes. */
	if (sc->oom_score_adj && (r = spawn_probe_oom_score_adj(sc->oom_score_adj)) < 0) {
		snprintf(buf, len, "[target] oom_score_adj = %d: this runner cannot set it (writing "
			 "/proc/self/oom_score_adj: %s; going below the runner's own value needs "
			 "CAP_SYS_RESOURCE)", sc->oom_score_adj, strerror(-r));
		return buf;
	}
	for (size_t i = 0; i < sc->requires.n; i++) {
		const struct requirement *q = requirement_find(sc->requires.v[i]);

		if (!q) { /* the loader accepts only known items: a table out of step */
			snprintf(buf, len, "requires %s: no probe for it (internal error)",
				 sc->requires.v[i]);
			return buf;
		}
		if (q->probe(env, why, sizeof(why))) {
			snprintf(buf, len, "requires %s; %s", q->name, why);
			return buf;
		}
	}
	for (size_t i = 0; i < sizeof(implied) / sizeof(implied[0]); i++) {
		const struct requirement *q = requirement_find(implied[i].need);

		if (implied[i].given(sc) && q && q->probe(env, why, sizeof(why))) {
			snprintf(buf, len, "%s: %s; %s", implied[i].key, implied[i].why, why);
			return buf;
		}
	}
	return NULL;
}
