/* The target's /proc/PID/statm kept open between samples (runner/run/proc.c): a kept read
 * gives what a fresh open gives, a process that is gone reads as gone (its pid may be another
 * process's next time), and a sample's sweep closes what it did not read. Real processes:
 * this test's own and a child it starts and reaps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "run/proc.h"

/* Descriptors open in this process (of the first 1024). */
static int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static pid_t start_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	assert_true(pid > 0);
	return pid;
}

static void test_same_as_fresh(void **state)
{
	struct statm_kept k = { 0 };
	struct proc_mem fresh = { 0 }, kept = { 0 }, again = { 0 };
	int fds = open_fds();

	(void)state;
	assert_int_equal(proc_statm_add(getpid(), &fresh), 0);
	assert_int_equal(proc_statm_add_kept(&k, getpid(), &kept), 0);
	statm_kept_sweep(&k, false);
	CHECK_EQ(open_fds(), fds + 1, "one descriptor kept for one process\n");
	assert_int_equal(proc_statm_add_kept(&k, getpid(), &again), 0);
	statm_kept_sweep(&k, false);
	CHECK_EQ(open_fds(), fds + 1, "read again through the same descriptor\n");
	/* the test's own memory barely moves between the three reads */
	assert_true(kept.rss > 0 && again.rss > 0);
	assert_true(kept.rss + (1u << 20) > fresh.rss && fresh.rss + (1u << 20) > kept.rss);
	assert_true(again.anon <= again.rss);
	statm_kept_sweep(&k, true);
	CHECK_EQ(open_fds(), fds, "all closed\n");
}

static void test_gone_and_swept(void **state)
{
	struct statm_kept k = { 0 };
	struct proc_mem m = { 0 };
	pid_t child = start_child();
	int fds = open_fds(), status;

	(void)state;
	assert_int_equal(proc_statm_add_kept(&k, child, &m), 0);
	assert_int_equal(proc_statm_add_kept(&k, getpid(), &m), 0);
	statm_kept_sweep(&k, false);
	CHECK_EQ(open_fds(), fds + 2, "two processes, two descriptors\n");
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	/* reaped: its pid names nothing now (or another process, which is read afresh) */
	memset(&m, 0, sizeof(m));
	assert_true(proc_statm_add_kept(&k, child, &m) < 0);
	CHECK_EQ(m.rss, 0, "a process that is gone adds nothing\n");
	assert_int_equal(proc_statm_add_kept(&k, getpid(), &m), 0);
	statm_kept_sweep(&k, false);
	CHECK_EQ(open_fds(), fds + 1, "the gone process's descriptor was closed\n");
	/* a sample that reads nothing leaves nothing open */
	statm_kept_sweep(&k, false);
	CHECK_EQ(open_fds(), fds, "the sweep closed what the sample did not read\n");
}

/* More processes than slots: the rest are read as anyone would, nothing is lost. */
static void test_more_than_slots(void **state)
{
	struct statm_kept k = { 0 };
	pid_t kids[STATM_KEPT + 4];
	struct proc_mem m = { 0 };
	int fds, status;

	(void)state;
	for (size_t i = 0; i < STATM_KEPT + 4; i++)
		kids[i] = start_child();
	fds = open_fds();
	for (size_t i = 0; i < STATM_KEPT + 4; i++)
		assert_int_equal(proc_statm_add_kept(&k, kids[i], &m), 0);
	statm_kept_sweep(&k, false);
	CHECK_EQ(open_fds(), fds + STATM_KEPT, "as many kept as there are slots\n");
	assert_true(m.rss > 0);
	statm_kept_sweep(&k, true);
	for (size_t i = 0; i < STATM_KEPT + 4; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], &status, 0);
	}
	CHECK_EQ(open_fds(), fds, "all closed\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_fresh),
		cmocka_unit_test(test_gone_and_swept),
		cmocka_unit_test(test_more_than_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
