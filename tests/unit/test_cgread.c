/* What the v1 and v2 backends read from a group's files (runner/cgroup/v1.c, v2.c), on copies
 * of those files in a scratch directory, and the group's count of MADV_FREE pages made from
 * them (cg_lazy_estimate): the file LRU less the page cache that is not shmem. The figures
 * below are a group holding 64 MiB freed with MADV_FREE beside 8 MiB of page cache and 2 MiB of
 * shmem, as memory.stat shows it in each version's spelling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cgroup/cgroup.h"

#define MiB (1024ull * 1024)

struct file {
	const char *name, *text;
};

static const struct file v1_files[] = {
	{ "memory.usage_in_bytes", "79691776\n" },
	{ "memory.limit_in_bytes", "268435456\n" },
	{ "memory.failcnt", "0\n" },
	{ "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n" },
	/* the group's own lines first, then the hierarchical total_ ones the backend reads */
	{ "memory.stat", "cache 10485760\nrss 0\nshmem 2097152\nactive_file 1\n"
			 "inactive_file 2\ntotal_cache 10485760\ntotal_rss 1048576\n"
			 "total_shmem 2097152\ntotal_mapped_file 0\ntotal_active_file 4194304\n"
			 "total_inactive_file 71303168\ntotal_unevictable 0\n" },
};

static const struct file v2_files[] = {
	{ "memory.current", "79691776\n" },
	{ "memory.max", "268435456\n" },
	{ "memory.high", "max\n" },
	{ "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n" },
	/* active_file before anon_thp and file_mapped: the keys are matched whole */
	{ "memory.stat", "anon 1048576\nfile 10485760\nkernel 0\nshmem 2097152\n"
			 "file_mapped 0\nfile_dirty 0\ninactive_anon 0\nactive_anon 3145728\n"
			 "inactive_file 71303168\nactive_file 4194304\nunevictable 0\n"
			 "pglazyfree 16384\npglazyfreed 0\n" },
};

static void make_group(struct cg_group *g, const struct file *f, size_t n)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->dir, sizeof(g->dir), "/tmp/test-cgread-XXXXXX");
	assert_non_null(mkdtemp(g->dir));
	g->oom_fd = g->ctl_fd = -1;
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX * 2];
		FILE *out;

		snprintf(path, sizeof(path), "%s/%s", g->dir, f[i].name);
		out = fopen(path, "w");
		assert_non_null(out);
		fputs(f[i].text, out);
		assert_int_equal(fclose(out), 0);
	}
}

static void drop_group(struct cg_group *g, const struct file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX * 2];

		snprintf(path, sizeof(path), "%s/%s", g->dir, f[i].name);
		unlink(path);
	}
	assert_int_equal(rmdir(g->dir), 0);
}

static void check_read(const struct cg_ops *ops, const struct file *f, size_t n)
{
	struct cg_counters c;
	struct cg_group g;
	char err[256] = "";

	make_group(&g, f, n);
	if (ops->read(&g, &c, err, sizeof(err)) != 0)
		print_message("%s read: %s\n", ops->name, err);
	CHECK_EQ(c.usage, 76 * MiB, "%s: usage\n", ops->name);
	CHECK_EQ(c.limit, 256 * MiB, "%s: limit\n", ops->name);
	CHECK_EQ(c.anon, 1 * MiB, "%s: anon\n", ops->name);
	CHECK_EQ(c.file, 10 * MiB, "%s: file\n", ops->name);
	CHECK_EQ(c.shmem, 2 * MiB, "%s: shmem\n", ops->name);
	CHECK_EQ(c.lru_file, 72 * MiB, "%s: lru_file (active_file + inactive_file)\n", ops->name);
	/* 72 MiB on the file LRU, of which 10 - 2 = 8 MiB page cache: 64 MiB freed */
	CHECK_EQ(cg_lazy_estimate(&c), 64 * MiB, "%s: the group's MADV_FREE pages\n", ops->name);
	drop_group(&g, f, n);
}

static void test_v1_read(void **state)
{
	(void)state;
	check_read(&cg_v1_ops, v1_files, N(v1_files));
}

static void test_v2_read(void **state)
{
	(void)state;
	check_read(&cg_v2_ops, v2_files, N(v2_files));
}

/* Never below zero: page cache off the file LRU (mlocked, in flight) outweighs it. */
static void test_estimate_edges(void **state)
{
	static const struct {
		uint64_t lru_file, file, shmem, want;
	} rows[] = {
		{ 0, 0, 0, 0 },
		{ 8 * MiB, 8 * MiB, 0, 0 },           /* page cache only */
		{ 6 * MiB, 8 * MiB, 0, 0 },           /* some of it unevictable or isolated */
		{ 8 * MiB, 10 * MiB, 2 * MiB, 0 },    /* shmem is on the anon LRU */
		{ 40 * MiB, 8 * MiB, 0, 32 * MiB },   /* 32 MiB freed */
		{ 32 * MiB, 0, 4 * MiB, 32 * MiB },   /* shmem without page cache */
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct cg_counters c = { .lru_file = rows[i].lru_file, .file = rows[i].file,
					 .shmem = rows[i].shmem };

		CHECK_EQ(cg_lazy_estimate(&c), rows[i].want, "row %zu\n", i);
	}
}

/* Between walks: the walk's figure moved as the group's count moved, within 0 and the
 * target's anonymous memory. */
static void test_carry(void **state)
{
	static const struct {
		uint64_t walked, then, now, ceiling, want;
	} rows[] = {
		{ 0, 0, 0, 64 * MiB, 0 },                          /* none, none since */
		{ 0, 1 * MiB, 257 * MiB, 300 * MiB, 256 * MiB },   /* freed 256 MiB after the walk */
		{ 256 * MiB, 256 * MiB, 100 * MiB, 300 * MiB, 100 * MiB }, /* 156 MiB reclaimed */
		{ 10 * MiB, 200 * MiB, 50 * MiB, 300 * MiB, 0 },   /* the count fell below: none */
		{ 100 * MiB, 0, 100 * MiB, 150 * MiB, 150 * MiB }, /* no more than its anon */
		{ 100 * MiB, 0, 0, 0, 0 },                         /* a target with no anon left */
		{ 40 * MiB, 40 * MiB, 40 * MiB, 300 * MiB, 40 * MiB }, /* the count did not move */
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		CHECK_EQ(cg_lazy_carry(rows[i].walked, rows[i].then, rows[i].now, rows[i].ceiling),
			 rows[i].want, "row %zu\n", i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_read),
		cmocka_unit_test(test_v2_read),
		cmocka_unit_test(test_estimate_edges),
		cmocka_unit_test(test_carry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
