/* hotset: a service whose working set must stay in memory. It maps --size of anonymous memory,
 * writes every page, then reads one word of every page again every --every, so whatever the
 * kernel evicted (swapped out) meanwhile is faulted back in: a refault the protected group's
 * memory.stat counts. The workload of the protection scenarios (memory.low, memory.min). */
#include "units.h"
#include "wl.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct opts {
	uint64_t size, every, duration;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hotset [--size SIZE] [--every DURATION] [--duration DURATION]\n"
		"\n"
		"Keeps a working set hot: maps --size of anonymous memory, writes every page, prints\n"
		"\"hotset: ready N MiB\" on stdout, then reads every page again every --every, for\n"
		"--duration (default forever). Each pass that took longer than --every says so on\n"
		"stdout (\"hotset: pass N took T s\": pages were faulted back in). SIGTERM/SIGINT end\n"
		"it with exit 0. Exit 1: the memory could not be mapped; 2: bad usage.\n"
		"\n"
		"  --size SIZE          working set (default 64M)\n"
		"  --every DURATION     between two passes (default 100ms)\n"
		"  --duration DURATION  how long to keep it hot (default forever)\n"
		"  -h, --help           this text\n");
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "every", required_argument, NULL, 'e' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ 64 * MiB, 100 * NSEC_PER_MSEC, UINT64_MAX };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->size = wl_size_opt("size", optarg); break;
		case 'e': o->every = wl_duration_opt("every", optarg, 0); break;
		case 'd': o->duration = wl_duration_opt("duration", optarg, 1); break;
		case 'h': usage(stdout); exit(WL_EXIT_OK);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->size == 0)
		wl_usage_error("--size must be above 0");
}

/* Reads one word of every page; the sum keeps the compiler from dropping the reads. */
static uint64_t pass(const volatile char *p, size_t len, size_t page)
{
	uint64_t sum = 0;

	for (size_t off = 0; off < len; off += page)
		sum += (unsigned char)p[off];
	return sum;
}

int main(int argc, char **argv)
{
	struct opts o;
	char *base;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	double t0, slow = 0;
	uint64_t n = 0, sum = 0;

	wl_init("hotset");
	parse(argc, argv, &o);
	base = mmap(NULL, o.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		wl_log("mmap %ju bytes: %s", (uintmax_t)o.size, strerror(errno));
		return WL_EXIT_FAIL;
	}
	wl_touch(base, o.size);
	wl_say("ready %ju MiB", (uintmax_t)to_mib(o.size));
	t0 = wl_now();
	while (!wl_stop && (o.duration == UINT64_MAX || wl_now() - t0 < (double)o.duration / 1e9)) {
		double t = wl_now(), took;

		sum += pass(base, o.size, page);
		took = wl_now() - t;
		n++;
		/* a pass over resident pages takes microseconds per MiB: one that takes longer
		 * than the interval faulted pages back in */
		if (took > (double)o.every / 1e9 && took > slow) {
			slow = took;
			wl_say("pass %ju took %.2f s", (uintmax_t)n, took);
		}
		if (wl_sleep(o.every) < 0)
			break;
	}
	wl_say("%ju passes (checksum %ju)", (uintmax_t)n, (uintmax_t)sum);
	return WL_EXIT_OK;
}
