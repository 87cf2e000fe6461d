/* Signals and interruptible sleeps. The handler only records the signal; the loops look. */
#include "stop.h"
#include "clock.h"
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

int stop_install(char *why, size_t whylen)
{
	struct sigaction sa;
	static const int sigs[] = { SIGTERM, SIGINT };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked sleep or write must return EINTR */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL) < 0) {
			errf(why, whylen, "sigaction(%s): %s", strsignal(sigs[i]), strerror(errno));
			return -errno;
		}
	}
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0) {
		errf(why, whylen, "sigaction(SIGPIPE): %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int stop_requested(void)
{
	return stop_sig;
}

const char *stop_signame(void)
{
	switch (stop_sig) {
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	case 0: return "none";
	}
	return "a signal";
}

static struct timespec to_timespec(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / NSEC_PER_SEC),
				  .tv_nsec = (long)(ns % NSEC_PER_SEC) };
}

int stop_sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = to_timespec(deadline_ns);
	int r;

	for (;;) {
		if (stop_sig)
			return -EINTR;
		/* Absolute deadlines: time spent before the call does not shift the tick grid. */
		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (r == 0)
			return 0;
		if (r != EINTR)
			return -r;
	}
}

int stop_wait_until(uint64_t deadline_ns)
{
	sigset_t block, old;
	int ret = 0;

	/* The pselect pattern: with the stop signals blocked, check the flag, then let ppoll
	 * unblock them atomically while it sleeps. A signal that arrives after the check stays
	 * pending and interrupts ppoll at once, so even "forever" cannot miss it. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (;;) {
		uint64_t now = now_ns();
		struct timespec rel;

		if (stop_sig) {
			ret = -EINTR;
			break;
		}
		if (deadline_ns != DURATION_FOREVER && now >= deadline_ns)
			break;
		rel = to_timespec(deadline_ns - now);
		ppoll(NULL, 0, deadline_ns == DURATION_FOREVER ? NULL : &rel, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
