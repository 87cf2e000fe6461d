/* The balloon's option table: the one place its options are named, typed, bounded, defaulted
 * and explained. The balloon parses its command line with it, the runner accepts the rows
 * without BOPT_CLI_ONLY as [balloon] keys (release_after = --release-after), and --help and
 * the README key reference print its help texts. */
#include "balloon_conf.h"
#include "msg.h"

#include <errno.h>
#include "units.h"

#include <limits.h>
#include <stddef.h>

#define F(field) offsetof(struct balloon_conf, field)

const struct opt balloon_opts[] = {
	{ NULL, "size", OPT_SIZE, 4 * KiB, 0, NULL, NULL, F(size), OPTF_REQUIRED,
	  "Memory to inflate to, rounded down to whole pages (binary units: 512M, 2G; a bare "
	  "number is bytes).", NULL },
	{ NULL, "rate", OPT_RATE, 0, 0, "0", NULL, F(rate), 0,
	  "Inflation speed: 100M/s, 512K/s, or a bare number in MiB/s; 0 = as fast as the kernel "
	  "allows. Bytes the kernel could not take in time are counted as shortfall, never made "
	  "up in a burst.", NULL },
	{ NULL, "chunk", OPT_SIZE, 4 * KiB, GiB * KiB, "64M", NULL, F(chunk), 0,
	  "Size of each anonymous mapping the balloon grows by, rounded down to whole pages.",
	  NULL },
	{ NULL, "release-after", OPT_DURATION, 0, 0, "0", NULL, F(release_after), 0,
	  "How long to stay fully inflated before the release step (2s, 500ms, 1m).", NULL },
	{ NULL, "release", OPT_ENUM, 0, 0, "keep", RELEASE_CHOICES, F(release), 0,
	  "Release step: keep (nothing), munmap, dontneed (MADV_DONTNEED: gone at once), free "
	  "(MADV_FREE: the kernel may discard the pages under pressure), pageout (MADV_PAGEOUT), "
	  "cold (MADV_COLD).", "HOW" },
	{ NULL, "hold", OPT_DURATION, 0, 0, "0", NULL, F(hold), OPTF_FOREVER,
	  "How long to stay alive after the release step, or forever (until SIGTERM/SIGINT).",
	  NULL },
	{ NULL, "touch", OPT_ENUM, 0, 0, "page", TOUCH_CHOICES, F(touch), 0,
	  "How pages are written: page (one word per page), fill (the whole page, compressible), "
	  "random (the whole page, incompressible pseudo-random data). Every page starts with a "
	  "marker word that --verify checks.", "HOW" },
	{ NULL, "thp", OPT_ENUM, 0, 0, "default", THP_CHOICES, F(thp), 0,
	  "Transparent huge pages for each chunk: default (leave the system policy), off "
	  "(MADV_NOHUGEPAGE), on (MADV_HUGEPAGE).", "MODE" },
	{ NULL, "tick-hz", OPT_UINT, 20, 1000, "50", NULL, F(tick_hz), 0,
	  "Pacing ticks per second; each tick grants rate/tick-hz bytes. Higher is smoother, "
	  "lower costs fewer wake-ups.", NULL },
	{ NULL, "progress-interval", OPT_DURATION, 10 * NSEC_PER_MSEC, 0, "100ms", NULL,
	  F(progress_interval), 0, "Time between \"tick\" progress lines while inflating.", NULL },
	{ NULL, "progress-fd", OPT_UINT, 0, INT_MAX, "1", NULL, F(progress_fd), BOPT_CLI_ONLY,
	  "File descriptor the JSON progress lines are written to (1 = stdout).", "FD" },
	{ NULL, "cgroup", OPT_STRING, 1, 0, NULL, NULL, F(cgroup), BOPT_CLI_ONLY,
	  "Join this cgroup before mapping anything: a cgroupfs directory, or a path below the "
	  "memory hierarchy's root (v1: /sys/fs/cgroup/memory/PATH, v2: /sys/fs/cgroup/PATH).",
	  "PATH" },
	{ NULL, "unbounded", OPT_BOOL, 0, 0, "no", NULL, F(unbounded), BOPT_CLI_ONLY,
	  "Inflate even when no memory limit applies to the balloon's cgroup or its ancestors "
	  "(the whole machine is then the limit).", NULL },
	{ NULL, "verify", OPT_BOOL, 0, 0, "no", NULL, F(verify), 0,
	  "After the hold, read the first word of every touched page and report how many the "
	  "kernel discarded (zero_pages), still hold the marker (pattern_pages) or hold anything "
	  "else (other_pages). Reads only; not with release munmap.", NULL },
	{ NULL, "quiet", OPT_BOOL, 0, 0, "no", NULL, F(quiet), BOPT_CLI_ONLY,
	  "No human-readable messages on stderr (errors are still printed).", NULL },
	{ NULL, "help", OPT_BOOL, 0, 0, "no", NULL, F(help), BOPT_CLI_ONLY,
	  "Print this help and exit.", NULL },
};

const size_t balloon_nopts = sizeof(balloon_opts) / sizeof(balloon_opts[0]);

int balloon_check_conf(const struct balloon_conf *c, char *why, size_t whylen)
{
	if (c->verify && c->release == REL_MUNMAP) {
		errf(why, whylen, "--verify reads the pages after the release, but --release munmap "
		     "leaves none to read (use free, dontneed, pageout, cold or keep)");
		return -EINVAL;
	}
	return 0;
}
