/* stepfree: the false positive of the harness's hang rule. A process that sits at its memory
 * but is not stuck: it holds --size (touched), then gives it back --step at a time every
 * --every with munmap, so its usage falls in steps while nothing new is allocated. */
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
	uint64_t size, step, every, hold;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: stepfree [--size SIZE] [--step SIZE] [--every DURATION] [--hold DURATION]\n"
		"\n"
		"For the harness's hang rule's false positive: holds --size of anonymous memory, every\n"
		"page touched, prints \"stepfree: holding N MiB\" on stdout, then frees --step (munmap)\n"
		"every --every, printing \"stepfree: freed N MiB, holding M MiB\" each time, until all\n"
		"is freed (\"stepfree: freed all\"); then holds --hold more and exits 0.\n"
		"SIGTERM/SIGINT end it early with exit 0. Exit 1: the memory could not be mapped;\n"
		"2: bad usage.\n"
		"\n"
		"  --size SIZE        memory to hold (default 100M)\n"
		"  --step SIZE        freed at a time (default 20M)\n"
		"  --every DURATION   between two steps, also before the first (default 1500ms)\n"
		"  --hold DURATION    stay alive this long once all is freed (default 0, or forever)\n"
		"  -h, --help         this text\n");
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },  { "step", required_argument, NULL, 't' },
		{ "every", required_argument, NULL, 'e' }, { "hold", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ 100 * MiB, 20 * MiB, 1500 * NSEC_PER_MSEC, 0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->size = wl_size_opt("size", optarg); break;
		case 't': o->step = wl_size_opt("step", optarg); break;
		case 'e': o->every = wl_duration_opt("every", optarg, 0); break;
		case 'H': o->hold = wl_duration_opt("hold", optarg, 1); break;
		case 'h': usage(stdout); exit(WL_EXIT_OK);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->size == 0 || o->step == 0)
		wl_usage_error("--size and --step must be above 0");
}

/* Frees the mapping from its top, one step at a time; returns -1 if a signal stopped it. */
static int free_in_steps(char *base, const struct opts *o, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t step = (o->step + (size_t)page - 1) / (size_t)page * (size_t)page;

	while (len > 0) {
		size_t n = len < step ? len : step;

		if (wl_sleep(o->every) < 0)
			return -1;
		len -= n;
		if (munmap(base + len, n) < 0) {
			wl_log("munmap %zu bytes: %s", n, strerror(errno));
			return -1;
		}
		wl_say("freed %ju MiB, holding %ju MiB", (uintmax_t)to_mib(n), (uintmax_t)to_mib(len));
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	char *base;

	wl_init("stepfree");
	parse(argc, argv, &o);
	base = mmap(NULL, o.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		wl_log("mmap %ju bytes: %s", (uintmax_t)o.size, strerror(errno));
		return WL_EXIT_FAIL;
	}
	wl_touch(base, o.size);
	wl_say("holding %ju MiB", (uintmax_t)to_mib(o.size));
	if (free_in_steps(base, &o, o.size) < 0) {
		wl_log("stopped by signal %d before all was freed", (int)wl_stop);
		return wl_stop ? WL_EXIT_OK : WL_EXIT_FAIL;
	}
	wl_say("freed all");
	if (o.hold > 0 && wl_sleep(o.hold) < 0)
		wl_log("stopped by signal %d", (int)wl_stop);
	return WL_EXIT_OK;
}
