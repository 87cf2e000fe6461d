/* The /dev/kmsg reader's pure parts (runner/run/kmsg.c): an oom-kill: record as this
 * machine's kernel prints it, records that are not one, and which groups a path lies in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "check.h"
#include "run/kmsg.h"
#include "run/proc.h"

#define REAL "6,2812,5465659587,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null)," \
	     "cpuset=/,mems_allowed=0,oom_memcg=/process_api/6edb/balloon-run-18271-oom_killed," \
	     "task_memcg=/process_api/6edb/balloon-run-18271-oom_killed/libpod-1f,task=gohog," \
	     "pid=18272,uid=0\n"

static void test_parse(void **state)
{
	static const struct {
		const char *rec;
		bool ok;
		unsigned long long t_us;
		const char *oom_memcg, *task_memcg, *task;
		int pid;
	} rows[] = {
		{ REAL, true, 5465659587ull, "/process_api/6edb/balloon-run-18271-oom_killed",
		  "/process_api/6edb/balloon-run-18271-oom_killed/libpod-1f", "gohog", 18272 },
		/* the line after it: never rate-limited, names the victim but no group */
		{ "6,2813,5465659610,-;Memory cgroup out of memory: Killed process 18272 (gohog) "
		  "total-vm:215508kB\n", true, 5465659610ull, "", "", "gohog", 18272 },
		/* the machine's own OOM killer; a name with a space and a parenthesis in it */
		{ "3,7,42,-;Out of memory: Killed process 9 (a (b) c) total-vm:1kB\n", true, 42ull,
		  "", "", "a (b) c", 9 },
		{ "3,7,42,-;Memory cgroup out of memory: Killed process x (y) total-vm:1kB\n", false,
		  0, NULL, NULL, NULL, 0 },
		{ "3,7,42,-;Memory cgroup out of memory: Killed process 12 (unterminated", false, 0,
		  NULL, NULL, NULL, 0 },
		{ "3,7,42,-;Killed process 12 (no colon before it) x\n", false, 0, NULL, NULL, NULL, 0 },
		{ "4,10,100,-;oom-kill:constraint=CONSTRAINT_NONE,task=x\n", false, 0, NULL, NULL,
		  NULL, 0 },
		{ "no header at all", false, 0, NULL, NULL, NULL, 0 },
		{ "", false, 0, NULL, NULL, NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct kmsg_kill k;
		bool ok = kmsg_parse_oom_kill(rows[i].rec, strlen(rows[i].rec), &k);

		CHECK(ok == rows[i].ok, "row %zu: parsed %d\n", i, ok);
		if (!ok)
			continue;
		CHECK_EQ(k.t_us, rows[i].t_us, "row %zu t_us\n", i);
		assert_string_equal(k.oom_memcg, rows[i].oom_memcg);
		assert_string_equal(k.task_memcg, rows[i].task_memcg);
		assert_string_equal(k.task, rows[i].task);
		CHECK_EQ((uint64_t)k.pid, (uint64_t)rows[i].pid, "row %zu pid\n", i);
	}
}

static void test_in_group(void **state)
{
	static const struct {
		const char *path, *group;
		bool in;
	} rows[] = {
		{ "/a/balloon-run-1-x", "/a/balloon-run-1-x", true },
		{ "/a/balloon-run-1-x/libpod-2", "/a/balloon-run-1-x", true },
		{ "/a/balloon-run-1-x/libpod-2", "/a/balloon-run-1-x/", true },
		{ "/a/balloon-run-1-xy", "/a/balloon-run-1-x", false },
		{ "/a", "/a/balloon-run-1-x", false },
		{ "/", "/a", false },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		CHECK(kmsg_in_group(rows[i].path, rows[i].group) == rows[i].in, "row %zu: %s in %s\n",
		      i, rows[i].path, rows[i].group);
}

/* The victim's group from /proc/PID/cgroup, for a "Killed process" record (run/proc.c). */
static void test_memcg_from_cgroup_file(void **state)
{
	static const struct {
		const char *text, *path; /* path NULL: -ENOENT */
	} rows[] = {
		{ "12:pids:/x\n4:memory:/process_api/6edb/balloon-run-1-oom\n0::/u\n",
		  "/process_api/6edb/balloon-run-1-oom" },
		{ "7:cpu,memory,blkio:/a/b\n", "/a/b" },
		{ "7:memoryx:/no\n0::/unified/only\n", "/unified/only" },
		{ "0::/\n", "/" },
		{ "1:name=systemd:/s\n", NULL },
		{ "", NULL },
		{ "garbage without colons", NULL },
		{ "4:memory:/last/line/without/newline", "/last/line/without/newline" },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		char path[512] = "";
		int rc = memcg_from_cgroup_file(rows[i].text, path, sizeof(path));

		CHECK(rows[i].path ? rc == 0 : rc == -ENOENT, "row %zu: rc %d\n", i, rc);
		if (rows[i].path)
			assert_string_equal(path, rows[i].path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_in_group),
		cmocka_unit_test(test_memcg_from_cgroup_file),
	};

	return cmocka_run_group_tests_name("kmsg", tests, NULL, NULL);
}
