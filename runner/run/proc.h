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

/* /proc/PID/statm of the target's processes kept open from one sample to the next and read
 * again with pread. A zeroed struct is empty. */
#define STATM_KEPT 16
struct statm_kept {
	struct statm_slot {
		pid_t pid;    /* 0: a free slot */
		int fd;
		unsigned gen; /* the sample that read it last */
	} e[STATM_KEPT];
	unsigned gen;     /* the sample now */
};

/* As proc_statm_add, through k's descriptor for pid (opened at its first read, and again
 * when the process it was opened for is gone: a pid can be reused). */
int proc_statm_add_kept(struct statm_kept *k, pid_t pid, struct proc_mem *m);

/* Ends a sample: closes the descriptors of processes it did not read (all: every one), so
 * only the live target's stay open. */
void statm_kept_sweep(struct statm_kept *k, bool all);

/* The kernel function a task sleeps in while its memcg is OOM with oom_kill_disable set. */
#define MEMCG_OOM_WAIT "mem_cgroup_oom_synchronize"

/* Where the threads of some processes are, for the hang check and its report: "1 of 4
 * threads in the OOM wait, 3 asleep (futex_do_wait x2, hrtimer_nanosleep)". */
#define CENSUS_PLACES 8
struct census {
	unsigned procs, threads;
	unsigned in_oom_wait;  /* state D in MEMCG_OOM_WAIT */
	unsigned running;      /* R: computing (or runnable) */
	unsigned asleep;       /* S: interruptible sleep */
	unsigned blocked;      /* D elsewhere: uninterruptible sleep */
	unsigned other;        /* T, t, Z, X, I, ... */
	struct {
		char fn[40];   /* kernel function from wchan (or the stack's top frame) */
		char state;    /* 'S' or 'D' */
		unsigned n;
	} where[CENSUS_PLACES]; /* the places threads sleep in, first seen first */
	unsigned nwhere;
	uint64_t cpu_ns;       /* user + system time of the processes (/proc/PID/stat) */
};

/* Adds pid's threads to c (from /proc/PID/task/TID/stat and wchan, or the kernel stack where
 * wchan is hidden). Returns 0, or -errno (-ENOENT: the process is gone). */
int proc_census_add(pid_t pid, struct census *c);

/* Records one thread into c: its state letter and where it sleeps (fn, may be ""). Pure: the
 * counting rules, for the tests. */
void census_thread(struct census *c, char state, const char *fn);

/* "1 of 4 threads in the OOM wait, 3 asleep (futex_do_wait x2, hrtimer_nanosleep)"; the
 * places of D threads outside the OOM wait are named too. livelock: the lead is the threads
 * running (v2's OOM livelock retries the charge in state R): "2 of 8 threads running, ...". */
void census_text(const struct census *c, bool livelock, char *buf, size_t len);

/* The memory cgroup of pid as the kernel names it ("/a/b", the path in /proc/PID/cgroup of
 * the v1 memory hierarchy, else of the unified one). Returns 0, or -errno (-ENOENT: gone). */
int proc_memcg(pid_t pid, char *path, size_t len);

/* The memory cgroup path in the text of a /proc/PID/cgroup file, or -ENOENT. Pure. */
int memcg_from_cgroup_file(const char *text, char *path, size_t len);

/* The kernel's machine-wide count of lazily freed pages discarded under reclaim, in bytes
 * (/proc/vmstat pglazyfreed). Returns 0, or -errno when the kernel has no such counter. */
int vmstat_lazyfreed(uint64_t *bytes);

#endif
