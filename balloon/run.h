/* The balloon's life, phase by phase: join the cgroup, check that a memory limit applies,
 * inflate, stay inflated, release, hold, verify, exit. */
#ifndef RUN_H
#define RUN_H

#include "balloon_conf.h"

#include <stddef.h>

/* How a run ended. Each value is the exit code main() documents and returns, and the
 * "status" of the "exiting" progress line, so the runner reads the same number either way. */
enum balloon_status {
	BALLOON_DONE = 0,    /* finished, or stopped by SIGTERM/SIGINT and cleaned up */
	BALLOON_FAILED = 1,  /* runtime failure: mmap or madvise failed */
	BALLOON_USAGE = 2,   /* bad option or combination of options */
	BALLOON_REFUSED = 3, /* the environment says no: no memory limit, cannot join the
				cgroup, advice this kernel does not support */
};

/* Runs the balloon as c says. Returns the status; for anything but BALLOON_DONE the reason
 * is in why (also sent as an "error" progress line). */
enum balloon_status balloon_run(const struct balloon_conf *c, char *why, size_t whylen);

#endif
