/* The cgroup layer: the runner's scenario cgroups behind a small interface. A backend (v1:
 * runner/cgroup_v1.c, v2: runner/cgroup_v2.c) implements struct cg_ops; the rest of the runner never names a cgroupfs file.
 * Every function returns 0 or -errno and fills err with what, where and why. */
#ifndef CGROUP_H
#define CGROUP_H

#include "cglayout.h"
#include "clock.h"
#include "fileio.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct cg_limits {
	uint64_t memory;    /* bytes, 0 = no limit (v1 memory.limit_in_bytes, v2 memory.max) */
	uint64_t memsw;     /* memory+swap, 0 = leave unset (v1 memsw; v2 swap.max = memsw-memory) */
	uint64_t high;      /* v2 memory.high, 0 = leave unset */
	bool oom_kill_disable; /* v1 only */
	bool oom_group;        /* v2 memory.oom.group */
	uint64_t low, min;     /* v2 memory.low / memory.min (protection), 0 = leave unset */
};

/* Memory pressure stall information: the group's own (v2 memory.pressure) or, where the
 * kernel has none per group (v1), the machine's (/proc/pressure/memory). */
struct cg_psi {
	bool known;
	bool system_wide;            /* read from /proc/pressure/memory */
	double some_avg10, full_avg10; /* percent */
	uint64_t some_total, full_total; /* us stalled since boot / group creation */
};

/* Counters of one group at one moment. */
struct cg_counters {
	uint64_t usage, limit, failcnt;    /* v2: failcnt = memory.events max */
	uint64_t peak;                     /* the kernel's high-water mark of usage since the
					      group was made (v1 memory.max_usage_in_bytes, v2
					      memory.peak, 5.19+); 0 where it has none */
	uint64_t memsw_usage, memsw_limit; /* 0 when the kernel has no memsw accounting */
	uint64_t high;                     /* v2 memory.high, 0 = none / v1 */
	uint64_t oom_kill;                 /* kills in this group itself since it was created
					      (v2: memory.events.local, so a sum over groups
					      never counts a kill twice) */
	uint64_t oom;                      /* v2 memory.events oom: charges that hit the limit
					      and found reclaim useless (hierarchical) */
	uint64_t oom_group_kill;           /* v2 memory.events oom_group_kill */
	uint64_t ev_high, ev_max;          /* v2 memory.events high, max */
	uint64_t ev_low;                   /* v2 memory.events low: reclaimed below memory.low */
	uint64_t swap;                     /* v2 memory.swap.current (v1: memsw - usage) */
	uint64_t refault_anon, refault_file; /* v2 memory.stat workingset_refault_*: pages
					      evicted and faulted back in (0 where absent) */
	uint64_t pgfault, pgmajfault;      /* faults in the group (memory.stat) */
	/* what the charge is made of (memory.stat, the group and below): anonymous memory (v1
	 * total_rss, v2 anon), page cache including shmem (v1 total_cache, v2 file), shmem (tmpfs,
	 * memfd, shared anonymous), unevictable (mlocked) and mapped file pages */
	uint64_t anon, file, shmem, unevictable, file_mapped;
	/* pages on the file LRU lists (v1 total_, v2 plain active_file + inactive_file): the page
	 * cache that is not shmem, and the anonymous pages freed with MADV_FREE not reclaimed
	 * yet, which the kernel moves there; cg_lazy_estimate() tells the two apart */
	uint64_t lru_file;
	uint64_t charges, uncharges;       /* v1 memory.stat total_pgpgin/pgpgout: pages charged
					      to and uncharged from the group (0 on v2) */
	struct cg_psi psi;
	bool under_oom, oom_kill_disable;
};

/* The files a group's counters are read from every sample, kept open and read again with
 * pread (one system call instead of open, read and close). */
#define CG_OPEN_FILES 16
struct cg_open_file {
	const char *name; /* a literal: "memory.stat" */
	int fd;
};

struct cg_group {
	char name[PATH_MAX]; /* from the hierarchy root, as libcgroup wants it */
	char dir[PATH_MAX];  /* absolute cgroupfs directory */
	bool keep_open;      /* cg_group_init'ed: cg_gread may keep files open (until
				cg_group_close); a group filled in by hand reads each time */
	struct cg_open_file open[CG_OPEN_FILES];
	int oom_fd;          /* readable when the kernel reports an OOM in this group; -1 */
	int ctl_fd;          /* backend's handle kept open for oom_fd (v1: memory.oom_control) */
	uint64_t oom_seen;   /* v2: memory.events oom at the last notification */
	bool created;
};

struct cg_env;

struct cg_ops {
	const char *name; /* "v1", "v2" */
	/* Sets env->own, the runner's own cgroup from the hierarchy root (no leading '/'). */
	int (*find_own)(struct cg_env *env, char *err, size_t errlen);
	/* Readies the hierarchy once env->parent is known: swap accounting (env->has_memsw),
	 * and on v2 the leaf the runner moves into so that +memory can reach the scenario
	 * groups. */
	int (*env_init)(struct cg_env *env, char *err, size_t errlen);
	/* Undoes env_init (v2: the runner back into its own cgroup, the leaf removed, the
	 * +memory it enabled disabled again unless others use it); idempotent. */
	int (*env_fini)(struct cg_env *env, char *err, size_t errlen);
	int (*create)(const struct cg_env *env, struct cg_group *g, const struct cg_limits *lim,
		      char *err, size_t errlen);
	int (*attach)(struct cg_group *g, pid_t pid, char *err, size_t errlen);
	/* Arms g->oom_fd (v1: an eventfd registered through cgroup.event_control; v2: inotify
	 * IN_MODIFY on memory.events). */
	int (*oom_notify)(struct cg_group *g, char *err, size_t errlen);
	/* Consumes pending notifications without blocking; returns how many (>= 0). */
	int (*oom_ack)(struct cg_group *g);
	int (*read)(struct cg_group *g, struct cg_counters *c, char *err, size_t errlen);
	/* Only the group's own oom_kill count (c->oom_kill of read), from one file: what the
	 * per-sample sum over the scenario's groups needs. */
	int (*oom_kills)(struct cg_group *g, uint64_t *n);
	/* Removes an empty group and checks the directory is gone. */
	int (*destroy)(struct cg_group *g, char *err, size_t errlen);
};

struct cg_env {
	enum cg_layout layout;
	const struct cg_ops *ops;
	char mount[PATH_MAX];  /* memory hierarchy mount, e.g. /sys/fs/cgroup/memory */
	char own[PATH_MAX];    /* the runner's memory cgroup, from the hierarchy root */
	char parent[PATH_MAX]; /* scenario groups go below this (from the root) */
	bool has_memsw;        /* v1 memory.memsw.*, v2 memory.swap.max */
	/* v2: a non-root cgroup may hand the memory controller to children only while it holds
	 * no process, so the runner moves itself into the leaf own/balloon-run-<pid> and enables
	 * +memory in own; cg_env_fini() undoes both. */
	char leaf[PATH_MAX];   /* from the root; "" = none (v1, or own is the v2 root) */
	bool memory_enabled;   /* the runner wrote +memory into own's cgroup.subtree_control */
	char subtree0[256];    /* own's cgroup.subtree_control before that: what a container
				  runtime enables there too (+cpu +io +pids for its group below a
				  scenario's) is taken back with the +memory */
	bool adopt;            /* v2 in a container's cgroup namespace: the other processes of own
				  are moved into the leaf with the runner, and back at the end */
	char scope[256];       /* v2: the transient scope systemd made for the runner, or "" */
	char orig[PATH_MAX];   /* the cgroup the runner was started in (from the root) */
};

/* Finds the layout and the memory controller, initialises libcgroup and the runner's own
 * cgroup. parent: "" = own cgroup, else a path below own (relative) where groups go.
 * Returns -ENOENT (no memory controller), -ENOTSUP (layout not supported yet), -EACCES. */
int cg_env_init(struct cg_env *env, const char *parent, char *err, size_t errlen);

/* Undoes what cg_env_init did to the hierarchy (v2: moves the runner back into its own cgroup,
 * removes the leaf, and disables the +memory it enabled unless other child groups of own
 * need it). Call after every scenario group is removed; idempotent. Returns 0 or -errno. */
int cg_env_fini(struct cg_env *env, char *err, size_t errlen);

/* Names a group "parent/name" (name may contain one '/' for a child of a group). */
int cg_group_init(const struct cg_env *env, struct cg_group *g, const char *name, char *err,
		  size_t errlen);

/* Task ids in the group and the groups below it (cgroup.procs of each: a target may make
 * groups of its own, as a container runtime does), up to max; returns the count or -errno. */
int cg_pids(const struct cg_group *g, pid_t *pids, size_t max);

/* Removes the (empty) groups below dir, depth first; dir itself stays. 0 or -errno. */
int cg_rmdir_below(const char *dir);

/* SIGKILLs every task in the group (v2: through cgroup.kill where the kernel has it, 5.14+,
 * which also catches tasks forking meanwhile) until it is empty or the deadline (CLOCK_MONOTONIC ns)
 * passes; reaps children of ours that die meanwhile via reap(pid, status, ctx).
 * Returns 0 when empty, -ETIMEDOUT otherwise. */
int cg_kill_all(const struct cg_group *g, uint64_t deadline,
		void (*reap)(pid_t pid, int status, void *ctx), void *ctx);

/* The prefix of every group a runner creates: "balloon-run-<runner pid>-<scenario>". */
#define CG_RUN_PREFIX "balloon-run-"

/* Removes the groups below env->parent that a runner which no longer exists left behind (it
 * was SIGKILLed, or the machine lost it): kills and reaps their tasks, removes the groups
 * below them, then them. On v2 also the leaf such a runner sat in ("balloon-run-<pid>"), and
 * where that leaf sits one level further down (the dead runner's own cgroup was a child of
 * env->parent) that cgroup's groups too, and the +memory the dead runner enabled there. A
 * group whose runner pid still runs balloon-run is never touched, nor is any group without
 * the prefix. Calls report(name, tasks_killed, foreign, ctx) for each one removed; foreign:
 * it held groups no runner makes (a container runtime's, whose records the caller may hold
 * elsewhere). Returns how many were removed, or -errno with err filled for one it could not. */
int cg_remove_stale(const struct cg_env *env, uint64_t deadline,
		    void (*report)(const char *name, int killed, bool foreign, void *ctx),
		    void *ctx, char *err, size_t errlen);

/* Closes the notification fds; idempotent. */
void cg_group_close(struct cg_group *g);

/* Parses PSI text ("some avg10=1.00 avg60=... total=N\nfull ...") into p; -EINVAL if neither
 * line is there. Used for /proc/pressure/memory (v1) and memory.pressure (v2). */
int cg_psi_parse(const char *buf, struct cg_psi *p);

/* The value of "key N" lines (memory.stat, memory.events); returns 0 or -ENOENT. */
int cg_kv_get(const char *buf, const char *key, uint64_t *v);

/* A file of g (file: a string literal), through the group's kept-open file when it has one
 * (pread from offset 0 re-reads a cgroupfs file), into buf; length or -errno. */
ssize_t cg_gread(struct cg_group *g, const char *file, char *buf, size_t len);
/* One number of g's file ("max" reads as 0), as cg_read_u64. */
int cg_gread_u64(struct cg_group *g, const char *file, uint64_t *v);

/* Reads a text file of a group: "<dir>/<file>" into buf; returns length or -errno. */
ssize_t cg_read_file(const char *dir, const char *file, char *buf, size_t len);
/* A one-number file of a group into *v ("max" reads as 0: no limit); 0 or -errno, *v
 * untouched then. */
int cg_read_u64(const char *dir, const char *file, uint64_t *v);
/* Writes text to "<dir>/<file>"; returns 0 or -errno. */
int cg_write_file(const char *dir, const char *file, const char *text);
/* Removes leading and trailing '/' of a cgroup path in place. */
void cg_strip_slashes(char *p);

extern const struct cg_ops cg_v1_ops;
extern const struct cg_ops cg_v2_ops;


/* The group's MADV_FREE pages by its LRU counters, no page-table walk: lru_file less the
 * page cache that is not shmem (0 when below). Good to some 0.5 MiB: the per-CPU LRU batches
 * and the kernel's per-CPU statistics lag behind by up to a few hundred pages. */
uint64_t cg_lazy_estimate(const struct cg_counters *c);

/* LazyFree carried from a walk by the group's count: `walked` (smaps_rollup) when the count
 * was `est_then`, moved by what the count moved since (`est_now`), within 0 and `ceiling` (the
 * target's anonymous memory now: lazily freed pages are anonymous until discarded). */
uint64_t cg_lazy_carry(uint64_t walked, uint64_t est_then, uint64_t est_now, uint64_t ceiling);

#endif
