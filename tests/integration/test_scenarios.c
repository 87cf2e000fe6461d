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

static char runner[PATH_MAX];
static char own_cgroup[PATH_MAX]; /* absolute cgroupfs directory of our memory cgroup */
static bool v2;                   /* cgroup v2 (unified): own_cgroup is below /sys/fs/cgroup */
static const char *run_in;        /* a cgroup directory to start the runner in, or NULL */

#define V1_ROOT "/sys/fs/cgroup/memory"
#define V2_ROOT "/sys/fs/cgroup"

struct outcome {
	int status;       /* exit code, or 128 + signal */
	char out[65536];  /* stdout */
	char err[8192];   /* stderr */
};

/* Runs the runner with args; optionally sends sig after delay_ms. Returns via o. */
static void run_runner(const char *const *args, int sig, int delay_ms, uid_t as_uid,
		       struct outcome *o)
{
	int outp[2], errp[2], status;
	size_t no = 0, ne = 0;
	const char *argv[16] = { runner };
	pid_t pid;
	struct timespec start, now;
	bool sent = false;

	for (int i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	memset(o, 0, sizeof(*o));
	assert_int_equal(pipe(outp), 0);
	assert_int_equal(pipe(errp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		close(outp[0]);
		close(errp[0]);
		close(outp[1]);
		close(errp[1]);
		if (as_uid && (setgid(as_uid) < 0 || setuid(as_uid) < 0))
			_exit(99);
		if (run_in) { /* start the runner alone in that cgroup (its own cgroup) */
			char procs[PATH_MAX + 16];
			FILE *f;

			snprintf(procs, sizeof(procs), "%s/cgroup.procs", run_in);
			f = fopen(procs, "w");
			if (!f || fprintf(f, "0\n") < 0 || fclose(f) != 0)
				_exit(97);
		}
		execv(runner, (char *const *)argv);
		_exit(98);
	}
	close(outp[1]);
	close(errp[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct pollfd pf[2] = { { outp[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
	while (pf[0].fd >= 0 || pf[1].fd >= 0) {
		poll(pf, 2, 50);
		for (int i = 0; i < 2; i++) {
			char *buf = i ? o->err : o->out;
			size_t *n = i ? &ne : &no, cap = i ? sizeof(o->err) : sizeof(o->out);
			char scratch[4096];

			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP)))
				continue;
			ssize_t r = read(pf[i].fd, *n + 1 < cap ? buf + *n : scratch,
					 *n + 1 < cap ? cap - 1 - *n : sizeof(scratch));
			if (r <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
			} else if (*n + 1 < cap) {
				*n += (size_t)r;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (sig && !sent && ms >= delay_ms) {
			kill(pid, sig);
			sent = true;
		}
		if (ms > 180000) { /* a runner that never ends is a failure, not a hang of ours */
			kill(pid, SIGKILL);
			fail_msg("runner did not finish within 180 s");
		}
	}
	waitpid(pid, &status, 0);
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	o->out[no] = '\0';
	o->err[ne] = '\0';
}

/* The memory cgroup in a /proc/PID/cgroup line: v1 ":memory:" or v2 "0::"; else NULL. */
static char *memory_path(char *line)
{
	char *p = strstr(line, ":memory:");

	if (!v2)
		return p ? p + 8 : NULL;
	return strncmp(line, "0::", 3) == 0 ? line + 3 : NULL;
}

static bool in_our_groups(const char *pid)
{
	char path[300], line[PATH_MAX + 32], own_rel[PATH_MAX];
	bool ours = false;
	FILE *f;

	snprintf(own_rel, sizeof(own_rel), "%s", own_cgroup + strlen(v2 ? V2_ROOT : V1_ROOT));
	if (!own_rel[0])
		snprintf(own_rel, sizeof(own_rel), "/");
	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = memory_path(line);

		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		/* at the hierarchy's root, "/balloon-run-..." is directly below us */
		size_t len = strcmp(own_rel, "/") == 0 ? 0 : strlen(own_rel);

		/* our group itself, or a balloon-run-* group directly below it */
		ours = strncmp(p, own_rel, len) == 0 &&
		       (p[len] == '\0' || strncmp(p + len, "/balloon-run-", 13) == 0);
	}
	if (f)
		fclose(f);
	return ours;
}

/* Counts cgroups below ours named balloon-run-* and processes named balloon/balloon-run. */
static int leftovers(char *what, size_t len)
{
	DIR *d;
	struct dirent *de;
	int n = 0;
	size_t w = 0;

	what[0] = '\0';
	d = opendir(own_cgroup);
	while (d && (de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "balloon-run-", 12) == 0) {
			w += (size_t)snprintf(what + w, w < len ? len - w : 0, "cgroup %s; ", de->d_name);
			n++;
		}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && (de = readdir(d)) != NULL) {
		char path[300], comm[64] = "";
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
		/* A leaked task is in a balloon-run-* group (the runner could not remove it) or
		 * in our own group (moved out); balloons elsewhere (a benchmark) are not ours. */
		if ((strcmp(comm, "balloon") == 0 || strcmp(comm, "balloon-run") == 0) &&
		    in_our_groups(de->d_name)) {
			w += (size_t)snprintf(what + w, w < len ? len - w : 0, "process %s (%s); ",
					      de->d_name, comm);
			n++;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* Fails the test when anything is left; frees o (heap) first, since fail() jumps out. */
static void assert_nothing_left(struct outcome *o, bool heap)
{
	char what[2048];
	int n = leftovers(what, sizeof(what));

	if (n) {
		print_message("left behind: %s\nrunner stdout:\n%s\nstderr:\n%s\n", what, o->out, o->err);
		if (heap)
			free(o);
		fail();
	}
}

/* The value of "  key: value" in the runner's YAML block(s), first occurrence. */
static const char *yaml(const struct outcome *o, const char *key, char *buf, size_t len)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n  %s: ", key);
	p = strstr(o->out, pat);
	if (!p)
		return "";
	p += strlen(pat);
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

struct case_row {
	const char *file;
	int exit_code;
	const char *verdict;  /* from the YAML block; NULL = none expected */
	const char *victim;   /* NULL = not checked */
	const char *out_has;  /* substring of stdout, or NULL */
	const char *err_has;  /* substring of stderr, or NULL */
	const char *config;   /* --config FILE, or NULL */
};

#define ADJ_SKIP "@adj"

/* Scenarios skipped on one layout: what the SKIP reason must say there, instead of the
 * row's expectations (ADJ_SKIP: whatever keeps this runner from oom_score_adj -1000). */
static const struct {
	const char *file, *v1, *v2;
} skips[] = {
	{ "scenarios/oom_kill_disable_hang.ini", NULL,
	  "[cgroup] oom_kill_disable: cgroup v2 has no switch to disable the OOM killer" },
	{ "tests/scenarios/shell_hang.ini", NULL, "[cgroup] oom_kill_disable: cgroup v2 has no switch" },
	{ "scenarios/oom_exempt_livelock.ini", ADJ_SKIP, NULL },
	{ "scenarios/memory_high_throttled.ini", "[cgroup] memory_high: needs cgroup v2 memory.high",
	  NULL },
	{ "scenarios/oom_group_killed.ini", "[cgroup] oom_group: needs cgroup v2 memory.oom.group",
	  NULL },
};

/* Can a child of ours set oom_score_adj -1000? (Without CAP_SYS_RESOURCE it cannot.) */
static bool can_exempt(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		FILE *f = fopen("/proc/self/oom_score_adj", "w");

		_exit(f && fprintf(f, "-1000\n") > 0 && fclose(f) == 0 ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* A row skipped on this layout becomes: exit 0, "# SKIP" with the reason, nothing left. */
static const struct case_row *as_skip(const struct case_row *c, struct case_row *tmp,
				      char *buf, size_t len)
{
	const char *why = NULL;

	for (size_t i = 0; i < sizeof(skips) / sizeof(skips[0]); i++)
		if (strcmp(skips[i].file, c->file) == 0)
			why = v2 ? skips[i].v2 : skips[i].v1;
	if (!why)
		return c;
	if (strcmp(why, ADJ_SKIP) == 0)
		why = can_exempt() ? "requires cgroup v2" :
		      "[target] oom_score_adj = -1000: this runner cannot set it";
	snprintf(buf, len, "# SKIP %s", why);
	*tmp = (struct case_row){ .file = c->file, .exit_code = 0, .out_has = buf,
				  .config = c->config };
	return tmp;
}

/* Runs one row and asserts it; got (may be NULL) receives what the run gave: the verdict of
 * the YAML block, or "SKIP". */
static void check_case(const struct case_row *row, char *got, size_t gotlen)
{
	struct case_row tmp;
	char skip[256];
	const struct case_row *c = as_skip(row, &tmp, skip, sizeof(skip));
	const char *plain[] = { c->file, NULL };
	const char *with_config[] = { "--config", c->config, c->file, NULL };
	const char *const *args = c->config ? with_config : plain;
	struct outcome *o = calloc(1, sizeof(*o));
	char v[128];

	assert_non_null(o);
	run_runner(args, 0, 0, 0, o);
	if (got)
		snprintf(got, gotlen, "%s", c != row ? "SKIP" : yaml(o, "verdict", v, sizeof(v)));
	if (o->status != c->exit_code || (c->verdict && strcmp(yaml(o, "verdict", v, sizeof(v)),
							       c->verdict) != 0) ||
	    (c->victim && strcmp(yaml(o, "victim", v, sizeof(v)), c->victim) != 0) ||
	    (c->out_has && !strstr(o->out, c->out_has)) || (c->err_has && !strstr(o->err, c->err_has))) {
		print_message("%s: expected exit %d verdict %s victim %s out~'%s' err~'%s'\n"
			      "got exit %d\nstdout:\n%s\nstderr:\n%s\n", c->file, c->exit_code,
			      c->verdict ? c->verdict : "-", c->victim ? c->victim : "-",
			      c->out_has ? c->out_has : "", c->err_has ? c->err_has : "", o->status,
			      o->out, o->err);
		free(o);
		fail();
	}
	/* every run that sampled reports what sampling cost, and the figures agree */
	if (c->verdict && strcmp(c->verdict, "none") != 0) {
		char n[32], mean[32], max[32];

		yaml(o, "samples", n, sizeof(n));
		yaml(o, "sample_cost_mean_ms", mean, sizeof(mean));
		yaml(o, "sample_cost_max_ms", max, sizeof(max));
		if (atoi(n) < 1 || !mean[0] || !max[0] || atof(mean) > atof(max)) {
			print_message("%s: samples %s, sample_cost_mean_ms %s, sample_cost_max_ms %s\n",
				      c->file, n, mean, max);
			free(o);
			fail();
		}
	}
	assert_nothing_left(o, true);
	free(o);
}

static const struct case_row shipped[] = {
	{ "scenarios/madv_free_reclaimed.ini", 0, "reclaimed", NULL, "ok 1 - madv_free_reclaimed: reclaimed", NULL, NULL },
	{ "scenarios/madv_dontneed.ini", 0, "survived", NULL, "ok 1 - madv_dontneed", NULL, NULL },
	{ "scenarios/oom_killed.ini", 0, "oom_killed", "target", "ok 1 - oom_killed", NULL, NULL },
	{ "scenarios/oom_kill_disable_hang.ini", 0, "hung", NULL, "recovered: true", NULL, NULL },
	/* the v2 analogues (SKIP on v1 with the reason: skips[] above) */
	{ "scenarios/oom_exempt_livelock.ini", 0, "hung", NULL, "in an OOM livelock", NULL, NULL },
	{ "scenarios/memory_high_throttled.ini", 0, "throttled", NULL, "recovered: true", NULL, NULL },
	{ "scenarios/oom_group_killed.ini", 0, "oom_killed", "target+balloon", "oom.group killed",
	  NULL, NULL },
	{ "scenarios/container_limit_ok.ini", 0, "survived", NULL, "ok 1 - container_limit_ok", NULL, NULL },
	{ "scenarios/crash_not_oom.ini", 0, "killed", NULL, "oom_kill: 0", NULL, NULL },
};

static const struct case_row failing[] = {
	/* an expectation that is not met must fail the run (exit 1), not pass quietly */
	{ "tests/scenarios/expect_mismatch.ini", 1, "oom_killed", "target", "not ok 1 - expect_mismatch", "", NULL },
	/* a target that exits non-zero is "exited", with its status */
	{ "tests/scenarios/exit_status.ini", 0, "exited", NULL, "status 3", NULL, NULL },
	/* LazyFree that falls because the target freed its own memory is not reclaim */
	{ "tests/scenarios/self_free.ini", 0, "survived", NULL, "LazyFree reclaimed 0 B", NULL, NULL },
	/* a shell waiting for its hung child is part of the hang */
	{ "tests/scenarios/shell_hang.ini", 0, "hung", NULL, "recovered: true", NULL, NULL },
	/* a missing binary is the harness's BROK with a clear reason, nothing left behind */
	{ "tests/scenarios/missing_binary.ini", 4, "none", NULL, "cannot run '/nonexistent/target'", NULL, NULL },
	/* bad input: exit 2 with file:line: [section] key: reason, nothing launched */
	{ "tests/scenarios/bad_size.ini", 2, NULL, NULL, NULL, "bad_size.ini:8: [cgroup] memory_limit: \"12Q\" is not a size", NULL },
	{ "tests/scenarios/unknown_key.ini", 2, NULL, NULL, NULL, "unknown_key.ini:9: [balloon] sise: unknown key", NULL },
	{ "tests/scenarios/no_such_file.ini", 2, NULL, NULL, NULL, "no_such_file.ini", NULL },
	{ "tests/scenarios/too_big.ini", 2, NULL, NULL, NULL, "too_big.ini:5: [cgroup] memory_limit: 99 TiB is more than this machine's memory", NULL },
	/* misbehaving targets: each a clear verdict in bounded time, nothing left */
	{ "tests/scenarios/ignores_term.ini", 0, "survived", NULL, "ok 1 - ignores_term", NULL, NULL },
	{ "tests/scenarios/closes_stdout.ini", 0, "timeout", NULL, "never became ready", NULL, NULL },
	{ "tests/scenarios/never_ready.ini", 0, "timeout", NULL, "never became ready", NULL, NULL },
	{ "tests/scenarios/fork_many.ini", 0, "survived", NULL, "ok 1 - fork_many", NULL, NULL },
	{ "tests/scenarios/timeout.ini", 0, "timeout", NULL, "timed out after 1.00 s", NULL, NULL },
	/* the harness's own balloon failing is BROK, not a verdict on the workload */
	{ "tests/scenarios/balloon_fails.ini", 4, NULL, NULL, "BROK: balloon exited with status 1", NULL,
	  "tests/configs/false_balloon.ini" },
};

#define NSHIPPED (sizeof(shipped) / sizeof(shipped[0]))
/* What each shipped scenario gave in this run: its verdict, or "SKIP" (test_readme_table). */
static char observed[NSHIPPED][32];

static void test_case(void **state)
{
	const struct case_row *row = *state;

	if (row >= shipped && row < shipped + NSHIPPED)
		check_case(row, observed[row - shipped], sizeof(observed[0]));
	else
		check_case(row, NULL, 0);
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
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "<!-- verdicts:begin -->"))
			in = true;
		else if (strstr(line, "<!-- verdicts:end -->"))
			in = false;
		if (!in || sscanf(line, "| `%127[^`]` | %511[^|]| %511[^|]|", name, cells[1],
				  cells[2]) != 3)
			continue;
		size_t i = 0, len = strlen(name);

		while (i < NSHIPPED && (strncmp(shipped[i].file + 10, name, len) != 0 ||
					strcmp(shipped[i].file + 10 + len, ".ini") != 0))
			i++;
		if (i == NSHIPPED) {
			print_message("README.md: a row for %s, which is not a shipped scenario\n", name);
			fclose(f);
			fail();
		}
		/* the cell starts with the verdict word ("killed by SIGSEGV", "SKIP: ...") */
		len = strlen(observed[i]);
		if (!len || strncmp(cells[col], observed[i], len) != 0 ||
		    (cells[col][len] != ' ' && cells[col][len] != ':')) {
			print_message("README.md: %s on %s says \"%.*s\", this run gave %s\n", name,
				      v2 ? "v2" : "v1", (int)strcspn(cells[col], "|"), cells[col],
				      len ? observed[i] : "nothing (its test failed)");
			fclose(f);
			fail();
		}
		rows++;
	}
	fclose(f);
	if (rows != (int)NSHIPPED) {
		print_message("README.md: %d rows between the verdicts markers, %zu shipped "
			      "scenarios\n", rows, NSHIPPED);
		fail();
	}
}

/* The hang of this layout: v1 the memcg OOM wait, v2 the OOM livelock. */
#define HANG_INI (v2 ? "scenarios/oom_exempt_livelock.ini" : "scenarios/oom_kill_disable_hang.ini")
#define SHELL_HANG_INI (v2 ? "scenarios/oom_exempt_livelock.ini" : "tests/scenarios/shell_hang.ini")

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
	struct outcome *o = calloc(1, sizeof(*o));

	(void)state;
	assert_non_null(o);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { rows[i].file, NULL };

		run_runner(args, rows[i].sig, rows[i].delay_ms, 0, o);
		if (o->status != 128 + rows[i].sig || !strstr(o->out, "Bail out! interrupted")) {
			print_message("%s with signal %d: exit %d\nstdout:\n%s\nstderr:\n%s\n",
				      rows[i].file, rows[i].sig, o->status, o->out, o->err);
			free(o);
			fail();
		}
		assert_nothing_left(o, true);
	}
	free(o);
}

/* 50 back-to-back runs in one runner: every one met, the runner's open fds unchanged, and no
 * cgroup or process left (make soak does 1000). */
static void test_soak_short(void **state)
{
	const char *args[] = { "--repeat", "25", "scenarios/oom_killed.ini",
			       "tests/scenarios/exit_status.ini", NULL };
	struct outcome *o = calloc(1, sizeof(*o));
	int before = -1, after = -2;
	const char *p;

	(void)state;
	assert_non_null(o);
	run_runner(args, 0, 0, 0, o);
	p = strstr(o->out, "# runner open fds: ");
	if (p)
		sscanf(p, "# runner open fds: %d before, %d after", &before, &after);
	if (o->status != 0 || before != after || !strstr(o->out, ": 50 met, 0 not met")) {
		print_message("exit %d, fds %d -> %d\n%s\n%s\n", o->status, before, after, o->out,
			      o->err);
		free(o);
		fail();
	}
	assert_nothing_left(o, true);
	free(o);
}

/* Two runners at once do not interfere: separate cgroups, both pass. */
static void test_concurrent_runners(void **state)
{
	char cmd[PATH_MAX * 3];
	struct outcome none = { 0 };
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
	assert_nothing_left(&none, false);
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
	struct outcome *o = calloc(1, sizeof(*o));
	const char *next[] = { "tests/scenarios/exit_status.ini", NULL };

	(void)state;
	assert_non_null(o);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { rows[i].file, NULL };

		print_message("# SIGKILL %s %s\n", rows[i].file, rows[i].phase);
		run_runner(args, SIGKILL, rows[i].delay_ms, 0, o);
		if (o->status != 128 + SIGKILL) {
			print_message("%s %s: runner exit %d, not killed\n%s\n", rows[i].file,
				      rows[i].phase, o->status, o->out);
			free(o);
			fail();
		}
		run_runner(next, 0, 0, 0, o);
		if (o->status != 0) {
			print_message("next start after a kill %s: exit %d\n%s\n%s\n",
				      rows[i].phase, o->status, o->out, o->err);
			free(o);
			fail();
		}
		assert_nothing_left(o, true);
	}
	free(o);
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
	struct outcome *o = calloc(1, sizeof(*o));
	pid_t sleeper;
	int status;

	(void)state;
	assert_non_null(o);
	snprintf(w, sizeof(w), "%s/bt-own-%d", own_cgroup, (int)getpid());
	assert_int_equal(mkdir(w, 0755), 0);
	run_in = w;
	run_runner(plain, 0, 0, 0, o);
	run_in = NULL;
	if (o->status != 0 || !strstr(o->out, "ok 1 - oom_killed") ||
	    *cgroup_residue(w, residue, sizeof(residue))) {
		print_message("runner in %s: exit %d, left: %s\n%s\n%s\n", w, o->status, residue,
			      o->out, o->err);
		goto failed;
	}
	/* SIGKILLed during the hang: its leaf, its group and its +memory stay, until the next
	 * runner one level up removes them */
	run_in = w;
	run_runner(hang, SIGKILL, 1000, 0, o);
	run_in = NULL;
	if (o->status != 128 + SIGKILL || !*cgroup_residue(w, residue, sizeof(residue))) {
		print_message("killed runner in %s: exit %d, residue '%s'\n", w, o->status, residue);
		goto failed;
	}
	run_runner(next, 0, 0, 0, o);
	if (o->status != 0 || *cgroup_residue(w, residue, sizeof(residue))) {
		print_message("next runner: exit %d, %s still holds: %s\n%s\n", o->status, w,
			      residue, o->err);
		goto failed;
	}
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
	run_runner(plain, 0, 0, 0, o);
	run_in = NULL;
	kill(sleeper, SIGKILL);
	waitpid(sleeper, &status, 0);
	if (o->status != 3 || !strstr(o->err, "other processes live in that cgroup") ||
	    *cgroup_residue(w, residue, sizeof(residue))) {
		print_message("beside another process: exit %d, left '%s'\n%s\n", o->status,
			      residue, o->err);
		goto failed;
	}
	rmdir(w);
	assert_nothing_left(o, true);
	free(o);
	return;
failed:
	run_in = NULL;
	free(o);
	fail();
}

/* Not root: exit 3 with what is missing, nothing created. */
static void test_not_root(void **state)
{
	const char *args[] = { "scenarios/oom_killed.ini", NULL };
	struct outcome *o = calloc(1, sizeof(*o));

	(void)state;
	assert_non_null(o);
	run_runner(args, 0, 0, 65534, o);
	if (o->status != 3 || !strstr(o->err, "must run as root")) {
		print_message("exit %d\nstderr:\n%s\n", o->status, o->err);
		free(o);
		fail();
	}
	assert_nothing_left(o, true);
	free(o);
}

static int setup(void **state)
{
	char line[PATH_MAX + 32];
	FILE *f;

	(void)state;
	if (find_runner(runner, sizeof(runner), "the scenario tests") < 0)
		return -1;
	f = fopen("/proc/self/cgroup", "r");
	/* v1 (or hybrid): the ":memory:" line; v2: the "0::" line, below the cgroup2 root */
	while (f && fgets(line, sizeof(line), f)) {
		char *p = memory_path(line);

		if (p) {
			p[strcspn(p, "\n")] = '\0';
			if ((size_t)snprintf(own_cgroup, sizeof(own_cgroup), "%s%s",
					     v2 ? V2_ROOT : V1_ROOT, strcmp(p, "/") == 0 ? "" : p) >=
			    sizeof(own_cgroup))
				own_cgroup[0] = '\0'; /* too long: setup fails below */
		}
	}
	if (f)
		fclose(f);
	return own_cgroup[0] ? 0 : -1;
}

#define NFAILING (sizeof(failing) / sizeof(failing[0]))

int main(void)
{
	v2 = access(V1_ROOT, F_OK) != 0 && access(V2_ROOT "/cgroup.controllers", F_OK) == 0;
	/* One named test per scenario file, then the interrupt and non-root checks. */
	struct CMUnitTest tests[NSHIPPED + NFAILING + 7];
	size_t n = 0;

	for (size_t i = 0; i < NSHIPPED; i++)
		tests[n++] = (struct CMUnitTest){ shipped[i].file, test_case, NULL, NULL,
						  (void *)&shipped[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_readme_table);
	for (size_t i = 0; i < NFAILING; i++)
		tests[n++] = (struct CMUnitTest){ failing[i].file, test_case, NULL, NULL,
						  (void *)&failing[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_interrupt);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_not_root);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_soak_short);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_concurrent_runners);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_runner_sigkilled);
	/* v1 has no "no internal processes" rule: a runner there has nothing to give back */
	if (v2)
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_v2_own_cgroup);
	return _cmocka_run_group_tests("scenarios", tests, n, setup, NULL);
}
