/* spinwait: for the harness's hang rule, a process stuck only in part. Its main thread
 * allocates until done; in an oom_kill_disable group at its limit it waits in the kernel's memcg
 * OOM wait (state D) while --threads threads keep computing on memory they already have (R). */
#include "units.h"
#include "wl.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MAX_THREADS 256

struct opts {
	uint64_t threads, size, step, hold;
};

struct spinner {
	pthread_t tid;
	uint64_t seed;
	_Atomic uint64_t rounds;
};

static atomic_int spinners_stop;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: spinwait [--threads N] [--size SIZE] [--step SIZE] [--hold DURATION]\n"
		"\n"
		"For the harness's hang rule: --threads threads spin on arithmetic (no allocation, only\n"
		"memory they already have) while the main thread allocates --size in --step chunks,\n"
		"touching every page. Prints \"spinwait: spinning with N threads\" on stdout once the\n"
		"threads run, \"spinwait: allocated N MiB\" when all is allocated, then holds --hold\n"
		"and exits 0. Progress goes to stderr every 32 MiB. In a cgroup v1 group with\n"
		"oom_kill_disable at its limit, the main thread waits in the memcg OOM wait (D) while\n"
		"the spinners stay in state R. SIGTERM/SIGINT end it with exit 0 (unless the main thread\n"
		"is in that wait: only SIGKILL ends it there). Exit 1: a thread or mapping failed;\n"
		"2: bad usage.\n"
		"\n"
		"  --threads N        spinning threads, 0..%d (default 2)\n"
		"  --size SIZE        memory the main thread allocates (default 1G)\n"
		"  --step SIZE        allocated at a time (default 4M)\n"
		"  --hold DURATION    once allocated, run this long (default forever)\n"
		"  -h, --help         this text\n",
		MAX_THREADS);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 'n' }, { "size", required_argument, NULL, 's' },
		{ "step", required_argument, NULL, 't' },    { "hold", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ 2, GiB, 4 * MiB, DURATION_FOREVER };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o->threads = wl_uint_opt("threads", optarg, 0, MAX_THREADS); break;
		case 's': o->size = wl_size_opt("size", optarg); break;
		case 't': o->step = wl_size_opt("step", optarg); break;
		case 'H': o->hold = wl_duration_opt("hold", optarg, 1); break;
		case 'h': usage(stdout); exit(WL_EXIT_OK);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->step == 0)
		wl_usage_error("--step must be above 0");
}

/* A spinner computes in registers and on its own struct only: it never faults a new page
 * (its code is locked in memory: main). */
static void *spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t x = s->seed;

	while (!atomic_load_explicit(&spinners_stop, memory_order_relaxed)) {
		for (int i = 0; i < (1 << 20); i++)
			x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
		atomic_fetch_add_explicit(&s->rounds, 1, memory_order_relaxed);
	}
	s->seed = x;
	return NULL;
}

/* Starts n spinners with SIGTERM/SIGINT blocked, so those signals reach the main thread.
 * Returns 0 or the pthread_create error (the spinners started are stopped by the caller). */
static int start_spinners(struct spinner *sp, uint64_t n, uint64_t *started)
{
	sigset_t block, old;
	int err = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (*started = 0; *started < n; (*started)++) {
		sp[*started].seed = *started + 1;
		err = pthread_create(&sp[*started].tid, NULL, spin, &sp[*started]);
		if (err != 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

static uint64_t stop_spinners(struct spinner *sp, uint64_t n)
{
	uint64_t rounds = 0;

	atomic_store(&spinners_stop, 1);
	for (uint64_t i = 0; i < n; i++) {
		pthread_join(sp[i].tid, NULL);
		rounds += atomic_load(&sp[i].rounds);
	}
	return rounds;
}

/* Maps and touches size in steps, keeping all of it; returns 0, or -1 (stopped or failed). */
static int allocate(const struct opts *o)
{
	uint64_t total = 0, logged = 0;

	while (total < o->size && !wl_stop) {
		uint64_t n = o->size - total < o->step ? o->size - total : o->step;
		void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			wl_log("mmap %ju bytes at %ju MiB: %s", (uintmax_t)n, (uintmax_t)to_mib(total),
			       strerror(errno));
			return -1;
		}
		wl_touch(p, n);
		total += n;
		if (total - logged >= 32 * MiB) {
			wl_log("%ju MiB allocated", (uintmax_t)to_mib(total));
			logged = total;
		}
	}
	return wl_stop ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct spinner sp[MAX_THREADS];
	struct opts o;
	uint64_t started;
	int err, ret = WL_EXIT_FAIL;

	wl_init("spinwait");
	parse(argc, argv, &o);
	/* The spinners must never fault: at the limit the kernel reclaims file pages first, and
	 * a spinner whose code page went would fault it back in and join the OOM wait. Locked,
	 * the program's and libc's pages stay (their stacks are anonymous: without swap they
	 * stay anyway). */
	if (mlockall(MCL_CURRENT) < 0)
		wl_log("mlockall: %s (the spinners may fault on a reclaimed code page)",
		       strerror(errno));
	err = start_spinners(sp, o.threads, &started);
	if (err != 0) {
		wl_log("pthread_create (thread %ju of %ju): %s", (uintmax_t)started + 1,
		       (uintmax_t)o.threads, strerror(err));
		goto cleanup;
	}
	wl_say("spinning with %ju threads", (uintmax_t)o.threads);
	if (allocate(&o) < 0 && !wl_stop)
		goto cleanup;
	if (!wl_stop) {
		wl_say("allocated %ju MiB", (uintmax_t)to_mib(o.size));
		wl_sleep(o.hold);
	}
	if (wl_stop)
		wl_log("stopped by signal %d", (int)wl_stop);
	ret = WL_EXIT_OK;
cleanup:
	wl_log("spinners ran %ju rounds of 2^20 multiply-adds", (uintmax_t)stop_spinners(sp, started));
	return ret;
}
