/* The cgroup layer's entry points: picks the backend for this machine's layout, finds where
 * the scenario groups go, names groups and kills everything in one. What differs between v1
 * and v2 is behind struct cg_ops (runner/cgroup/v1.c, v2.c). */
#include "cgroup.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libcgroup.h>

/* A path from the hierarchy root must stay below it: no "..", no empty components. */
static bool path_is_clean(const char *p)
{
	const char *s = p;

	while (*s) {
		size_t len = strcspn(s, "/");

		if ((len == 2 && strncmp(s, "..", 2) == 0) || (len == 1 && *s == '.'))
			return false;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x20)
				return false;
		s += len;
		while (*s == '/')
			s++;
	}
	return true;
}

int cg_env_init(struct cg_env *env, const char *parent, char *err, size_t errlen)
{
	char *mnt = NULL, probe[2 * PATH_MAX + 64];
	int r;

	memset(env, 0, sizeof(*env));
	env->layout = cg_layout_detect();
	if (env->layout == CG_LAYOUT_NONE) {
		errf(err, errlen, "no cgroup filesystem at /sys/fs/cgroup: mount cgroup (v1 memory "
		     "controller) or cgroup2 there");
		return -ENOENT;
	}
	r = cgroup_init();
	if (r != 0) {
		errf(err, errlen, "libcgroup: cannot initialise (%s): is the memory controller "
		     "mounted under /sys/fs/cgroup?", r == ECGROUPNOTMOUNTED ? "no cgroup "
		     "hierarchy mounted" : "error");
		return -ENOENT;
	}
	if (cgroup_get_subsys_mount_point("memory", &mnt) != 0 || !mnt) {
		errf(err, errlen, env->layout == CG_LAYOUT_UNIFIED ? "the memory controller is not "
		     "available on the cgroup2 mount /sys/fs/cgroup (cgroup.controllers lacks "
		     "memory)" : "the v1 memory controller is not mounted (expected "
		     "/sys/fs/cgroup/memory): mount -t cgroup -o memory memory /sys/fs/cgroup/memory");
		return -ENOENT;
	}
	snprintf(env->mount, sizeof(env->mount), "%s", mnt);
	free(mnt);
	env->ops = env->layout == CG_LAYOUT_UNIFIED ? &cg_v2_ops : &cg_v1_ops;
	if ((r = env->ops->find_own(env, err, errlen)) < 0)
		return r;
	if (parent && *parent) {
		if (!path_is_clean(parent)) {
			errf(err, errlen, "parent_cgroup \"%s\": must be a path below the runner's "
			     "own cgroup without \"..\"", parent);
			return -EINVAL;
		}
		if ((size_t)snprintf(env->parent, sizeof(env->parent), "%s%s%s", env->own,
				     *env->own ? "/" : "", parent) >= sizeof(env->parent)) {
			errf(err, errlen, "parent_cgroup \"%s\": path too long", parent);
			return -ENAMETOOLONG;
		}
		cg_strip_slashes(env->parent);
	} else {
		snprintf(env->parent, sizeof(env->parent), "%s", env->own);
	}
	snprintf(probe, sizeof(probe), "%s/%s", env->mount, env->parent);
	if (access(probe, W_OK) != 0) {
		int e = errno;

		errf(err, errlen, "cannot create cgroups in %s: %s", probe, strerror(e));
		return -e;
	}
	return env->ops->env_init(env, err, errlen);
}

int cg_env_fini(struct cg_env *env, char *err, size_t errlen)
{
	return env->ops ? env->ops->env_fini(env, err, errlen) : 0;
}

int cg_group_init(const struct cg_env *env, struct cg_group *g, const char *name, char *err,
		  size_t errlen)
{
	memset(g, 0, sizeof(*g));
	g->oom_fd = -1;
	g->ctl_fd = -1;
	g->keep_open = true;
	for (int i = 0; i < CG_OPEN_FILES; i++)
		g->open[i].fd = -1;
	if (!path_is_clean(name) || !*name || *name == '/') {
		errf(err, errlen, "cgroup name \"%s\" is not a plain name below %s", name,
		     env->parent);
		return -EINVAL;
	}
	if ((size_t)snprintf(g->name, sizeof(g->name), "%s%s%s", env->parent,
			     *env->parent ? "/" : "", name) >= sizeof(g->name) ||
	    (size_t)snprintf(g->dir, sizeof(g->dir), "%s/%s", env->mount, g->name) >=
		    sizeof(g->dir)) {
		errf(err, errlen, "cgroup name \"%s\" is too long", name);
		return -ENAMETOOLONG;
	}
	return 0;
}

int cg_kill_all(const struct cg_group *g, uint64_t deadline,
		void (*reap)(pid_t pid, int status, void *ctx), void *ctx)
{
	pid_t pids[1024];
	int n, status;
	pid_t p;

	/* v2 (5.14+): one write kills every task of the group and its children, including
	 * ones forked meanwhile; the loop below still reaps them and checks the group empty. */
	cg_write_file(g->dir, "cgroup.kill", "1");
	for (;;) {
		n = cg_pids(g, pids, sizeof(pids) / sizeof(pids[0]));
		if (n == -ENOENT)
			return 0;
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		/* Our own children (and orphans handed to us as subreaper) must be reaped, or
		 * they stay as zombies and the group never empties. */
		while ((p = waitpid(-1, &status, WNOHANG)) > 0)
			if (reap)
				reap(p, status, ctx);
		if (n == 0)
			return 0;
		if (now_ns() >= deadline)
			return -ETIMEDOUT;
		/* A killed task needs a moment to exit; poll the group again shortly. */
		struct timespec ts = { 0, 2 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}
