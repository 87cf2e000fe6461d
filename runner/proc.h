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

/* Adds pid's Rss, Anonymous and LazyFree to *m. Returns 0, or -errno (-ENOENT: gone). */
int proc_mem_add(pid_t pid, struct proc_mem *m);

/* The kernel function a task sleeps in while its memcg is OOM with oom_kill_disable set. */
#define MEMCG_OOM_WAIT "mem_cgroup_oom_synchronize"

/* 1 when every thread of pid is in state D inside MEMCG_OOM_WAIT (per wchan, or the kernel
 * stack when wchan is hidden), 0 when some thread is not, -errno when pid is gone. */
int proc_in_memcg_oom_wait(pid_t pid);

#endif
