/* The memory cgroup of a process, from the text of /proc/PID/cgroup. */
#ifndef PROC_CGROUP_H
#define PROC_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the memory cgroup in the text of /proc/PID/cgroup: the v1 line whose controller list
 * holds "memory", or with v2 the "0::" line. Returns 0 or -ENOENT. Pure, for the tests. */
int proc_cgroup_path(const char *text, bool v2, char *path, size_t len);

#endif
