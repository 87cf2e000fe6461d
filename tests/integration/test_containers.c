/* Integration: a target in a podman container (the rootfs of make container-rootfs), for real.
 * The shipped container scenarios run in test_scenarios with every other; here what only a
 * container has: podman's exit status read as the container's (an exit status, a crash by
 * SIGSEGV that is no OOM kill), a graceful stop that podman forwards, podman's own failure
 * (BROK with its error), a missing rootfs (SKIP with how to make it), and the runner
 * interrupted or SIGKILLed while the container runs: its podman and conmon die, and the next
 * start removes the container's groups (in every v1 hierarchy) and podman's record of it.
 * After each: no group, process or container of ours. Where podman cannot run here, each test
 * checks the runner SKIPs with the reason, then skips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testlib.h"
#include "cgroup/cgroup.h"
#include "config/scenario.h"
#include "requires.h"

#define HOLDS "tests/scenarios/container_holds.ini"

static char runner[PATH_MAX], own[PATH_MAX];
static bool v2;
static char unusable[512]; /* why podman cannot run here ("" = it can) */

/* With sig: sent once the container's program has said it holds its memory (a container
 * starts in 0.2 s here, in 5 s under the systemd guest's TCG), and after_ms. */
static void run(const char *const *args, int sig, int after_ms, struct run_result *r)
{
	struct run_opts o = { .sig = sig, .sig_after_ms = after_ms, .timeout_s = 180,
			      .sig_when = sig ? "target_ready" : NULL };

	run_runner_args(runner, args, &o, r);
}

static void assert_nothing_left(struct run_result *r)
{
	char what[2048];

	if (test_leftovers(own, v2, true, what, sizeof(what)) > 0) {
		print_message("left behind: %s\nrunner stdout:\n%s\nstderr:\n%s\n", what,
			      r ? r->out : "", r ? r->err : "");
		if (r)
			run_result_free(r);
		fail();
	}
}

/* Fails with the run's output unless the exit status is want and stdout holds each of has. */
static void expect(struct run_result *r, int want, const char *const *has)
{
	bool bad = r->status != want;

	for (size_t i = 0; has && has[i]; i++)
		bad = bad || !strstr(r->out, has[i]);
	if (bad) {
		print_message("want exit %d", want);
		for (size_t i = 0; has && has[i]; i++)
			print_message(", stdout ~ '%s'", has[i]);
		print_message("\ngot exit %d\nstdout:\n%s\nstderr:\n%s\n", r->status, r->out, r->err);
		run_result_free(r);
		fail();
	}
	assert_nothing_left(r);
	run_result_free(r);
}

/* Where podman cannot run: the runner must say so (SKIP, exit 0); then the test is skipped. */
static void need_podman(void)
{
	const char *args[] = { HOLDS, NULL };
	char want[600];
	struct run_result r;

	if (!unusable[0])
		return;
	snprintf(want, sizeof(want), "# SKIP %s", unusable);
	run(args, 0, 0, &r);
	const char *has[] = { want, NULL };
	expect(&r, 0, has);
	print_message("# SKIP: %s\n", unusable);
	skip();
}

/* podman run's exit status is the container's: a status as it is, 128+N as signal N. */
static void test_exit_statuses(void **state)
{
	const char *exited[] = { "--set", "target.command=sh -c 'exit 3'", "--set",
				 "expect.outcome=exited", "--set", "expect.exit_code=3", HOLDS, NULL };
	const char *ex_has[] = { "ok 1 - container_holds: target exited with status 3",
				 "verdict: exited", NULL };
	/* a crash while memory is tight is not an OOM kill, in a container too: gocrash's Go
	 * runtime re-raises the SIGSEGV of a C thread with the default action, which kills it
	 * when it is PID 2 under podman's --init (catatonit) */
	const char *crash[] = { "-v", "--set", "target.command=gocrash -size 64M", "--set",
				"target.container_options=--init", "--set", "expect.outcome=killed",
				"--set", "expect.signal=SIGSEGV", "--set", "cgroup.memory_limit=96M",
				HOLDS, NULL };
	const char *crash_has[] = { "container_exit", "died of signal 11 (SEGV)",
				    "verdict: killed", "oom_kill: 0", "ok 1 - ", NULL };
	/* as the container's PID 1 (no --init) the same re-raised signal is ignored: the kernel
	 * drops a default-action signal a namespace's init sends itself. The program stays,
	 * crashed and silent, and survives the run: what --init is for. */
	const char *pid1[] = { "--report", NULL, "--set", "target.command=gocrash -size 64M",
			       "--set", "target.ready=line", "--set",
			       "target.ready_line=gocrash: calling C", "--set",
			       "scenario.duration=2s", "--set", "cgroup.memory_limit=96M", HOLDS,
			       NULL };
	const char *pid1_has[] = { "ok 1 - container_holds: target survived", NULL };
	char dir[] = "/tmp/test-containers-XXXXXX", log[128];
	struct run_result r;
	char *text;

	(void)state;
	need_podman();
	run(exited, 0, 0, &r);
	expect(&r, 0, ex_has);
	run(crash, 0, 0, &r);
	expect(&r, 0, crash_has);
	assert_non_null(mkdtemp(dir));
	pid1[1] = dir;
	run(pid1, 0, 0, &r);
	expect(&r, 0, pid1_has);
	snprintf(log, sizeof(log), "%s/container_holds/target.log", dir);
	text = slurp(log);
	if (!text || !strstr(text, "bad pointer on a thread the C code creates (pid 1)"))
		fail_msg("%s: no crash as pid 1 in:\n%s", log, text ? text : "(none)");
	free(text);
	assert_int_equal(system("rm -rf /tmp/test-containers-*"), 0);
}

/* At the end of duration the runner sends SIGTERM to podman, which hands it to the
 * container: gohog ends by itself within the grace period, no SIGKILL needed. */
static void test_graceful_stop(void **state)
{
	const char *args[] = { "-v", "--set", "scenario.duration=1s", HOLDS, NULL };
	const char *has[] = { "stopping           SIGTERM", "verdict: survived",
			      "ok 1 - container_holds: target survived", NULL };
	struct run_result r;

	(void)state;
	need_podman();
	run(args, 0, 0, &r);
	if (strstr(r.out, "SIGKILL at once"))
		fail_msg("podman did not pass SIGTERM on:\n%s", r.out);
	expect(&r, 0, has);
}

/* podman's own failure before anything ran is the harness's (BROK, exit 4), with its error;
 * a rootfs that is not there is a SKIP that says how to make one. */
static void test_podman_fails(void **state)
{
	const char *bad[] = { "--set", "target.container_options=--no-such-option", HOLDS, NULL };
	const char *bad_has[] = { "BROK: podman could not run the container (exit 125): Error: "
				  "unknown flag: --no-such-option", NULL };
	const char *missing[] = { "--set", "target.rootfs=/nonexistent/rootfs", HOLDS, NULL };
	const char *missing_has[] = { "# SKIP [target] rootfs /nonexistent/rootfs: No such file "
				      "or directory", "make container-rootfs", NULL };
	struct run_result r;

	(void)state;
	need_podman();
	run(bad, 0, 0, &r);
	expect(&r, 4, bad_has);
	run(missing, 0, 0, &r);
	expect(&r, 0, missing_has);
}

/* Interrupted while the container runs: everything killed and removed at once (exit 130). */
static void test_interrupt(void **state)
{
	const char *args[] = { "-v", "--set", "target.ready=line", "--set",
			       "target.ready_line=gohog: reached", HOLDS, NULL };
	const char *has[] = { "interrupted by SIGINT", "Bail out!", NULL };
	struct run_result r;

	(void)state;
	need_podman();
	run(args, SIGINT, 500, &r);
	expect(&r, 128 + SIGINT, has);
}

/* SIGKILLed while the container runs: podman and conmon die with the runner or keep the
 * container going; either way the next start kills it, removes its groups and podman's
 * record of it. */
static void test_runner_sigkilled(void **state)
{
	const char *args[] = { "-v", "--set", "target.ready=line", "--set",
			       "target.ready_line=gohog: reached", HOLDS, NULL };
	const char *next[] = { "tests/scenarios/exit_status.ini", NULL };
	const char *has[] = { "left by a runner that no longer exists", NULL };
	struct run_result r;
	char what[2048];

	(void)state;
	need_podman();
	run(args, SIGKILL, 500, &r);
	if (r.status != 128 + SIGKILL || test_leftovers(own, v2, true, what, sizeof(what)) == 0)
		fail_msg("killed runner: exit %d, left '%s' (expected its groups)", r.status, what);
	run_result_free(&r);
	/* the runner's pid must be gone before the next one judges its groups stale */
	usleep(200 * 1000);
	run(next, 0, 0, &r);
	if (!strstr(r.err, has[0])) {
		print_message("next runner did not clean up:\n%s\n", r.err);
		run_result_free(&r);
		fail();
	}
	const char *ok[] = { "ok 1 - exit_status", NULL };
	expect(&r, 0, ok);
}

static int setup(void **state)
{
	struct scenario sc;
	struct cg_env env;
	char err[1024];

	(void)state;
	if (find_runner(runner, sizeof(runner), "the container tests") < 0 ||
	    test_own_cgroup(own, sizeof(own), &v2) < 0)
		return -1;
	describe_machine(&env, own);
	if (scenario_load(HOLDS, &sc, err, sizeof(err)) < 0) {
		print_message("%s\n", err);
		return -1;
	}
	requires_unmet(&sc, &env, target_path(), unusable, sizeof(unusable));
	scenario_free(&sc);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_statuses),
		cmocka_unit_test(test_graceful_stop),
		cmocka_unit_test(test_podman_fails),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_runner_sigkilled),
	};

	return cmocka_run_group_tests_name("containers", tests, setup, NULL);
}
