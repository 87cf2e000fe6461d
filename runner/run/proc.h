/* What the runner reads about processes from /proc: memory (smaps_rollup) and whether every
 * thread sleeps in the memcg OOM wait. */
#ifndef PROC_H
#define PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_mem {
	uint64_t rss, anon, lazyfree; /* bytes */
};

/* Adds pid's Rss, Anonymous and LazyFree to *m from smaps_rollup, which walks the page tables:
 * its cost grows with the process's mapped memory. Returns 0, or -errno (-ENOENT: gone). */
int proc_mem_add(pid_t pid, struct proc_mem *m);

/* Adds pid's resident and anonymous bytes to *m from /proc/PID/statm: the kernel's running
 * counters, so the cost does not depend on the process's size (no LazyFree there). */
int proc_statm_add(pid_t pid, struct proc_mem *m);

/* The kernel function a task sleeps in while its memcg is OOM with oom_kill_disable set. */
#define MEMCG_OOM_WAIT "mem_cgroup_oom_synchronize"

/* Where a process's threads sleep, for the hang check. */
enum proc_wait {
	PW_ERROR = -1,   /* gone */
	PW_OTHER = 0,    /* some thread runs or sleeps elsewhere: it can make progress */
	PW_OOM_WAIT,     /* every thread in state D in MEMCG_OOM_WAIT, or some of them and the
			    rest waiting for children */
	PW_CHILD_WAIT,   /* every thread waits for a child (a shell running a hung command) */
};

/* Classifies pid's threads from /proc/PID/task/TID/{stat,wchan} (the kernel stack when wchan
 * is hidden). */
enum proc_wait proc_wait_state(pid_t pid);

/* The kernel's count of lazily freed pages it discarded under reclaim (/proc/vmstat
 * pglazyfreed, machine-wide), in bytes; -errno when the kernel has no such counter. */
int vmstat_lazyfreed(uint64_t *bytes);

#endif
