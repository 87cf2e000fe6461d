/* cgroup v2 backend: the groups. Lifecycle (create with memory.max/high/swap.max/oom.group/min/low,
 * attach, delete) goes through libcgroup (runner/cgroup/lib.c), which works on v2 for these;
 * counters come from memory.events(.local), memory.current, memory.stat and memory.pressure,
 * and OOM notification is inotify IN_MODIFY on memory.events (the kernel's "file modified"
 * event). Where the runner itself sits (its own cgroup, a leaf, a delegated scope) is
 * runner/cgroup/v2env.c. */
#include "cgroup.h"
#include "lib.h"
#include "v2env.h"
#include "msg.h"
#include "proc_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static void add_value(struct cg_value *v, size_t *n, const char *file, uint64_t value)
{
	v[*n].file = file;
	snprintf(v[*n].value, sizeof(v[0].value), "%llu", (unsigned long long)value);
	(*n)++;
}

static int v2_create(const struct cg_env *env, struct cg_group *g, const struct cg_limits *lim,
		     char *err, size_t errlen)
{
	struct cg_value vals[6];
	size_t n = 0;

	(void)env;
	if (lim && lim->oom_kill_disable) {
		errf(err, errlen, "cgroup %s: oom_kill_disable has no cgroup v2 equivalent "
		     "(memory.oom_control is v1 only)", g->dir);
		return -ENOTSUP;
	}
	if (lim && lim->memory)
		add_value(vals, &n, "memory.max", lim->memory);
	/* v1 limits memory+swap together; v2 limits swap alone: the same bound is the rest. */
	if (lim && lim->memsw)
		add_value(vals, &n, "memory.swap.max",
			  lim->memsw > lim->memory ? lim->memsw - lim->memory : 0);
	if (lim && lim->high)
		add_value(vals, &n, "memory.high", lim->high);
	if (lim && lim->oom_group)
		add_value(vals, &n, "memory.oom.group", 1);
	if (lim && lim->min)
		add_value(vals, &n, "memory.min", lim->min);
	if (lim && lim->low)
		add_value(vals, &n, "memory.low", lim->low);
	/* as root through libcgroup; a user's delegated subtree straight on cgroupfs (lib.h) */
	return geteuid() == 0 ? cg_lib_create(g, vals, n, err, errlen) :
	       cg_fs_create(g, vals, n, err, errlen);
}

/* memory.events changes whenever a limit is hit (oom, oom_kill, max, high): inotify says so
 * without polling. The readable fd is drained and the oom count compared in v2_oom_ack. */
static int v2_oom_notify(struct cg_group *g, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], buf[1024];
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0) {
		errf(err, errlen, "inotify_init1: %s", strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/memory.events", g->dir);
	if (inotify_add_watch(fd, path, IN_MODIFY) < 0) {
		int e = errno;

		close(fd);
		errf(err, errlen, "inotify on %s: %s", path, strerror(e));
		return -e;
	}
	g->oom_seen = 0;
	if (cg_gread(g, "memory.events", buf, sizeof(buf)) > 0)
		cg_kv_get(buf, "oom", &g->oom_seen);
	g->oom_fd = fd;
	return 0;
}

static int v2_oom_ack(struct cg_group *g)
{
	char buf[4096];
	uint64_t oom = 0, d;

	if (g->oom_fd < 0)
		return 0;
	while (read(g->oom_fd, buf, sizeof(buf)) > 0)
		;
	if (cg_gread(g, "memory.events", buf, sizeof(buf)) <= 0 ||
	    cg_kv_get(buf, "oom", &oom) < 0 || oom <= g->oom_seen)
		return 0;
	d = oom - g->oom_seen;
	g->oom_seen = oom;
	return d > INT32_MAX ? INT32_MAX : (int)d;
}

/* Kills per group: memory.events counts a child's kill in every ancestor too, .local does
 * not (kernels before 5.2 have no .local file: the group's own memory.events then). */
static int v2_oom_kills(struct cg_group *g, uint64_t *n)
{
	char buf[1024];

	if (cg_gread(g, "memory.events.local", buf, sizeof(buf)) < 0 &&
	    cg_gread(g, "memory.events", buf, sizeof(buf)) < 0)
		return -ENOENT;
	return cg_kv_get(buf, "oom_kill", n);
}

static int v2_read(struct cg_group *g, struct cg_counters *c, char *err, size_t errlen)
{
	char buf[8192];
	uint64_t swap = 0, swap_max = 0, v;
	ssize_t n;
	int r;

	memset(c, 0, sizeof(*c));
	r = cg_gread_u64(g, "memory.current", &c->usage);
	if (r == 0)
		r = cg_gread_u64(g, "memory.max", &c->limit);
	if (r == 0)
		r = cg_gread_u64(g, "memory.high", &c->high);
	if (r == 0 && (n = cg_gread(g, "memory.events", buf, sizeof(buf))) < 0)
		r = (int)n;
	if (r < 0) {
		errf(err, errlen, "read counters of %s: %s", g->dir, strerror(-r));
		return r;
	}
	/* Hierarchical: limit events of this group and below (they happen where the limit is). */
	cg_kv_get(buf, "oom", &c->oom);
	cg_kv_get(buf, "oom_group_kill", &c->oom_group_kill);
	cg_kv_get(buf, "high", &c->ev_high);
	cg_kv_get(buf, "max", &c->ev_max);
	cg_kv_get(buf, "low", &c->ev_low);
	c->failcnt = c->ev_max;
	v2_oom_kills(g, &c->oom_kill);
	cg_gread_u64(g, "memory.peak", &c->peak); /* 5.19+: absent before, 0 stays */
	/* swap files exist only with swap accounting: their absence is not an error */
	if (cg_gread_u64(g, "memory.swap.current", &swap) == 0) {
		char text[32];

		c->swap = swap;
		c->memsw_usage = c->usage + swap;
		/* "max" is no swap limit (memsw_limit stays 0, as unset on v1); "0" is memsw =
		 * memory, which a number read would confuse with it: look at the text */
		if (c->limit && cg_gread(g, "memory.swap.max", text, sizeof(text)) > 0 &&
		    strncmp(text, "max", 3) != 0 && cg_gread_u64(g, "memory.swap.max", &swap_max) == 0)
			c->memsw_limit = c->limit + swap_max;
	}
	if (cg_gread(g, "memory.stat", buf, sizeof(buf)) > 0) {
		cg_kv_get(buf, "pgfault", &c->pgfault);
		cg_kv_get(buf, "pgmajfault", &c->pgmajfault);
		cg_kv_get(buf, "workingset_refault_anon", &c->refault_anon);
		cg_kv_get(buf, "workingset_refault_file", &c->refault_file);
		cg_kv_get(buf, "anon", &c->anon);
		cg_kv_get(buf, "file", &c->file);
		cg_kv_get(buf, "shmem", &c->shmem);
		cg_kv_get(buf, "unevictable", &c->unevictable);
		cg_kv_get(buf, "file_mapped", &c->file_mapped);
		if (cg_kv_get(buf, "active_file", &v) == 0)
			c->lru_file = v;
		if (cg_kv_get(buf, "inactive_file", &v) == 0)
			c->lru_file += v;
	}
	/* The group's own pressure (CONFIG_PSI; psi=0 hides it): not an error when absent. */
	if (cg_gread(g, "memory.pressure", buf, sizeof(buf)) > 0)
		cg_psi_parse(buf, &c->psi);
	return 0;
}

const struct cg_ops cg_v2_ops = {
	.name = "v2",
	.find_own = cg_v2_find_own,
	.env_init = cg_v2_env_init,
	.env_fini = cg_v2_env_fini,
	.create = v2_create,
	.attach = cg_lib_attach,
	.oom_notify = v2_oom_notify,
	.oom_ack = v2_oom_ack,
	.read = v2_read,
	.oom_kills = v2_oom_kills,
	.destroy = cg_lib_destroy,
};
