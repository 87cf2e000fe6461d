/* populate: the kernel's own speed limit for the benchmark. Maps SIZE of anonymous private
 * memory and faults all of it in with one madvise(MADV_POPULATE_WRITE), timed on
 * CLOCK_MONOTONIC; prints the seconds that call took (mmap and exit are not timed).
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
	fprintf(f, "Usage: populate SIZE\n"
		   "Maps SIZE (512M, 1G; a bare number is bytes; rounded down to whole pages) of\n"
		   "anonymous memory, populates it with one madvise(MADV_POPULATE_WRITE) and prints\n"
		   "the seconds that call took.\n"
		   "Exit codes: 0 done, 1 mmap/madvise failed, 2 bad usage,\n"
		   "            3 the kernel lacks MADV_POPULATE_WRITE (Linux 5.14+)\n");
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Maps and populates `size` bytes, sets *secs to the madvise time. Returns a status; the
 * reason in why. The mapping is released before returning. */
static enum populate_status populate(uint64_t size, double *secs, char *why, size_t whylen)
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
cleanup:
	if (p != MAP_FAILED)
		munmap(p, size);
	return st;
}

/* Parses the one argument into whole pages. Returns 0, or -1 with the reason in why. */
static int parse_args(int argc, char **argv, uint64_t *size, char *why, size_t whylen)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	char perr[256];

	if (argc != 2) {
		errf(why, whylen, "expected one argument, SIZE (try --help)");
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
	double secs = 0;
	char why[512];

	msg_set_prog("populate");
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return POP_DONE;
	}
	if (parse_args(argc, argv, &size, why, sizeof(why)) < 0) {
		warnmsg("%s", why);
		return POP_USAGE;
	}
	st = populate(size, &secs, why, sizeof(why));
	if (st != POP_DONE) {
		warnmsg("%s", why);
		return (int)st;
	}
	printf("%.6f\n", secs);
	return POP_DONE;
}
