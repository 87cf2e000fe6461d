/* The balloon's safety net: joining the cgroup it was told to (--cgroup) and finding the memory
 * limit that bounds it, so it never inflates where only the whole machine would stop it. */
#ifndef LIMIT_H
#define LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cgroup v1 reports "no limit" as PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB
 * pages); anything at or above 2^62 is taken as unlimited, whatever the page size. */
#define LIMIT_V1_UNLIMITED (UINT64_C(1) << 62)

struct limit_info {
	bool v2;              /* the memory controller is on the unified (cgroup2) hierarchy */
	char cgroup[4096];    /* own memory cgroup, relative to the hierarchy root ("/a/b") */
	bool limited;         /* some limit applies */
	uint64_t limit;       /* the smallest limit on the way to the root */
	char limited_at[4096];/* the cgroup that sets it */
};

/* Moves this process into cgroup `path`: an absolute cgroupfs directory (one that holds
 * cgroup.procs), else a path below the memory hierarchy's root. Returns 0 or -errno with
 * the directory and reason in why. */
int limit_join(const char *path, char *why, size_t whylen);

/* Parses a limit file's text: v1 memory.limit_in_bytes (a number) or v2 memory.max ("max" or
 * a number). Sets *limited and *bytes. Returns 0 or -EINVAL. Pure, for the tests. */
int limit_parse_value(const char *text, bool v2, bool *limited, uint64_t *bytes);

/* Fills li for this process: its memory cgroup and the smallest memory limit set on it or an
 * ancestor. Returns 0 or -errno with the file and reason in why. */
int limit_find(struct limit_info *li, char *why, size_t whylen);

#endif
