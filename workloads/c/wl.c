/* Messages, option values, signals and waits shared by the C workloads (wl.h). */
#include "wl.h"
#include "units.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t wl_stop;
static const char *prog = "workload";

static void on_stop(int sig)
{
	wl_stop = sig;
}

int wl_init(const char *name)
{
	struct sigaction sa;

	prog = name;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		return -errno;
	return 0;
}

void wl_log(const char *fmt, ...)
{
	char stamp[32], msg[512];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y/%m/%d %H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write per line, so lines from several threads never interleave. */
	dprintf(STDERR_FILENO, "%s %s: %s\n", stamp, prog, msg);
}

void wl_say(const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	printf("%s: ", prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	funlockfile(stdout);
}

void wl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", prog);
	exit(WL_EXIT_USAGE);
}

void wl_bad_option(int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (optopt > ' ' && optopt < 127 && strncmp(arg, "--", 2) != 0)
		wl_usage_error(c == ':' ? "option -%c needs a value" : "unknown option -%c", optopt);
	wl_usage_error(c == ':' ? "option %s needs a value" : "unknown option \"%s\"", arg);
}

uint64_t wl_size_opt(const char *opt, const char *arg)
{
	char why[160];
	uint64_t v;

	if (parse_size(arg, &v, why, sizeof(why)) < 0)
		wl_usage_error("--%s: %s", opt, why);
	return v;
}

uint64_t wl_duration_opt(const char *opt, const char *arg, int allow_forever)
{
	char why[160];
	uint64_t v;

	if (parse_duration(arg, allow_forever, &v, why, sizeof(why)) < 0)
		wl_usage_error("--%s: %s", opt, why);
	return v;
}

uint64_t wl_uint_opt(const char *opt, const char *arg, uint64_t min, uint64_t max)
{
	char why[160];
	uint64_t v;

	if (parse_uint(arg, &v, why, sizeof(why)) < 0)
		wl_usage_error("--%s: %s", opt, why);
	if (v < min || v > max)
		wl_usage_error("--%s: %s is out of range (%ju..%ju)", opt, arg, (uintmax_t)min,
			       (uintmax_t)max);
	return v;
}

int wl_sleep(uint64_t ns)
{
	struct timespec ts;

	if (ns == UINT64_MAX) {
		while (!wl_stop)
			pause();
		return -1;
	}
	ts.tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
	while (!wl_stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return wl_stop ? -1 : 0;
}

void wl_touch(void *p, size_t len)
{
	volatile char *c = p;
	long page = sysconf(_SC_PAGESIZE);

	for (size_t off = 0; off < len; off += (size_t)page)
		c[off] = 1;
}

double wl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
