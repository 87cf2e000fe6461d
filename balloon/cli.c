/* Command-line parsing for the balloon, driven entirely by balloon_opts[] through the option
 * engine (common/opt.c): no option name appears in this file except in the help's examples. */
#include "cli.h"
#include "msg.h"

#include <errno.h>
#include <string.h>

int balloon_parse_args(int argc, char **argv, struct balloon_conf *c, char *why,
		       size_t whylen)
{
	int r;

	memset(c, 0, sizeof(*c));
	r = opt_defaults(balloon_opts, balloon_nopts, NULL, c, why, whylen);
	if (r < 0)
		return r;
	r = opt_parse_cli(balloon_opts, balloon_nopts, argc, argv, c, NULL, why, whylen);
	if (r < 0 || c->help || c->version)
		return r;
	c->size = c->size_spec.kind == SIZE_ABSOLUTE ? c->size_spec.bytes : 0;
	return balloon_check_conf(c, why, whylen);
}

void balloon_usage(FILE *f)
{
	fputs("Usage: balloon --size SIZE [--rate RATE] [--release HOW] [--release-after DURATION]\n"
	      "               [--hold DURATION|forever] [--cgroup PATH] [option...]\n"
	      "\n"
	      "Inflates memory to SIZE at RATE, chunk by chunk, writing every page so it is really\n"
	      "resident -- anonymous memory, or with --kind page cache, shmem, a memfd or mlocked\n"
	      "memory -- then stays inflated, releases the memory the way --release says\n"
	      "(munmap or an madvise advice), stays alive for --hold and optionally checks which\n"
	      "pages the kernel discarded (--verify). It is the memory pressure of the harness:\n"
	      "run it in the cgroup under test. It refuses to run where no memory limit applies\n"
	      "unless given --unbounded. Progress goes to --progress-fd as one JSON line per event\n"
	      "(started, tick, inflated, holding, released, verified, exiting, error); short\n"
	      "human messages go to stderr. SIGTERM or SIGINT stops it cleanly at any point.\n"
	      "\n"
	      "Options (sizes take K/M/G/T, binary; durations take ms/s/m/h):\n", f);
	opt_print_cli_help(f, balloon_opts, balloon_nopts, 80);
	fputs("\n"
	      "Exit codes:\n"
	      "  0  done: inflated, released and held as asked, or stopped by SIGTERM/SIGINT\n"
	      "  1  runtime failure: mmap or madvise failed (e.g. mmap: Cannot allocate memory)\n"
	      "  2  bad option or usage\n"
	      "  3  refused by the environment: no memory limit applies (without --unbounded),\n"
	      "     cannot join --cgroup, or the kernel does not support the madvise advice\n"
	      "  (killed by SIGKILL when the OOM killer picks the balloon)\n"
	      "\n"
	      "Examples:\n"
	      "  balloon --cgroup /test/box --size 1G --rate 100 --release-after 5s --release dontneed\n"
	      "      1 GiB at 100 MiB/s in /sys/fs/cgroup/memory/test/box, dropped after 5 s\n"
	      "  balloon --size 256M --release free --hold forever --unbounded\n"
	      "      256 MiB at full speed, handed back with MADV_FREE, alive until SIGTERM\n"
	      "  balloon --size 90% --kind shmem --hold forever\n"
	      "      90% of its cgroup's limit written to /dev/shm, kept until SIGTERM\n", f);
}
