/* Backend-independent part of the cgroup layer: which layout this machine has, where the
 * runner's own memory cgroup is, and killing everything in a group. */
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
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libcgroup.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

ssize_t read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total + 1 < len) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

int cg_kv_get(const char *buf, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);

	for (const char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			*v = strtoull(p + klen + 1, NULL, 10);
			return 0;
		}
	return -ENOENT;
}

int cg_psi_parse(const char *buf, struct cg_psi *p)
{
	bool seen = false;

	for (const char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		double avg10;
		unsigned long long total;
		int some = strncmp(l, "some ", 5) == 0, full = strncmp(l, "full ", 5) == 0;

		if (!some && !full)
			continue;
		if (sscanf(l + 5, "avg10=%lf avg60=%*f avg300=%*f total=%llu", &avg10, &total) != 2)
			continue;
		if (some) {
			p->some_avg10 = avg10;
			p->some_total = total;
		} else {
			p->full_avg10 = avg10;
			p->full_total = total;
		}
		seen = true;
	}
	p->known = seen;
	return seen ? 0 : -EINVAL;
}

const char *cg_layout_name(enum cg_layout l)
{
	switch (l) {
	case CG_LAYOUT_V1: return "v1";
	case CG_LAYOUT_HYBRID: return "hybrid (v1 memory controller)";
	case CG_LAYOUT_UNIFIED: return "v2 (unified)";
	default: return "none";
	}
}

/* libcgroup 2.0.2 has no CGROUP_MODE_* API: detect the layout with statfs, as its own
 * later versions do. */
static enum cg_layout detect_layout(void)
{
	struct statfs fs;

	if (statfs("/sys/fs/cgroup", &fs) < 0)
		return CG_LAYOUT_NONE;
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		return CG_LAYOUT_UNIFIED;
	if (fs.f_type != TMPFS_MAGIC)
		return CG_LAYOUT_NONE;
	if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return CG_LAYOUT_HYBRID;
	return CG_LAYOUT_V1;
}

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

static void strip_slashes(char *p)
{
	size_t len = strlen(p);
	size_t start = strspn(p, "/");

	while (len > start && p[len - 1] == '/')
		p[--len] = '\0';
	memmove(p, p + start, len - start + 1);
}

int cg_env_init(struct cg_env *env, const char *parent, char *err, size_t errlen)
{
	char *mnt = NULL, *own = NULL, probe[2 * PATH_MAX + 64];
	int r;

	memset(env, 0, sizeof(*env));
	env->layout = detect_layout();
	if (env->layout == CG_LAYOUT_NONE) {
		errf(err, errlen, "no cgroup filesystem at /sys/fs/cgroup: mount cgroup (v1 memory "
		     "controller) or cgroup2 there");
		return -ENOENT;
	}
	if (env->layout == CG_LAYOUT_UNIFIED) {
		errf(err, errlen, "this machine uses cgroup v2 only; this version of the harness "
		     "drives the v1 memory controller (boot with "
		     "systemd.unified_cgroup_hierarchy=0 to use it here)");
		return -ENOTSUP;
	}
	r = cgroup_init();
	if (r != 0) {
		errf(err, errlen, "libcgroup: cannot initialise (%s): is the v1 memory controller "
		     "mounted at /sys/fs/cgroup/memory?", r == ECGROUPNOTMOUNTED ? "no cgroup "
		     "hierarchy mounted" : "error");
		return -ENOENT;
	}
	if (cgroup_get_subsys_mount_point("memory", &mnt) != 0 || !mnt) {
		errf(err, errlen, "the v1 memory controller is not mounted (expected "
		     "/sys/fs/cgroup/memory): mount -t cgroup -o memory memory /sys/fs/cgroup/memory");
		return -ENOENT;
	}
	snprintf(env->mount, sizeof(env->mount), "%s", mnt);
	free(mnt);
	/* Names given to libcgroup resolve from the mount root, not from our own cgroup, so
	 * the runner's own path prefixes every group it creates (works on v1 only). */
	r = cgroup_get_current_controller_path(getpid(), "memory", &own);
	if (r != 0 || !own) {
		errf(err, errlen, "cannot find the runner's own memory cgroup in /proc/self/cgroup");
		return -ENOENT;
	}
	snprintf(env->own, sizeof(env->own), "%s", own);
	free(own);
	strip_slashes(env->own);
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
		strip_slashes(env->parent);
	} else {
		snprintf(env->parent, sizeof(env->parent), "%s", env->own);
	}
	snprintf(probe, sizeof(probe), "%s/%s", env->mount, env->parent);
	if (access(probe, W_OK) != 0) {
		int e = errno;

		errf(err, errlen, "cannot create cgroups in %s: %s", probe, strerror(e));
		return -e;
	}
	snprintf(probe, sizeof(probe), "%s/%s/memory.memsw.limit_in_bytes", env->mount, env->parent);
	env->has_memsw = access(probe, F_OK) == 0;
	env->ops = &cg_v1_ops;
	return 0;
}

int cg_group_init(const struct cg_env *env, struct cg_group *g, const char *name, char *err,
		  size_t errlen)
{
	memset(g, 0, sizeof(*g));
	g->oom_fd = -1;
	g->ctl_fd = -1;
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

int cg_pids(const struct cg_group *g, pid_t *pids, size_t max)
{
	char path[PATH_MAX + 16];
	FILE *f;
	size_t n = 0;
	long v;

	snprintf(path, sizeof(path), "%s/cgroup.procs", g->dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (n < max && fscanf(f, "%ld", &v) == 1)
		pids[n++] = (pid_t)v;
	fclose(f);
	return (int)n;
}

int cg_kill_all(const struct cg_group *g, uint64_t deadline,
		void (*reap)(pid_t pid, int status, void *ctx), void *ctx)
{
	pid_t pids[1024];
	int n, status;
	pid_t p;

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

void cg_group_close(struct cg_group *g)
{
	if (g->oom_fd >= 0)
		close(g->oom_fd);
	if (g->ctl_fd >= 0)
		close(g->ctl_fd);
	g->oom_fd = -1;
	g->ctl_fd = -1;
}

/* The pid in "balloon-run-<pid>-<name>", or 0 when the name is not one of ours. */
static pid_t run_owner(const char *name)
{
	const char *p = name + strlen(CG_RUN_PREFIX);
	char *end;
	long v;

	if (strncmp(name, CG_RUN_PREFIX, strlen(CG_RUN_PREFIX)) != 0)
		return 0;
	v = strtol(p, &end, 10);
	if (end == p || *end != '-' || v <= 0 || v > INT32_MAX)
		return 0;
	return (pid_t)v;
}

/* Is pid a live balloon-run? (A recycled pid running something else is not; one run under
 * valgrind has another comm but says balloon-run on its command line.) */
static bool runner_alive(pid_t pid)
{
	char path[64], buf[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (read_small_file(path, buf, sizeof(buf)) > 0 && strcmp(buf, "balloon-run\n") == 0)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = read_small_file(path, buf, sizeof(buf));
	return n > 0 && memmem(buf, (size_t)n, "balloon-run", 11) != NULL;
}

static int count_tasks(const struct cg_group *g)
{
	pid_t pids[1024];
	int n = cg_pids(g, pids, sizeof(pids) / sizeof(pids[0]));

	return n > 0 ? n : 0;
}

/* Kills, reaps and removes one stale group and its child groups (one level: the runner
 * creates no deeper ones; anything deeper makes the removal fail loudly). */
static int remove_stale_group(const struct cg_env *env, const char *name, uint64_t deadline,
			      int *killed, char *err, size_t errlen)
{
	struct cg_group g, kid;
	struct dirent *de;
	DIR *d;
	int r;

	if ((r = cg_group_init(env, &g, name, err, errlen)) < 0)
		return r;
	g.created = true;
	d = opendir(g.dir);
	while (d && (de = readdir(d)) != NULL) {
		char kname[PATH_MAX];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(kname, sizeof(kname), "%s/%s", name, de->d_name);
		if (cg_group_init(env, &kid, kname, err, errlen) < 0)
			continue;
		kid.created = true;
		*killed += count_tasks(&kid);
		cg_kill_all(&kid, deadline, NULL, NULL);
		if ((r = env->ops->destroy(&kid, err, errlen)) < 0) {
			closedir(d);
			return r;
		}
	}
	if (d)
		closedir(d);
	*killed += count_tasks(&g);
	if ((r = cg_kill_all(&g, deadline, NULL, NULL)) < 0) {
		errf(err, errlen, "stale cgroup %s: its tasks did not die", g.dir);
		return r;
	}
	return env->ops->destroy(&g, err, errlen);
}

int cg_remove_stale(const struct cg_env *env, uint64_t deadline,
		    void (*report)(const char *name, int killed, void *ctx), void *ctx,
		    char *err, size_t errlen)
{
	char dir[PATH_MAX * 2];
	struct dirent *de;
	int removed = 0, r = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", env->mount, env->parent);
	d = opendir(dir);
	if (!d) {
		errf(err, errlen, "opendir %s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t owner = run_owner(de->d_name);
		int killed = 0;

		if (de->d_type != DT_DIR || owner <= 0 || runner_alive(owner))
			continue;
		r = remove_stale_group(env, de->d_name, deadline, &killed, err, errlen);
		if (r < 0)
			break;
		removed++;
		if (report)
			report(de->d_name, killed, ctx);
	}
	closedir(d);
	return r < 0 ? r : removed;
}
