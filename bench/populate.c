/* populate: the kernel's own speed limit for the benchmark. Maps SIZE of anonymous private
 * memory and faults all of it in with one madvise(MADV_POPULATE_WRITE), timed on
 * CLOCK_MONOTONIC; prints the seconds that call took (mmap and exit are not timed). With
 * --thp on the mapping is advised MADV_HUGEPAGE first, as balloon --thp on does; --hold keeps
 * the memory that long afterwards, so a sampler outside sees it complete.
 *
 * Exit codes: 0 done; 1 mmap or madvise failed; 2 bad usage; 3 the kernel does not support
 * MADV_POPULATE_WRITE (needs Linux 5.14). It joins no cgroup: bench/bench.sh starts it in one. */
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14, include/uapi/asm-generic/mman-common.h */
#endif

enum populate_status { POP_DONE = 0, POP_FAILED = 1, POP_USAGE = 2, POP_UNSUPPORTED = 3 };

static void usage(FILE *f)
{
	fprintf(f, "Usage: populate [--thp on|off|default] [--hold DURATION] SIZE\n"
		   "Maps SIZE (512M, 1G; a bare number is bytes; rounded down to whole pages) of\n"
		   "anonymous memory, populates it with one madvise(MADV_POPULATE_WRITE) and prints\n"
		   "the seconds that call took. --thp on advises MADV_HUGEPAGE first, off\n"
		   "MADV_NOHUGEPAGE (default: the system's policy), as balloon --thp does; --hold\n"
		   "keeps the memory that long before exiting (not timed).\n"
		   "Exit codes: 0 done, 1 mmap/madvise failed, 2 bad usage,\n"
		   "            3 the kernel lacks MADV_POPULATE_WRITE (Linux 5.14+)\n");
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The advice --thp asks for; 0 = none. */
static const struct {
	const char *name;
	int advice;
} thp_modes[] = { { "default", 0 }, { "on", MADV_HUGEPAGE }, { "off", MADV_NOHUGEPAGE } };

/* Maps and populates `size` bytes, sets *secs to the madvise time. Returns a status; the
 * reason in why. The mapping is released before returning. */
static enum populate_status populate(uint64_t size, int thp, uint64_t hold_ns, double *secs,
				     char *why, size_t whylen)
{
	enum populate_status st = POP_FAILED;
	struct timespec t0, t1;
	void *p = MAP_FAILED;
	int err;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		errf(why, whylen, "mmap %llu bytes: %s", (unsigned long long)size, strerror(errno));
		goto cleanup;
	}
	if (thp && madvise(p, size, thp) < 0) {
		errf(why, whylen, "madvise(%s): %s", thp == MADV_HUGEPAGE ? "MADV_HUGEPAGE"
					: "MADV_NOHUGEPAGE", strerror(errno));
		goto cleanup;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = madvise(p, size, MADV_POPULATE_WRITE) < 0 ? errno : 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err == EINVAL) {
		/* The mapping is page-aligned, writable and private: EINVAL can only mean the
		 * advice itself is unknown to this kernel. */
		errf(why, whylen, "madvise(MADV_POPULATE_WRITE): %s: this kernel does not support "
		     "it (needs Linux 5.14 or later)", strerror(err));
		st = POP_UNSUPPORTED;
		goto cleanup;
	}
	if (err) {
		errf(why, whylen, "madvise(MADV_POPULATE_WRITE) of %llu bytes: %s",
		     (unsigned long long)size, strerror(err));
		goto cleanup;
	}
	*secs = seconds_between(&t0, &t1);
	st = POP_DONE;
	if (hold_ns) {
		struct timespec h = { .tv_sec = (time_t)(hold_ns / NSEC_PER_SEC),
				      .tv_nsec = (long)(hold_ns % NSEC_PER_SEC) };

		while (nanosleep(&h, &h) < 0 && errno == EINTR)
			;
	}
cleanup:
	if (p != MAP_FAILED)
		munmap(p, size);
	return st;
}

/* Parses [--thp MODE] [--hold DURATION] SIZE: the size into whole pages, the mode into its
 * advice. Returns 0, or -1 with the reason in why. */
static int parse_args(int argc, char **argv, uint64_t *size, int *thp, uint64_t *hold_ns,
		      char *why, size_t whylen)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	char perr[256];
	size_t i;

	*thp = 0;
	*hold_ns = 0;
	while (argc >= 4 && strncmp(argv[1], "--", 2) == 0) {
		if (strcmp(argv[1], "--thp") == 0) {
			for (i = 0; i < sizeof(thp_modes) / sizeof(thp_modes[0]); i++)
				if (strcmp(argv[2], thp_modes[i].name) == 0)
					break;
			if (i == sizeof(thp_modes) / sizeof(thp_modes[0])) {
				errf(why, whylen, "--thp: \"%s\" is not a mode (on, off, default)",
				     argv[2]);
				return -1;
			}
			*thp = thp_modes[i].advice;
		} else if (strcmp(argv[1], "--hold") == 0) {
			if (parse_duration(argv[2], 0, hold_ns, perr, sizeof(perr)) < 0) {
				errf(why, whylen, "--hold: %s", perr);
				return -1;
			}
		} else {
			break;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc != 2) {
		errf(why, whylen, "expected [--thp on|off|default] [--hold DURATION] SIZE (try --help)");
		return -1;
	}
	if (parse_size(argv[1], size, perr, sizeof(perr)) < 0) {
		errf(why, whylen, "SIZE: %s", perr);
		return -1;
	}
	*size -= *size % page;
	if (*size == 0) {
		errf(why, whylen, "SIZE: \"%s\" is less than one page (%llu bytes)", argv[1],
		     (unsigned long long)page);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum populate_status st;
	uint64_t size;
	int thp;
	uint64_t hold_ns;
	double secs = 0;
	char why[512];

	msg_set_prog("populate");
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return POP_DONE;
	}
	if (parse_args(argc, argv, &size, &thp, &hold_ns, why, sizeof(why)) < 0) {
		warnmsg("%s", why);
		return POP_USAGE;
	}
	st = populate(size, thp, hold_ns, &secs, why, sizeof(why));
	if (st != POP_DONE) {
		warnmsg("%s", why);
		return (int)st;
	}
	printf("%.6f\n", secs);
	return POP_DONE;
}
