/* Helpers shared by the test programs (tests/testlib.c): reading a whole file, finding the
 * runner, starting it as the integration tests do (pipes or a pty, a deadline, a signal
 * midway, another uid or cgroup), and the shipped scenarios as data. Include after
 * <cmocka.h>. */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The whole file, NUL-terminated (free it), or NULL when it cannot be read. */
char *slurp(const char *path);

/* Group setup of an integration test: $BUILD/balloon-run (build/ by default) into runner,
 * and root (the scenarios create memory cgroups). -1 with the reason printed otherwise. */
int find_runner(char *runner, size_t len, const char *what);

/* How to start a program under test. */
struct run_opts {
	const char *const *argv; /* argv[0] is the program; NULL-terminated */
	int sig, sig_after_ms;   /* send sig once sig_after_ms passed (0: never) */
	const char *sig_when;    /* and (if not NULL) once stdout or stderr holds this text */
	int timeout_s;           /* SIGKILL and a failing test after this (0: 180 s) */
	uid_t uid;               /* run as this uid and gid (0: as we are) */
	const char *cgroup_dir;  /* move into this cgroup before exec (NULL: stay) */
	bool cgroupns;           /* then a cgroup namespace of its own, cgroup2 mounted anew at
				    /sys/fs/cgroup (a container's view: its cgroup is "/") */
	const char *cwd;         /* chdir before exec (NULL: stay) */
	bool tty;                /* on a pty of tty_cols columns (stdout and stderr are one) */
	int tty_cols;
	bool merge;              /* stderr into stdout through one pipe */
	const char *out_file;    /* also write stdout to this file (NULL: none) */
};

/* What it did: exit status (128 + signal when killed; 97: the child could not set up,
 * 98: exec failed), and everything it wrote (NUL-terminated; err is "" with tty/merge). */
struct run_result {
	int status;
	char *out, *err;
	size_t out_len, err_len;
	bool timed_out;
};

/* Runs o->argv to its end; fills r (free with run_result_free). Reads as long as the pipes
 * are open, so a child that leaves a grandchild holding them runs into the timeout. */
void run_program(const struct run_opts *o, struct run_result *r);
void run_result_free(struct run_result *r);

/* runner with args (NULL-terminated, at most 30): run_program with argv = runner + args. */
void run_runner_args(const char *runner, const char *const *args, struct run_opts *o,
		     struct run_result *r);

/* The value of "  key: value" in the first YAML block of TAP output, or "". */
const char *tap_yaml(const char *out, const char *key, char *buf, size_t len);

/* The shipped scenarios (scenarios/ *.ini, sorted), read through the scenario loader. */
struct shipped {
	char file[256];        /* "scenarios/x.ini" */
	char name[72];
	char outcome[24];      /* [expect] outcome */
	char victim[16];       /* [expect] victim: "any", "target", "balloon" */
	char skip[512];        /* why a machine like this one cannot run it; "" = it can */
	bool swap;             /* it requires swap (the guest lane runs those in its swap stage) */
};
struct cg_env;
/* Fills up to max rows; returns how many, or -1 when a file does not load (its error is
 * printed). skip is what runner/requires.c says of the machine env describes (NULL: not
 * judged). */
int shipped_scenarios(struct shipped *rows, int max, const struct cg_env *env);

/* Whether a scenario file requires swap ([scenario] requires = swap); false when it does not
 * load. */
bool scenario_needs_swap(const char *file);

/* The guest lane runs the scenario suite twice: once without swap, then with swap on, and
 * BALLOON_TEST_SWAP tells which: "without" leaves the scenarios that require swap to the
 * second stage, "only" runs nothing else. Unset (the host): everything. True when a
 * scenario that needs_swap (or not) belongs to this stage. */
bool swap_stage_runs(bool needs_swap);

/* This machine as the runner's requirement probes see it, without touching the hierarchy:
 * its cgroup layout and whether swap accounting shows in own_cgroup (an absolute cgroupfs
 * directory; the v2 root counts as accounted). */
void describe_machine(struct cg_env *env, const char *own_cgroup);

#define V1_ROOT "/sys/fs/cgroup/memory"
#define V2_ROOT "/sys/fs/cgroup"

/* This process's memory cgroup as an absolute cgroupfs directory into own, and whether the
 * machine is cgroup v2 (unified). 0, or -1 when it cannot be told. */
int test_own_cgroup(char *own, size_t len, bool *v2);

/* What runners left behind, described in what ("cgroup X; process N (comm); ..."): groups
 * named balloon-run-* below own (v1: also at the same path in every other hierarchy, where a
 * container runtime mirrors what it makes; v2: anywhere, a delegated scope goes elsewhere),
 * processes balloon, balloon-run or conmon in our groups, and with podman, containers in
 * podman's store named balloon-run-*. Returns how many. */
int test_leftovers(const char *own, bool v2, bool podman, char *what, size_t len);

/* The PATH the runner gives targets here: $BUILD (build/), $BUILD/workloads, then ours. */
const char *target_path(void);

#endif
