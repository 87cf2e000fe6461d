/* Unit tests of the balloon's kernel-side population (balloon/prefault.c): how a step is cut
 * at slice edges, what each answer of madvise(MADV_POPULATE_WRITE) leads to, and, for real,
 * that an inflation writes every marker whether the kernel populates, lacks the advice
 * (EINVAL, forced with a seccomp filter) or refuses a slice (ENOMEM, as memory cgroup v1 does
 * at the limit with oom_kill_disable). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check.h"

#include "balloon_conf.h"
#include "chunks.h"
#include "emit.h"
#include "inflate.h"
#include "prefault.h"
#include "release.h"
#include "units.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define SLICE (2 * MiB)

/* {address, want, left} -> pages: never past the next 2 MiB edge, want or left. */
static void test_step_pages(void **state)
{
	static const struct {
		uintptr_t addr;
		uint64_t want, left, pages;
	} rows[] = {
		{ 0, UINT64_MAX, 16384, 512 },          /* rate 0, on an edge: a whole slice */
		{ SLICE, UINT64_MAX, 3, 3 },            /* the chunk's last pages */
		{ SLICE + PAGE, UINT64_MAX, 16384, 511 }, /* off an edge: up to the next one */
		{ 3 * SLICE - PAGE, UINT64_MAX, 16384, 1 },
		{ 0, 52, 16384, 52 },                   /* a tick's grant at 10 MiB/s */
		{ SLICE - 10 * PAGE, 52, 16384, 10 },   /* cut at the edge: the rest next time */
		{ 0, 0, 16384, 0 },
		{ 0, 52, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		CHECK_EQ(prefault_step_pages(rows[i].addr, rows[i].want, rows[i].left, PAGE, SLICE),
			 rows[i].pages, "row %zu\n", i);
	/* A slice smaller than a page is taken as one page. */
	CHECK_EQ(prefault_step_pages(0, 100, 100, PAGE, 1), 1, "tiny slice\n");
}

/* {madvise's answer, what next}: only EINVAL gives the kernel up for good. */
static void test_next(void **state)
{
	static const struct {
		int err;
		enum prefault_next next;
	} rows[] = {
		{ 0, PREFAULT_DONE },
		{ -EINVAL, PREFAULT_TOUCH_ALWAYS },  /* before Linux 5.14 */
		{ -ENOMEM, PREFAULT_TOUCH },         /* v1 oom_kill_disable at the limit */
		{ -EINTR, PREFAULT_TOUCH },          /* a fatal signal: the touch will not get far */
		{ -EFAULT, PREFAULT_TOUCH },
		{ -EHWPOISON, PREFAULT_TOUCH },
		{ -EAGAIN, PREFAULT_TOUCH },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		CHECK_EQ(prefault_next(rows[i].err), rows[i].next, "row %zu (errno %d)\n", i,
			 -rows[i].err);
}

/* Makes madvise(..., MADV_POPULATE_WRITE) fail with err in this process from now on; every
 * other call is allowed. Returns 0 or -1. */
static int refuse_populate(int err)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_madvise, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 23 /* MADV_POPULATE_WRITE */, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = N(f), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0 ? -1 : 0;
}

/* In a child (the filter cannot be lifted): refuse the advice with err (0: do not), inflate
 * `size` with `touch` in chunks of `chunk` at full speed, then read every page back. Exit
 * status: 0 every page holds its marker, 1 not, 2 setup failed. */
static int inflate_in_child(int err, uint64_t size, uint64_t chunk, int touch, int thp)
{
	struct balloon_conf c = { .size = size, .chunk = chunk, .touch = touch, .thp = thp,
				  .tick_hz = 50, .progress_interval = 100 * NSEC_PER_MSEC };
	struct inflate_result res;
	struct verify_counts vc;
	struct chunks cs;
	struct emit e;
	char why[256];
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (err && refuse_populate(err) < 0)
			_exit(2);
		emit_init(&e, -1, 0, true);
		if (chunks_init(&cs, size, chunk, PAGE, why, sizeof(why)) < 0 ||
		    inflate_run(&c, &cs, &e, 42, &res, why, sizeof(why)) < 0)
			_exit(2);
		release_verify(&cs, &vc);
		_exit(res.bytes == size && vc.pattern == size / PAGE && !vc.zero && !vc.other ? 0
											       : 1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* {advice refused with, touch, THP}: every page written and marked in every case. */
static void test_fallback_marks_every_page(void **state)
{
	static const struct {
		int err, touch, thp;
		uint64_t size, chunk;
	} rows[] = {
		{ 0, TOUCH_PAGE, THP_DEFAULT, 8 * MiB + 3 * PAGE, 3 * MiB },
		{ -EINVAL, TOUCH_PAGE, THP_DEFAULT, 8 * MiB + 3 * PAGE, 3 * MiB },
		{ -ENOMEM, TOUCH_PAGE, THP_DEFAULT, 8 * MiB + 3 * PAGE, 3 * MiB },
		{ -EINTR, TOUCH_PAGE, THP_DEFAULT, 5 * MiB, 4 * MiB },
		{ 0, TOUCH_PAGE, THP_ON, 8 * MiB, 4 * MiB },
		{ -EINVAL, TOUCH_PAGE, THP_ON, 8 * MiB, 4 * MiB },
		{ 0, TOUCH_FILL, THP_DEFAULT, 4 * MiB, MiB },
		{ 0, TOUCH_RANDOM, THP_DEFAULT, 4 * MiB, MiB },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		CHECK_EQ(inflate_in_child(-rows[i].err, rows[i].size, rows[i].chunk, rows[i].touch,
					  rows[i].thp),
			 0, "row %zu: exit status (1: pages without their marker, 2: setup)\n", i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_pages),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_fallback_marks_every_page),
	};

	return cmocka_run_group_tests_name("prefault", tests, NULL, NULL);
}
