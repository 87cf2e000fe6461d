/* Integration: every shipped scenario runs for real, as root, in real cgroups, and its verdict
 * (read from the runner's TAP YAML block) is asserted; so are the failure paths (an unmet
 * expectation, a missing binary, bad input, an interrupt, not being root). After each run
 * and after the suite, no cgroup and no process of the harness may be left. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../testlib.h"
#include "config/scenario.h"
#include "requires.h"

static char runner[PATH_MAX];
static char own_cgroup[PATH_MAX]; /* absolute cgroupfs directory of our memory cgroup */
static bool v2;                   /* cgroup v2 (unified): own_cgroup is below /sys/fs/cgroup */
static const char *run_in;        /* a cgroup directory to start the runner in, or NULL */
static bool podman_used;          /* a container scenario ran: podman's store is checked too */

/* Runs the runner with args (in run_in when set); sends sig after delay_ms; as_uid != 0
 * runs it as that user. Free r with run_result_free. */
static void run_runner(const char *const *args, int sig, int delay_ms, uid_t as_uid,
		       struct run_result *r)
{
	struct run_opts o = { .sig = sig, .sig_after_ms = delay_ms, .uid = as_uid,
			      .cgroup_dir = run_in };

	run_runner_args(runner, args, &o, r);
}

/* Fails the test when anything is left; frees r first, since fail() jumps out. */
static void assert_nothing_left(struct run_result *r)
{
	char what[2048];
	int n = test_leftovers(own_cgroup, v2, podman_used, what, sizeof(what));

	if (n) {
		print_message("left behind: %s\nrunner stdout:\n%s\nstderr:\n%s\n", what,
			      r ? r->out : "", r ? r->err : "");
		if (r)
			run_result_free(r);
		fail();
	}
}

#define YAML(r, key, buf) tap_yaml((r)->out, key, buf, sizeof(buf))

/* A scenario and what its run must show. The shipped ones come from scenarios/NAME.ini through
 * the scenario loader (their [expect] outcome and victim); the fixtures of tests/scenarios/
 * are listed here with their exit code and the text their run must print. */
struct case_row {
	const char *file;
	int exit_code;
	const char *verdict;  /* from the YAML block; NULL = none expected */
	const char *victim;   /* NULL = not checked */
	const char *out_has;  /* substring of stdout, or NULL */
	const char *err_has;  /* substring of stderr, or NULL */
	const char *config;   /* --config FILE, or NULL */
	const char *at_least; /* "key N": the YAML figure key must be at least N, or NULL */
};

static struct cg_env machine; /* this machine as the requirement probes see it */

/* Why this machine cannot run file, per runner/requires.c ("" when it can, or when the file
 * does not load: bad input is the runner's to refuse). */
static void skip_reason(const char *file, char *buf, size_t len)
{
	struct scenario sc;
	char err[1024];

	buf[0] = '\0';
	if (scenario_load(file, &sc, err, sizeof(err)) == 0) {
		/* from the first container on, every check asks podman's store too */
		podman_used = podman_used || sc.container == CONTAINER_PODMAN;
		requires_unmet(&sc, &machine, target_path(), buf, len);
		scenario_free(&sc);
	}
}

/* What every verdict proves beyond its name, in the YAML block (never hand-kept per file). */
static bool proof_shown(const struct run_result *r, const char *verdict, char *why, size_t len)
{
	char v[64];

	if (strcmp(verdict, "hung") == 0 || strcmp(verdict, "throttled") == 0) {
		if (strcmp(YAML(r, "recovered", v), "true") != 0) {
			snprintf(why, len, "%s without recovered: true", verdict);
			return false;
		}
	} else if (strcmp(verdict, "oom_killed") == 0) {
		if (atoi(YAML(r, "oom_kill", v)) < 1) {
			snprintf(why, len, "oom_killed with oom_kill %s", v);
			return false;
		}
	} else if (strcmp(verdict, "killed") == 0 || strcmp(verdict, "reclaimed") == 0 ||
		   strcmp(verdict, "survived") == 0) {
		if (strcmp(YAML(r, "oom_kill", v), "0") != 0) {
			snprintf(why, len, "%s with oom_kill %s", verdict, v);
			return false;
		}
	}
	return true;
}

/* The "key N; key N" of a row: each of those YAML figures at least N. */
static bool at_least(const struct run_result *r, const char *spec, char *why, size_t len)
{
	char key[64], v[64];
	double min;
	int used;

	for (const char *p = spec; p && *p; p += used, p += strspn(p, "; ")) {
		if (sscanf(p, "%63s %lf%n", key, &min, &used) != 2)
			fail_msg("bad at_least \"%s\"", spec);
		tap_yaml(r->out, key, v, sizeof(v));
		if (!v[0] || atof(v) < min) {
			snprintf(why, len, "%s is \"%s\", expected at least %g", key, v, min);
			return false;
		}
	}
	return true;
}

/* Runs one row and asserts it; got (may be NULL) receives what the run gave: the verdict of
 * the YAML block, or "SKIP". A row this machine cannot run must SKIP with the reason the
 * requirement table gives, exit 0. */
static void check_case(const struct case_row *c, char *got, size_t gotlen)
{
	const char *plain[] = { c->file, NULL };
	const char *with_config[] = { "--config", c->config, c->file, NULL };
	struct run_result r;
	char v[128], skip[512], want_skip[600], why[256] = "";
	bool bad;

	skip_reason(c->file, skip, sizeof(skip));
	snprintf(want_skip, sizeof(want_skip), "# SKIP %s", skip);
	run_runner(c->config ? with_config : plain, 0, 0, 0, &r);
	if (got)
		snprintf(got, gotlen, "%s", *skip ? "SKIP" : YAML(&r, "verdict", v));
	if (*skip)
		bad = r.status != 0 || !strstr(r.out, want_skip);
	else
		bad = r.status != c->exit_code ||
		      (c->verdict && strcmp(YAML(&r, "verdict", v), c->verdict) != 0) ||
		      /* "target" is met by "target" and by "target+balloon" (an oom.group) */
		      (c->victim && !strstr(YAML(&r, "victim", v), c->victim)) ||
		      (c->out_has && !strstr(r.out, c->out_has)) ||
		      (c->err_has && !strstr(r.err, c->err_has)) ||
		      (c->exit_code == 0 && c->verdict && !proof_shown(&r, c->verdict, why, sizeof(why))) ||
		      !at_least(&r, c->at_least, why, sizeof(why));
	if (bad) {
		print_message("%s: expected %s%s exit %d verdict %s victim %s out~'%s' err~'%s' %s\n"
			      "got exit %d\nstdout:\n%s\nstderr:\n%s\n", c->file, *skip ? "SKIP: " : "",
			      skip, *skip ? 0 : c->exit_code, c->verdict ? c->verdict : "-",
			      c->victim ? c->victim : "-", c->out_has ? c->out_has : "",
			      c->err_has ? c->err_has : "", why, r.status, r.out, r.err);
		run_result_free(&r);
		fail();
	}
	/* every run that sampled reports what sampling cost, and the figures agree */
	if (!*skip && c->verdict && strcmp(c->verdict, "none") != 0) {
		char n[32], mean[32], max[32];

		YAML(&r, "samples", n);
		YAML(&r, "sample_cost_mean_ms", mean);
		YAML(&r, "sample_cost_max_ms", max);
		if (atoi(n) < 1 || !mean[0] || !max[0] || atof(mean) > atof(max)) {
			print_message("%s: samples %s, sample_cost_mean_ms %s, sample_cost_max_ms %s\n",
				      c->file, n, mean, max);
			run_result_free(&r);
			fail();
		}
	}
	assert_nothing_left(&r);
	run_result_free(&r);
}

#define MAX_SHIPPED 64
static struct shipped shipped[MAX_SHIPPED];
static int nshipped;
/* What each shipped scenario gave in this run: its verdict, or "SKIP" (test_readme_table). */
static char observed[MAX_SHIPPED][32];

/* Figures a shipped scenario's run must reach beyond its verdict, where the verdict alone
 * would not show what the scenario is about ("key N; key N": at least N). */
static const struct {
	const char *name, *at_least;
} shipped_figures[] = {
	/* LazyFree came from the group's count between walks, and a last walk confirmed the
	 * fall (the first walk at the start, the second at the end) */
	{ "madv_free_reclaimed", "lazyfree_carried_samples 5; lazyfree_walks 2" },
	/* MADV_PAGEOUT sent most of the 128 MiB to swap, with no pressure at all */
	{ "pageout_swapped", "swap_peak_bytes 67108864; pswpout_pages 16384" },
	/* it survived by paging out */
	{ "swap_survived", "swap_peak_bytes 1048576; pswpout_pages 256" },
	/* it swapped up to its allowance (64 MiB) before the kill */
	{ "memsw_oom_killed", "swap_peak_bytes 33554432" },
	/* the sideload was reclaimed instead of the protected target */
	{ "protection_low_kept", "balloon_swap_bytes 16777216" },
	/* the writer wrote three times the limit as page cache, which was reclaimed */
	{ "page_cache_survived", "balloon_peak_bytes 805306368; file_peak_bytes 134217728" },
	/* the charge that filled the group was shmem, and the locker's pages unevictable */
	{ "shm_full_oom_killed", "shmem_peak_bytes 134217728" },
	{ "mlock_oom_killed", "unevictable_peak_bytes 134217728" },
};

/* One shipped scenario: exit 0, "ok 1 - NAME", its [expect] outcome as the verdict, the
 * victim it names, and the proof that goes with the verdict. */
static void test_shipped(void **state)
{
	const struct shipped *s = *state;
	char ok_line[128];
	struct case_row c = { .file = s->file, .verdict = s->outcome, .out_has = ok_line };

	snprintf(ok_line, sizeof(ok_line), "ok 1 - %s", s->name);
	for (size_t i = 0; i < sizeof(shipped_figures) / sizeof(shipped_figures[0]); i++)
		if (strcmp(shipped_figures[i].name, s->name) == 0)
			c.at_least = shipped_figures[i].at_least;
	if (strcmp(s->outcome, "oom_killed") == 0 && strcmp(s->victim, "any") != 0)
		c.victim = s->victim;
	check_case(&c, observed[s - shipped], sizeof(observed[0]));
}

static const struct case_row failing[] = {
	/* an expectation that is not met must fail the run (exit 1), not pass quietly */
	{ .file = "tests/scenarios/expect_mismatch.ini", .exit_code = 1, .verdict = "oom_killed",
	  .victim = "target", .out_has = "not ok 1 - expect_mismatch", .err_has = "" },
	/* a target that exits non-zero is "exited", with its status */
	{ .file = "tests/scenarios/exit_status.ini", .exit_code = 0, .verdict = "exited",
	  .out_has = "status 3" },
	/* LazyFree that falls because the target freed its own memory is not reclaim */
	{ .file = "tests/scenarios/self_free.ini", .exit_code = 0, .verdict = "survived",
	  .out_has = "LazyFree reclaimed 0 B" },
	/* a shell waiting for its hung child is part of the hang */
	{ .file = "tests/scenarios/shell_hang.ini", .exit_code = 0, .verdict = "hung",
	  .out_has = "recovered: true" },
	/* one process waits while another frees 20 MiB every 1.5 s: progress, no hang (the
	 * waits are real: one OOM notification per wait) */
	{ .file = "tests/scenarios/frees_while_waiting.ini", .exit_code = 0,
	  .verdict = "survived", .at_least = "oom_events 3" },
	/* one thread waits while two keep computing: hung, and the report says they ran (two
	 * threads on two cores for the 2 s of hang_after: well over a second of CPU) */
	{ .file = "tests/scenarios/computing_while_waiting.ini", .exit_code = 0,
	  .verdict = "hung",
	  .at_least = "hang_threads_running 2; hang_threads_in_oom_wait 1; hang_cpu_s 1" },
	/* a missing binary is the harness's BROK (exit 4) with a clear reason, nothing left */
	{ .file = "tests/scenarios/missing_binary.ini", .exit_code = 4, .verdict = "none",
	  .out_has = "cannot run '/nonexistent/target'" },
	/* bad input: exit 2 with file:line: [section] key: reason, nothing launched */
	{ .file = "tests/scenarios/bad_size.ini", .exit_code = 2,
	  .err_has = "bad_size.ini:8: [cgroup] memory_limit: \"12Q\" is not a size" },
	{ .file = "tests/scenarios/unknown_key.ini", .exit_code = 2,
	  .err_has = "unknown_key.ini:9: [balloon] sise: unknown key" },
	{ .file = "tests/scenarios/no_such_file.ini", .exit_code = 2,
	  .err_has = "no_such_file.ini" },
	{ .file = "tests/scenarios/too_big.ini", .exit_code = 2,
	  .err_has = "too_big.ini:5: [cgroup] memory_limit: 99 TiB is more than this machine's memory" },
	/* misbehaving targets: each a clear verdict in bounded time, nothing left */
	{ .file = "tests/scenarios/ignores_term.ini", .exit_code = 0, .verdict = "survived",
	  .out_has = "ok 1 - ignores_term" },
	{ .file = "tests/scenarios/closes_stdout.ini", .exit_code = 0, .verdict = "timeout",
	  .out_has = "never became ready" },
	{ .file = "tests/scenarios/never_ready.ini", .exit_code = 0, .verdict = "timeout",
	  .out_has = "never became ready" },
	{ .file = "tests/scenarios/fork_many.ini", .exit_code = 0, .verdict = "survived",
	  .out_has = "ok 1 - fork_many" },
	{ .file = "tests/scenarios/timeout.ini", .exit_code = 0, .verdict = "timeout",
	  .out_has = "timed out after 1." },
	/* survived, but stalled: the outcome is met, the PSI maximum is not (v2) */
	{ .file = "tests/scenarios/stall_over_budget.ini", .exit_code = 1, .verdict = "survived",
	  .out_has = "of the run (some: ", .at_least = "stall_some_pct 50" },
	/* without memory.low the same service refaults: protection_low_kept's expectation fails
	 * (v2 with swap: the guest lane's swap stage) */
	{ .file = "tests/scenarios/protection_none_refaults.ini", .exit_code = 1,
	  .verdict = "survived", .out_has = "the target refaulted ",
	  .at_least = "target_refault_bytes 1048577" },
	/* the harness's own balloon failing is BROK (exit 4), not a verdict on the workload */
	{ .file = "tests/scenarios/balloon_fails.ini", .exit_code = 4,
	  .out_has = "BROK: balloon exited with status 1",
	  .config = "tests/configs/false_balloon.ini" },
};

static void test_fixture(void **state)
{
	check_case(*state, NULL, 0);
}

/* The README's table of every shipped scenario on each layout (between the verdicts markers)
 * must say, in this layout's column, what this run gave: the verdict, or SKIP. So the table
 * stays true on v1 (the host lane) and on v2 (the guest lane). */
static void test_readme_table(void **state)
{
	FILE *f = fopen("README.md", "r");
	char line[1024], name[128], cells[3][512];
	bool in = false;
	int rows = 0, col = v2 ? 2 : 1;

	(void)state;
	/* the v2 column is the busybox guest's (no podman, no JVM there): a systemd host's v2
	 * differs, and its lane checks the verdicts themselves */
	if (v2 && access("/run/systemd/system", F_OK) == 0) {
		print_message("# SKIP: README.md's v2 column is the busybox guest's, this is a "
			      "systemd host\n");
		if (f)
			fclose(f);
		skip();
	}
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "<!-- verdicts:begin -->"))
			in = true;
		else if (strstr(line, "<!-- verdicts:end -->"))
			in = false;
		if (!in || sscanf(line, "| `%127[^`]` | %511[^|]| %511[^|]|", name, cells[1],
				  cells[2]) != 3)
			continue;
		int i = 0;

		while (i < nshipped && strcmp(shipped[i].name, name) != 0)
			i++;
		if (i == nshipped) {
			print_message("README.md: a row for %s, which is not a shipped scenario\n", name);
			fclose(f);
			fail();
		}
		rows++;
		/* the guest lane's other stage (with or without swap) ran this one */
		if (!swap_stage_runs(shipped[i].swap))
			continue;
		/* the cell starts with the verdict word ("killed by SIGSEGV", "SKIP: ...") */
		size_t len = strlen(observed[i]);
		if (!len || strncmp(cells[col], observed[i], len) != 0 ||
		    (cells[col][len] != ' ' && cells[col][len] != ':')) {
			print_message("README.md: %s on %s says \"%.*s\", this run gave %s\n", name,
				      v2 ? "v2" : "v1", (int)strcspn(cells[col], "|"), cells[col],
				      len ? observed[i] : "nothing (its test failed)");
			fclose(f);
			fail();
		}
	}
	fclose(f);
	if (rows != nshipped) {
		print_message("README.md: %d rows between the verdicts markers, %d shipped "
			      "scenarios\n", rows, nshipped);
		fail();
	}
}

/* The hang of this layout: v1 the memcg OOM wait, v2 the OOM livelock. */
#define HANG_INI (v2 ? "scenarios/oom_exempt_livelock.ini" : "scenarios/oom_kill_disable_hang.ini")
#define SHELL_HANG_INI (v2 ? "scenarios/oom_exempt_livelock.ini" : "tests/scenarios/shell_hang.ini")

/* Fails with the run's output when cond is false. */
#define EXPECT_RUN(cond, r, ...) do {                                                          \
		if (!(cond)) {                                                                 \
			print_message(__VA_ARGS__);                                            \
			print_message("exit %d\nstdout:\n%s\nstderr:\n%s\n", (r)->status,       \
				      (r)->out, (r)->err);                                     \
			run_result_free(r);                                                    \
			fail();                                                                \
		}                                                                              \
	} while (0)

/* SIGINT/SIGTERM mid-run: exit 128+N, "Bail out!", and nothing left — also during a hang. */
static void test_interrupt(void **state)
{
	const struct {
		const char *file;
		int sig, delay_ms;
	} rows[] = {
		{ "scenarios/madv_free_reclaimed.ini", SIGINT, 1500 },
		{ HANG_INI, SIGTERM, 1500 },
		{ "scenarios/container_limit_ok.ini", SIGTERM, 300 },
		/* during cleanup: the run is over, the target ignores the runner's SIGTERM */
		{ "tests/scenarios/ignores_term.ini", SIGINT, 1500 },
	};
	struct run_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { rows[i].file, NULL };
		char skip[512];

		skip_reason(rows[i].file, skip, sizeof(skip));
		if (*skip) { /* skipped at once, nothing to interrupt */
			print_message("# SKIP interrupting %s: %s\n", rows[i].file, skip);
			continue;
		}
		run_runner(args, rows[i].sig, rows[i].delay_ms, 0, &r);
		EXPECT_RUN(r.status == 128 + rows[i].sig && strstr(r.out, "Bail out! interrupted"),
			   &r, "%s with signal %d\n", rows[i].file, rows[i].sig);
		assert_nothing_left(&r);
		run_result_free(&r);
	}
}

/* 50 back-to-back runs in one runner: every one met, the runner's open fds unchanged, and no
 * cgroup or process left (make soak does 1000). */
static void test_soak_short(void **state)
{
	const char *args[] = { "--repeat", "25", "scenarios/oom_killed.ini",
			       "tests/scenarios/exit_status.ini", NULL };
	struct run_result r;
	int before = -1, after = -2;
	const char *p;

	(void)state;
	run_runner(args, 0, 0, 0, &r);
	p = strstr(r.out, "# runner open fds: ");
	if (p)
		sscanf(p, "# runner open fds: %d before, %d after", &before, &after);
	EXPECT_RUN(r.status == 0 && before == after && strstr(r.out, ": 50 met, 0 not met"), &r,
		   "fds %d -> %d\n", before, after);
	assert_nothing_left(&r);
	run_result_free(&r);
}

/* Two runners at once do not interfere: separate cgroups, both pass. */
static void test_concurrent_runners(void **state)
{
	char cmd[PATH_MAX * 3];
	int rc;

	(void)state;
	snprintf(cmd, sizeof(cmd),
		 "R=%s; $R %s >/tmp/br-conc-a 2>&1 & a=$!; "
		 "$R scenarios/madv_free_reclaimed.ini scenarios/oom_killed.ini >/tmp/br-conc-b 2>&1 & "
		 "b=$!; wait $a; ra=$?; wait $b; rb=$?; "
		 "if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then cat /tmp/br-conc-a /tmp/br-conc-b; fi; "
		 "rm -f /tmp/br-conc-a /tmp/br-conc-b; exit $((ra * 16 + rb))", runner, HANG_INI);
	rc = system(cmd);
	if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
		print_message("concurrent runners: status %d\n", rc);
		fail();
	}
	assert_nothing_left(NULL);
}

/* The runner SIGKILLed at any phase: its children die with it (PDEATHSIG; a task in the memcg
 * OOM wait is killable), and the next start removes what it left, grandchildren included. */
static void test_runner_sigkilled(void **state)
{
	const struct {
		const char *file, *phase;
		int delay_ms;
	} rows[] = {
		{ "scenarios/madv_free_reclaimed.ini", "while the target starts", 5 },
		{ "scenarios/madv_free_reclaimed.ini", "while the balloon inflates", 900 },
		{ HANG_INI, "during the hang", 1000 },
		{ SHELL_HANG_INI, "with a hung grandchild", 1000 },
		{ "tests/scenarios/ignores_term.ini", "during cleanup", 1500 },
	};
	const char *next[] = { "tests/scenarios/exit_status.ini", NULL };
	struct run_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { rows[i].file, NULL };
		char skip[512];

		/* a scenario this runner skips (a hang that needs CAP_SYS_RESOURCE) is never killed
		 * midway: that row says so instead */
		skip_reason(rows[i].file, skip, sizeof(skip));
		if (*skip) {
			print_message("# SKIP SIGKILL %s %s: %s\n", rows[i].file, rows[i].phase, skip);
			continue;
		}
		print_message("# SIGKILL %s %s\n", rows[i].file, rows[i].phase);
		run_runner(args, SIGKILL, rows[i].delay_ms, 0, &r);
		EXPECT_RUN(r.status == 128 + SIGKILL, &r, "%s %s: not killed\n", rows[i].file,
			   rows[i].phase);
		run_result_free(&r);
		run_runner(next, 0, 0, 0, &r);
		EXPECT_RUN(r.status == 0, &r, "next start after a kill %s\n", rows[i].phase);
		assert_nothing_left(&r);
		run_result_free(&r);
	}
}

/* What a v2 runner may leave in the cgroup it started in: child groups, a +memory in its
 * subtree_control, processes. Returns a description, "" when clean. */
static const char *cgroup_residue(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX + 32], text[256] = "";
	struct dirent *de;
	size_t w = 0;
	FILE *f;
	DIR *d = opendir(dir);

	buf[0] = '\0';
	while (d && (de = readdir(d)) != NULL)
		if (de->d_type == DT_DIR && de->d_name[0] != '.' && w < len)
			w += (size_t)snprintf(buf + w, len - w, "group %s; ", de->d_name);
	if (d)
		closedir(d);
	const char *files[] = { "cgroup.subtree_control", "cgroup.procs" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "r");
		text[0] = '\0';
		if (f && fgets(text, sizeof(text), f) && text[0] != '\n' && w < len)
			w += (size_t)snprintf(buf + w, len - w, "%s: %.60s; ", files[i], text);
		if (f)
			fclose(f);
	}
	return buf;
}

/* v2: a runner started alone in a non-root cgroup moves into a leaf, enables +memory there,
 * and gives all of it back at the end; SIGKILLed, the next runner (one level up) cleans it;
 * beside another process it refuses with the reason (exit 3). */
static void test_v2_own_cgroup(void **state)
{
	char w[PATH_MAX + 32], residue[1024];
	const char *plain[] = { "scenarios/oom_killed.ini", NULL };
	const char *hang[] = { HANG_INI, NULL };
	const char *next[] = { "tests/scenarios/exit_status.ini", NULL };
	struct run_result r;
	pid_t sleeper;
	int status;

	(void)state;
	if (strcmp(own_cgroup, V2_ROOT) != 0) {
		/* a group made below ours gets the memory controller only from a cgroup without
		 * processes: ours holds this test (and on systemd hosts the session) */
		print_message("# SKIP: needs to run at the cgroup2 root (here %s)\n", own_cgroup);
		skip();
	}
	snprintf(w, sizeof(w), "%s/bt-own-%d", own_cgroup, (int)getpid());
	assert_int_equal(mkdir(w, 0755), 0);
	run_in = w;
	run_runner(plain, 0, 0, 0, &r);
	run_in = NULL;
	EXPECT_RUN(r.status == 0 && strstr(r.out, "ok 1 - oom_killed") &&
		   !*cgroup_residue(w, residue, sizeof(residue)), &r, "runner in %s, left: %s\n",
		   w, residue);
	run_result_free(&r);
	/* SIGKILLed during the hang: its leaf, its group and its +memory stay, until the next
	 * runner one level up removes them */
	run_in = w;
	run_runner(hang, SIGKILL, 1000, 0, &r);
	run_in = NULL;
	EXPECT_RUN(r.status == 128 + SIGKILL && *cgroup_residue(w, residue, sizeof(residue)), &r,
		   "killed runner in %s: residue '%s'\n", w, residue);
	run_result_free(&r);
	run_runner(next, 0, 0, 0, &r);
	EXPECT_RUN(r.status == 0 && !*cgroup_residue(w, residue, sizeof(residue)), &r,
		   "next runner: %s still holds: %s\n", w, residue);
	run_result_free(&r);
	/* another process in the same cgroup: v2 cannot enable +memory there */
	sleeper = fork();
	if (sleeper == 0) {
		char procs[PATH_MAX + 64];
		FILE *f;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", w);
		f = fopen(procs, "w");
		if (f) {
			fprintf(f, "0\n");
			fclose(f);
		}
		pause();
		_exit(0);
	}
	usleep(100 * 1000);
	run_in = w;
	run_runner(plain, 0, 0, 0, &r);
	run_in = NULL;
	kill(sleeper, SIGKILL);
	waitpid(sleeper, &status, 0);
	EXPECT_RUN(r.status == 3 && strstr(r.err, "other processes live in cgroup") &&
		   !*cgroup_residue(w, residue, sizeof(residue)), &r,
		   "beside another process: left '%s'\n", residue);
	rmdir(w);
	assert_nothing_left(&r);
	run_result_free(&r);
}

/* Not root: exit 3 with what is missing, nothing created. v1 needs root; on v2 a user may
 * run it in a delegated cgroup, which uid 65534 has not (no cgroup of its own, no systemd
 * user manager). The runner and the scenario are copied where any user may read them first:
 * the checkout may lie in a directory that only root can enter (a clone into a 0700
 * temporary directory), where exec would fail. */
static void test_not_root(void **state)
{
	char dir[] = "/tmp/bt-notroot-XXXXXX", bin[64], ini[64], cmd[PATH_MAX * 2 + 64];
	const char *args[] = { ini, NULL };
	struct run_opts o = { .uid = 65534, .cwd = "/" };
	struct run_result r;

	(void)state;
	if (geteuid() != 0) {
		print_message("# SKIP: switching to uid 65534 needs root\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(bin, sizeof(bin), "%s/balloon-run", dir);
	snprintf(ini, sizeof(ini), "%s/oom_killed.ini", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && cp scenarios/oom_killed.ini '%s' && chmod 755 "
		 "'%s' && chmod 644 '%s'", runner, bin, ini, bin, ini);
	assert_int_equal(system(cmd), 0);
	run_runner_args(bin, args, &o, &r);
	unlink(bin);
	unlink(ini);
	rmdir(dir);
	EXPECT_RUN(r.status == 3 && strstr(r.err, v2 ? "cgroup" : "must run as root"), &r,
		   "as uid 65534\n");
	assert_nothing_left(&r);
	run_result_free(&r);
}

/* A systemd host: the runner's cgroup is shared (a login session) or not delegated (a
 * service), so it asks systemd for a transient scope with Delegate=yes and runs there; the
 * scope is gone once the runner is. */
static void test_systemd_scope(void **state)
{
	const char *args[] = { "-v", "--no-report", "scenarios/oom_killed.ini", NULL };
	char pat[64];
	struct run_result r;

	(void)state;
	run_runner(args, 0, 0, 0, &r);
	snprintf(pat, sizeof(pat), ".scope/balloon-run-");
	EXPECT_RUN(r.status == 0 && strstr(r.out, pat) && strstr(r.out, "ok 1 - oom_killed"), &r,
		   "expected the scenario's group in the runner's own scope (*.scope/balloon-run-*)\n");
	assert_nothing_left(&r);
	run_result_free(&r);
}

/* A privileged container with a cgroup namespace and no systemd: the runner sees itself at
 * / beside the container's other processes. It moves them all into its leaf, runs, and puts
 * them back: afterwards the container's cgroup is as it was. */
static void test_v2_cgroupns(void **state)
{
	char w[PATH_MAX + 32], residue[1024], procs[PATH_MAX + 64], pid[32];
	const char *args[] = { "-v", "--no-report", "scenarios/oom_killed.ini", NULL };
	struct run_opts o = { .cgroupns = true };
	struct run_result r;
	bool placed = false;
	pid_t sleeper;
	int status;
	char *back;

	(void)state;
	snprintf(w, sizeof(w), "%s/bt-ns-%d", own_cgroup, (int)getpid());
	assert_int_equal(mkdir(w, 0755), 0);
	sleeper = fork();
	if (sleeper == 0) {
		pause();
		_exit(0);
	}
	/* the test moves the sleeper into the container's cgroup before the runner starts */
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", w);
	snprintf(pid, sizeof(pid), "%d\n", (int)sleeper);
	{
		FILE *f = fopen(procs, "w");
		int moved = f && fprintf(f, "%d\n", (int)sleeper) > 0;

		moved = f && fclose(f) == 0 && moved;
		back = slurp(procs);
		placed = back && strstr(back, pid);
		print_message("# the sleeper %d into %s: %s; cgroup.procs: %s\n", (int)sleeper, procs,
			      moved ? "moved" : strerror(errno), back ? back : "(unreadable)");
		free(back);
	}
	/* Measured in the busybox guest: the write succeeds and cgroup.procs still lists nothing,
	 * so there the runner runs without a neighbour and only its own part is checked. */
	if (!placed)
		print_message("# the sleeper is not in %s: its return is not checked\n", w);
	o.cgroup_dir = w;
	run_runner_args(runner, args, &o, &r);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", w);
	back = slurp(procs);
	print_message("# after the runner, %s/cgroup.procs: %s\n", w, back ? back : "(unreadable)");
	snprintf(pid, sizeof(pid), "%d\n", (int)sleeper);
	bool sleeper_back = back && strstr(back, pid);
	free(back);
	kill(sleeper, SIGKILL);
	waitpid(sleeper, &status, 0);
	EXPECT_RUN(r.status == 0 && strstr(r.out, "ok 1 - oom_killed") && (sleeper_back || !placed) &&
		   !*cgroup_residue(w, residue, sizeof(residue)), &r,
		   "in a cgroup namespace beside pid %d: sleeper back %d, left '%s'\n",
		   (int)sleeper, sleeper_back, residue);
	rmdir(w);
	assert_nothing_left(&r);
	run_result_free(&r);
}

static int setup(void **state)
{
	(void)state;
	if (find_runner(runner, sizeof(runner), "the scenario tests") < 0)
		return -1;
	return test_own_cgroup(own_cgroup, sizeof(own_cgroup), &v2);
}

#define NFAILING (sizeof(failing) / sizeof(failing[0]))

int main(void)
{
	if (setup(NULL) < 0)
		return 1;
	describe_machine(&machine, own_cgroup);
	nshipped = shipped_scenarios(shipped, MAX_SHIPPED, NULL);
	if (nshipped <= 0)
		return 1;
	/* One named test per scenario file, then the interrupt and non-root checks. */
	struct CMUnitTest tests[MAX_SHIPPED + NFAILING + 10];
	size_t n = 0;

	for (int i = 0; i < nshipped; i++)
		if (swap_stage_runs(shipped[i].swap))
			tests[n++] = (struct CMUnitTest){ shipped[i].file, test_shipped, NULL, NULL,
							  &shipped[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_readme_table);
	for (size_t i = 0; i < NFAILING; i++)
		if (swap_stage_runs(scenario_needs_swap(failing[i].file)))
			tests[n++] = (struct CMUnitTest){ failing[i].file, test_fixture, NULL, NULL,
							  (void *)&failing[i] };
	/* the swap stage of the guest lane: the scenarios that need swap, nothing more */
	if (!swap_stage_runs(false))
		return _cmocka_run_group_tests("scenarios", tests, n, NULL, NULL);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_interrupt);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_not_root);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_soak_short);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_concurrent_runners);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_runner_sigkilled);
	/* v1 has no "no internal processes" rule: a runner there has nothing to give back */
	if (v2)
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_v2_own_cgroup);
	/* the layouts of users' v2 machines: a systemd host, a container without systemd */
	if (v2 && access("/run/systemd/system", F_OK) == 0)
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_systemd_scope);
	else if (v2 && geteuid() == 0 && strcmp(own_cgroup, V2_ROOT) == 0)
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_v2_cgroupns);
	return _cmocka_run_group_tests("scenarios", tests, n, NULL, NULL);
}
