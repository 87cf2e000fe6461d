/* watch: runs one command for the benchmark and records, on its own absolute 20 ms grid, the
 * memory cgroup's usage (memory.usage_in_bytes, or v2 memory.current) and the command's
 * resident memory and the file-backed part of it (/proc/PID/statm, the kernel's running
 * counters, O(1)), one CSV row a sample.
 * The command is moved into the cgroup before it is exec'd and gets a process group of its
 * own, so a tool that never ends by itself (stress-ng --vm-keep) can be stopped once the
 * usage reached --reach. Time 0 is just before the fork: every tool is timed the same way.
 *
 * Prints one line when the command is gone:
 *   status=0 reach_s=1.234567 peak_usage=2151677952 peak_rss=2148270080 samples=80 end_s=1.6
 * (status: the exit status, 128 + signal when killed; reach_s: -1 when the usage never got
 * to --reach). Exit codes: 0 the command ran (whatever its status); 1 it could not be
 * started or sampled; 2 bad usage. */
#include "clock.h"
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct args {
	const char *cgroup;     /* cgroupfs directory; NULL: no usage column, stay where we are */
	const char *csv;        /* where the samples go */
	const char *log;        /* the command's stdout and stderr; NULL: ours */
	uint64_t interval;      /* ns between samples */
	uint64_t reach;         /* bytes of usage that stop the command (after after_reach) */
	uint64_t after_reach;   /* ns to keep sampling past reach before SIGTERM */
	uint64_t timeout;       /* ns before SIGKILL, whatever happens */
	char **cmd;
};

struct state {
	int usage_fd, statm_fd;
	FILE *csv;
	pid_t pid;
	long page;
	uint64_t t0, reach_ns, term_ns, peak_usage, peak_rss, samples;
	bool reached, termed, killed;
};

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: watch --csv FILE [--log FILE] [--cgroup DIR] [--interval 20ms]\n"
		   "             [--reach SIZE] [--after-reach 300ms] [--timeout 300s]\n"
		   "             -- COMMAND [ARG...]\n"
		   "Runs COMMAND in cgroup DIR (its output to the --log FILE), samples the cgroup's\n"
		   "usage and the command's RSS every interval into FILE (t_s, usage_bytes,\n"
		   "rss_bytes, rss_shared_bytes: statm's file-backed and shared part of it),\n"
		   "SIGTERMs its process group once the usage stayed at SIZE or more for\n"
		   "--after-reach, and prints status=, reach_s=, peak_usage=, peak_rss=, samples=,\n"
		   "end_s= when it is gone.\n"
		   "Exit codes: 0 ran, 1 could not start or sample it, 2 bad usage\n");
}

static int parse_args(int argc, char **argv, struct args *a, char *why, size_t whylen)
{
	char perr[256];

	*a = (struct args){ .interval = 20 * NSEC_PER_MSEC, .after_reach = 300 * NSEC_PER_MSEC,
			    .timeout = 300 * NSEC_PER_SEC };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = 0;

		if (strcmp(o, "--") == 0) {
			a->cmd = &argv[i + 1];
			break;
		}
		if (!v) {
			errf(why, whylen, "%s needs a value (try --help)", o);
			return -1;
		}
		i++;
		if (strcmp(o, "--cgroup") == 0)
			a->cgroup = v;
		else if (strcmp(o, "--csv") == 0)
			a->csv = v;
		else if (strcmp(o, "--log") == 0)
			a->log = v;
		else if (strcmp(o, "--reach") == 0)
			r = parse_size(v, &a->reach, perr, sizeof(perr));
		else if (strcmp(o, "--interval") == 0)
			r = parse_duration(v, 0, &a->interval, perr, sizeof(perr));
		else if (strcmp(o, "--after-reach") == 0)
			r = parse_duration(v, 0, &a->after_reach, perr, sizeof(perr));
		else if (strcmp(o, "--timeout") == 0)
			r = parse_duration(v, 0, &a->timeout, perr, sizeof(perr));
		else {
			errf(why, whylen, "unknown option %s (try --help)", o);
			return -1;
		}
		if (r < 0) {
			errf(why, whylen, "%s: %s", o, perr);
			return -1;
		}
	}
	if (!a->csv || !a->cmd || !a->cmd[0]) {
		errf(why, whylen, "expected --csv FILE and -- COMMAND (try --help)");
		return -1;
	}
	if (a->interval < NSEC_PER_MSEC) {
		errf(why, whylen, "--interval: at least 1 ms");
		return -1;
	}
	return 0;
}

/* The cgroup's usage file: v1 memory.usage_in_bytes, else v2 memory.current. */
static int open_usage(const char *dir, char *why, size_t whylen)
{
	static const char *const names[] = { "memory.usage_in_bytes", "memory.current" };
	char path[4200];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			return fd;
	}
	errf(why, whylen, "%s: neither memory.usage_in_bytes nor memory.current: %s", dir,
	     strerror(errno));
	return -1;
}

/* The first n space-separated numbers of the file at fd, read from offset 0, into v.
 * Returns 0, or -1 when they cannot be read (the command is gone). */
static int read_numbers(int fd, int64_t *v, int n)
{
	char buf[256], *p = buf, *end;
	ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);

	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (int i = 0; i < n; i++) {
		v[i] = (int64_t)strtoull(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	return 0;
}

/* In the child: into the cgroup, a process group of its own, exec. Never returns. */
static void start_child(const struct args *a)
{
	char path[4200];
	FILE *f;

	setpgid(0, 0);
	if (a->log) {
		int fd = open(a->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
			fprintf(stderr, "watch: %s: %s\n", a->log, strerror(errno));
			_exit(97);
		}
	}
	if (a->cgroup) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", a->cgroup);
		f = fopen(path, "w");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0) {
			fprintf(stderr, "watch: cannot join %s: %s\n", path, strerror(errno));
			_exit(97);
		}
	}
	execvp(a->cmd[0], a->cmd);
	fprintf(stderr, "watch: exec %s: %s\n", a->cmd[0], strerror(errno));
	_exit(98);
}

/* One sample: a CSV row; past --reach, the stop schedule. */
static void sample(struct state *s, const struct args *a, uint64_t now)
{
	int64_t usage = -1, statm[3] = { -1, -1, -1 }; /* size, resident, shared: pages */
	int64_t rss = -1, shared = -1;

	if (s->usage_fd >= 0 && read_numbers(s->usage_fd, &usage, 1) < 0)
		usage = -1;
	if (s->statm_fd >= 0 && read_numbers(s->statm_fd, statm, 3) == 0) {
		rss = statm[1] * s->page;
		shared = statm[2] * s->page;
	}
	fprintf(s->csv, "%.6f,", (double)(now - s->t0) / 1e9);
	if (usage >= 0)
		fprintf(s->csv, "%lld", (long long)usage);
	fprintf(s->csv, ",");
	if (rss >= 0)
		fprintf(s->csv, "%lld,%lld", (long long)rss, (long long)shared);
	else
		fprintf(s->csv, ",");
	fprintf(s->csv, "\n");
	s->samples++;
	if (usage > (int64_t)s->peak_usage)
		s->peak_usage = (uint64_t)usage;
	if (rss > (int64_t)s->peak_rss)
		s->peak_rss = (uint64_t)rss;
	if (a->reach && !s->reached && usage >= (int64_t)a->reach) {
		s->reached = true;
		s->reach_ns = now - s->t0;
	}
}

/* Samples until the child is reaped; stops it past --reach and at --timeout. Returns its
 * wait status. */
static int watch_loop(struct state *s, const struct args *a)
{
	uint64_t next = s->t0, now;
	int st = 0;

	for (;;) {
		struct timespec ts = { .tv_sec = (time_t)(next / NSEC_PER_SEC),
				       .tv_nsec = (long)(next % NSEC_PER_SEC) };
		pid_t r;

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		now = now_ns();
		r = waitpid(s->pid, &st, WNOHANG);
		sample(s, a, now);
		if (r == s->pid)
			return st;
		if (stop_sig || now - s->t0 >= a->timeout ||
		    (s->termed && now - s->term_ns >= 3 * NSEC_PER_SEC)) {
			if (!s->killed)
				kill(-s->pid, SIGKILL);
			s->killed = true;
		} else if (s->reached && !s->termed &&
			   now - s->t0 >= s->reach_ns + a->after_reach) {
			kill(-s->pid, SIGTERM);
			s->termed = true;
			s->term_ns = now;
		}
		/* The next point of the grid, none caught up after a late wake-up. */
		next += a->interval;
		if (next <= now)
			next = now - (now - s->t0) % a->interval + a->interval;
	}
}

int main(int argc, char **argv)
{
	struct state s = { .usage_fd = -1, .statm_fd = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	char why[512], path[64];
	struct args a;
	int st, ret = 1;

	msg_set_prog("watch");
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (parse_args(argc, argv, &a, why, sizeof(why)) < 0) {
		warnmsg("%s", why);
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	s.page = sysconf(_SC_PAGESIZE);
	if (a.cgroup && (s.usage_fd = open_usage(a.cgroup, why, sizeof(why))) < 0) {
		warnmsg("%s", why);
		goto cleanup;
	}
	s.csv = fopen(a.csv, "w");
	if (!s.csv) {
		warnmsg("%s: %s", a.csv, strerror(errno));
		goto cleanup;
	}
	fprintf(s.csv, "t_s,usage_bytes,rss_bytes,rss_shared_bytes\n");
	s.t0 = now_ns();
	s.pid = fork();
	if (s.pid < 0) {
		warnmsg("fork: %s", strerror(errno));
		goto cleanup;
	}
	if (s.pid == 0)
		start_child(&a);
	setpgid(s.pid, s.pid); /* also here: no signal can reach a group not made yet */
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)s.pid);
	s.statm_fd = open(path, O_RDONLY | O_CLOEXEC);
	st = watch_loop(&s, &a);
	printf("status=%d reach_s=%.6f peak_usage=%llu peak_rss=%llu samples=%llu end_s=%.6f\n",
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
	       s.reached ? (double)s.reach_ns / 1e9 : -1.0, (unsigned long long)s.peak_usage,
	       (unsigned long long)s.peak_rss, (unsigned long long)s.samples,
	       (double)(now_ns() - s.t0) / 1e9);
	ret = stop_sig ? 1 : 0;
cleanup:
	if (s.csv && fclose(s.csv) != 0)
		ret = 1;
	if (s.statm_fd >= 0)
		close(s.statm_fd);
	if (s.usage_fd >= 0)
		close(s.usage_fd);
	return ret;
}
