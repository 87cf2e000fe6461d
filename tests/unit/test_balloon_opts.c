/* Unit tests of the balloon's option table (common/balloon_conf.c) and its command line
 * (balloon/cli.c): defaults, good values in every spelling, bad sizes, out-of-range numbers,
 * unknown enum values and options, the INI spelling the runner uses, and the --help text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check.h"

#include "balloon_conf.h"
#include "cli.h"
#include "kind.h"
#include "limit.h"
#include "proc_cgroup.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXARGS 12


/* Splits "--size 256M --verify" at spaces into argv (argv[0] = "balloon"). */
static int make_argv(const char *line, char *buf, size_t len, char **argv)
{
	int argc = 0;

	argv[argc++] = "balloon";
	snprintf(buf, len, "%s", line);
	for (char *tok = strtok(buf, " "); tok && argc < MAXARGS; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

static int parse(const char *line, struct balloon_conf *c, char *why, size_t whylen)
{
	char buf[512], *argv[MAXARGS + 1];
	int argc = make_argv(line, buf, sizeof(buf), argv);

	why[0] = '\0';
	return balloon_parse_args(argc, argv, c, why, whylen);
}

/* Every default, as balloon --help and docs/keys.md promise them. */
static void test_defaults(void **state)
{
	struct balloon_conf c;
	char why[256];

	(void)state;
	assert_int_equal(parse("--size 256M", &c, why, sizeof(why)), 0);
	assert_int_equal(c.size, 256 * MiB);
	assert_int_equal(c.rate, 0);
	assert_int_equal(c.ramp, 0);
	assert_int_equal(c.chunk, 64 * MiB);
	assert_int_equal(c.release_after, 0);
	assert_int_equal(c.release, REL_KEEP);
	assert_int_equal(c.hold, 0);
	assert_int_equal(c.touch, TOUCH_PAGE);
	assert_int_equal(c.thp, THP_DEFAULT);
	assert_int_equal(c.tick_hz, 50);
	assert_int_equal(c.progress_interval, 100 * NSEC_PER_MSEC);
	assert_int_equal(c.progress_fd, 1);
	assert_null(c.cgroup);
	assert_false(c.unbounded);
	assert_false(c.verify);
	assert_false(c.quiet);
	assert_false(c.help);
	opt_free(balloon_opts, balloon_nopts, &c);
}

/* Good command lines: {argv, field offset, expected value}; enum and bool fields are int and
 * bool, everything else uint64_t. */
enum kind { U64, INT, BOOL };

static void test_good_values(void **state)
{
#define AT(f) offsetof(struct balloon_conf, f)
	static const struct {
		const char *line;
		size_t off;
		enum kind kind;
		uint64_t want;
	} rows[] = {
		{ "--size 4096", AT(size), U64, 4096 },
		{ "--size=4K", AT(size), U64, 4096 },
		{ "--size 1.5G", AT(size), U64, 3 * GiB / 2 },
		{ "--size 1G --rate 100", AT(rate), U64, 100 * MiB },
		{ "--size 1G --rate=512K/s", AT(rate), U64, 512 * KiB },
		{ "--size 1G --rate 0", AT(rate), U64, 0 },
		{ "--size 1G --rate 100 --ramp 5s", AT(ramp), U64, 5 * NSEC_PER_SEC },
		{ "--size 1G --rate 100 --ramp=24h", AT(ramp), U64, 86400 * NSEC_PER_SEC },
		{ "--size 1G --chunk 2M", AT(chunk), U64, 2 * MiB },
		{ "--size 1G --chunk 1T", AT(chunk), U64, 1024 * GiB },
		{ "--size 1G --release-after 2s", AT(release_after), U64, 2 * NSEC_PER_SEC },
		{ "--size 1G --release_after=500ms", AT(release_after), U64, 500 * NSEC_PER_MSEC },
		{ "--size 1G --release free", AT(release), INT, REL_FREE },
		{ "--size 1G --release=cold", AT(release), INT, REL_COLD },
		{ "--size 1G --hold forever", AT(hold), U64, DURATION_FOREVER },
		{ "--size 1G --hold 1m", AT(hold), U64, 60 * NSEC_PER_SEC },
		{ "--size 1G --touch random", AT(touch), INT, TOUCH_RANDOM },
		{ "--size 1G --thp off", AT(thp), INT, THP_OFF },
		{ "--size 1G --tick-hz 20", AT(tick_hz), U64, 20 },
		{ "--size 1G --tick_hz=1000", AT(tick_hz), U64, 1000 },
		{ "--size 1G --progress-interval 10ms", AT(progress_interval), U64, 10 * NSEC_PER_MSEC },
		{ "--size 1G --progress-fd 3", AT(progress_fd), U64, 3 },
		{ "--size 1G --unbounded", AT(unbounded), BOOL, 1 },
		{ "--size 1G --verify --release free", AT(verify), BOOL, 1 },
		{ "--size 1G --verify=no", AT(verify), BOOL, 0 },
		{ "--size 1G --quiet=yes", AT(quiet), BOOL, 1 },
		{ "--help", AT(help), BOOL, 1 },            /* --help needs no --size */
		{ "-h", AT(help), BOOL, 1 },
		{ "--size 1G --size 2G", AT(size), U64, 2 * GiB }, /* the last one wins */
		/* Kubernetes' binary spellings, and sizes relative to the limit (resolved later) */
		{ "--size 512Mi", AT(size), U64, 512 * MiB },
		{ "--size 1Gi", AT(size), U64, GiB },
		{ "--size 90%", AT(size), U64, 0 },
		{ "--size 90%", AT(size_spec.milli_pct), U64, 90000 },
		{ "--size 12.5%", AT(size_spec.milli_pct), U64, 12500 },
		{ "--size limit-64M", AT(size_spec.bytes), U64, 64 * MiB },
		{ "--size limit-64Mi", AT(size_spec.kind), INT, SIZE_BELOW_LIMIT },
		{ "--size 1G --kind file", AT(kind), INT, KIND_FILE },
		{ "--size 1G --kind=shmem", AT(kind), INT, KIND_SHMEM },
		{ "--size 1G --kind memfd", AT(kind), INT, KIND_MEMFD },
		{ "--size 1G --kind mlock", AT(kind), INT, KIND_MLOCK },
		{ "--size 1G --kind mlock --thp on", AT(thp), INT, THP_ON },
		{ "--size 1G --kind shmem --release dontneed", AT(release), INT, REL_DONTNEED },
		{ "--size 1G --kind memfd --release pageout", AT(release), INT, REL_PAGEOUT },
		{ "--size 1G --kind mlock --release free", AT(release), INT, REL_FREE },
	};
#undef AT
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct balloon_conf c;
		char why[256];
		const char *p;
		uint64_t got;
		int r = parse(rows[i].line, &c, why, sizeof(why));

		CHECK_EQ(r, 0, "\"%s\": %s\n", rows[i].line, why);
		p = (const char *)&c + rows[i].off;
		got = rows[i].kind == U64 ? *(const uint64_t *)(const void *)p
		      : rows[i].kind == INT ? (uint64_t)*(const int *)(const void *)p
					    : (uint64_t)*(const bool *)(const void *)p;
		CHECK_EQ(got, rows[i].want, "\"%s\"\n", rows[i].line);
		opt_free(balloon_opts, balloon_nopts, &c);
	}
}

static void test_cgroup_string(void **state)
{
	struct balloon_conf c;
	char why[256];

	(void)state;
	assert_int_equal(parse("--size 1G --cgroup /test/box", &c, why, sizeof(why)), 0);
	assert_string_equal(c.cgroup, "/test/box");
	opt_free(balloon_opts, balloon_nopts, &c);
	assert_null(c.cgroup);
}

/* Bad command lines: {argv, -errno, the exact message}. */
static void test_bad_values(void **state)
{
	static const struct {
		const char *line;
		int err;
		const char *why;
	} rows[] = {
		{ "--size 12Q", -EINVAL, "--size: \"12Q\" is not a size (use 512M, 2G, 4096)" },
		{ "--size -1G", -EINVAL, "--size: \"-1G\": a size cannot be negative" },
		{ "--size=", -EINVAL, "--size: empty value is not a size (use 512M, 2G, 4096)" },
		{ "--size 99999999999999999999", -ERANGE, "--size: \"99999999999999999999\" is too large" },
		{ "--size 1K", -ERANGE, "--size: \"1K\" is out of range (at least 4 KiB)" },
		{ "--size 1G --chunk 2T", -ERANGE,
		  "--chunk: \"2T\" is out of range (4 KiB to 1 TiB)" },
		{ "--size 1G --tick-hz 19", -ERANGE, "--tick-hz: \"19\" is out of range (20 to 1000)" },
		{ "--size 1G --tick-hz 1001", -ERANGE,
		  "--tick-hz: \"1001\" is out of range (20 to 1000)" },
		{ "--size 1G --tick-hz 50.5", -EINVAL, "--tick-hz: \"50.5\" is not a whole number" },
		{ "--size 1G --progress-interval 5ms", -ERANGE,
		  "--progress-interval: \"5ms\" is out of range (at least 10 ms)" },
		{ "--size 1G --release bogus", -EINVAL,
		  "--release: \"bogus\" is not one of keep|munmap|dontneed|free|pageout|cold" },
		{ "--size 1G --touch FILL", -EINVAL, "--touch: \"FILL\" is not one of page|fill|random" },
		{ "--size 1G --thp always", -EINVAL, "--thp: \"always\" is not one of default|off|on" },
		{ "--size 1G --hold never", -EINVAL,
		  "--hold: \"never\" is not a duration (use 2s, 500ms, 1m, forever)" },
		{ "--size 1G --release-after forever", -EINVAL,
		  "--release-after: \"forever\" is not a duration (use 2s, 500ms, 1m)" },
		{ "--size 1G --rate fast", -EINVAL,
		  "--rate: \"fast\" is not a rate (use 100 (MiB/s), 100M/s, 512K/s)" },
		{ "--size 1G --verify=maybe", -EINVAL,
		  "--verify: \"maybe\" is not a boolean (use yes or no)" },
		{ "--size 1G --cgroup=", -EINVAL, "--cgroup: value must not be empty" },
		{ "--foo", -EINVAL, "unknown option --foo (see --help)" },
		{ "--size 1G --foo=bar", -EINVAL, "unknown option --foo (see --help)" },
		{ "--size 1G size", -EINVAL,
		  "unexpected argument \"size\" (options start with - or --; see --help)" },
		{ "--size 1G -v", -EINVAL, "unknown option -v (see --help)" },
		{ "--size 1G -qx", -EINVAL, "unknown option -x (see --help)" },
		{ "--size 1G -q -h", 0, "" },
		{ "--version", 0, "" },
		{ "--size", -EINVAL, "--size needs a value (SIZE|N%|limit-SIZE)" },
		{ "", -EINVAL, "--size is required (see --help)" },
		{ "--rate 100", -EINVAL, "--size is required (see --help)" },
		{ "--size 1G --verify --release munmap", -EINVAL,
		  "--verify reads the pages after the release, but --release munmap leaves none to "
		  "read (use free, dontneed, pageout, cold or keep)" },
		{ "--size 1G --ramp 5s", -EINVAL,
		  "--ramp climbs to --rate, but --rate is 0 (as fast as the kernel allows): give a "
		  "rate to climb to (--rate 1000 --ramp 5s)" },
		{ "--size 101%", -ERANGE, "--size: \"101%\" is out of range (above 0% and at most 100%)" },
		{ "--size 0%", -ERANGE, "--size: \"0%\" is out of range (above 0% and at most 100%)" },
		{ "--size limit-", -EINVAL, "--size: \"limit-\" is not a size (use 512M, 2G, 4096)" },
		{ "--size limit-12Q", -EINVAL,
		  "--size: \"limit-12Q\": after limit- comes a size (use 512M, 1Gi, 90%, limit-64M)" },
		{ "--size 512Mb%", -EINVAL,
		  "--size: \"512Mb%\" is not a percentage (use 512M, 1Gi, 90%, limit-64M)" },
		{ "--size 1G --kind swap", -EINVAL,
		  "--kind: \"swap\" is not one of anon|file|shmem|memfd|mlock" },
		{ "--size 1G --dir /tmp", -EINVAL,
		  "--dir is where the file of --kind file or shmem goes, but the kind is anon (no "
		  "file)" },
		{ "--size 1G --kind memfd --dir /dev/shm", -EINVAL,
		  "--dir is where the file of --kind file or shmem goes, but the kind is memfd (no "
		  "file)" },
		{ "--size 1G --kind file --release free", -EINVAL,
		  "--release free advises a mapping, but --kind file writes a file it never maps: use "
		  "dontneed (punch a hole: the pages are freed at once), munmap (close the file: "
		  "freed) or keep" },
		{ "--size 1G --kind shmem --release pageout", -EINVAL,
		  "--release pageout advises a mapping, but --kind shmem writes a file it never maps: "
		  "use dontneed (punch a hole: the pages are freed at once), munmap (close the file: "
		  "freed) or keep" },
		{ "--size 1G --kind memfd --release free", -EINVAL,
		  "--release free: MADV_FREE is for private anonymous memory; the kernel refuses it "
		  "on a memfd's shared mapping (use dontneed, munmap, pageout, cold or keep)" },
		{ "--size 1G --kind shmem --thp on", -EINVAL,
		  "--thp advises anonymous memory (kind anon or mlock); kind shmem is written, never "
		  "mapped" },
		{ "--size 1G --rate 100 --ramp 25h", -ERANGE,
		  "--ramp: \"25h\" is out of range (0 ms to 86400.00 s)" },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct balloon_conf c;
		char why[256];
		int r = parse(rows[i].line, &c, why, sizeof(why));

		CHECK_EQ((uint64_t)(int64_t)r, (uint64_t)(int64_t)rows[i].err, "\"%s\": %d (%s)\n",
			 rows[i].line, r, why);
		if (strcmp(why, rows[i].why) != 0)
			print_message("\"%s\"\n", rows[i].line);
		assert_string_equal(why, rows[i].why);
		opt_free(balloon_opts, balloon_nopts, &c);
	}
}

/* The table itself: one row per field, dashes in keys, INI spellings found, help everywhere,
 * runner-only-in-CLI flags where the runner sets the value itself. */
static void test_table(void **state)
{
	static const struct {
		const char *ini_key;
		size_t off;
		bool cli_only;
	} rows[] = {
		{ "size", offsetof(struct balloon_conf, size_spec), false },
		{ "kind", offsetof(struct balloon_conf, kind), false },
		{ "dir", offsetof(struct balloon_conf, dir), false },
		{ "rate", offsetof(struct balloon_conf, rate), false },
		{ "ramp", offsetof(struct balloon_conf, ramp), true },
		{ "chunk", offsetof(struct balloon_conf, chunk), false },
		{ "release_after", offsetof(struct balloon_conf, release_after), false },
		{ "release", offsetof(struct balloon_conf, release), false },
		{ "hold", offsetof(struct balloon_conf, hold), false },
		{ "touch", offsetof(struct balloon_conf, touch), false },
		{ "thp", offsetof(struct balloon_conf, thp), false },
		{ "tick_hz", offsetof(struct balloon_conf, tick_hz), false },
		{ "progress_interval", offsetof(struct balloon_conf, progress_interval), false },
		{ "progress_fd", offsetof(struct balloon_conf, progress_fd), true },
		{ "cgroup", offsetof(struct balloon_conf, cgroup), true },
		{ "unbounded", offsetof(struct balloon_conf, unbounded), true },
		{ "verify", offsetof(struct balloon_conf, verify), false },
		{ "quiet", offsetof(struct balloon_conf, quiet), true },
		{ "help", offsetof(struct balloon_conf, help), true },
		{ "version", offsetof(struct balloon_conf, version), true },
	};
	struct balloon_conf c;
	char why[256];

	(void)state;
	assert_int_equal(balloon_nopts, N(rows));
	for (size_t i = 0; i < N(rows); i++) {
		const struct opt *o = opt_find(balloon_opts, balloon_nopts, NULL, rows[i].ini_key);

		if (!o)
			print_message("no row for %s\n", rows[i].ini_key);
		assert_non_null(o);
		CHECK_EQ(o->offset, rows[i].off, "%s\n", rows[i].ini_key);
		CHECK_EQ(!!(o->flags & BOPT_CLI_ONLY), rows[i].cli_only, "%s\n", rows[i].ini_key);
		assert_null(o->section);
		assert_null(strchr(o->key, '_'));
		assert_true(o->help && strlen(o->help) > 10);
	}
	/* The defaults are parsed by the same code: all must be valid. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(opt_defaults(balloon_opts, balloon_nopts, NULL, &c, why, sizeof(why)), 0);
	opt_free(balloon_opts, balloon_nopts, &c);
}

/* --help: usage, every option, the exit codes and the demo example. */
static void test_usage(void **state)
{
	static const char *const must[] = {
		"Usage: balloon --size SIZE", "Exit codes:", "  3  refused by the environment",
		"balloon --size 256M --release free --hold forever --unbounded",
		"(required)", "(default: 64M)",
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	balloon_usage(f);
	fclose(f);
	for (size_t i = 0; i < N(must); i++) {
		if (!strstr(text, must[i]))
			print_message("help lacks \"%s\"\n", must[i]);
		assert_non_null(strstr(text, must[i]));
	}
	for (size_t i = 0; i < balloon_nopts; i++) {
		char flag[64];

		snprintf(flag, sizeof(flag), "--%s", balloon_opts[i].key);
		if (!strstr(text, flag))
			print_message("help lacks %s\n", flag);
		assert_non_null(strstr(text, flag));
	}
	free(text);
}

/* The safety check's pure parts: finding the memory cgroup and reading a limit. */
static void test_limit_parsing(void **state)
{
	static const struct {
		const char *text;
		bool v2;
		int err;
		const char *path;
	} cg[] = {
		{ "4:memory:/a/b\n0::/\n", false, 0, "/a/b" },
		{ "9:name=systemd:/\n5:cpuacct,memory,cpu:/x:y\n", false, 0, "/x:y" },
		{ "3:memory_x:/no\n2:memory:/yes", false, 0, "/yes" },
		{ "4:memory:/a/b\n0::/unified\n", true, 0, "/unified" },
		{ "0::/\n", false, -ENOENT, NULL },
		{ "", true, -ENOENT, NULL },
	};
	static const struct {
		const char *text;
		bool v2;
		int err;
		bool limited;
		uint64_t bytes;
	} val[] = {
		{ "9223372036854771712\n", false, 0, false, 9223372036854771712ULL },
		{ "536870912\n", false, 0, true, 536870912 },
		{ "4611686018427387904", false, 0, false, 1ULL << 62 },
		{ "max\n", true, 0, false, UINT64_MAX },
		{ "419430400\n", true, 0, true, 419430400 },
		{ "maxi", true, -EINVAL, false, 0 },
		{ "", false, -EINVAL, false, 0 },
		{ "12abc", false, -EINVAL, false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cg); i++) {
		char path[64] = "";
		int r = proc_cgroup_path(cg[i].text, cg[i].v2, path, sizeof(path));

		CHECK_EQ((uint64_t)(int64_t)r, (uint64_t)(int64_t)cg[i].err, "cgroup row %zu\n", i);
		if (r == 0)
			assert_string_equal(path, cg[i].path);
	}
	for (size_t i = 0; i < N(val); i++) {
		bool limited = false;
		uint64_t bytes = 0;
		int r = limit_parse_value(val[i].text, val[i].v2, &limited, &bytes);

		CHECK_EQ((uint64_t)(int64_t)r, (uint64_t)(int64_t)val[i].err, "value row %zu\n", i);
		if (r == 0) {
			CHECK_EQ(limited, val[i].limited, "value row %zu\n", i);
			CHECK_EQ(bytes, val[i].bytes, "value row %zu\n", i);
		}
	}
}

/* --size against the limit the balloon finds: {spec, limited, limit, page, err, bytes}. */
static void test_resolve_size(void **state)
{
	static const struct {
		const char *size;
		bool limited;
		uint64_t limit, page;
		int err;
		uint64_t bytes;
		const char *why;
	} rows[] = {
		{ "256M", false, 0, 4096, 0, 256 * MiB, "" },
		{ "10000", true, MiB, 4096, 0, 8192, "" },           /* down to whole pages */
		{ "90%", true, 200 * MiB, 4096, 0, 188743680, "" },  /* 180 MiB */
		{ "100%", true, 200 * MiB, 4096, 0, 200 * MiB, "" },
		{ "33.3%", true, 100 * MiB, 4096, 0, 34914304, "" }, /* 34917171 to a page */
		{ "limit-64M", true, 256 * MiB, 4096, 0, 192 * MiB, "" },
		{ "limit-64Mi", true, 256 * MiB, 65536, 0, 192 * MiB, "" },
		{ "90%", false, 0, 4096, -EINVAL, 0,
		  "--size: 90% of the limit, but no memory limit applies to the balloon's cgroup or "
		  "its ancestors: give a size (512M)" },
		{ "limit-256M", true, 256 * MiB, 4096, -ERANGE, 0,
		  "--size: the limit less 256 MiB of a 256 MiB limit is less than a page" },
		{ "limit-1G", true, 256 * MiB, 4096, -ERANGE, 0,
		  "--size: the limit less 1 GiB of a 256 MiB limit is less than a page" },
		{ "0.001%", true, 100 * MiB, 4096, -ERANGE, 0,
		  "--size: 0.001% of the limit of a 100 MiB limit is less than a page" },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct balloon_conf c;
		char why[256], line[64];
		uint64_t bytes = 0;
		int r;

		snprintf(line, sizeof(line), "--size %s", rows[i].size);
		assert_int_equal(parse(line, &c, why, sizeof(why)), 0);
		why[0] = '\0';
		r = balloon_resolve_size(&c, rows[i].limited, rows[i].limit, rows[i].page, &bytes, why,
					 sizeof(why));
		CHECK_EQ((uint64_t)(int64_t)r, (uint64_t)(int64_t)rows[i].err, "%s: %s\n",
			 rows[i].size, why);
		if (r == 0)
			CHECK_EQ(bytes, rows[i].bytes, "%s\n", rows[i].size);
		if (strcmp(why, rows[i].why) != 0)
			print_message("%s\n", rows[i].size);
		assert_string_equal(why, rows[i].why);
		opt_free(balloon_opts, balloon_nopts, &c);
	}
}

/* The kinds' pure parts: their names, their default directories, CAP_IPC_LOCK in CapEff. */
static void test_kinds(void **state)
{
	static const struct {
		const char *status;
		bool ipc_lock;
	} caps[] = {
		{ "Name:\tballoon\nCapEff:\t000001ffffffffff\n", true },  /* root */
		{ "Name:\tballoon\nCapEff:\t0000000000000000\n", false },
		{ "Name:\tballoon\nCapEff:\t0000000000004000\n", true },  /* bit 14 alone */
		{ "Name:\tballoon\nCapEff:\t0000000000003fff\n", false },
		{ "Name:\tballoon\n", false },
		{ "", false },
	};
	struct balloon_conf c;
	char why[256];

	(void)state;
	for (size_t i = 0; i < N(caps); i++)
		CHECK_EQ(kind_capeff_has_ipc_lock(caps[i].status), caps[i].ipc_lock, "row %zu\n", i);
	assert_string_equal(kind_name(KIND_ANON), "anon");
	assert_string_equal(kind_name(KIND_FILE), "file");
	assert_string_equal(kind_name(KIND_SHMEM), "shmem");
	assert_string_equal(kind_name(KIND_MEMFD), "memfd");
	assert_string_equal(kind_name(KIND_MLOCK), "mlock");
	for (int k = KIND_ANON; k <= KIND_MLOCK; k++)
		assert_string_equal(kind_name(k), opt_choice(opt_find(balloon_opts, balloon_nopts,
								      NULL, "kind"), k));
	assert_int_equal(parse("--size 1G --kind file", &c, why, sizeof(why)), 0);
	assert_string_equal(balloon_kind_dir(&c), "/var/tmp");
	opt_free(balloon_opts, balloon_nopts, &c);
	assert_int_equal(parse("--size 1G --kind shmem", &c, why, sizeof(why)), 0);
	assert_string_equal(balloon_kind_dir(&c), "/dev/shm");
	opt_free(balloon_opts, balloon_nopts, &c);
	assert_int_equal(parse("--size 1G --kind shmem --dir /run/x", &c, why, sizeof(why)), 0);
	assert_string_equal(balloon_kind_dir(&c), "/run/x");
	opt_free(balloon_opts, balloon_nopts, &c);
	assert_int_equal(parse("--size 1G --kind memfd", &c, why, sizeof(why)), 0);
	assert_null(balloon_kind_dir(&c));
	opt_free(balloon_opts, balloon_nopts, &c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_values),
		cmocka_unit_test(test_cgroup_string),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_limit_parsing),
		cmocka_unit_test(test_resolve_size),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests_name("balloon_opts", tests, NULL, NULL);
}
